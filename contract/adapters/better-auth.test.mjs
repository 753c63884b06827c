// better-auth's Polar plugin (@polar-sh/better-auth, with the SDK it is made for,
// 0.47.x) against a running paylink. better-auth takes a client the app makes, so
// pointing it at paylink is serverURL: no host rewriting. The app signs a user up
// (the plugin creates the paylink customer and sets its external id), the user
// checks out through the plugin's /checkout and pays, the plugin's portal, state,
// orders and subscriptions endpoints read what was bought through customer
// sessions, and paylink's webhooks reach the plugin's /polar/webhooks handler,
// which verifies and validates each with SDK 0.47.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { Polar } from "@polar-sh/sdk";
import { polar, checkout, portal, webhooks } from "@polar-sh/better-auth";
import { betterAuth } from "better-auth";
import { memoryAdapter } from "better-auth/adapters/memory";
import { toNodeHandler } from "better-auth/node";

import { ENGINE, start } from "../harness.mjs";
import { listen, until } from "./serve.mjs";

process.env.PAYLINK_WEBHOOK_ALLOW_PRIVATE = "true";

describe(`better-auth's Polar plugin against paylink (${ENGINE})`, () => {
  let pl, org, app, handler, plan, cookie, user;
  const received = [];

  before(async () => {
    pl = await start();
    org = pl.newOrg("Auth App");
    plan = await org.sdk.products.create({ name: "Pro <monthly>", recurringInterval: "month",
      prices: [{ amountType: "fixed", priceAmount: 1200, priceCurrency: "usd" }] });

    app = await listen((req, res) => handler(req, res));
    const hook = await org.sdk.webhooks.createWebhookEndpoint({ url: `${app.url}/api/auth/polar/webhooks`, format: "raw",
      events: ["customer.created", "order.paid", "subscription.active", "customer.state_changed"] });

    // What an app writes, with serverURL in place of server: "sandbox".
    const client = new Polar({ accessToken: org.token, serverURL: pl.url });
    const plugin = polar({
      client,
      createCustomerOnSignUp: true,
      use: [
        checkout({ products: [{ productId: plan.id, slug: "pro" }], successUrl: "/welcome?checkout_id={CHECKOUT_ID}", authenticatedUsersOnly: true }),
        portal(),
        webhooks({ secret: hook.secret, onPayload: async (p) => received.push(p) }),
      ],
    });
    const auth = betterAuth({
      baseURL: app.url,
      secret: "a-better-auth-secret-of-enough-length-0123456789",
      database: memoryAdapter({ user: [], session: [], account: [], verification: [] }),
      emailAndPassword: { enabled: true },
      plugins: [plugin],
      logger: { disabled: !process.env.CONTRACT_LOGS },
    });
    handler = toNodeHandler(auth);
  });
  after(async () => {
    await app?.close();
    await pl?.stop();
  });

  // call sends a JSON request to the app's auth routes as the signed-in user.
  async function call(method, path, body) {
    const res = await fetch(`${app.url}/api/auth${path}`, {
      method, headers: { "content-type": "application/json", origin: app.url, ...(cookie ? { cookie } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    assert.equal(res.status, 200, `${method} ${path}: ${res.status} ${text}`);
    return { res, json: JSON.parse(text) };
  }

  it("signs a user up and makes them a paylink customer with their id as external id", async () => {
    const { res, json } = await call("POST", "/sign-up/email", { email: "ada@example.com", password: "correct horse battery", name: "Ada <L>" });
    cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    user = json.user;
    const customer = await org.sdk.customers.getExternal({ externalId: user.id });
    assert.equal(customer.email, "ada@example.com");
    assert.equal(customer.name, "Ada <L>");
  });

  it("checks out through the plugin's /checkout, for the signed-in user", async () => {
    const { json } = await call("POST", "/checkout", { slug: "pro", redirect: false, metadata: { plan: "pro" } });
    const u = new URL(json.url);
    assert.equal(u.origin, pl.url);
    const secret = u.pathname.match(/^\/checkout\/(pl_c_[A-Za-z0-9_-]+)$/)?.[1];
    assert.ok(secret, `checkout URL ${json.url}`);
    const anon = new Polar({ serverURL: pl.url });
    const co = await anon.checkouts.clientGet({ clientSecret: secret });
    assert.equal(co.productId, plan.id);
    assert.equal(co.customerEmail, "ada@example.com", "the session is prefilled from the user's customer");
    assert.equal((await org.sdk.checkouts.get({ id: co.id })).externalCustomerId, user.id);
    assert.match(co.successUrl, new RegExp(`^${app.url}/welcome\\?checkout_id=`));
    await anon.checkouts.clientConfirm({ clientSecret: secret,
      checkoutConfirmStripe: { confirmationTokenId: "tok_visa", customerBillingAddress: { country: "DE" } } });
    const orders = (await org.sdk.orders.list({ externalCustomerId: user.id })).result.items;
    assert.equal(orders.length, 1);
    assert.equal(orders[0].metadata.plan, "pro");
    assert.equal(orders[0].customer.email, "ada@example.com");
  });

  it("delivers paylink's webhooks to the plugin's handler, verified and validated", async () => {
    await until(() => ["customer.created", "order.paid", "subscription.active"].every((t) => received.some((p) => p.type === t)),
      () => `the plugin received ${received.map((p) => p.type)}`);
    const paid = received.find((p) => p.type === "order.paid");
    assert.equal(paid.data.customer.externalId, user.id);
    assert.equal(paid.data.product.name, "Pro <monthly>");
    assert.ok(paid.data.createdAt instanceof Date, "the SDK parsed the payload");
  });

  it("opens the customer portal and reads the user's state, orders and subscriptions", async () => {
    const { json: p } = await call("POST", "/customer/portal", { redirect: false });
    const pu = new URL(p.url);
    assert.equal(pu.origin, pl.url);
    assert.match(pu.searchParams.get("customer_session_token"), /^pl_cst_/);
    const page = await fetch(p.url);
    assert.equal(page.status, 200);

    const { json: state } = await call("GET", "/customer/state");
    assert.equal(state.externalId, user.id);
    assert.deepEqual(state.activeSubscriptions.map((s) => s.productId), [plan.id]);

    const { json: orders } = await call("GET", "/customer/orders/list");
    assert.deepEqual(orders.result.items.map((o) => o.productId), [plan.id]);
    const { json: subs } = await call("GET", "/customer/subscriptions/list");
    assert.deepEqual(subs.result.items.map((s) => [s.productId, s.status]), [[plan.id, "active"]]);
  });

  it("keeps the paylink customer in step when the user changes, and refuses an unsigned webhook", async () => {
    await call("POST", "/update-user", { name: "Ada Lovelace" });
    await until(async () => (await org.sdk.customers.getExternal({ externalId: user.id })).name === "Ada Lovelace",
      () => "the customer's name did not follow the user's");
    const forged = await fetch(`${app.url}/api/auth/polar/webhooks`, { method: "POST", headers: { "content-type": "application/json",
      "webhook-id": "msg_1", "webhook-timestamp": `${Math.floor(Date.now() / 1000)}`, "webhook-signature": "v1,AAAA" },
    body: JSON.stringify(received[0]) });
    assert.equal(forged.status, 400);
  });
});
