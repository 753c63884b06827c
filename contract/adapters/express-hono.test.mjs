// The framework adapters' handlers against a running paylink: @polar-sh/express
// 0.3.0 (SDK 0.32.16 inside) and @polar-sh/hono 0.5.3 (SDK 0.42.5 inside). They take
// only server: "sandbox" | "production", so the test sends Polar's fixed hosts to
// paylink by wrapping the process's fetch (polarHostsTo, as the README shows). Each
// app's Checkout handler redirects to a paylink session, its CustomerPortal
// handler to paylink's portal, and its Webhooks handler verifies and validates
// every delivery paylink makes (express re-serializes the body first, so a
// payload with < > & verifies only because paylink does not HTML-escape it).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import express from "express";
import { Hono } from "hono";
import * as polarExpress from "@polar-sh/express";
import * as polarHono from "@polar-sh/hono";
import { Polar } from "@polar-sh/sdk";

import { ENGINE, start } from "../harness.mjs";
import { listen, nodeFetch, polarHostsTo, until } from "./serve.mjs";

process.env.PAYLINK_WEBHOOK_ALLOW_PRIVATE = "true";

// app(h, opts) builds a framework's app with the adapter's three handlers.
const FRAMEWORKS = {
  express(h, { token, secret, received }) {
    const app = express();
    app.get("/checkout", h.Checkout({ accessToken: token, server: "sandbox", successUrl: "https://app.test/thanks" }));
    app.get("/portal", h.CustomerPortal({ accessToken: token, server: "sandbox", getCustomerId: (req) => req.query.customer }));
    app.post("/polar/webhooks", express.json(), h.Webhooks({ webhookSecret: secret, onPayload: async (p) => received.push(p) }));
    return app;
  },
  hono(h, { token, secret, received }) {
    const app = new Hono();
    app.get("/checkout", h.Checkout({ accessToken: token, server: "sandbox", successUrl: "https://app.test/thanks" }));
    app.get("/portal", h.CustomerPortal({ accessToken: token, server: "sandbox", getCustomerId: (c) => c.req.query("customer") }));
    app.post("/polar/webhooks", h.Webhooks({ webhookSecret: secret, onPayload: async (p) => received.push(p) }));
    return nodeFetch(app.fetch);
  },
};

for (const [name, adapter] of [["express", polarExpress], ["hono", polarHono]]) {
  describe(`@polar-sh/${name} against paylink (${ENGINE})`, () => {
    let pl, org, app, undo, product;
    const received = [];

    before(async () => {
      pl = await start();
      undo = polarHostsTo(pl.url);
      org = pl.newOrg(`${name} app`);
      product = await org.sdk.products.create({ name: "Fish & <Chips>", recurringInterval: "month",
        prices: [{ amountType: "fixed", priceAmount: 700, priceCurrency: "eur" }] });
      let handler;
      app = await listen((req, res) => handler(req, res));
      const hook = await org.sdk.webhooks.createWebhookEndpoint({ url: `${app.url}/polar/webhooks`, format: "raw",
        events: ["checkout.created", "checkout.updated", "customer.created", "order.created", "order.paid", "subscription.created", "subscription.active"] });
      handler = FRAMEWORKS[name](adapter, { token: org.token, secret: hook.secret, received });
    });
    after(async () => {
      undo?.();
      await app?.close();
      await pl?.stop();
    });

    it("Checkout redirects to a paylink session made from the query", async () => {
      const q = new URLSearchParams({ products: product.id, customerEmail: "fin@example.com", metadata: JSON.stringify({ source: name }) });
      const res = await fetch(`${app.url}/checkout?${q}`, { redirect: "manual" });
      const text = res.status === 302 ? "" : await res.text();
      assert.equal(res.status, 302, text);
      const u = new URL(res.headers.get("location"));
      assert.equal(u.origin, pl.url);
      const secret = u.pathname.match(/^\/checkout\/(pl_c_[A-Za-z0-9_-]+)$/)?.[1];
      assert.ok(secret, `Location ${u}`);
      const anon = new Polar({ serverURL: pl.url });
      const co = await anon.checkouts.clientGet({ clientSecret: secret });
      assert.equal(co.customerEmail, "fin@example.com");
      assert.equal(co.successUrl, `https://app.test/thanks?checkoutId=${co.id}`);
      await anon.checkouts.clientConfirm({ clientSecret: secret,
        checkoutConfirmStripe: { confirmationTokenId: "tok_visa", customerBillingAddress: { country: "FR" } } });
      const orders = (await org.sdk.orders.list({})).result.items;
      assert.deepEqual(orders.map((o) => [o.metadata.source, o.totalAmount]), [[name, 700]]);
    });

    it("Webhooks verifies and validates every delivery, < > & included", async () => {
      const want = ["checkout.created", "checkout.updated", "customer.created", "order.created", "order.paid", "subscription.created", "subscription.active"];
      await until(() => want.every((t) => received.some((p) => p.type === t)), () => `the handler received ${received.map((p) => p.type)}`);
      const paid = received.find((p) => p.type === "order.paid");
      assert.equal(paid.data.product.name, "Fish & <Chips>");
      assert.equal(paid.data.customer.email, "fin@example.com");
      assert.ok(paid.data.createdAt instanceof Date, "the adapter's SDK parsed the payload");
      const forged = await fetch(`${app.url}/polar/webhooks`, { method: "POST", headers: { "content-type": "application/json",
        "webhook-id": "msg_1", "webhook-timestamp": `${Math.floor(Date.now() / 1000)}`, "webhook-signature": "v1,AAAA" }, body: "{}" });
      assert.equal(forged.status, 403);
    });

    it("CustomerPortal redirects to paylink's portal, signed in", async () => {
      const [customer] = (await org.sdk.customers.list({ email: "fin@example.com" })).result.items;
      const res = await fetch(`${app.url}/portal?customer=${customer.id}`, { redirect: "manual" });
      assert.equal(res.status, 302, res.status === 302 ? "" : await res.text());
      const u = new URL(res.headers.get("location"));
      assert.equal(u.origin, pl.url);
      assert.match(u.searchParams.get("customer_session_token"), /^pl_cst_/);
      assert.equal((await fetch(u)).status, 200);
    });
  });
}
