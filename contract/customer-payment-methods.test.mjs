// The customer's saved payment methods through the SDK
// (customerPortal.customers.listPaymentMethods / addPaymentMethod /
// confirmPaymentMethod / deletePaymentMethod) with a customer session token:
// a card saved as the default is what the customer's subscriptions renew with,
// and a token sees its own customer's methods only. paylink runs the sandbox
// here, so test tokens stand for confirmation tokens.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { PaymentMethodInUseByActiveSubscription } from "@polar-sh/sdk/models/errors/paymentmethodinusebyactivesubscription.js";
import { PaymentMethodSetupFailed } from "@polar-sh/sdk/models/errors/paymentmethodsetupfailed.js";

import { ENGINE, HTTPValidationError, PolarError, ResourceNotFound, assertLoc, expectError, listAll, pending, polarSDK, start } from "./harness.mjs";

describe(`customer payment methods (${ENGINE})`, () => {
  pending("customer-payment-methods");
  let pl, org, anon, plan;
  const ann = {}, bo = {};
  const returnUrl = "https://shop.test/account";

  async function buy(email, into) {
    const c = await org.sdk.checkouts.create({ products: [plan.id], customerEmail: email });
    await anon.checkouts.clientConfirm({ clientSecret: c.clientSecret,
      checkoutConfirmStripe: { confirmationTokenId: "tok_visa", customerBillingAddress: { country: "US" } } });
    into.id = (await listAll(org.sdk.customers.list({ email })))[0].id;
    into.sec = { customerSession: (await org.sdk.customerSessions.create({ customerId: into.id })).token };
    const [visa] = await listAll(pl.sdk.customerPortal.customers.listPaymentMethods(into.sec, {}));
    into.visa = visa?.id;
  }

  // defaults reads is_default of the customer's methods from the wire: Polar
  // sends it (CustomerPaymentMethodCard), but SDK 0.49 parses the list's items
  // as PaymentMethodCard, which drops it.
  async function defaults(who) {
    const r = await fetch(`${pl.url}/v1/customer-portal/customers/me/payment-methods`,
      { headers: { Authorization: `Bearer ${who.sec.customerSession}` } });
    assert.equal(r.status, 200);
    return Object.fromEntries((await r.json()).items.map((m) => [m.id, m.is_default]));
  }

  before(async () => {
    pl = await start();
    org = pl.newOrg("Cards Org");
    anon = polarSDK("", pl.url);
    plan = await org.sdk.products.create({ name: "Plan", recurringInterval: "month",
      prices: [{ amountType: "fixed", priceAmount: 900, priceCurrency: "usd" }] });
    await buy("ann@example.com", ann);
    await buy("bo@example.com", bo);
  });
  after(async () => {
    await pl?.stop();
  });

  it("keeps the card a purchase paid with as the customer's default", async () => {
    const methods = await listAll(pl.sdk.customerPortal.customers.listPaymentMethods(ann.sec, {}));
    assert.deepEqual(methods.map((m) => [m.methodMetadata.brand, m.methodMetadata.last4]), [["visa", "4242"]]);
    assert.deepEqual(await defaults(ann), { [ann.visa]: true });
  });

  it("adds a card as the default and lists it", async () => {
    const res = await pl.sdk.customerPortal.customers.addPaymentMethod(ann.sec,
      { confirmationTokenId: "tok_mastercard", setDefault: true, returnUrl });
    assert.equal(res.status, "succeeded");
    const pm = res.paymentMethod;
    assert.equal(pm.type, "card");
    assert.equal(pm.customerId, ann.id);
    assert.equal(pm.processor, "stripe");
    assert.equal(pm.methodMetadata.brand, "mastercard");
    assert.equal(pm.methodMetadata.last4, "4444");
    assert.ok(pm.methodMetadata.expYear >= new Date().getFullYear());
    ann.mastercard = pm.id;

    const second = await pl.sdk.customerPortal.customers.addPaymentMethod(ann.sec,
      { confirmationTokenId: "tok_amex", setDefault: false, returnUrl });
    ann.amex = second.paymentMethod.id;

    const methods = await listAll(pl.sdk.customerPortal.customers.listPaymentMethods(ann.sec, {}));
    assert.deepEqual(methods.map((m) => m.methodMetadata.last4).sort(), ["0005", "4242", "4444"]);
    assert.deepEqual(await defaults(ann), { [ann.visa]: false, [ann.mastercard]: true, [ann.amex]: false });
  });

  it("shows a token its own customer's methods only", async () => {
    const methods = await listAll(pl.sdk.customerPortal.customers.listPaymentMethods(bo.sec, {}));
    assert.deepEqual(methods.map((m) => m.id), [bo.visa]);
    await expectError(pl.sdk.customerPortal.customers.deletePaymentMethod(bo.sec, { id: ann.mastercard }),
      ResourceNotFound, "delete another customer's method");
    const still = await listAll(pl.sdk.customerPortal.customers.listPaymentMethods(ann.sec, {}));
    assert.equal(still.length, 3);
  });

  it("refuses a declined card with the processor's words", async () => {
    const err = await expectError(pl.sdk.customerPortal.customers.addPaymentMethod(bo.sec,
      { confirmationTokenId: "tok_chargeDeclinedExpiredCard", setDefault: true, returnUrl }), PaymentMethodSetupFailed, "declined card");
    assert.equal(err.detail, "Your card has expired.");
    assert.deepEqual((await listAll(pl.sdk.customerPortal.customers.listPaymentMethods(bo.sec, {}))).map((m) => m.id), [bo.visa]);
  });

  it("validates the body", async () => {
    const err = await expectError(pl.sdk.customerPortal.customers.addPaymentMethod(bo.sec,
      { confirmationTokenId: "tok_visa", setDefault: true, returnUrl: "javascript:alert(1)" }), HTTPValidationError, "bad return URL");
    assertLoc(err, ["body", "return_url"]);
    const bad = await expectError(pl.sdk.customerPortal.customers.confirmPaymentMethod(bo.sec,
      { setupIntentId: "seti_unknown", setDefault: true }), HTTPValidationError, "unknown setup intent");
    assertLoc(bad, ["body", "setup_intent_id"]);
  });

  it("renews the subscription with the default card and keeps it until there is another", async () => {
    const [sub] = await listAll(pl.sdk.customerPortal.subscriptions.list(ann.sec, {}));
    assert.equal(sub.status, "active");
    // The default card backs the subscription: deleting it moves the
    // subscription to the newest other saved card, and the last one cannot go.
    await pl.sdk.customerPortal.customers.deletePaymentMethod(ann.sec, { id: ann.mastercard });
    const left = await listAll(pl.sdk.customerPortal.customers.listPaymentMethods(ann.sec, {}));
    assert.deepEqual(left.map((m) => m.id), [ann.amex, ann.visa]);
    assert.deepEqual(await defaults(ann), { [ann.amex]: true, [ann.visa]: false });
    await pl.sdk.customerPortal.customers.deletePaymentMethod(ann.sec, { id: ann.amex });
    assert.deepEqual(await defaults(ann), { [ann.visa]: true });
    const err = await expectError(pl.sdk.customerPortal.customers.deletePaymentMethod(ann.sec, { id: ann.visa }),
      PaymentMethodInUseByActiveSubscription, "delete the last method a subscription needs");
    assert.match(err.detail, /still needed to bill a subscription/);
    await expectError(pl.sdk.customerPortal.customers.deletePaymentMethod(ann.sec, { id: ann.mastercard }),
      ResourceNotFound, "delete a deleted method");
  });

  it("refuses an organization token", async () => {
    const err = await expectError(pl.sdk.customerPortal.customers.listPaymentMethods({ customerSession: org.token }, {}),
      PolarError, "organization token");
    assert.equal(err.statusCode, 401);
  });
});
