// Checkout sessions through the SDK: created, listed, fetched and updated by the
// merchant; fetched, updated and confirmed by the customer with the client secret
// alone; and what a purchase leaves behind: customers, orders and subscriptions.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { NotOpenCheckout } from "@polar-sh/sdk/models/errors/notopencheckout.js";
import { PaymentError } from "@polar-sh/sdk/models/errors/paymenterror.js";

import { ENGINE, HTTPValidationError, ResourceNotFound, assertLoc, expectError, listAll, pending, polarSDK, start } from "./harness.mjs";

describe(`checkouts (${ENGINE})`, () => {
  pending("checkouts");
  let pl, org, other, anon;
  const cat = {};
  const made = {};

  before(async () => {
    pl = await start();
    org = pl.newOrg("Checkout Org");
    other = pl.newOrg("Other Org");
    anon = polarSDK("", pl.url); // the customer's page: no token, only the client secret
    const field = await org.sdk.customFields.create({ type: "text", slug: "company", name: "Company", properties: {} });
    cat.kit = await org.sdk.products.create({ name: "Kit", prices: [{ amountType: "fixed", priceAmount: 2000, priceCurrency: "usd" }],
      attachedCustomFields: [{ customFieldId: field.id, required: true }] });
    cat.tip = await org.sdk.products.create({ name: "Tip", prices: [{ amountType: "custom", priceCurrency: "usd", minimumAmount: 100, maximumAmount: 10000 }] });
    cat.plan = await org.sdk.products.create({ name: "Plan", recurringInterval: "month",
      prices: [{ amountType: "fixed", priceAmount: 900, priceCurrency: "usd" }] });
    cat.discount = await org.sdk.discounts.create({ name: "Ten", type: "percentage", basisPoints: 1000, duration: "once", code: "TEN" });
  });
  after(async () => {
    await pl?.stop();
  });

  it("creates a checkout offering several products", async () => {
    const c = await org.sdk.checkouts.create({
      products: [cat.kit.id, cat.tip.id, cat.plan.id],
      metadata: { campaign: "sdk", wave: 2 },
      successUrl: "https://shop.test/thanks?checkout={CHECKOUT_ID}",
      customFieldData: { company: "Acme" },
    });
    assert.equal(c.status, "open");
    assert.equal(c.paymentProcessor, "stripe");
    assert.equal(c.organizationId, org.orgId);
    assert.equal(c.productId, cat.kit.id);
    assert.equal(c.productPriceId, cat.kit.prices[0].id);
    assert.equal(c.amount, 2000);
    assert.equal(c.totalAmount, 2000);
    assert.equal(c.url, `${pl.url}/checkout/${c.clientSecret}`);
    assert.equal(c.successUrl, `https://shop.test/thanks?checkout=${c.id}`);
    assert.deepEqual(c.products.map((p) => p.id), [cat.kit.id, cat.tip.id, cat.plan.id]);
    assert.deepEqual(Object.keys(c.prices).sort(), [cat.kit.id, cat.tip.id, cat.plan.id].sort());
    assert.equal(c.attachedCustomFields.length, 1);
    assert.deepEqual(c.metadata, { campaign: "sdk", wave: 2 });
    assert.deepEqual(c.customFieldData, { company: "Acme" });
    assert.equal(c.isPaymentRequired, true);
    assert.equal(c.allowDiscountCodes, true);
    assert.ok(c.expiresAt > c.createdAt);
    made.multi = c;
  });

  it("gets, lists and filters checkouts", async () => {
    assert.ok(made.multi, "the create test passed");
    assert.deepEqual(await org.sdk.checkouts.get({ id: made.multi.id }), made.multi);
    made.plan = await org.sdk.checkouts.create({ products: [cat.plan.id], customerEmail: "plan@example.com" });
    const all = await listAll(org.sdk.checkouts.list({ limit: 1 }));
    assert.deepEqual(all.map((c) => c.id), [made.plan.id, made.multi.id], "newest first");
    const asc = await listAll(org.sdk.checkouts.list({ sorting: ["created_at"] }));
    assert.deepEqual(asc.map((c) => c.id), [made.multi.id, made.plan.id]);
    assert.deepEqual((await listAll(org.sdk.checkouts.list({ productId: cat.plan.id }))).map((c) => c.id), [made.plan.id]);
    assert.deepEqual((await listAll(org.sdk.checkouts.list({ query: "PLAN@" }))).map((c) => c.id), [made.plan.id]);
    assert.equal((await listAll(org.sdk.checkouts.list({ status: "open", organizationId: org.orgId }))).length, 2);
    assert.deepEqual(await listAll(org.sdk.checkouts.list({ status: "succeeded" })), []);
    assert.deepEqual(await listAll(org.sdk.checkouts.list({ organizationId: other.orgId })), []);
    assert.deepEqual(await listAll(other.sdk.checkouts.list({})), [], "another organization sees none");
    await expectError(other.sdk.checkouts.get({ id: made.multi.id }), ResourceNotFound, "another organization's checkout");
  });

  it("updates a checkout as the merchant", async () => {
    const c = await org.sdk.checkouts.update({
      id: made.multi.id,
      checkoutUpdate: { customerEmail: "ann@example.com", discountId: cat.discount.id, metadata: { campaign: "sdk-2" } },
    });
    assert.equal(c.customerEmail, "ann@example.com");
    assert.equal(c.discountId, cat.discount.id);
    assert.equal(c.discount.code, "TEN");
    assert.equal(c.discountAmount, 200);
    assert.equal(c.totalAmount, 1800);
    assert.deepEqual(c.metadata, { campaign: "sdk-2" });
    const bad = await expectError(org.sdk.checkouts.update({ id: made.multi.id, checkoutUpdate: { productId: cat.discount.id } }),
      HTTPValidationError, "a product the checkout does not offer");
    assertLoc(bad, ["body", "product_id"]);
  });

  it("updates the flags and URLs of a checkout as the merchant", async () => {
    const c = await org.sdk.checkouts.create({ products: [cat.kit.id], returnUrl: "https://shop.test/back" });
    const up = await org.sdk.checkouts.update({ id: c.id, checkoutUpdate: { allowDiscountCodes: false,
      requireBillingAddress: true, returnUrl: "https://shop.test/elsewhere", locale: "de", allowTrial: false } });
    assert.equal(up.allowDiscountCodes, false);
    assert.equal(up.requireBillingAddress, true);
    assert.equal(up.returnUrl, "https://shop.test/elsewhere");
    assert.deepEqual(await org.sdk.checkouts.get({ id: c.id }), up);
    const cleared = await org.sdk.checkouts.update({ id: c.id, checkoutUpdate: { returnUrl: null, allowDiscountCodes: true } });
    assert.equal(cleared.returnUrl, null);
    assert.equal(cleared.allowDiscountCodes, true);
    assert.equal(cleared.requireBillingAddress, true, "left alone");
    const bad = await expectError(org.sdk.checkouts.update({ id: c.id, checkoutUpdate: { returnUrl: "ftp://shop.test/x" } }),
      HTTPValidationError, "a return_url that is not http(s)");
    assertLoc(bad, ["body", "return_url"]);
  });

  it("lets the customer switch, choose an amount, apply a code and pay", async () => {
    const clientSecret = made.multi.clientSecret;
    const pub = await anon.checkouts.clientGet({ clientSecret });
    assert.equal(pub.id, made.multi.id);
    assert.equal(pub.organization.id, org.orgId);
    assert.equal(pub.organization.name, "Checkout Org");
    const up = await anon.checkouts.clientUpdate({
      clientSecret,
      checkoutUpdatePublic: { productId: cat.tip.id, amount: 2500, discountCode: "ten", customerName: "Ann",
        customerBillingAddress: { country: "DE" } },
    });
    assert.equal(up.productId, cat.tip.id);
    assert.equal(up.amount, 2500);
    assert.equal(up.discountAmount, 250);
    assert.equal(up.totalAmount, 2250);
    assert.equal(up.customerBillingAddress.country, "DE");
    const bad = await expectError(anon.checkouts.clientUpdate({ clientSecret, checkoutUpdatePublic: { amount: 20 } }),
      HTTPValidationError, "amount under the minimum");
    assertLoc(bad, ["body", "amount"]);
    const confirmed = await anon.checkouts.clientConfirm({ clientSecret, checkoutConfirmStripe: { confirmationTokenId: "tok_visa" } });
    assert.equal(confirmed.status, "confirmed");
    assert.equal(confirmed.customerSessionToken, null);
    const done = await anon.checkouts.clientGet({ clientSecret });
    assert.equal(done.status, "succeeded");
    assert.ok(done.customerId);
    await expectError(anon.checkouts.clientUpdate({ clientSecret, checkoutUpdatePublic: { customerName: "Bo" } }),
      NotOpenCheckout, "a succeeded checkout refuses changes");
    made.paid = done;
  });

  it("records the order, with the checkout's metadata and custom field data", async () => {
    assert.ok(made.paid, "the purchase test passed");
    const orders = await listAll(org.sdk.orders.list({ checkoutId: made.multi.id }));
    assert.equal(orders.length, 1);
    const o = await org.sdk.orders.get({ id: orders[0].id });
    assert.deepEqual(o, orders[0]);
    assert.equal(o.status, "paid");
    assert.equal(o.billingReason, "purchase");
    assert.equal(o.totalAmount, 2250);
    assert.equal(o.productId, cat.tip.id);
    assert.equal(o.discountId, cat.discount.id);
    assert.deepEqual(o.metadata, { campaign: "sdk-2" });
    assert.equal(o.customer.email, "ann@example.com");
    assert.equal(o.customerId, made.paid.customerId);
    assert.equal(o.items.length, 1);
    const customers = await listAll(org.sdk.customers.list({ email: "ANN@example.com" }));
    assert.deepEqual(customers.map((c) => c.id), [o.customerId]);
    const cust = await org.sdk.customers.get({ id: o.customerId });
    assert.equal(cust.email, "ann@example.com");
    assert.equal(cust.name, "Ann");
    assert.equal(cust.billingAddress.country, "DE");
    await expectError(other.sdk.customers.get({ id: o.customerId }), ResourceNotFound, "another organization's customer");
    await expectError(other.sdk.orders.get({ id: o.id }), ResourceNotFound, "another organization's order");
  });

  it("starts a subscription for a recurring product", async () => {
    const clientSecret = made.plan.clientSecret;
    const conf = await anon.checkouts.clientConfirm({ clientSecret,
      checkoutConfirmStripe: { confirmationTokenId: "tok_visa", customerBillingAddress: { country: "US" } } });
    assert.equal(conf.status, "confirmed");
    const subs = await listAll(org.sdk.subscriptions.list({ productId: cat.plan.id, active: true }));
    assert.equal(subs.length, 1);
    const s = await org.sdk.subscriptions.get({ id: subs[0].id });
    assert.deepEqual(s, subs[0]);
    assert.equal(s.status, "active");
    assert.equal(s.amount, 900);
    assert.equal(s.recurringInterval, "month");
    assert.equal(s.checkoutId, made.plan.id);
    assert.equal(s.customer.email, "plan@example.com");
    assert.ok(s.currentPeriodEnd > s.currentPeriodStart);
    const orders = await listAll(org.sdk.orders.list({ productBillingType: "recurring" }));
    assert.deepEqual(orders.map((o) => o.subscriptionId), [s.id]);
    assert.equal(orders[0].billingReason, "subscription_create");
    assert.deepEqual(await listAll(org.sdk.subscriptions.list({ active: false })), []);
    assert.deepEqual(await listAll(other.sdk.subscriptions.list({})), []);
  });

  it("filters customers, orders and subscriptions as the SDK asks", async () => {
    assert.ok(made.paid, "the purchase test passed");
    const [order] = await listAll(org.sdk.orders.list({ checkoutId: made.multi.id }));
    assert.deepEqual((await listAll(org.sdk.orders.list({ metadata: { campaign: "sdk-2" } }))).map((o) => o.id), [order.id]);
    assert.deepEqual((await listAll(org.sdk.orders.list({ metadata: { campaign: ["nope", "sdk-2"] } }))).map((o) => o.id), [order.id]);
    assert.deepEqual(await listAll(org.sdk.orders.list({ metadata: { campaign: "sdk" } })), []);
    const [sub] = await listAll(org.sdk.subscriptions.list({ status: "active" }));
    assert.equal(sub.checkoutId, made.plan.id);
    assert.deepEqual((await listAll(org.sdk.subscriptions.list({ status: ["active", "past_due"], cancelAtPeriodEnd: false }))).map((s) => s.id), [sub.id]);
    assert.deepEqual(await listAll(org.sdk.subscriptions.list({ status: "canceled" })), []);
    assert.deepEqual(await listAll(org.sdk.subscriptions.list({ cancelAtPeriodEnd: true })), []);
    assert.deepEqual(await listAll(org.sdk.subscriptions.list({ customerCancellationReason: "too_expensive" })), []);
    assert.deepEqual(await listAll(org.sdk.subscriptions.list({ canceledAtAfter: new Date(0), canceledAtBefore: new Date() })), []);
    assert.deepEqual(await listAll(org.sdk.subscriptions.list({ metadata: { campaign: "sdk-2" } })), []);
    assert.deepEqual((await listAll(org.sdk.customers.list({ active: true }))).map((c) => c.email), ["plan@example.com"]);
    assert.deepEqual((await listAll(org.sdk.customers.list({ active: false }))).map((c) => c.email), ["ann@example.com"]);
    assert.deepEqual(await listAll(org.sdk.customers.list({ metadata: { tier: "gold" } })), []);
  });

  it("keeps a declined session open, with no order", async () => {
    const c = await org.sdk.checkouts.create({ products: [cat.kit.id], customerEmail: "dee@example.com",
      customFieldData: { company: "Dee Ltd" } });
    await expectError(anon.checkouts.clientConfirm({ clientSecret: c.clientSecret,
      checkoutConfirmStripe: { confirmationTokenId: "tok_chargeDeclined", customerBillingAddress: { country: "FR" } } }),
    PaymentError, "declined card");
    assert.equal((await anon.checkouts.clientGet({ clientSecret: c.clientSecret })).status, "open");
    assert.deepEqual(await listAll(org.sdk.orders.list({ checkoutId: c.id })), []);
  });

  it("answers a repeated confirm with NotOpenCheckout, charging once", async () => {
    const c = await org.sdk.checkouts.create({ products: [cat.kit.id], customerEmail: "twice@example.com",
      customFieldData: { company: "Twice Ltd" } });
    const confirm = { confirmationTokenId: "tok_visa", customerBillingAddress: { country: "FR" } };
    await anon.checkouts.clientConfirm({ clientSecret: c.clientSecret, checkoutConfirmStripe: confirm });
    await expectError(anon.checkouts.clientConfirm({ clientSecret: c.clientSecret, checkoutConfirmStripe: confirm }),
      NotOpenCheckout, "the same confirm again");
    assert.equal((await listAll(org.sdk.orders.list({ checkoutId: c.id }))).length, 1);
  });

  it("ignores an amount on a fixed price and reports a missing billing address", async () => {
    const c = await org.sdk.checkouts.create({ products: [cat.kit.id], amount: 1 });
    assert.equal(c.amount, 2000);
    const up = await anon.checkouts.clientUpdate({ clientSecret: c.clientSecret, checkoutUpdatePublic: { amount: 5 } });
    assert.equal(up.amount, 2000);
    const err = await expectError(anon.checkouts.clientConfirm({ clientSecret: c.clientSecret,
      checkoutConfirmStripe: { confirmationTokenId: "tok_visa", customerEmail: "a@example.com", customFieldData: { company: "A" } } }),
    HTTPValidationError, "confirm without a billing address");
    assertLoc(err, ["body", "customer_billing_address"]);
    assertLoc(err, ["body", "customer_billing_address", "country"]);
  });

  it("keeps the better discount when a code saves less", async () => {
    const big = await org.sdk.discounts.create({ name: "Big", type: "percentage", basisPoints: 3000, duration: "once" });
    const c = await org.sdk.checkouts.create({ products: [cat.kit.id], discountId: big.id });
    const err = await expectError(anon.checkouts.clientUpdate({ clientSecret: c.clientSecret, checkoutUpdatePublic: { discountCode: "TEN" } }),
      HTTPValidationError, "a code worth less than the discount applied");
    assertLoc(err, ["body", "discount_code"]);
    const now = await anon.checkouts.clientGet({ clientSecret: c.clientSecret });
    assert.equal(now.discountId, big.id);
    assert.equal(now.totalAmount, 1400);
  });

  it("does not charge a price that changed after the session opened", async () => {
    const book = await org.sdk.products.create({ name: "Book", prices: [{ amountType: "fixed", priceAmount: 1000, priceCurrency: "usd" }] });
    const c = await org.sdk.checkouts.create({ products: [book.id], customerEmail: "book@example.com" });
    const changed = await org.sdk.products.update({ id: book.id,
      productUpdate: { prices: [{ amountType: "fixed", priceAmount: 1500, priceCurrency: "usd" }] } });
    assert.equal((await anon.checkouts.clientGet({ clientSecret: c.clientSecret })).totalAmount, 1000);
    const confirm = { confirmationTokenId: "tok_visa", customerBillingAddress: { country: "FR" } };
    const err = await expectError(anon.checkouts.clientConfirm({ clientSecret: c.clientSecret, checkoutConfirmStripe: confirm }),
      HTTPValidationError, "a confirm at a price that changed");
    assertLoc(err, ["body", "product_price_id"]);
    assert.deepEqual(await listAll(org.sdk.orders.list({ checkoutId: c.id })), []);
    const seen = await anon.checkouts.clientUpdate({ clientSecret: c.clientSecret, checkoutUpdatePublic: {} });
    assert.equal(seen.totalAmount, 1500);
    assert.equal(seen.productPriceId, changed.prices[0].id);
    await anon.checkouts.clientConfirm({ clientSecret: c.clientSecret, checkoutConfirmStripe: confirm });
    const [o] = await listAll(org.sdk.orders.list({ checkoutId: c.id }));
    assert.equal(o.totalAmount, 1500);
  });

  it("answers errors the SDK understands", async () => {
    await expectError(anon.checkouts.clientGet({ clientSecret: "pl_c_unknown" }), ResourceNotFound, "unknown secret");
    const missing = await expectError(org.sdk.checkouts.create({ products: [cat.kit.id, cat.kit.id] }), HTTPValidationError, "duplicate product");
    assertLoc(missing, ["body", "products", 1]);
    const theirs = await expectError(other.sdk.checkouts.create({ products: [cat.kit.id] }), HTTPValidationError, "another organization's product");
    assertLoc(theirs, ["body", "products", 0]);
    const c = await org.sdk.checkouts.create({ products: [cat.kit.id] });
    const confirm = await expectError(anon.checkouts.clientConfirm({ clientSecret: c.clientSecret, checkoutConfirmStripe: {} }),
      HTTPValidationError, "confirm with nothing filled in");
    assertLoc(confirm, ["body", "customer_email"]);
    assertLoc(confirm, ["body", "confirmation_token_id"]);
    // 410 ExpiredCheckoutError is covered by the Go tests: a session cannot be aged from here.
  });
});
