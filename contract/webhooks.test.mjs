// Webhooks through the SDK: endpoints created, listed, fetched, updated, secret
// reset, deleted; errors and tenant isolation; and a real delivery (a checkout link
// visit's checkout.created) verified with the SDK's own validateEvent and seen in
// the delivery log.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { Webhook } from "standardwebhooks";
import { validateEvent, WebhookVerificationError } from "@polar-sh/sdk/webhooks.js";

import { ENGINE, HTTPValidationError, ResourceNotFound, SDKValidationError, assertLoc, expectError, listAll, pending, receiver, start } from "./harness.mjs";

const UNKNOWN = "00000000-0000-7000-8000-000000000000";

// The receiver runs on loopback, which paylink refuses unless the operator allows it.
process.env.PAYLINK_WEBHOOK_ALLOW_PRIVATE = "true";

/**
 * Runs step; when it fails with one of the errors in `when` (work of another area
 * still in progress), marks the test TODO with why, so the run still passes, and
 * rethrows. CONTRACT_STRICT=1 makes these failures count, like pending.mjs.
 */
async function todoOn(t, why, when, step) {
  try {
    return await step();
  } catch (err) {
    if (!process.env.CONTRACT_STRICT && when(err)) t.todo(`${why}: ${String(err.message).slice(0, 300)}`);
    throw err;
  }
}

