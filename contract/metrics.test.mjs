// Polar's metrics through the SDK: metrics.get over a purchase and a
// subscription made through the SDK (with the filters product_id, billing_type,
// customer_id and ours, checkout_link_id), metrics.limits, and the 422s.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { RFCDate } from "@polar-sh/sdk/types/rfcdate.js";

import { ENGINE, HTTPValidationError, assertLoc, expectError, polarSDK, start } from "./harness.mjs";

describe(`metrics (${ENGINE})`, () => {
  let pl, org;
  const cat = {};
  const today = new RFCDate(new Date().toISOString().slice(0, 10));
  const range = { startDate: today, endDate: today, interval: "day" };

  before(async () => {
    pl = await start();
    org = pl.newOrg("Metrics Org");
    const anon = polarSDK("", pl.url);
    cat.kit = await org.sdk.products.create({ name: "Kit", prices: [{ amountType: "fixed", priceAmount: 2000, priceCurrency: "usd" }] });
    cat.plan = await org.sdk.products.create({ name: "Plan", recurringInterval: "year",
      prices: [{ amountType: "fixed", priceAmount: 12000, priceCurrency: "usd" }] });
    for (const product of [cat.kit, cat.plan]) {
      const c = await org.sdk.checkouts.create({ products: [product.id], customerEmail: "m@example.com" });
      await anon.checkouts.clientConfirm({ clientSecret: c.clientSecret,
        checkoutConfirmStripe: { confirmationTokenId: "tok_visa", customerBillingAddress: { country: "US" } } });
    }
    await org.sdk.checkouts.create({ products: [cat.kit.id] }); // open, never paid
    cat.customer = (await org.sdk.customers.list({})).result.items[0];
  });
  after(async () => {
    await pl?.stop();
  });

  it("answers the metrics of the range in the SDK's shape", async () => {
    const m = await org.sdk.metrics.get(range);
    assert.equal(m.periods.length, 1);
    assert.ok(m.periods[0].timestamp instanceof Date);
    const t = m.totals;
    assert.equal(t.orders, 2);
    assert.equal(t.revenue, 14000);
    assert.equal(t.netRevenue, 14000);
    assert.equal(t.averageOrderValue, 7000);
    assert.equal(t.oneTimeProducts, 1);
    assert.equal(t.oneTimeProductsRevenue, 2000);
    assert.equal(t.newSubscriptions, 1);
    assert.equal(t.newSubscriptionsRevenue, 12000);
    assert.equal(t.renewedSubscriptions, 0);
    assert.equal(t.activeSubscriptions, 1);
    assert.equal(t.monthlyRecurringRevenue, 1000);
    assert.equal(t.checkouts, 3);
    assert.equal(t.succeededCheckouts, 2);
    assert.ok(Math.abs(t.checkoutsConversion - 2 / 3) < 1e-9);
    assert.deepEqual(m.periods[0].orders, 2);
    assert.equal(m.metrics.revenue.slug, "revenue");
    assert.equal(m.metrics.revenue.type, "currency");
    assert.equal(m.metrics.checkoutsConversion.type, "percentage");
  });

  it("filters by product, billing type and customer", async () => {
    const kit = (await org.sdk.metrics.get({ ...range, productId: cat.kit.id })).totals;
    assert.equal(kit.orders, 1);
    assert.equal(kit.checkouts, 2);
    assert.equal(kit.activeSubscriptions, 0);
    const recurring = (await org.sdk.metrics.get({ ...range, billingType: "recurring" })).totals;
    assert.equal(recurring.orders, 1);
    assert.equal(recurring.revenue, 12000);
    assert.equal(recurring.checkouts, 1);
    const theirs = (await org.sdk.metrics.get({ ...range, customerId: cat.customer.id })).totals;
    assert.equal(theirs.orders, 2);
    assert.equal(theirs.succeededCheckouts, 2);
  });

  it("answers the limits", async () => {
    const l = await org.sdk.metrics.limits();
    assert.ok(l.minDate instanceof RFCDate);
    assert.equal(l.intervals.day.maxDays, 1000);
    assert.equal(l.intervals.hour.minDays, 0);
    assert.ok(l.intervals.year.maxDays > l.intervals.month.maxDays);
  });

  it("refuses a range that ends before it starts, and a bad interval, at the parameter", async () => {
    const yesterday = new RFCDate(new Date(Date.now() - 86400000).toISOString().slice(0, 10));
    const bad = await expectError(org.sdk.metrics.get({ startDate: today, endDate: yesterday, interval: "day" }),
      HTTPValidationError, "end before start");
    assertLoc(bad, ["query", "end_date"]);
    const tz = await expectError(org.sdk.metrics.get({ ...range, timezone: "Nowhere/Land" }), HTTPValidationError, "bad zone");
    assertLoc(tz, ["query", "timezone"]);
  });
});
