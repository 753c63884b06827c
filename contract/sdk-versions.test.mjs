// Every SDK version Polar's users run today parses paylink: the versions the
// framework adapters bundle (0.32.16 in @polar-sh/express, 0.42.5 in @polar-sh/hono,
// 0.47.x in @polar-sh/nextjs and @polar-sh/better-auth), which validate responses
// and webhook payloads with zod, and 1.0.1, which validates nothing but declares
// its types (checked by dts-check.mjs). Each version lists and gets every resource
// the adapters touch and validates every delivered webhook with its own
// validateEvent. 0.49.0, the version the other contract files run, does the setup.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { Polar as Polar032 } from "sdk-0.32";
import { validateEvent as validateEvent032 } from "sdk-0.32/webhooks.js";
import { Polar as Polar042 } from "sdk-0.42";
import { validateEvent as validateEvent042 } from "sdk-0.42/webhooks.js";
import { Polar as Polar047 } from "sdk-0.47";
import { validateEvent as validateEvent047 } from "sdk-0.47/webhooks.js";
import { createPolar } from "sdk-1.0/2026-04";
import { webhooks as webhooks1 } from "sdk-1.0/2026-04";

import { declarations } from "./dts-check.mjs";
import { explained } from "./explain.mjs";
import { ENGINE, receiver, start } from "./harness.mjs";

process.env.PAYLINK_WEBHOOK_ALLOW_PRIVATE = "true";

const ZOD_VERSIONS = [
  ["0.32.16", Polar032, validateEvent032],
  ["0.42.5", Polar042, validateEvent042],
  ["0.47.1", Polar047, validateEvent047],
];

// The events a purchase of a subscription and an auth integration's customer
// delivers (all of them must arrive), and more that are validated when they do.
const DELIVERED = ["checkout.created", "checkout.updated", "customer.created", "order.created", "order.paid",
  "subscription.created", "subscription.active", "customer.updated", "customer.deleted"];
const EVENTS = [...DELIVERED, "subscription.updated", "order.updated", "product.created", "product.updated"];

