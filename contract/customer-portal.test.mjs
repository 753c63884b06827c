// Customer sessions and the customer portal through the SDK: the merchant opens
// a session for a customer (customerSessions.create), and the customer's token
// lists and fetches that customer's orders and subscriptions
// (customerPortal.orders / customerPortal.subscriptions), and nobody else's.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { ENGINE, HTTPValidationError, PolarError, ResourceNotFound, assertLoc, expectError, listAll, pending, polarSDK, start } from "./harness.mjs";

describe(`customer portal (${ENGINE})`, () => {
  pending("customer-portal");
  let pl, org, anon, plan, book;
  const who = {};

  // buy pays for product as email and returns the customer's id.
  async function buy(product, email) {
    const c = await org.sdk.checkouts.create({ products: [product.id], customerEmail: email, metadata: { merchant: "only" } });
    await anon.checkouts.clientConfirm({ clientSecret: c.clientSecret,
      checkoutConfirmStripe: { confirmationTokenId: "tok_visa", customerBillingAddress: { country: "US" } } });
    const customers = await listAll(org.sdk.customers.list({ email }));
    return customers[0].id;
  }

  before(async () => {
    pl = await start();
    org = pl.newOrg("Portal Org");
    anon = polarSDK("", pl.url);
    plan = await org.sdk.products.create({ name: "Plan", recurringInterval: "month",
      prices: [{ amountType: "fixed", priceAmount: 900, priceCurrency: "usd" }] });
    book = await org.sdk.products.create({ name: "Book", prices: [{ amountType: "fixed", priceAmount: 1500, priceCurrency: "usd" }] });
    who.ann = await buy(plan, "ann@example.com");
    await buy(book, "ann@example.com");
    who.bo = await buy(plan, "bo@example.com");
  });
  after(async () => {
    await pl?.stop();
  });

  it("creates a customer session with a portal URL", async () => {
    const s = await org.sdk.customerSessions.create({ customerId: who.ann, returnUrl: "https://shop.test/account" });
    assert.match(s.token, /^pl_cst_/);
    assert.equal(s.customerId, who.ann);
    assert.equal(s.customer.email, "ann@example.com");
    assert.equal(s.returnUrl, "https://shop.test/account");
    assert.ok(s.expiresAt > new Date());
    const u = new URL(s.customerPortalUrl);
    assert.equal(u.origin, pl.url);
    assert.match(u.pathname, /^\/portal\//);
    assert.equal(u.searchParams.get("customer_session_token"), s.token);
    who.annToken = s.token;
    const sec = { customerSession: s.token };
    const seen = await pl.sdk.customerPortal.customerSession.introspect(sec);
    assert.equal(seen.expiresAt.getTime(), s.expiresAt.getTime());
    assert.equal(seen.returnUrl, "https://shop.test/account");
    const user = await pl.sdk.customerPortal.customerSession.getAuthenticatedUser(sec);
    assert.equal(user.customerId, who.ann);
    assert.equal(user.email, "ann@example.com");
    assert.equal(user.type, "customer");
    who.boToken = (await org.sdk.customerSessions.create({ customerId: who.bo })).token;
  });

  it("refuses a customer the organization does not have", async () => {
    const other = pl.newOrg("Other Portal Org");
    const err = await expectError(other.sdk.customerSessions.create({ customerId: who.ann }), HTTPValidationError, "another organization's customer");
    assertLoc(err, ["body", "customer_id"]);
  });

  it("opens a session by the merchant's external id, as better-auth's portal does", async () => {
    await org.sdk.customers.update({ id: who.bo, customerUpdate: { externalId: "user_bo" } });
    const s = await org.sdk.customerSessions.create({ externalCustomerId: "user_bo" });
    assert.equal(s.customerId, who.bo);
    assert.equal(s.customer.externalId, "user_bo");
    const err = await expectError(org.sdk.customerSessions.create({ externalCustomerId: "user_nobody" }), HTTPValidationError, "unknown external id");
    assertLoc(err, ["body", "external_customer_id"]);
    const other = pl.newOrg("Third Portal Org");
    assertLoc(await expectError(other.sdk.customerSessions.create({ externalCustomerId: "user_bo" }), HTTPValidationError,
      "another organization's external id"), ["body", "external_customer_id"]);
  });

  it("lists and gets the customer's own orders", async () => {
    const sec = { customerSession: who.annToken };
    const orders = await listAll(pl.sdk.customerPortal.orders.list(sec, {}));
    assert.equal(orders.length, 2);
    assert.deepEqual(orders.map((o) => o.customerId), [who.ann, who.ann]);
    assert.deepEqual(orders.map((o) => o.product.name).sort(), ["Book", "Plan"]);
    for (const o of orders) {
      assert.match(o.receiptNumber, /^RCPT-\d{4,}$/);
      assert.equal(o.product.organization.id, org.orgId);
      assert.equal(o.taxAmount, 0);
    }
    const recurring = orders.find((o) => o.product.name === "Plan");
    assert.equal(recurring.subscription.status, "active");
    assert.equal(recurring.billingReason, "subscription_create");
    const got = await pl.sdk.customerPortal.orders.get(sec, { id: recurring.id });
    assert.equal(got.id, recurring.id);
    assert.equal(got.totalAmount, 900);
    const oneTime = await listAll(pl.sdk.customerPortal.orders.list(sec, { productBillingType: "one_time" }));
    assert.deepEqual(oneTime.map((o) => o.product.name), ["Book"]);
    who.annOrder = recurring.id;
    const receipt = await pl.sdk.customerPortal.orders.receipt(sec, { id: recurring.id });
    assert.match(receipt.url, new RegExp(`^${pl.url}/receipts/pl_r_`));
    const page = await fetch(receipt.url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), new RegExp(recurring.receiptNumber));
  });

  it("lists and gets the customer's own subscriptions", async () => {
    const sec = { customerSession: who.annToken };
    const subs = await listAll(pl.sdk.customerPortal.subscriptions.list(sec, { active: true }));
    assert.equal(subs.length, 1);
    const s = subs[0];
    assert.equal(s.customerId, who.ann);
    assert.equal(s.status, "active");
    assert.equal(s.amount, 900);
    assert.equal(s.product.name, "Plan");
    assert.equal(s.prices.length, 1);
    assert.deepEqual(await pl.sdk.customerPortal.subscriptions.get(sec, { id: s.id }), s);
    who.annSub = s.id;
  });

  it("shows a customer nobody else's orders or subscriptions", async () => {
    const bo = { customerSession: who.boToken };
    await expectError(pl.sdk.customerPortal.orders.get(bo, { id: who.annOrder }), ResourceNotFound, "Ann's order with Bo's token");
    await expectError(pl.sdk.customerPortal.subscriptions.get(bo, { id: who.annSub }), ResourceNotFound, "Ann's subscription with Bo's token");
    await expectError(pl.sdk.customerPortal.orders.receipt(bo, { id: who.annOrder }), ResourceNotFound, "Ann's receipt with Bo's token");
    const boOrders = await listAll(pl.sdk.customerPortal.orders.list(bo, {}));
    assert.deepEqual(boOrders.map((o) => o.customerId), [who.bo]);
  });

  it("keeps merchant and customer tokens apart", async () => {
    const merchantOnPortal = await expectError(pl.sdk.customerPortal.orders.list({ customerSession: pl.token }, {}), PolarError, "a merchant token on the portal");
    assert.equal(merchantOnPortal.statusCode, 401);
    const customerOnMerchant = await expectError(polarSDK(who.annToken, pl.url).orders.list({}), PolarError, "a customer token on the merchant API");
    assert.equal(customerOnMerchant.statusCode, 401);
  });
});
