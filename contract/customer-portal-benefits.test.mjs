// What a customer got, through the SDK with their customer session token:
// customerPortal.benefitGrants (list, get, update), customerPortal.downloadables
// (list; its links download the file, bytes as uploaded) and
// customerPortal.licenseKeys (list, get). A token sees its own customer only;
// a refund with revoke_benefits takes it all away, links included.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";

import { ENGINE, HTTPValidationError, ResourceNotFound, assertLoc, expectError, listAll, polarSDK, start } from "./harness.mjs";
import { buy } from "./buy.mjs";

const sha256 = (buf, enc = "base64") => createHash("sha256").update(buf).digest(enc);

/** Uploads content as a downloadable file through the part protocol; returns the file. */
async function upload(sdk, name, content) {
  const half = Math.ceil(content.length / 2);
  const parts = [[0, half], [half, content.length]].map(([s, e], i) => ({ number: i + 1, chunkStart: s, chunkEnd: e,
    checksumSha256Base64: sha256(content.subarray(s, e)) }));
  const up = await sdk.files.create({ name, mimeType: "application/zip", service: "downloadable", size: content.length,
    checksumSha256Base64: sha256(content), upload: { parts } });
  const done = [];
  for (const p of up.upload.parts) {
    const res = await fetch(p.url, { method: "PUT", headers: p.headers, body: content.subarray(p.chunkStart, p.chunkEnd) });
    assert.equal(res.status, 200, await res.text());
    done.push({ number: p.number, checksumEtag: res.headers.get("etag"), checksumSha256Base64: p.checksumSha256Base64 });
  }
  return sdk.files.uploaded({ id: up.id, fileUploadCompleted: { id: up.upload.id, path: up.upload.path, parts: done } });
}

