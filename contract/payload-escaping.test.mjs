// Webhook payloads carry <, > and & as they are, as Polar sends them: the express
// adapter verifies the signature over JSON.stringify(JSON.parse(body)), which
// writes them raw, so a payload with "\u003c" would fail its verification.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { validateEvent } from "@polar-sh/sdk/webhooks.js";

import { ENGINE, receiver, start } from "./harness.mjs";

process.env.PAYLINK_WEBHOOK_ALLOW_PRIVATE = "true";

describe(`payload escaping (${ENGINE})`, () => {
  let pl, org, recv;
  before(async () => {
    pl = await start();
    org = pl.newOrg("Escaping Org");
    recv = await receiver();
  });
  after(async () => {
    await recv?.close();
    await pl?.stop();
  });

  it("signs raw <, > and & that survive a JSON round trip", async () => {
    const hook = await org.sdk.webhooks.createWebhookEndpoint({ url: recv.url, format: "raw", events: ["checkout.created"] });
    const product = await org.sdk.products.create({
      name: "A<B>&C", prices: [{ amountType: "fixed", priceAmount: 1000, priceCurrency: "usd" }],
    });
    await org.sdk.checkouts.create({ products: [product.id] });
    const [got] = await recv.wait(1);
    assert.ok(got.body.includes("A<B>&C"), `the raw bytes carry the name unescaped: ${got.body.slice(0, 300)}`);
    assert.ok(!got.body.includes("\\u003c"), "no HTML escapes");
    const reserialized = JSON.stringify(JSON.parse(got.body));
    assert.equal(reserialized, got.body, "JSON.stringify(JSON.parse(body)) gives back the signed bytes");
    const event = validateEvent(reserialized, got.headers, hook.secret);
    assert.equal(event.data.product.name, "A<B>&C");

    const res = await fetch(`${pl.url}/v1/products/${product.id}`, { headers: { authorization: `Bearer ${org.token}` } });
    assert.ok((await res.text()).includes('"name":"A<B>&C"'), "the API answers raw too");
  });
});
