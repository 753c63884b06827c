// Benefits through the SDK: custom notes and license keys created, listed,
// fetched, updated and deleted; other types refused at body.type; a product's
// benefits set in order; a paid checkout grants them (benefits.grants).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { buy } from "./buy.mjs";
import { ENGINE, HTTPValidationError, ResourceNotFound, assertLoc, expectError, listAll, polarSDK, start } from "./harness.mjs";

describe(`benefits (${ENGINE})`, () => {
  let pl, org, other, anon, note, keys, product;

  before(async () => {
    pl = await start();
    org = pl.newOrg("Benefit Org");
    other = pl.newOrg("Other Org");
    anon = polarSDK("", pl.url);
    product = await org.sdk.products.create({ name: "App", prices: [{ amountType: "fixed", priceAmount: 1500, priceCurrency: "usd" }] });
  });
  after(async () => {
    await pl?.stop();
  });

  it("creates a custom note and a license key benefit", async () => {
    note = await org.sdk.benefits.create({ type: "custom", description: "Welcome note", properties: { note: "**Thanks**" } });
    assert.equal(note.type, "custom");
    assert.equal(note.properties.note, "**Thanks**");
    assert.equal(note.organizationId, org.orgId);
    keys = await org.sdk.benefits.create({ type: "license_keys", description: "App license",
      properties: { prefix: "app", expires: { ttl: 1, timeframe: "year" }, activations: { limit: 2, enableCustomerAdmin: true }, limitUsage: 10 } });
    assert.equal(keys.type, "license_keys");
    assert.deepEqual(keys.properties, { prefix: "app", expires: { ttl: 1, timeframe: "year" },
      activations: { limit: 2, enableCustomerAdmin: true }, limitUsage: 10 });
    assert.deepEqual(await org.sdk.benefits.get({ id: keys.id }), keys);
  });

  it("refuses types paylink does not grant, and bad properties, at their field", async () => {
    for (const body of [
      { type: "discord", description: "Discord", properties: { guildToken: "x", roleId: "1", kickMember: false } },
      { type: "github_repository", description: "Repo", properties: { repositoryOwner: "a", repositoryName: "b", permission: "pull" } },
      { type: "meter_credit", description: "Credits", properties: { units: 1, rollover: false, meterId: "00000000-0000-7000-8000-000000000000" } },
    ]) {
      const err = await expectError(org.sdk.benefits.create(body), HTTPValidationError, body.type);
      assertLoc(err, ["body", "type"]);
    }
    const noFile = await expectError(org.sdk.benefits.create({ type: "downloadables", description: "Files",
      properties: { files: ["00000000-0000-7000-8000-000000000000"] } }), HTTPValidationError, "a file that is not there");
    assertLoc(noFile, ["body", "properties", "files", 0]);
    const bad = await expectError(org.sdk.benefits.create({ type: "custom", description: "ab", properties: {} }),
      HTTPValidationError, "a description of 2 characters");
    assertLoc(bad, ["body", "description"]);
  });

  it("lists, updates and isolates benefits", async () => {
    const all = await listAll(org.sdk.benefits.list({}));
    assert.deepEqual(all.map((b) => b.id).sort(), [note.id, keys.id].sort());
    const customs = await listAll(org.sdk.benefits.list({ typeFilter: "custom" }));
    assert.deepEqual(customs.map((b) => b.id), [note.id]);
    const up = await org.sdk.benefits.update({ id: note.id, requestBody: { type: "custom", description: "Thank-you note",
      properties: { note: "Read **this**" } } });
    assert.equal(up.description, "Thank-you note");
    assert.equal(up.properties.note, "Read **this**");
    assert.ok(up.modifiedAt);
    note = up;
    const wrongType = await expectError(org.sdk.benefits.update({ id: note.id, requestBody: { type: "license_keys" } }),
      HTTPValidationError, "another type");
    assertLoc(wrongType, ["body", "type"]);
    await expectError(other.sdk.benefits.get({ id: note.id }), ResourceNotFound, "another organization's benefit");
    assert.equal((await listAll(other.sdk.benefits.list({}))).length, 0);
  });

  it("sets a product's benefits in order", async () => {
    const p = await org.sdk.products.updateBenefits({ id: product.id, productBenefitsUpdate: { benefits: [keys.id, note.id] } });
    assert.deepEqual(p.benefits.map((b) => b.id), [keys.id, note.id]);
    assert.deepEqual((await org.sdk.products.get({ id: product.id })).benefits.map((b) => b.id), [keys.id, note.id]);
    const err = await expectError(other.sdk.products.updateBenefits({ id: product.id, productBenefitsUpdate: { benefits: [] } }),
      ResourceNotFound, "another organization's product");
    assert.ok(err);
    const unknown = await expectError(org.sdk.products.updateBenefits({ id: product.id,
      productBenefitsUpdate: { benefits: ["00000000-0000-7000-8000-000000000000"] } }), HTTPValidationError, "an unknown benefit");
    assertLoc(unknown, ["body", "benefits", 0]);
  });

  it("grants a product's benefits when it is paid", async () => {
    const done = await buy(org, anon, product.id, "grace@example.com");
    const grants = await listAll(org.sdk.benefits.grants({ id: keys.id }));
    assert.equal(grants.length, 1);
    const g = grants[0];
    assert.equal(g.isGranted, true);
    assert.equal(g.isRevoked, false);
    assert.equal(g.customerId, done.customerId);
    assert.equal(g.customer.email, "grace@example.com");
    assert.equal(g.benefit.id, keys.id);
    assert.ok(g.orderId);
    assert.match(g.properties.displayKey, /^\*\*\*\*-[0-9A-F]{6}$/);
    assert.ok(g.properties.licenseKeyId);
    const notes = await listAll(org.sdk.benefits.grants({ id: note.id, isGranted: true }));
    assert.equal(notes.length, 1);
    assert.equal((await listAll(org.sdk.benefits.grants({ id: note.id, isGranted: false }))).length, 0);
  });

  it("deletes a benefit: products no longer carry it", async () => {
    await org.sdk.benefits.delete({ id: note.id });
    await expectError(org.sdk.benefits.get({ id: note.id }), ResourceNotFound, "a deleted benefit");
    assert.deepEqual((await org.sdk.products.get({ id: product.id })).benefits.map((b) => b.id), [keys.id]);
  });
});
