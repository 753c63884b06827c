// Refunds through the SDK: a partial and then a full refund of a paid order,
// the order's refunded amount and status, the errors Polar answers (more than
// is left, already refunded, another organization's order) and the list's
// filters.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { RefundedAlready } from "@polar-sh/sdk/models/errors/refundedalready.js";

import { ENGINE, HTTPValidationError, assertLoc, expectError, listAll, pending, polarSDK, start } from "./harness.mjs";

describe(`refunds (${ENGINE})`, () => {
  pending("refunds");
  let pl, org, other, order;
  const made = {};

  before(async () => {
    pl = await start();
    org = pl.newOrg("Refund Org");
    other = pl.newOrg("Other Refund Org");
    const anon = polarSDK("", pl.url);
    const kit = await org.sdk.products.create({ name: "Kit", prices: [{ amountType: "fixed", priceAmount: 2000, priceCurrency: "usd" }] });
    const c = await org.sdk.checkouts.create({ products: [kit.id], customerEmail: "ann@example.com" });
    await anon.checkouts.clientConfirm({ clientSecret: c.clientSecret, checkoutConfirmStripe: { confirmationTokenId: "tok_visa", customerBillingAddress: { country: "US" } } });
    [order] = await listAll(org.sdk.orders.list({ checkoutId: c.id }));
  });
  after(async () => {
    await pl?.stop();
  });

  it("refunds part of an order", async () => {
    const r = await org.sdk.refunds.create({ orderId: order.id, reason: "customer_request", amount: 500,
      comment: "arrived late", metadata: { ticket: "T-1" } });
    assert.equal(r.status, "succeeded");
    assert.equal(r.reason, "customer_request");
    assert.equal(r.amount, 500);
    assert.equal(r.taxAmount, 0);
    assert.equal(r.currency, "usd");
    assert.equal(r.orderId, order.id);
    assert.equal(r.customerId, order.customerId);
    assert.equal(r.organizationId, org.orgId);
    assert.equal(r.subscriptionId, null);
    assert.equal(r.revokeBenefits, false);
    assert.equal(r.dispute, null);
    assert.deepEqual(r.metadata, { ticket: "T-1" });
    const o = await org.sdk.orders.get({ id: order.id });
    assert.equal(o.status, "partially_refunded");
    assert.equal(o.refundedAmount, 500);
    assert.equal(o.refundableAmount, 1500);
    assert.equal(o.paid, true);
    made.partial = r;
  });

  it("refuses more than is left, with the amount's location", async () => {
    const err = await expectError(org.sdk.refunds.create({ orderId: order.id, reason: "other", amount: 1501 }),
      HTTPValidationError, "a refund above what is left");
    assertLoc(err, ["body", "amount"]);
    const zero = await expectError(org.sdk.refunds.create({ orderId: order.id, reason: "other", amount: 0 }),
      HTTPValidationError, "a refund of nothing");
    assertLoc(zero, ["body", "amount"]);
  });

  it("refunds the rest, then answers RefundedAlready", async () => {
    const r = await org.sdk.refunds.create({ orderId: order.id, reason: "duplicate", amount: 1500, revokeBenefits: true });
    assert.equal(r.status, "succeeded");
    assert.equal(r.revokeBenefits, true);
    const o = await org.sdk.orders.get({ id: order.id });
    assert.equal(o.status, "refunded");
    assert.equal(o.refundedAmount, 2000);
    assert.equal(o.refundableAmount, 0);
    await expectError(org.sdk.refunds.create({ orderId: order.id, reason: "other", amount: 1 }), RefundedAlready,
      "a refund of a refunded order");
    made.full = r;
  });

  it("keeps another organization's orders and refunds out of reach", async () => {
    const err = await expectError(other.sdk.refunds.create({ orderId: order.id, reason: "other", amount: 1 }),
      HTTPValidationError, "another organization's order");
    assertLoc(err, ["body", "order_id"]);
    assert.deepEqual(await listAll(other.sdk.refunds.list({})), []);
    assert.deepEqual(await listAll(org.sdk.refunds.list({ organizationId: other.orgId })), []);
  });

  it("lists refunds with the SDK's filters and sorting", async () => {
    assert.ok(made.partial && made.full, "the refund tests passed");
    const all = await listAll(org.sdk.refunds.list({ orderId: order.id }));
    assert.deepEqual(all.map((r) => r.id), [made.full.id, made.partial.id]); // newest first
    const byAmount = await listAll(org.sdk.refunds.list({ sorting: ["amount"] }));
    assert.deepEqual(byAmount.map((r) => r.amount), [500, 1500]);
    assert.deepEqual((await listAll(org.sdk.refunds.list({ id: made.partial.id }))).map((r) => r.id), [made.partial.id]);
    assert.equal((await listAll(org.sdk.refunds.list({ customerId: order.customerId, succeeded: true }))).length, 2);
    assert.deepEqual(await listAll(org.sdk.refunds.list({ succeeded: false })), []);
    assert.deepEqual(await listAll(org.sdk.refunds.list({ subscriptionId: made.partial.id })), []);
    const page = await org.sdk.refunds.list({ limit: 1 });
    assert.equal(page.result.pagination.totalCount, 2);
    assert.equal(page.result.pagination.maxPage, 2);
  });
});
