// buy pays for a product through the customer's client calls (the sandbox's test
// card), as the checkout page does, for tests of what a purchase delivers.
import assert from "node:assert/strict";

/** Buys productId for email; returns the succeeded checkout. */
export async function buy(org, anon, productId, email) {
  const c = await org.sdk.checkouts.create({ products: [productId], customerEmail: email });
  await anon.checkouts.clientConfirm({ clientSecret: c.clientSecret,
    checkoutConfirmStripe: { confirmationTokenId: "tok_visa", customerBillingAddress: { country: "US" } } });
  const done = await anon.checkouts.clientGet({ clientSecret: c.clientSecret });
  assert.equal(done.status, "succeeded");
  return done;
}
