// Custom fields through the SDK: each type created, listed, fetched, updated and
// deleted; slug rules; errors and tenant isolation.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { ENGINE, HTTPValidationError, ResourceNotFound, assertLoc, expectError, listAll, pending, start } from "./harness.mjs";

const UNKNOWN = "00000000-0000-7000-8000-000000000000";

// One field of each type, with the properties the SDK lets us set.
const FIELDS = [
  { type: "text", slug: "company", name: "Company", metadata: { crm: "company_name" },
    properties: { formLabel: "Company", formHelpText: "As on your invoice", formPlaceholder: "ACME", textarea: false, minLength: 2, maxLength: 100 } },
  { type: "number", slug: "seats", name: "Seats", properties: { formLabel: "How many seats?", ge: 1, le: 50 } },
  { type: "date", slug: "start_date", name: "Start date", properties: { formLabel: "Start", ge: 1767225600, le: 1798761600 } },
  { type: "checkbox", slug: "terms", name: "Terms", properties: { formLabel: "I accept the terms" } },
  { type: "select", slug: "size", name: "Size",
    properties: { formLabel: "Size", options: [{ value: "s", label: "Small" }, { value: "l", label: "Large" }] } },
];

describe(`custom fields (${ENGINE})`, () => {
  pending("custom_fields");
  let pl, org, other;
  const made = {}; // fields by slug

  before(async () => {
    pl = await start();
    org = pl.newOrg("Fields Org");
    other = pl.newOrg("Other Org");
  });
  after(async () => {
    await pl?.stop();
  });

  for (const want of FIELDS) {
    it(`creates a ${want.type} field`, async () => {
      const f = await org.sdk.customFields.create(want);
      assert.equal(f.type, want.type);
      assert.equal(f.slug, want.slug);
      assert.equal(f.name, want.name);
      assert.equal(f.organizationId, org.orgId);
      assert.deepEqual(f.metadata, want.metadata ?? {});
      assert.deepEqual(f.properties, want.properties);
      assert.ok(f.createdAt instanceof Date && !isNaN(f.createdAt));
      made[want.slug] = f;
    });
  }

  it("gets each field exactly as it was created", async () => {
    assert.equal(Object.keys(made).length, FIELDS.length, "every create test passed");
    for (const f of Object.values(made)) {
      assert.deepEqual(await org.sdk.customFields.get({ id: f.id }), f, f.slug);
    }
  });

  it("lists fields page by page, by type, sorted", async () => {
    const first = await org.sdk.customFields.list({ limit: 2 });
    assert.equal(first.result.items.length, 2);
    assert.deepEqual(first.result.pagination, { totalCount: 5, maxPage: 3 });
    const all = await listAll(org.sdk.customFields.list({ limit: 2, sorting: ["slug"] }));
    assert.deepEqual(all.map((f) => f.slug), ["company", "seats", "size", "start_date", "terms"]);
    const selects = await listAll(org.sdk.customFields.list({ typeFilter: "select" }));
    assert.deepEqual(selects.map((f) => f.slug), ["size"]);
    const both = await listAll(org.sdk.customFields.list({ typeFilter: ["number", "date"], sorting: ["-slug"] }));
    assert.deepEqual(both.map((f) => f.slug), ["start_date", "seats"]);
    assert.deepEqual(await listAll(org.sdk.customFields.list({ organizationId: other.orgId })), []);
  });

  it("updates name, slug and properties", async () => {
    const f = await org.sdk.customFields.update({
      id: made.company.id,
      customFieldUpdate: { type: "text", name: "Company name", slug: "company_name", properties: { formLabel: "Company name", textarea: true, maxLength: 200 } },
    });
    assert.equal(f.name, "Company name");
    assert.equal(f.slug, "company_name");
    assert.equal(f.type, "text");
    assert.deepEqual(f.properties, { formLabel: "Company name", textarea: true, maxLength: 200 });
    assert.ok(f.modifiedAt instanceof Date, "modified_at is set after an update");
    assert.deepEqual(await org.sdk.customFields.get({ id: f.id }), f);
    const opts = await org.sdk.customFields.update({
      id: made.size.id,
      customFieldUpdate: { type: "select", properties: { options: [{ value: "m", label: "Medium" }] } },
    });
    assert.deepEqual(opts.properties.options, [{ value: "m", label: "Medium" }]);
    assert.equal(opts.slug, "size", "slug untouched when not sent");
  });

  it("answers HTTPValidationError for bad fields, located at the field", async () => {
    const badSlug = await expectError(org.sdk.customFields.create({ type: "text", slug: "Not a slug!", name: "X", properties: {} }), HTTPValidationError, "bad slug");
    assertLoc(badSlug, ["body", "slug"]);
    const dup = await expectError(org.sdk.customFields.create({ type: "checkbox", slug: "terms", name: "Again", properties: {} }), HTTPValidationError, "duplicate slug");
    assertLoc(dup, ["body", "slug"]);
    const noOptions = await expectError(org.sdk.customFields.create({ type: "select", slug: "empty", name: "Empty", properties: { options: [] } }), HTTPValidationError, "select without options");
    assert.ok(JSON.stringify(noOptions.detail[0].loc).includes("options"), `loc names options: ${noOptions.body}`);
    const range = await expectError(org.sdk.customFields.create({ type: "number", slug: "range", name: "Range", properties: { ge: 10, le: 1 } }), HTTPValidationError, "le < ge");
    assert.ok(range.detail.length > 0);
    const wrongType = await expectError(org.sdk.customFields.update({ id: made.seats.id, customFieldUpdate: { type: "text", name: "x" } }), HTTPValidationError, "type change");
    assert.ok(wrongType.detail.length > 0);
  });

  it("answers ResourceNotFound for an unknown field", async () => {
    await expectError(org.sdk.customFields.get({ id: UNKNOWN }), ResourceNotFound, "get unknown");
    await expectError(org.sdk.customFields.update({ id: UNKNOWN, customFieldUpdate: { type: "text", name: "x" } }), ResourceNotFound, "update unknown");
    await expectError(org.sdk.customFields.delete({ id: UNKNOWN }), ResourceNotFound, "delete unknown");
  });

  it("keeps fields to their organization", async () => {
    const theirs = await other.sdk.customFields.create({ type: "checkbox", slug: "terms", name: "Their terms", properties: {} });
    assert.equal(theirs.organizationId, other.orgId, "the same slug is free in another organization");
    await expectError(other.sdk.customFields.get({ id: made.seats.id }), ResourceNotFound, "get across orgs");
    await expectError(other.sdk.customFields.update({ id: made.seats.id, customFieldUpdate: { type: "number", name: "stolen" } }), ResourceNotFound, "update across orgs");
    await expectError(other.sdk.customFields.delete({ id: made.seats.id }), ResourceNotFound, "delete across orgs");
    assert.deepEqual((await listAll(other.sdk.customFields.list({}))).map((f) => f.id), [theirs.id]);
    assert.equal((await org.sdk.customFields.get({ id: made.seats.id })).name, "Seats");
  });

  it("deletes a field", async () => {
    assert.equal(await org.sdk.customFields.delete({ id: made.terms.id }), undefined);
    await expectError(org.sdk.customFields.get({ id: made.terms.id }), ResourceNotFound, "get deleted");
    await expectError(org.sdk.customFields.delete({ id: made.terms.id }), ResourceNotFound, "delete twice");
    const left = await listAll(org.sdk.customFields.list({}));
    assert.equal(left.length, 4);
    assert.ok(!left.some((f) => f.id === made.terms.id));
    const again = await org.sdk.customFields.create({ type: "checkbox", slug: "terms", name: "Terms v2", properties: {} });
    assert.equal(again.slug, "terms", "a deleted field's slug can be reused");
  });
});
