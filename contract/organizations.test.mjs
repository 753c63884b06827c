// Organizations through the SDK: list, get, tenant isolation, auth and scope errors.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { ENGINE, PolarError, ResourceNotFound, expectError, pending, polarSDK, start } from "./harness.mjs";


describe(`organizations (${ENGINE})`, () => {
  pending("organizations");
  let pl;
  before(async () => {
    pl = await start();
  });
  after(async () => {
    await pl?.stop();
  });

  it("lists the token's organization", async () => {
    const page = await pl.sdk.organizations.listOrganizations({});
    assert.equal(page.result.items.length, 1);
    assert.deepEqual(page.result.pagination, { totalCount: 1, maxPage: 1 });
    const org = page.result.items[0];
    assert.equal(org.slug, "demo");
    assert.equal(org.name, "Demo Store");
    assert.ok(org.createdAt instanceof Date && !isNaN(org.createdAt));
  });

  it("gets the organization by id", async () => {
    const org = await pl.sdk.organizations.get({ id: pl.orgId });
    assert.equal(org.id, pl.orgId);
    assert.equal(org.slug, "demo");
  });

  it("answers ResourceNotFound for an unknown id", async () => {
    await expectError(pl.sdk.organizations.get({ id: "00000000-0000-7000-8000-000000000000" }), ResourceNotFound, "get unknown");
  });

  it("does not show another organization", async () => {
    const other = pl.newOrg("Other Org");
    const mine = await other.sdk.organizations.listOrganizations({});
    assert.deepEqual(mine.result.items.map((o) => o.id), [other.orgId]);
    await expectError(other.sdk.organizations.get({ id: pl.orgId }), ResourceNotFound, "get other org");
  });

  it("rejects a bad token with 401", async () => {
    const err = await expectError(polarSDK("polar_oat_not-a-token", pl.url).organizations.get({ id: pl.orgId }), PolarError, "bad token");
    assert.equal(err.statusCode, 401);
  });

  it("rejects a token without the scope with 403", async () => {
    const limited = pl.newOrg("Limited Org", ["products:read"]);
    const err = await expectError(limited.sdk.organizations.listOrganizations({}), PolarError, "missing scope");
    assert.equal(err.statusCode, 403);
  });
});