describe(`every SDK version in the field (${ENGINE})`, () => {
  let pl, org, recv, hook;
  const made = {};

  before(async () => {
    pl = await start();
    org = pl.newOrg("Versions Org");
    recv = await receiver();
    hook = await org.sdk.webhooks.createWebhookEndpoint({ url: recv.url, format: "raw", events: EVENTS });
    const plan = await org.sdk.products.create({
      name: "Versions Plan", recurringInterval: "month",
      prices: [{ amountType: "fixed", priceAmount: 900, priceCurrency: "usd" }],
    });
    made.product = plan;
    made.discount = await org.sdk.discounts.create({ name: "Ten off", type: "percentage", duration: "once", basisPoints: 1000 });
    made.link = await org.sdk.checkoutLinks.create({ paymentProcessor: "stripe", products: [plan.id] });
    const co = await org.sdk.checkouts.create({ products: [plan.id] });
    await org.sdk.checkouts.clientConfirm({
      clientSecret: co.clientSecret,
      checkoutConfirmStripe: { confirmationTokenId: "tok_visa", customerEmail: "versions@example.com", customerBillingAddress: { country: "NL" } },
    });
    made.checkout = co;
    const until = Date.now() + 30_000;
    while (!(made.order && made.subscription)) {
      if (Date.now() > until) throw new Error("the purchase made no order and subscription");
      made.order ??= (await org.sdk.orders.list({})).result.items[0];
      made.subscription ??= (await org.sdk.subscriptions.list({})).result.items[0];
      if (!(made.order && made.subscription)) await new Promise((r) => setTimeout(r, 200));
    }
    made.customer = (await org.sdk.customers.list({})).result.items[0];
    const user = await org.sdk.customers.create({ email: "user@example.com", externalId: "user_9" });
    await org.sdk.customers.updateExternal({ externalId: "user_9", customerUpdateExternalID: { name: "A<B>&C" } });
    await org.sdk.customers.delete({ id: user.id });
    const types = () => new Set(recv.got.map((d) => JSON.parse(d.body).type));
    while (!DELIVERED.every((t) => types().has(t))) {
      if (Date.now() > until) throw new Error(`missing events: ${DELIVERED.filter((t) => !types().has(t))}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  after(async () => {
    await recv?.close();
    await pl?.stop();
  });

  /** The list and get calls of every resource, through one zod-validating SDK. */
  const zodCalls = (sdk) => [
    ["products", () => sdk.products.list({}), () => sdk.products.get({ id: made.product.id })],
    ["checkouts", () => sdk.checkouts.list({}), () => sdk.checkouts.get({ id: made.checkout.id })],
    ["orders", () => sdk.orders.list({}), () => sdk.orders.get({ id: made.order.id })],
    ["customers", () => sdk.customers.list({}), () => sdk.customers.get({ id: made.customer.id })],
    ["subscriptions", () => sdk.subscriptions.list({}), () => sdk.subscriptions.get({ id: made.subscription.id })],
    ["discounts", () => sdk.discounts.list({}), () => sdk.discounts.get({ id: made.discount.id })],
    ["checkout links", () => sdk.checkoutLinks.list({}), () => sdk.checkoutLinks.get({ id: made.link.id })],
  ];

  for (const [version, Polar, validateEvent] of ZOD_VERSIONS) {
    describe(`SDK ${version}`, () => {
      let sdk;
      before(() => {
        sdk = explained(new Polar({ accessToken: org.token, serverURL: pl.url }), `sdk-${version}`);
      });

      for (const [i, [resource]] of zodCalls({}).entries()) {
        it(`lists and gets ${resource}`, async () => {
          const [, list, get] = zodCalls(sdk)[i];
          const page = await list();
          assert.ok(page.result.items.length >= 1, `${resource} listed`);
          const one = await get();
          assert.equal(one.id, page.result.items.find((x) => x.id === one.id)?.id);
        });
      }

      it("validates every delivered webhook", () => {
        const types = new Set();
        for (const d of recv.got) {
          const event = validateEvent(d.body, d.headers, hook.secret);
          types.add(event.type);
        }
        for (const t of DELIVERED) assert.ok(types.has(t), `${t} delivered and validated`);
      });
    });
  }

  describe("SDK 1.0.1 (its declared types)", () => {
    let polar, decl;
    before(() => {
      polar = createPolar({ accessToken: org.token, baseUrl: pl.url });
      decl = declarations("sdk-1.0", "2026-04");
    });
    const conforms = (type, value) => assert.deepEqual(decl.check(type, value), [], `${type} as 1.0.1 declares it`);

    const calls = [
      ["products", "Product", (p) => p.products.list(), (p) => p.products.get(made.product.id)],
      ["checkouts", "Checkout", (p) => p.checkouts.list(), (p) => p.checkouts.get(made.checkout.id)],
      ["orders", "Order", (p) => p.orders.list(), (p) => p.orders.get(made.order.id)],
      ["customers", "Customer", (p) => p.customers.list(), (p) => p.customers.get(made.customer.id)],
      ["subscriptions", "Subscription", (p) => p.subscriptions.list(), (p) => p.subscriptions.get(made.subscription.id)],
      ["discounts", "Discount", (p) => p.discounts.list(), (p) => p.discounts.get(made.discount.id)],
      ["checkout links", "CheckoutLink", (p) => p.checkoutLinks.list(), (p) => p.checkoutLinks.get(made.link.id)],
      ["webhook endpoints", "WebhookEndpoint", (p) => p.webhooks.listWebhookEndpoints(), (p) => p.webhooks.getWebhookEndpoint(hook.id)],
      ["organizations", "Organization", (p) => p.organizations.list(), (p) => p.organizations.get(org.orgId)],
    ];
    for (const [resource, type, list, get] of calls) {
      it(`lists and gets ${resource}`, async () => {
        const page = await list(polar);
        assert.ok(page.items.length >= 1, `${resource} listed`);
        conforms(`ListResource${type}`, page);
        conforms(type, await get(polar));
      });
    }

    it("deletes a product by archiving it", async () => {
      const p = await org.sdk.products.create({ name: "Old Tee", prices: [{ amountType: "fixed", priceAmount: 500, priceCurrency: "usd" }] });
      assert.equal(await polar.products.delete(p.id), undefined);
      const got = await polar.products.get(p.id);
      assert.equal(got.is_archived, true);
      assert.equal(got.is_deletable, false);
      conforms("Product", got);
    });

    it("lists webhook deliveries", async () => {
      conforms("ListResourceWebhookDelivery", await polar.webhooks.listWebhookDeliveries({ endpoint_id: hook.id }));
    });

    it("validates every delivered webhook", async () => {
      for (const d of recv.got) {
        const event = await webhooks1.validateEvent(d.body, d.headers, hook.secret);
        // The payload interface of the event's type: order.paid is WebhookOrderPaidPayload.
        const name = event.type.split(/[._]/).map((w) => w[0].toUpperCase() + w.slice(1)).join("");
        conforms(`Webhook${name}Payload`, event);
      }
    });
  });
});
