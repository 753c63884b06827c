// Subscriptions that end, through the SDK: subscriptions.update cancels at period
// end (with the customer's reason) and takes it back, subscriptions.update with
// revoke and subscriptions.revoke end one now; Polar's errors; the cancellation
// filters of subscriptions.list; and the webhooks of each change, accepted by the
// SDK's validateEvent. A subscription is bought through a checkout in the sandbox.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { AlreadyCanceledSubscription } from "@polar-sh/sdk/models/errors/alreadycanceledsubscription.js";
import { validateEvent } from "@polar-sh/sdk/webhooks.js";

import { ENGINE, HTTPValidationError, PolarError, ResourceNotFound, assertLoc, expectError, listAll, pending, receiver, start } from "./harness.mjs";

// The receiver runs on loopback, which paylink refuses unless the operator allows it.
process.env.PAYLINK_WEBHOOK_ALLOW_PRIVATE = "true";

describe(`subscriptions (${ENGINE})`, () => {
  pending("subscriptions");
  let pl, org, other, recv, hook, plan;

  /** Buys the plan for email through a checkout (sandbox card) and returns the subscription. */
  async function subscribe(email) {
    const co = await org.sdk.checkouts.create({ products: [plan.id] });
    await org.sdk.checkouts.clientConfirm({ clientSecret: co.clientSecret,
      checkoutConfirmStripe: { confirmationTokenId: "tok_visa", customerEmail: email, customerBillingAddress: { country: "NL" } } });
    const [sub] = await listAll(org.sdk.subscriptions.list({ productId: plan.id, active: true }))
      .then((subs) => subs.filter((s) => s.customer.email === email));
    assert.ok(sub, `a subscription for ${email}`);
    return sub;
  }

  /**
   * Waits for n webhook deliveries about subscription id and returns them by type,
   * each validated by the SDK (signature and schema). Deliveries may arrive in any
   * order, so only their types and payloads are compared.
   */
  async function eventsOf(id, n) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const events = recv.got.map((d) => validateEvent(d.body, d.headers, hook.secret)).filter((e) => e.data.id === id);
      if (events.length >= n || Date.now() > deadline) {
        const byType = {};
        for (const e of events) (byType[e.type] ??= []).push(e.data);
        return byType;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  before(async () => {
    pl = await start();
    org = pl.newOrg("Subscription Org");
    other = pl.newOrg("Other Org");
    recv = await receiver();
    hook = await org.sdk.webhooks.createWebhookEndpoint({ url: recv.url, format: "raw", name: "Lifecycle",
      events: ["subscription.updated", "subscription.canceled", "subscription.uncanceled", "subscription.revoked"] });
    plan = await org.sdk.products.create({ name: "Plan", recurringInterval: "month",
      prices: [{ amountType: "fixed", priceAmount: 900, priceCurrency: "usd" }] });
  });
  after(async () => {
    await recv?.close();
    await pl?.stop();
  });

  it("cancels at period end, with the customer's reason, and takes it back", async () => {
    const sub = await subscribe("ann@example.com");
    const canceled = await org.sdk.subscriptions.update({ id: sub.id, subscriptionUpdate: {
      cancelAtPeriodEnd: true, customerCancellationReason: "too_expensive", customerCancellationComment: "Too much" } });
    assert.equal(canceled.status, "active");
    assert.equal(canceled.cancelAtPeriodEnd, true);
    assert.ok(canceled.canceledAt instanceof Date);
    assert.deepEqual(canceled.endsAt, sub.currentPeriodEnd);
    assert.equal(canceled.endedAt, null);
    assert.equal(canceled.customerCancellationReason, "too_expensive");
    assert.equal(canceled.customerCancellationComment, "Too much");
    assert.deepEqual(await org.sdk.subscriptions.get({ id: sub.id }), canceled);

    assert.deepEqual((await listAll(org.sdk.subscriptions.list({ cancelAtPeriodEnd: true }))).map((s) => s.id), [sub.id]);
    assert.deepEqual((await listAll(org.sdk.subscriptions.list({ customerCancellationReason: ["too_expensive", "other"] }))).map((s) => s.id), [sub.id]);
    assert.deepEqual(await listAll(org.sdk.subscriptions.list({ customerCancellationReason: "unused" })), []);

    const again = await expectError(org.sdk.subscriptions.update({ id: sub.id, subscriptionUpdate: { cancelAtPeriodEnd: true } }),
      AlreadyCanceledSubscription, "a second cancel");
    assert.equal(again.error, "AlreadyCanceledSubscription");

    const resumed = await org.sdk.subscriptions.update({ id: sub.id, subscriptionUpdate: { cancelAtPeriodEnd: false } });
    assert.equal(resumed.cancelAtPeriodEnd, false);
    assert.equal(resumed.canceledAt, null);
    assert.equal(resumed.endsAt, null);
    assert.equal(resumed.customerCancellationReason, null);
    assert.deepEqual(await listAll(org.sdk.subscriptions.list({ cancelAtPeriodEnd: true })), []);

    const events = await eventsOf(sub.id, 4);
    assert.deepEqual(Object.keys(events).sort(), ["subscription.canceled", "subscription.uncanceled", "subscription.updated"]);
    assert.equal(events["subscription.updated"].length, 2);
    assert.equal(events["subscription.canceled"][0].cancelAtPeriodEnd, true);
    assert.equal(events["subscription.canceled"][0].customerCancellationReason, "too_expensive");
    assert.equal(events["subscription.uncanceled"][0].cancelAtPeriodEnd, false);
  });

  it("revokes through update and through revoke", async () => {
    const bob = await subscribe("bob@example.com");
    const revoked = await org.sdk.subscriptions.update({ id: bob.id, subscriptionUpdate: { revoke: true, customerCancellationReason: "unused" } });
    assert.equal(revoked.status, "canceled");
    assert.ok(revoked.endedAt instanceof Date);
    assert.deepEqual(revoked.endsAt, revoked.endedAt);
    assert.equal(revoked.customerCancellationReason, "unused");
    await expectError(org.sdk.subscriptions.revoke({ id: bob.id }), AlreadyCanceledSubscription, "revoke of an ended subscription");
    const uncancel = await expectError(org.sdk.subscriptions.update({ id: bob.id, subscriptionUpdate: { cancelAtPeriodEnd: false } }),
      PolarError, "uncancel of an ended subscription");
    assert.equal(uncancel.statusCode, 410);

    const cy = await subscribe("cy@example.com");
    const ended = await org.sdk.subscriptions.revoke({ id: cy.id });
    assert.equal(ended.status, "canceled");
    assert.ok(ended.endedAt instanceof Date);
    assert.deepEqual((await listAll(org.sdk.subscriptions.list({ status: "canceled" }))).map((s) => s.id).sort(), [bob.id, cy.id].sort());

    const events = await eventsOf(cy.id, 3);
    assert.deepEqual(Object.keys(events).sort(), ["subscription.canceled", "subscription.revoked", "subscription.updated"]);
    assert.equal(events["subscription.revoked"][0].status, "canceled");
    assert.ok(events["subscription.revoked"][0].endedAt instanceof Date);
  });

  it("answers Polar's errors and 422s", async () => {
    const dee = await subscribe("dee@example.com");
    await expectError(other.sdk.subscriptions.revoke({ id: dee.id }), ResourceNotFound, "another organization's subscription");
    await expectError(other.sdk.subscriptions.update({ id: dee.id, subscriptionUpdate: { revoke: true } }), ResourceNotFound,
      "another organization's subscription");
    const product = await expectError(org.sdk.subscriptions.update({ id: dee.id, subscriptionUpdate: { productId: plan.id } }),
      HTTPValidationError, "a change of product");
    assertLoc(product, ["body", "product_id"]);
    const discount = await expectError(org.sdk.subscriptions.update({ id: dee.id,
      subscriptionUpdate: { discountId: "00000000-0000-7000-8000-000000000000" } }), HTTPValidationError, "a change of discount");
    assertLoc(discount, ["body", "discount_id"]);
    const reason = await expectError(org.sdk.subscriptions.update({ id: dee.id,
      subscriptionUpdate: { cancelAtPeriodEnd: true, customerCancellationComment: "x".repeat(5001) } }), HTTPValidationError, "a long comment");
    assertLoc(reason, ["body", "customer_cancellation_comment"]);
    const still = await org.sdk.subscriptions.get({ id: dee.id });
    assert.equal(still.cancelAtPeriodEnd, false);
    assert.equal(still.status, "active");
  });
});
