// checkout_embed.js runs on the checkout pages in embed mode: the checkout in a
// frame of the merchant's page, opened by {public_url}/embed.js. It posts
// Polar's messages, {type: "POLAR_CHECKOUT", event}, to the merchant's page,
// with the origin the server allowed (data-origin, one of the organization's
// embed_hosts) as the target, never "*": "loaded" when a page of the checkout
// opens, "close" from the close button, and on the success page "success" with
// successURL and redirect (the merchant's page then opens successURL itself).
// checkout.js posts "confirmed" through paylinkEmbed.post when Pay is accepted.
(function () {
  "use strict";
  var me = document.currentScript;
  var origin = me && me.getAttribute("data-origin");
  if (!origin || window.parent === window) return; // opened on its own: nothing to tell

  function post(event, extra) {
    var m = { type: "POLAR_CHECKOUT", event: event };
    Object.keys(extra || {}).forEach(function (k) { m[k] = extra[k]; });
    window.parent.postMessage(m, origin);
  }
  window.paylinkEmbed = { post: post };

  var close = document.getElementById("embed-close");
  if (close) {
    close.hidden = false;
    close.addEventListener("click", function () { post("close"); });
  }

  var success = me.hasAttribute("data-success-url");
  // The success page after a payment in this frame follows the checkout page,
  // which said "loaded" already; opened directly, it says it too.
  var fromCheckout = false;
  try { fromCheckout = !!document.referrer && new URL(document.referrer).origin === window.location.origin; } catch (e) { fromCheckout = false; }
  if (!success || !fromCheckout) post("loaded");
  if (success) {
    post("success", { successURL: me.getAttribute("data-success-url"), redirect: me.getAttribute("data-redirect") === "true" });
  }
})();