describe(`webhooks (${ENGINE})`, () => {
  pending("webhooks");
  let pl, org, other, recv, endpoint;

  before(async () => {
    pl = await start();
    org = pl.newOrg("Hooked Org"); // empty: counts below are exact
    other = pl.newOrg("Other Org");
    recv = await receiver();
  });
  after(async () => {
    await recv?.close();
    await pl?.stop();
  });

  it("creates an endpoint", async () => {
    endpoint = await org.sdk.webhooks.createWebhookEndpoint({
      url: recv.url, format: "raw", name: "Orders", events: ["checkout.created", "order.paid"],
    });
    assert.equal(endpoint.url, recv.url);
    assert.equal(endpoint.name, "Orders");
    assert.equal(endpoint.format, "raw");
    assert.equal(endpoint.organizationId, org.orgId);
    assert.deepEqual(endpoint.events, ["checkout.created", "order.paid"]);
    assert.equal(endpoint.enabled, true);
    assert.ok(endpoint.secret.length >= 32, "a long secret");
    assert.ok(endpoint.createdAt instanceof Date && !isNaN(endpoint.createdAt));
    assert.equal(endpoint.modifiedAt, null);
  });

  it("lists and gets endpoints", async () => {
    const items = await listAll(org.sdk.webhooks.listWebhookEndpoints({ limit: 1 }));
    assert.deepEqual(items.map((e) => e.id), [endpoint.id]);
    const got = await org.sdk.webhooks.getWebhookEndpoint({ id: endpoint.id });
    assert.equal(got.secret, endpoint.secret);
  });

  it("updates an endpoint and resets its secret", async () => {
    const updated = await org.sdk.webhooks.updateWebhookEndpoint({
      id: endpoint.id, webhookEndpointUpdate: { name: "Checkouts", events: ["checkout.created"] },
    });
    assert.equal(updated.name, "Checkouts");
    assert.deepEqual(updated.events, ["checkout.created"]);
    assert.equal(updated.url, recv.url);
    assert.ok(updated.modifiedAt instanceof Date);
    const reset = await org.sdk.webhooks.resetWebhookEndpointSecret({ id: endpoint.id });
    assert.notEqual(reset.secret, endpoint.secret);
    endpoint = reset;
  });

  it("refuses bad endpoints with a 422 at the field", async () => {
    const metadata = await expectError(org.sdk.webhooks.createWebhookEndpoint({
      url: "http://169.254.169.254/latest/meta-data/", format: "raw", events: ["order.paid"],
    }), HTTPValidationError, "metadata URL");
    assertLoc(metadata, ["body", "url"]);
    const slack = await expectError(org.sdk.webhooks.createWebhookEndpoint({
      url: recv.url, format: "slack", events: ["order.paid"],
    }), HTTPValidationError, "slack format");
    assertLoc(slack, ["body", "format"]);
  });

  it("hides endpoints from other organizations", async () => {
    await expectError(other.sdk.webhooks.getWebhookEndpoint({ id: endpoint.id }), ResourceNotFound, "get");
    await expectError(other.sdk.webhooks.deleteWebhookEndpoint({ id: endpoint.id }), ResourceNotFound, "delete");
    assert.deepEqual(await listAll(other.sdk.webhooks.listWebhookEndpoints({})), []);
    await expectError(org.sdk.webhooks.getWebhookEndpoint({ id: UNKNOWN }), ResourceNotFound, "unknown");
  });

  it("delivers a checkout.created that validateEvent accepts", async (t) => {
    const product = await org.sdk.products.create({
      name: "Webhook Tee", prices: [{ amountType: "fixed", priceAmount: 2500, priceCurrency: "usd" }],
    });
    const link = await todoOn(t, "the checkout links API is not built yet", (e) => e.statusCode === 400 && /NotImplemented/.test(e.body),
      () => org.sdk.checkoutLinks.create({ paymentProcessor: "stripe", products: [product.id] }));
    const visit = await fetch(link.url, { redirect: "manual" });
    assert.ok(visit.status < 400, `visiting the link answered ${visit.status}`);

    const [first] = await recv.wait(1);
    // The signature, exactly as validateEvent checks it: the standardwebhooks library
    // given base64 of the secret's UTF-8 bytes.
    new Webhook(Buffer.from(endpoint.secret, "utf-8").toString("base64")).verify(first.body, first.headers);
    assert.throws(() => validateEvent(first.body, first.headers, endpoint.secret + "x"), WebhookVerificationError);

    // The receiver has the request before paylink has logged the attempt: wait for the log.
    let deliveries = [];
    for (const deadline = Date.now() + 15_000; deliveries.length === 0 && Date.now() < deadline;) {
      deliveries = await listAll(org.sdk.webhooks.listWebhookDeliveries({ endpointId: endpoint.id }));
      if (deliveries.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(deliveries.length, 1);
    assert.equal(deliveries[0].succeeded, true);
    assert.equal(deliveries[0].httpCode, 204);
    assert.equal(deliveries[0].webhookEvent.id, first.headers["webhook-id"]);
    assert.equal(deliveries[0].webhookEvent.payload, first.body);

    await org.sdk.webhooks.redeliverWebhookEvent({ id: deliveries[0].webhookEvent.id });
    const [, again] = await recv.wait(2);
    assert.equal(again.headers["webhook-id"], first.headers["webhook-id"]);
    new Webhook(Buffer.from(endpoint.secret, "utf-8").toString("base64")).verify(again.body, again.headers);

    // The whole contract: signature and payload, through the SDK.
    const event = await todoOn(t, "checkout.created's data is not yet the API's Checkout (the flows' Renderer)",
      (e) => e instanceof SDKValidationError, () => validateEvent(first.body, first.headers, endpoint.secret));
    assert.equal(event.type, "checkout.created");
    assert.equal(event.data.organizationId, org.orgId);
    assert.equal(event.data.productId, product.id);
  });

  it("delivers every event of a recurring purchase, each accepted by validateEvent", async () => {
    const all = await receiver();
    try {
      const hook = await org.sdk.webhooks.createWebhookEndpoint({
        url: all.url, format: "raw", name: "Everything",
        events: ["checkout.created", "checkout.updated", "order.created", "order.paid", "subscription.created",
          "subscription.active", "subscription.updated", "customer.created"],
      });
      const plan = await org.sdk.products.create({
        name: "Webhook Plan", recurringInterval: "month",
        prices: [{ amountType: "fixed", priceAmount: 900, priceCurrency: "usd" }],
      });
      const co = await org.sdk.checkouts.create({ products: [plan.id], metadata: { source: "contract" } });
      await org.sdk.checkouts.clientConfirm({
        clientSecret: co.clientSecret,
        checkoutConfirmStripe: {
          confirmationTokenId: "tok_visa", customerEmail: "hooks@example.com",
          customerBillingAddress: { country: "NL" },
        },
      });
      const want = ["checkout.created", "checkout.updated", "customer.created", "order.created", "order.paid",
        "subscription.created", "subscription.active"];
      const deadline = Date.now() + 30_000;
      const types = () => new Set(all.got.map((d) => JSON.parse(d.body).type));
      while (!want.every((w) => types().has(w))) {
        if (Date.now() > deadline) throw new Error(`missing events: ${want.filter((w) => !types().has(w))}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      for (const d of all.got) {
        const event = validateEvent(d.body, d.headers, hook.secret); // signature and schema, through the SDK
        if (event.type === "order.paid") assert.equal(event.data.metadata.source, "contract");
        if (event.type === "subscription.created") assert.equal(event.data.productId, plan.id);
      }
    } finally {
      await all.close();
    }
  });

  it("deletes an endpoint", async () => {
    await org.sdk.webhooks.deleteWebhookEndpoint({ id: endpoint.id });
    await expectError(org.sdk.webhooks.getWebhookEndpoint({ id: endpoint.id }), ResourceNotFound, "deleted");
  });
});
