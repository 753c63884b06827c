// License keys through the SDK: a key granted by a purchase, listed and fetched by
// the merchant, validated, activated and deactivated by the seller's app with no
// token (customerPortal.licenseKeys), and Polar's answers for a disabled, revoked,
// over-used or over-activated key.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { NotPermitted } from "@polar-sh/sdk/models/errors/notpermitted.js";
import { SDKError } from "@polar-sh/sdk/models/errors/sdkerror.js";

import { ENGINE, ResourceNotFound, expectError, listAll, polarSDK, start } from "./harness.mjs";
import { buy } from "./buy.mjs";

describe(`license keys (${ENGINE})`, () => {
  let pl, org, other, anon, benefit, key;

  before(async () => {
    pl = await start();
    org = pl.newOrg("Key Org");
    other = pl.newOrg("Other Org");
    anon = polarSDK("", pl.url);
    benefit = await org.sdk.benefits.create({ type: "license_keys", description: "Pro key",
      properties: { prefix: "pro", activations: { limit: 2, enableCustomerAdmin: true }, limitUsage: 3 } });
    const product = await org.sdk.products.create({ name: "Pro", prices: [{ amountType: "fixed", priceAmount: 900, priceCurrency: "usd" }] });
    await org.sdk.products.updateBenefits({ id: product.id, productBenefitsUpdate: { benefits: [benefit.id] } });
    await buy(org, anon, product.id, "kim@example.com");
  });
  after(async () => {
    await pl?.stop();
  });

  it("lists and gets the granted key", async () => {
    const keys = await listAll(org.sdk.licenseKeys.list({ benefitId: benefit.id }));
    assert.equal(keys.length, 1);
    key = keys[0];
    assert.match(key.key, /^PRO-[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    assert.equal(key.displayKey, "****-" + key.key.slice(-6));
    assert.equal(key.status, "granted");
    assert.equal(key.limitActivations, 2);
    assert.equal(key.limitUsage, 3);
    assert.equal(key.customer.email, "kim@example.com");
    const full = await org.sdk.licenseKeys.get({ id: key.id });
    assert.deepEqual(full.activations, []);
    await expectError(other.sdk.licenseKeys.get({ id: key.id }), ResourceNotFound, "another organization's key");
    assert.equal((await listAll(other.sdk.licenseKeys.list({}))).length, 0);
  });

  it("validates a key with no token; a wrong key or organization is 404", async () => {
    const v = await anon.customerPortal.licenseKeys.validate({ key: key.key, organizationId: org.orgId, incrementUsage: 2 });
    assert.equal(v.id, key.id);
    assert.equal(v.validations, 1);
    assert.equal(v.usage, 2);
    assert.ok(v.lastValidatedAt);
    await expectError(anon.customerPortal.licenseKeys.validate({ key: key.key + "X", organizationId: org.orgId }),
      ResourceNotFound, "a wrong key");
    await expectError(anon.customerPortal.licenseKeys.validate({ key: key.key, organizationId: other.orgId }),
      ResourceNotFound, "another organization");
    const over = await expectError(anon.customerPortal.licenseKeys.validate({ key: key.key, organizationId: org.orgId, incrementUsage: 2 }),
      SDKError, "usage over the limit");
    assert.equal(over.statusCode, 400);
  });

  it("activates up to the limit, then 403; deactivation frees a seat", async () => {
    const a1 = await anon.customerPortal.licenseKeys.activate({ key: key.key, organizationId: org.orgId, label: "laptop",
      conditions: { major: 1 }, meta: { os: "linux" } });
    assert.equal(a1.label, "laptop");
    assert.deepEqual(a1.meta, { os: "linux" });
    assert.equal(a1.licenseKey.id, key.id);
    await anon.customerPortal.licenseKeys.activate({ key: key.key, organizationId: org.orgId, label: "desktop" });
    await expectError(anon.customerPortal.licenseKeys.activate({ key: key.key, organizationId: org.orgId, label: "third" }),
      NotPermitted, "a third activation of a key limited to 2");
    const v = await anon.customerPortal.licenseKeys.validate({ key: key.key, organizationId: org.orgId, activationId: a1.id,
      conditions: { major: 1 } });
    assert.equal(v.activation.id, a1.id);
    await expectError(anon.customerPortal.licenseKeys.validate({ key: key.key, organizationId: org.orgId, activationId: a1.id,
      conditions: { major: 2 } }), ResourceNotFound, "other conditions");
    const got = await org.sdk.licenseKeys.getActivation({ id: key.id, activationId: a1.id });
    assert.equal(got.id, a1.id);
    assert.equal(got.licenseKey.id, key.id);
    assert.equal((await org.sdk.licenseKeys.get({ id: key.id })).activations.length, 2);
    await anon.customerPortal.licenseKeys.deactivate({ key: key.key, organizationId: org.orgId, activationId: a1.id });
    await expectError(org.sdk.licenseKeys.getActivation({ id: key.id, activationId: a1.id }), ResourceNotFound, "a deactivated activation");
    await anon.customerPortal.licenseKeys.activate({ key: key.key, organizationId: org.orgId, label: "third" });
  });

  it("updates a key: disabled and revoked keys fail, reset usage works", async () => {
    const disabled = await org.sdk.licenseKeys.update({ id: key.id, licenseKeyUpdate: { status: "disabled" } });
    assert.equal(disabled.status, "disabled");
    await expectError(anon.customerPortal.licenseKeys.validate({ key: key.key, organizationId: org.orgId }),
      ResourceNotFound, "a disabled key");
    await expectError(anon.customerPortal.licenseKeys.activate({ key: key.key, organizationId: org.orgId, label: "x" }),
      NotPermitted, "activating a disabled key");
    const back = await org.sdk.licenseKeys.update({ id: key.id, licenseKeyUpdate: { status: "granted", usage: 0, limitUsage: null,
      expiresAt: new Date(Date.now() - 1000) } });
    assert.equal(back.usage, 0);
    assert.equal(back.limitUsage, null);
    await expectError(anon.customerPortal.licenseKeys.validate({ key: key.key, organizationId: org.orgId }),
      ResourceNotFound, "an expired key");
    await org.sdk.licenseKeys.update({ id: key.id, licenseKeyUpdate: { expiresAt: null } });
    await anon.customerPortal.licenseKeys.validate({ key: key.key, organizationId: org.orgId, incrementUsage: 50 });
    await org.sdk.licenseKeys.update({ id: key.id, licenseKeyUpdate: { status: "revoked" } });
    await expectError(anon.customerPortal.licenseKeys.validate({ key: key.key, organizationId: org.orgId }),
      ResourceNotFound, "a revoked key");
    const grants = await listAll(org.sdk.benefits.grants({ id: benefit.id }));
    assert.equal(grants.length, 1);
    assert.equal(grants[0].isRevoked, true, "revoking the key revokes its grant");
  });
});
