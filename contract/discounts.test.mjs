// Discounts through the SDK: percentage and fixed, each duration, with and without
// a code and product restrictions; listed, fetched, updated, deleted; errors and
// tenant isolation.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { ENGINE, HTTPValidationError, ResourceNotFound, assertLoc, expectError, listAll, pending, start } from "./harness.mjs";

const UNKNOWN = "00000000-0000-7000-8000-000000000000";

describe(`discounts (${ENGINE})`, () => {
  pending("discounts");
  let pl, org, other;
  const made = {};

  before(async () => {
    pl = await start();
    org = pl.newOrg("Discount Org");
    other = pl.newOrg("Other Org");
  });
  after(async () => {
    await pl?.stop();
  });

  /** Checks what every discount carries. */
  function assertDiscount(d, want) {
    assert.equal(d.organizationId, org.orgId);
    assert.equal(d.name, want.name);
    assert.equal(d.type, want.type);
    assert.equal(d.duration, want.duration);
    assert.equal(d.code, want.code ?? null);
    assert.equal(d.maxRedemptions, want.maxRedemptions ?? null);
    assert.equal(d.redemptionsCount, 0);
    assert.equal(d.startsAt?.getTime() ?? null, want.startsAt?.getTime() ?? null);
    assert.equal(d.endsAt?.getTime() ?? null, want.endsAt?.getTime() ?? null);
    assert.deepEqual(d.metadata, want.metadata ?? {});
    assert.ok(d.createdAt instanceof Date && !isNaN(d.createdAt));
  }

  it("creates a percentage discount, once, without a code", async () => {
    const want = { name: "Launch 25%", type: "percentage", duration: "once", basisPoints: 2500, metadata: { campaign: "launch" } };
    const d = await org.sdk.discounts.create(want);
    assertDiscount(d, want);
    assert.equal(d.basisPoints, 2500);
    assert.deepEqual(d.products, []);
    made.percent = d;
  });

  it("creates a fixed discount, repeating, with a code and limits", async () => {
    const want = {
      name: "Five off for three months", type: "fixed", duration: "repeating", durationInMonths: 3,
      amount: 500, currency: "usd", code: "SAVE5", maxRedemptions: 10,
      startsAt: new Date("2026-01-01T00:00:00Z"), endsAt: new Date("2027-01-01T00:00:00Z"),
    };
    const d = await org.sdk.discounts.create(want);
    assertDiscount(d, want);
    assert.equal(d.durationInMonths, 3);
    assert.equal(d.amount, 500);
    assert.equal(d.currency, "usd");
    assert.deepEqual(d.amounts, { usd: 500 });
    made.fixed = d;
  });

  it("gets each discount exactly as it was created", async () => {
    assert.equal(Object.keys(made).length, 2, "every create test passed");
    for (const [kind, d] of Object.entries(made)) {
      assert.deepEqual(await org.sdk.discounts.get({ id: d.id }), d, kind);
    }
  });

  it("lists discounts page by page, sorted", async () => {
    const first = await org.sdk.discounts.list({ limit: 2 });
    assert.equal(first.result.items.length, 2);
    assert.deepEqual(first.result.pagination, { totalCount: 2, maxPage: 1 });
    const one = await org.sdk.discounts.list({ limit: 1, page: 2 });
    assert.deepEqual(one.result.pagination, { totalCount: 2, maxPage: 2 });
    assert.equal(one.result.items.length, 1);
    const all = await listAll(org.sdk.discounts.list({ limit: 1, sorting: ["name"] }));
    assert.deepEqual(all.map((d) => d.name), ["Five off for three months", "Launch 25%"]);
    const desc = await listAll(org.sdk.discounts.list({ sorting: ["-name"] }));
    assert.deepEqual(desc.map((d) => d.name), ["Launch 25%", "Five off for three months"]);
  });

  it("filters discounts by organization and name", async () => {
    assert.equal((await listAll(org.sdk.discounts.list({ organizationId: org.orgId }))).length, 2);
    assert.deepEqual(await listAll(org.sdk.discounts.list({ organizationId: other.orgId })), []);
    const launch = await listAll(org.sdk.discounts.list({ query: "launch" }));
    assert.deepEqual(launch.map((d) => d.id), [made.percent.id]);
  });

  it("updates name, code, limits and metadata", async () => {
    const d = await org.sdk.discounts.update({
      id: made.percent.id,
      discountUpdate: { name: "Launch 30%", code: "LAUNCH30", basisPoints: 3000, maxRedemptions: 100, metadata: { campaign: "launch-2" } },
    });
    assert.equal(d.name, "Launch 30%");
    assert.equal(d.code, "LAUNCH30");
    assert.equal(d.basisPoints, 3000);
    assert.equal(d.maxRedemptions, 100);
    assert.equal(d.duration, "once");
    assert.deepEqual(d.metadata, { campaign: "launch-2" });
    assert.ok(d.modifiedAt instanceof Date, "modified_at is set after an update");
    assert.deepEqual(await org.sdk.discounts.get({ id: d.id }), d);
    const cleared = await org.sdk.discounts.update({ id: made.percent.id, discountUpdate: { code: null, maxRedemptions: null } });
    assert.equal(cleared.code, null);
    assert.equal(cleared.maxRedemptions, null);
    assert.equal(cleared.name, "Launch 30%", "fields not sent stay");
  });

  it("answers HTTPValidationError for bad discounts, located at the field", async () => {
    const bp = await expectError(org.sdk.discounts.create({ name: "Too much", type: "percentage", duration: "once", basisPoints: 10001 }), HTTPValidationError, "basis points > 10000");
    assertLoc(bp, ["body", "basis_points"]);
    const dup = await expectError(org.sdk.discounts.create({ name: "Dup", type: "percentage", duration: "once", basisPoints: 100, code: "save5" }), HTTPValidationError, "code taken, other case");
    assertLoc(dup, ["body", "code"]);
    const shortCode = await expectError(org.sdk.discounts.create({ name: "Short", type: "percentage", duration: "once", basisPoints: 100, code: "ab" }), HTTPValidationError, "code too short");
    assertLoc(shortCode, ["body", "code"]);
    const months = await expectError(org.sdk.discounts.create({ name: "No months", type: "percentage", duration: "repeating", basisPoints: 100 }), HTTPValidationError, "repeating without months");
    assertLoc(months, ["body", "duration_in_months"]);
    const dates = await expectError(org.sdk.discounts.create({ name: "Backwards", type: "percentage", duration: "once", basisPoints: 100, startsAt: new Date("2027-01-01T00:00:00Z"), endsAt: new Date("2026-01-01T00:00:00Z") }), HTTPValidationError, "ends before it starts");
    assert.ok(dates.detail.length > 0);
  });

  it("answers ResourceNotFound for an unknown discount", async () => {
    await expectError(org.sdk.discounts.get({ id: UNKNOWN }), ResourceNotFound, "get unknown");
    await expectError(org.sdk.discounts.update({ id: UNKNOWN, discountUpdate: { name: "x" } }), ResourceNotFound, "update unknown");
    await expectError(org.sdk.discounts.delete({ id: UNKNOWN }), ResourceNotFound, "delete unknown");
  });

  it("keeps discounts to their organization", async () => {
    const theirs = await other.sdk.discounts.create({ name: "Theirs", type: "percentage", duration: "once", basisPoints: 100, code: "SAVE5" });
    assert.equal(theirs.code, "SAVE5", "a code is unique per organization only");
    await expectError(other.sdk.discounts.get({ id: made.fixed.id }), ResourceNotFound, "get across orgs");
    await expectError(other.sdk.discounts.update({ id: made.fixed.id, discountUpdate: { name: "stolen" } }), ResourceNotFound, "update across orgs");
    await expectError(other.sdk.discounts.delete({ id: made.fixed.id }), ResourceNotFound, "delete across orgs");
    assert.deepEqual((await listAll(other.sdk.discounts.list({}))).map((d) => d.id), [theirs.id]);
  });

  it("deletes a discount", async () => {
    assert.equal(await org.sdk.discounts.delete({ id: made.fixed.id }), undefined);
    await expectError(org.sdk.discounts.get({ id: made.fixed.id }), ResourceNotFound, "get deleted");
    await expectError(org.sdk.discounts.delete({ id: made.fixed.id }), ResourceNotFound, "delete twice");
    const left = await listAll(org.sdk.discounts.list({}));
    assert.deepEqual(left.map((d) => d.id), [made.percent.id]);
  });

  describe("with products", () => {
    pending("products"); // these need the products API as well
    it("creates a percentage discount, forever, restricted to products", async () => {
      const product = await org.sdk.products.create({ name: "Course", prices: [{ amountType: "fixed", priceAmount: 9900, priceCurrency: "usd" }] });
      const want = { name: "Course 10%", type: "percentage", duration: "forever", basisPoints: 1000, code: "course10", products: [product.id] };
      const d = await org.sdk.discounts.create(want);
      assertDiscount(d, want);
      assert.deepEqual(d.products.map((p) => [p.id, p.name, p.organizationId]), [[product.id, "Course", org.orgId]]);
      assert.deepEqual(await org.sdk.discounts.get({ id: d.id }), d);
      const foreign = await other.sdk.products.create({ name: "Theirs", prices: [{ amountType: "fixed", priceAmount: 100, priceCurrency: "usd" }] });
      const err = await expectError(org.sdk.discounts.create({ name: "Foreign", type: "percentage", duration: "once", basisPoints: 100, products: [foreign.id] }), HTTPValidationError, "another org's product");
      assert.equal(err.detail[0].loc[1], "products");
      const all = await org.sdk.discounts.update({ id: d.id, discountUpdate: { products: [] } });
      assert.deepEqual(all.products, [], "an empty list lifts the restriction");
    });
  });
});
