// Customers as auth integrations (better-auth's Polar plugin) use them: created
// with the app's user id as external_id, read, updated and deleted by it, their
// state read, checkouts opened for the user with external_customer_id, and lists
// filtered by it. Through SDK 0.49.0, and the customer's shapes through 1.0.1's types.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { createPolar } from "sdk-1.0/2026-04";

import { declarations } from "./dts-check.mjs";
import { ENGINE, HTTPValidationError, ResourceNotFound, assertLoc, expectError, start } from "./harness.mjs";

describe(`customers (${ENGINE})`, () => {
  let pl, org, other, customer;
  before(async () => {
    pl = await start();
    org = pl.newOrg("Auth App");
    other = pl.newOrg("Other App");
  });
  after(async () => pl?.stop());

  it("creates a customer with the app's user id", async () => {
    customer = await org.sdk.customers.create({ email: "grace@example.com", name: "Grace", externalId: "user_1", metadata: { plan: "free" } });
    assert.equal(customer.externalId, "user_1");
    assert.match(customer.avatarUrl, /^https:\/\/www\.gravatar\.com\/avatar\/[0-9a-f]{64}\?d=404$/);
    const again = await expectError(org.sdk.customers.create({ email: "other@example.com", externalId: "user_1" }), HTTPValidationError, "taken external id");
    assertLoc(again, ["body", "external_id"]);
  });

  it("reads and updates it by external id", async () => {
    const got = await org.sdk.customers.getExternal({ externalId: "user_1" });
    assert.equal(got.id, customer.id);
    const updated = await org.sdk.customers.updateExternal({ externalId: "user_1", customerUpdateExternalID: { name: "Grace H.", metadata: { plan: "pro" } } });
    assert.equal(updated.name, "Grace H.");
    assert.deepEqual(updated.metadata, { plan: "pro" });
    const byId = await org.sdk.customers.update({ id: customer.id, customerUpdate: { email: "grace@navy.example" } });
    assert.equal(byId.email, "grace@navy.example");
    await expectError(other.sdk.customers.getExternal({ externalId: "user_1" }), ResourceNotFound, "another organization");
  });

  it("buys for the user: the checkout's external_customer_id reaches the customer, the lists and the state", async () => {
    const plan = await org.sdk.products.create({
      name: "Auth Plan", recurringInterval: "month", prices: [{ amountType: "fixed", priceAmount: 1200, priceCurrency: "usd" }],
    });
    const co = await org.sdk.checkouts.create({ products: [plan.id], externalCustomerId: "user_2" });
    assert.equal(co.externalCustomerId, "user_2");
    await org.sdk.checkouts.clientConfirm({
      clientSecret: co.clientSecret,
      checkoutConfirmStripe: { confirmationTokenId: "tok_visa", customerEmail: "linus@example.com", customerBillingAddress: { country: "FI" } },
    });
    let subs = [];
    for (const until = Date.now() + 30_000; subs.length === 0 && Date.now() < until;) {
      subs = (await org.sdk.subscriptions.list({ externalCustomerId: "user_2" })).result.items;
      if (subs.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(subs.length, 1, "the subscription, by the user's external id");
    assert.equal(subs[0].customer.externalId, "user_2");
    const orders = (await org.sdk.orders.list({ externalCustomerId: "user_2" })).result.items;
    assert.equal(orders.length, 1);
    assert.equal((await org.sdk.orders.list({ externalCustomerId: "user_1" })).result.items.length, 0, "another user's orders");
    assert.equal((await org.sdk.checkouts.list({ externalCustomerId: "user_2" })).result.items.length, 1);

    const state = await org.sdk.customers.getStateExternal({ externalId: "user_2" });
    assert.deepEqual(state.activeSubscriptions.map((s) => s.id), [subs[0].id]);
    assert.equal(state.activeSubscriptions[0].productId, plan.id);
    const byId = await org.sdk.customers.getState({ id: state.id });
    assert.equal(byId.externalId, "user_2");

    // 1.0.1's declared types, for the customer, its state and its subscription.
    const decl = declarations("sdk-1.0", "2026-04");
    const polar = createPolar({ accessToken: org.token, baseUrl: pl.url });
    assert.deepEqual(decl.check("Customer", await polar.customers.getExternal("user_2")), []);
    // 1.0.1 types a state's subscription status as Status, which its generated types
    // also declare for benefit grants ("granted" | "disabled"): a name clash. Polar
    // sends the subscription's status, as 0.49 validates it; the rest must conform.
    const st = await polar.customers.getStateExternal("user_2");
    assert.deepEqual(decl.check("CustomerStateIndividual", { ...st, active_subscriptions: [] }), []);
    for (const s of st.active_subscriptions) {
      assert.equal(s.status, "active");
      assert.deepEqual(decl.check("CustomerStateSubscription", { ...s, status: "granted" }), []);
    }

    // Deleting the user's customer revokes the subscription and frees the external id.
    await org.sdk.customers.deleteExternal({ externalId: "user_2" });
    await expectError(org.sdk.customers.getExternal({ externalId: "user_2" }), ResourceNotFound, "deleted");
    const ended = await org.sdk.subscriptions.get({ id: subs[0].id });
    assert.equal(ended.status, "canceled");
    assert.ok(ended.endedAt instanceof Date);
    const order = await org.sdk.orders.get({ id: orders[0].id });
    assert.ok(order.customer.deletedAt instanceof Date, "the order keeps its (deleted) customer");
    const reborn = await org.sdk.customers.create({ email: "linus@example.com", externalId: "user_2" });
    assert.notEqual(reborn.id, state.id);
  });

  it("deletes by id", async () => {
    await org.sdk.customers.delete({ id: customer.id });
    await expectError(org.sdk.customers.get({ id: customer.id }), ResourceNotFound, "deleted");
    const left = (await org.sdk.customers.list({})).result.items.map((c) => c.externalId);
    assert.deepEqual(left, ["user_2"]);
  });
});
