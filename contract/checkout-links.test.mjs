// Checkout links through the SDK: created with a products list and with the legacy
// product_id / product_price_id bodies, listed (filters, sorting, pages), fetched,
// updated, deleted; our link controls and rotate-secret (plain fetch) read back
// through the SDK; errors and tenant isolation.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { ENGINE, HTTPValidationError, ResourceNotFound, assertLoc, expectError, listAll, start } from "./harness.mjs";

const UNKNOWN = "00000000-0000-7000-8000-000000000000";

describe(`checkout links (${ENGINE})`, () => {
  let pl, org, other;
  const p = {}; // products by name
  const made = {}; // links, filled by the create tests

  before(async () => {
    pl = await start();
    org = pl.newOrg("Link Org"); // empty: counts below are exact
    other = pl.newOrg("Other Org");
    for (const name of ["E-book", "Course", "Video"]) {
      p[name] = await org.sdk.products.create({ name, prices: [{ amountType: "fixed", priceAmount: 1500, priceCurrency: "usd" }] });
    }
    p.theirs = await other.sdk.products.create({ name: "Theirs", prices: [{ amountType: "fixed", priceAmount: 100, priceCurrency: "usd" }] });
  });
  after(async () => {
    await pl?.stop();
  });

  /** Checks what every link carries. */
  function assertLink(l, want) {
    assert.equal(l.organizationId, org.orgId);
    assert.equal(l.paymentProcessor, "stripe");
    assert.match(l.clientSecret, /^pl_cl_[A-Za-z0-9_-]{40,}$/);
    assert.equal(l.url, `${pl.url}/buy/${l.clientSecret}`);
    assert.deepEqual(l.products.map((x) => x.id), want.products.map((x) => x.id));
    assert.deepEqual(l.products.map((x) => x.name), want.products.map((x) => x.name));
    assert.equal(l.label, want.label ?? null);
    assert.equal(l.allowDiscountCodes, want.allowDiscountCodes ?? true);
    assert.equal(l.requireBillingAddress, want.requireBillingAddress ?? false);
    assert.equal(l.successUrl, want.successUrl ?? null);
    assert.equal(l.discountId, want.discountId ?? null);
    assert.deepEqual(l.metadata, want.metadata ?? {});
    assert.equal(l.trialInterval, null);
    assert.equal(l.seats, null);
    assert.ok(l.createdAt instanceof Date && !isNaN(l.createdAt), "created_at is a date");
  }

  it("creates a link with two products, order kept", async () => {
    const discount = await org.sdk.discounts.create({ name: "Ten off", type: "percentage", duration: "once", basisPoints: 1000 });
    const want = {
      paymentProcessor: "stripe", label: "Spring", products: [p.Course.id, p["E-book"].id], allowDiscountCodes: false,
      requireBillingAddress: true, discountId: discount.id, metadata: { campaign: "spring", n: 2, ok: true },
      successUrl: "https://shop.example/thanks?checkout={CHECKOUT_ID}",
    };
    const l = await org.sdk.checkoutLinks.create(want);
    assertLink(l, { ...want, products: [p.Course, p["E-book"]] });
    assert.equal(l.discount.id, discount.id);
    assert.equal(l.discount.basisPoints, 1000);
    assert.equal(l.products[0].prices[0].priceAmount, 1500);
    made.spring = l;
  });

  it("creates links with the legacy product_id and product_price_id bodies", async () => {
    const byProduct = await org.sdk.checkoutLinks.create({ paymentProcessor: "stripe", productId: p.Video.id, label: "autumn" });
    assertLink(byProduct, { label: "autumn", products: [p.Video] });
    const byPrice = await org.sdk.checkoutLinks.create({ paymentProcessor: "stripe", productPriceId: p["E-book"].prices[0].id, label: "Winter" });
    assertLink(byPrice, { label: "Winter", products: [p["E-book"]] });
    assert.notEqual(byProduct.clientSecret, byPrice.clientSecret);
    made.autumn = byProduct;
    made.winter = byPrice;
  });

  it("gets each link exactly as it was created", async () => {
    assert.equal(Object.keys(made).length, 3, "every create test passed");
    for (const [name, l] of Object.entries(made)) {
      assert.deepEqual(await org.sdk.checkoutLinks.get({ id: l.id }), l, name);
    }
  });

  it("lists links page by page, filtered and sorted", async () => {
    const ids = (items) => items.map((l) => l.id);
    const { spring, autumn, winter } = made;
    const first = await org.sdk.checkoutLinks.list({ limit: 2 });
    assert.deepEqual(ids(first.result.items), [spring.id, autumn.id], "created_at ascending by default");
    assert.deepEqual(first.result.pagination, { totalCount: 3, maxPage: 2 });
    assert.deepEqual(ids(await listAll(org.sdk.checkoutLinks.list({ limit: 1 }))), [spring.id, autumn.id, winter.id]);
    assert.deepEqual(ids(await listAll(org.sdk.checkoutLinks.list({ sorting: ["label"] }))), [autumn.id, spring.id, winter.id]);
    assert.deepEqual(ids(await listAll(org.sdk.checkoutLinks.list({ sorting: ["-created_at"] }))), [winter.id, autumn.id, spring.id]);
    assert.deepEqual(ids(await listAll(org.sdk.checkoutLinks.list({ sorting: ["allow_discount_codes", "-created_at"] }))), [spring.id, winter.id, autumn.id]);
    assert.deepEqual(ids(await listAll(org.sdk.checkoutLinks.list({ productId: p["E-book"].id }))), [spring.id, winter.id]);
    assert.deepEqual(ids(await listAll(org.sdk.checkoutLinks.list({ productId: [p.Video.id, p.Course.id] }))), [spring.id, autumn.id]);
    assert.deepEqual(ids(await listAll(org.sdk.checkoutLinks.list({ organizationId: org.orgId, productId: p.Video.id }))), [autumn.id]);
  });

  it("updates products, label, metadata, discount and our controls", async () => {
    const l = await org.sdk.checkoutLinks.update({
      id: made.spring.id,
      checkoutLinkUpdate: { products: [p.Video.id, p.Course.id], label: "Summer", metadata: { campaign: "summer" }, discountId: null, allowDiscountCodes: true },
    });
    assertLink(l, { label: "Summer", products: [p.Video, p.Course], metadata: { campaign: "summer" }, requireBillingAddress: true,
      successUrl: made.spring.successUrl });
    assert.equal(l.discount, null);
    assert.ok(l.modifiedAt instanceof Date, "modified_at is set after an update");
    assert.equal(l.clientSecret, made.spring.clientSecret, "an update keeps the secret");
    assert.deepEqual(await org.sdk.checkoutLinks.get({ id: l.id }), l);
    const cleared = await org.sdk.checkoutLinks.update({ id: l.id, checkoutLinkUpdate: { label: null, successUrl: null } });
    assert.equal(cleared.label, null);
    assert.equal(cleared.successUrl, null);
    assert.deepEqual(cleared.products.map((x) => x.id), [p.Video.id, p.Course.id], "fields not sent stay");

    // Our extensions go through plain JSON; the SDK still reads the link.
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const ext = await api("PATCH", `/v1/checkout-links/${l.id}`, { active: false, inactive_message: "Sold out", expires_at: expiresAt, max_completions: 10 });
    assert.equal(ext.status, 200, ext.text);
    assert.equal(ext.body.active, false);
    assert.equal(ext.body.inactive_message, "Sold out");
    assert.equal(new Date(ext.body.expires_at).getTime(), new Date(expiresAt).getTime());
    assert.equal(ext.body.max_completions, 10);
    assert.equal(ext.body.completions_count, 0);
    assert.equal((await org.sdk.checkoutLinks.get({ id: l.id })).label, null);
  });

  it("rotates a link's secret: new secret and url", async () => {
    const before = await org.sdk.checkoutLinks.get({ id: made.autumn.id });
    const res = await api("POST", `/v1/checkout-links/${made.autumn.id}/rotate-secret`);
    assert.equal(res.status, 200, res.text);
    assert.notEqual(res.body.client_secret, before.clientSecret);
    assert.equal(res.body.url, `${pl.url}/buy/${res.body.client_secret}`);
    const after = await org.sdk.checkoutLinks.get({ id: made.autumn.id });
    assert.equal(after.clientSecret, res.body.client_secret);
    assert.equal(after.url, res.body.url);
    assert.equal(after.label, "autumn");
  });

  it("answers HTTPValidationError for bad links, located at the field", async () => {
    const cases = [
      [{ products: [] }, ["body", "products"]],
      [{ products: [p.Video.id, p.Video.id] }, ["body", "products", 1]],
      [{ products: [p.Video.id, p.theirs.id] }, ["body", "products", 1]],
      [{ products: [UNKNOWN] }, ["body", "products", 0]],
      [{ products: [p.Video.id], label: "x".repeat(257) }, ["body", "label"]],
      [{ products: [p.Video.id], successUrl: "ftp://shop.example/" }, ["body", "success_url"]],
      [{ products: [p.Video.id], discountId: UNKNOWN }, ["body", "discount_id"]],
      [{ products: [p.Video.id], seats: 2 }, ["body", "seats"]],
      [{ productId: p.theirs.id }, ["body", "product_id"]],
      [{ productPriceId: p.theirs.prices[0].id }, ["body", "product_price_id"]],
    ];
    for (const [body, loc] of cases) {
      const err = await expectError(org.sdk.checkoutLinks.create({ paymentProcessor: "stripe", ...body }), HTTPValidationError, JSON.stringify(body));
      assertLoc(err, loc);
    }
    const upd = await expectError(org.sdk.checkoutLinks.update({ id: made.winter.id, checkoutLinkUpdate: { products: [p.theirs.id] } }), HTTPValidationError, "update with a foreign product");
    assertLoc(upd, ["body", "products", 0]);
  });

  it("answers ResourceNotFound for unknown links and other organizations' links", async () => {
    await expectError(org.sdk.checkoutLinks.get({ id: UNKNOWN }), ResourceNotFound, "get unknown");
    await expectError(other.sdk.checkoutLinks.get({ id: made.winter.id }), ResourceNotFound, "get across orgs");
    await expectError(other.sdk.checkoutLinks.update({ id: made.winter.id, checkoutLinkUpdate: { label: "stolen" } }), ResourceNotFound, "update across orgs");
    await expectError(other.sdk.checkoutLinks.delete({ id: made.winter.id }), ResourceNotFound, "delete across orgs");
    assert.deepEqual(await listAll(other.sdk.checkoutLinks.list({})), []);
    assert.equal((await org.sdk.checkoutLinks.get({ id: made.winter.id })).label, "Winter");
  });

  it("deletes a link", async () => {
    assert.equal(await org.sdk.checkoutLinks.delete({ id: made.winter.id }), undefined);
    await expectError(org.sdk.checkoutLinks.get({ id: made.winter.id }), ResourceNotFound, "get deleted");
    await expectError(org.sdk.checkoutLinks.delete({ id: made.winter.id }), ResourceNotFound, "delete twice");
    const left = await listAll(org.sdk.checkoutLinks.list({}));
    assert.deepEqual(left.map((l) => l.id), [made.spring.id, made.autumn.id]);
  });

  /** A plain JSON call with the organization's token: for our extensions. */
  async function api(method, path, body) {
    const res = await fetch(pl.url + path, {
      method,
      headers: { Authorization: `Bearer ${org.token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, text, body: text ? JSON.parse(text) : undefined };
  }
});