describe(`customer portal benefits (${ENGINE})`, () => {
  let pl, org, anon, note, keys, files, file, content, ann, bo, annOrder;

  before(async () => {
    pl = await start();
    org = pl.newOrg("Delivery Org");
    anon = polarSDK("", pl.url);
    content = Buffer.alloc(300_000);
    for (let i = 0; i < content.length; i++) content[i] = (i * 31 + 7) % 256;
    file = await upload(org.sdk, "app-1.0.zip", content);
    note = await org.sdk.benefits.create({ type: "custom", description: "Welcome note", properties: { note: "Thanks **a lot**" } });
    keys = await org.sdk.benefits.create({ type: "license_keys", description: "App key",
      properties: { prefix: "app", activations: { limit: 2, enableCustomerAdmin: true } } });
    files = await org.sdk.benefits.create({ type: "downloadables", description: "The app", properties: { files: [file.id] } });
    const product = await org.sdk.products.create({ name: "App", prices: [{ amountType: "fixed", priceAmount: 2500, priceCurrency: "usd" }] });
    await org.sdk.products.updateBenefits({ id: product.id, productBenefitsUpdate: { benefits: [note.id, keys.id, files.id] } });
    const annCheckout = await buy(org, anon, product.id, "ann@example.com");
    await buy(org, anon, product.id, "bo@example.com");
    const customers = await listAll(org.sdk.customers.list({}));
    const id = (email) => customers.find((c) => c.email === email).id;
    ann = { id: id("ann@example.com") };
    bo = { id: id("bo@example.com") };
    for (const c of [ann, bo]) {
      c.token = (await org.sdk.customerSessions.create({ customerId: c.id })).token;
      c.sec = { customerSession: c.token };
    }
    annOrder = (await listAll(org.sdk.orders.list({ customerId: ann.id })))[0];
    assert.equal(annOrder.checkoutId, annCheckout.id);
  });
  after(async () => {
    await pl?.stop();
  });

  it("the downloadables benefit has Polar's properties", async () => {
    assert.equal(files.type, "downloadables");
    assert.deepEqual(files.properties, { files: [file.id], archived: {} });
    const got = await org.sdk.benefits.get({ id: files.id });
    assert.deepEqual(got.properties, files.properties);
  });

  it("lists and gets the customer's grants, in the product's order, and nobody else's", async () => {
    const grants = await listAll(pl.sdk.customerPortal.benefitGrants.list(ann.sec, {}));
    assert.deepEqual(grants.map((g) => g.benefit.type), ["custom", "license_keys", "downloadables"]);
    assert.ok(grants.every((g) => g.customerId === ann.id && g.isGranted && !g.isRevoked && g.orderId === annOrder.id));
    const [n, k, d] = grants;
    assert.equal(n.benefit.properties.note, "Thanks **a lot**");
    assert.equal(n.benefit.organization.id, org.orgId);
    assert.equal(n.customer.email, "ann@example.com");
    assert.match(k.properties.displayKey, /^\*\*\*\*-/);
    assert.deepEqual(d.benefit.properties.activeFiles, [file.id]);
    assert.deepEqual(d.properties.files, [file.id]);

    const byType = await listAll(pl.sdk.customerPortal.benefitGrants.list(ann.sec, { typeFilter: "license_keys" }));
    assert.deepEqual(byType.map((g) => g.id), [k.id]);
    const byCheckout = await listAll(pl.sdk.customerPortal.benefitGrants.list(ann.sec, { checkoutId: annOrder.checkoutId }));
    assert.equal(byCheckout.length, 3);
    const byQuery = await listAll(pl.sdk.customerPortal.benefitGrants.list(ann.sec, { query: "welcome" }));
    assert.deepEqual(byQuery.map((g) => g.id), [n.id]);
    const newest = await listAll(pl.sdk.customerPortal.benefitGrants.list(ann.sec, { sorting: ["-type"] }));
    assert.deepEqual(newest.map((g) => g.benefit.type), ["license_keys", "downloadables", "custom"]);

    const one = await pl.sdk.customerPortal.benefitGrants.get(ann.sec, { id: d.id });
    assert.equal(one.id, d.id);
    assert.equal(one.benefit.type, "downloadables");

    const boGrants = await listAll(pl.sdk.customerPortal.benefitGrants.list(bo.sec, {}));
    assert.equal(boGrants.length, 3);
    assert.ok(boGrants.every((g) => g.customerId === bo.id));
    await expectError(pl.sdk.customerPortal.benefitGrants.get(bo.sec, { id: d.id }), ResourceNotFound, "another customer's grant");

    // The merchant's customers.getState lists the same grants.
    const state = await org.sdk.customers.getState({ id: ann.id });
    assert.deepEqual(state.grantedBenefits.map((g) => g.benefitType).sort(), ["custom", "downloadables", "license_keys"]);
    assert.deepEqual(state.grantedBenefits.find((g) => g.benefitType === "downloadables").properties.files, [file.id]);
  });

  it("updates a grant of the same benefit type; another type is a 422 at benefit_type", async () => {
    const [n] = await listAll(pl.sdk.customerPortal.benefitGrants.list(ann.sec, { typeFilter: "custom" }));
    const up = await pl.sdk.customerPortal.benefitGrants.update(ann.sec, { id: n.id,
      customerBenefitGrantUpdate: { benefitType: "custom" } });
    assert.equal(up.id, n.id);
    const err = await expectError(pl.sdk.customerPortal.benefitGrants.update(ann.sec, { id: n.id,
      customerBenefitGrantUpdate: { benefitType: "license_keys" } }), HTTPValidationError, "another type");
    assertLoc(err, ["body", "benefit_type"]);
    await expectError(pl.sdk.customerPortal.benefitGrants.update(bo.sec, { id: n.id,
      customerBenefitGrantUpdate: { benefitType: "custom" } }), ResourceNotFound, "another customer's grant");
  });

  it("lists the customer's downloadables; the link downloads the file as uploaded", async () => {
    const page = await pl.sdk.customerPortal.downloadables.list(ann.sec, {});
    const items = page.result.items;
    assert.equal(items.length, 1);
    const [dl] = items;
    assert.equal(dl.benefitId, files.id);
    assert.equal(dl.file.id, file.id);
    assert.equal(dl.file.name, "app-1.0.zip");
    assert.equal(dl.file.checksumSha256Base64, sha256(content));
    assert.ok(dl.file.download.expiresAt > new Date());
    const res = await fetch(dl.file.download.url);
    assert.equal(res.status, 200);
    const got = Buffer.from(await res.arrayBuffer());
    assert.equal(sha256(got, "hex"), sha256(content, "hex"));
    const part = await fetch(dl.file.download.url, { headers: { Range: "bytes=1000-1999" } });
    assert.equal(part.status, 206);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), content.subarray(1000, 2000));

    // GET /v1/customer-portal/downloadables/{id} redirects to a fresh link.
    const redirect = await fetch(`${pl.url}/v1/customer-portal/downloadables/${dl.id}`,
      { headers: { Authorization: `Bearer ${ann.token}` }, redirect: "manual" });
    assert.equal(redirect.status, 302);
    assert.match(redirect.headers.get("location"), new RegExp(`/files/download/${file.id}\\?`));
    const stolen = await fetch(`${pl.url}/v1/customer-portal/downloadables/${dl.id}`,
      { headers: { Authorization: `Bearer ${bo.token}` }, redirect: "manual" });
    assert.equal(stolen.status, 404);

    const boItems = (await pl.sdk.customerPortal.downloadables.list(bo.sec, {})).result.items;
    assert.equal(boItems.length, 1);
    assert.notEqual(boItems[0].id, dl.id);
    const byBenefit = await pl.sdk.customerPortal.downloadables.list(ann.sec, { benefitId: note.id });
    assert.equal(byBenefit.result.items.length, 0);
    ann.download = dl.file.download.url;
  });

  it("lists and gets the customer's license keys, and nobody else's", async () => {
    const list = await listAll(pl.sdk.customerPortal.licenseKeys.list(ann.sec, {}));
    assert.equal(list.length, 1);
    const [k] = list;
    assert.equal(k.customerId, ann.id);
    assert.match(k.key, /^APP-/);
    const full = await pl.sdk.customerPortal.licenseKeys.get(ann.sec, { id: k.id });
    assert.deepEqual(full.activations, []);
    await anon.customerPortal.licenseKeys.activate({ key: k.key, organizationId: org.orgId, label: "laptop" });
    assert.equal((await pl.sdk.customerPortal.licenseKeys.get(ann.sec, { id: k.id })).activations.length, 1);
    await expectError(pl.sdk.customerPortal.licenseKeys.get(bo.sec, { id: k.id }), ResourceNotFound, "another customer's key");
    assert.equal((await listAll(pl.sdk.customerPortal.licenseKeys.list(ann.sec, { benefitId: note.id }))).length, 0);
    ann.key = k.key;
  });

  it("refuses an organization token and another organization's customer", async () => {
    const res = await fetch(`${pl.url}/v1/customer-portal/benefit-grants/`, { headers: { Authorization: `Bearer ${org.token}` } });
    assert.equal(res.status, 401);
    const other = pl.newOrg("Other Delivery Org");
    const stranger = await other.sdk.customers.create({ email: "ann@example.com" });
    const sec = { customerSession: (await other.sdk.customerSessions.create({ customerId: stranger.id })).token };
    assert.equal((await listAll(pl.sdk.customerPortal.benefitGrants.list(sec, {}))).length, 0);
    assert.equal((await pl.sdk.customerPortal.downloadables.list(sec, {})).result.items.length, 0);
    assert.equal((await listAll(pl.sdk.customerPortal.licenseKeys.list(sec, {}))).length, 0);
  });

  it("a refund with revoke_benefits takes the grants, the key and the download away", async () => {
    await org.sdk.refunds.create({ orderId: annOrder.id, reason: "customer_request", amount: 2500, revokeBenefits: true });
    assert.equal((await listAll(pl.sdk.customerPortal.benefitGrants.list(ann.sec, {}))).length, 0);
    assert.equal((await pl.sdk.customerPortal.downloadables.list(ann.sec, {})).result.items.length, 0);
    const res = await fetch(ann.download);
    assert.ok(res.status === 403 || res.status === 410, `a revoked download answers ${res.status}`);
    await expectError(anon.customerPortal.licenseKeys.validate({ key: ann.key, organizationId: org.orgId }),
      ResourceNotFound, "a revoked key");
    assert.equal((await listAll(pl.sdk.customerPortal.benefitGrants.list(bo.sec, {}))).length, 3, "bo keeps his");
    assert.equal((await org.sdk.customers.getState({ id: ann.id })).grantedBenefits.length, 0);
  });
});
