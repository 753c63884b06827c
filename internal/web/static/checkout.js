// checkout.js makes the checkout page update without reloads. The page works
// without it: every control is part of one form that posts to the server. Here
// the same form is posted with fetch (header X-Paylink-Partial), the server
// answers with the re-rendered form, and it is swapped in; one template renders
// both. Card fields are sent only to pay, and never leave this page otherwise.
//
// In Stripe mode (the form has data-stripe-key) the card is typed into Stripe's
// Payment Element, an iframe of js.stripe.com: on Pay it becomes a confirmation
// token, and only the token is posted. A payment that waits for the bank (3-D
// Secure) is finished here with Stripe.js, then the server is asked until the
// payment is decided.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var form = document.getElementById("checkout-form");
  if (!form || !window.fetch || !window.URLSearchParams) return;

  var wide = window.matchMedia("(min-width: 860px)"); // app.css: the order is always open
  var seq = 0;        // the latest request; older answers are dropped
  var inflight = null; // the body of the request that is out, so the same one is not sent twice
  var paying = false; // a payment is in flight: no other request starts
  var timer = null;
  var stripe = null, elements = null, card = null, cardIn = null, shape = null;
  var waiting = false; // a pending payment is being finished or waited for

  function isCard(el) { return /^card_/.test(el.name || ""); }
  function textual(el) {
    return el.tagName === "TEXTAREA" || el.tagName === "SELECT" ||
      (el.tagName === "INPUT" && !/^(radio|checkbox|hidden|submit|button)$/.test(el.type));
  }

  // values returns the current value of every text-like control by id.
  function values() {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.id && textual(el)) out[el.id] = el.value;
    });
    return out;
  }

  // busy shows on the Pay button that a payment is on its way, and takes the
  // button out of reach until it is decided (a second press would do nothing
  // but look like it did).
  function busy(on) {
    var pay = document.getElementById("pay");
    if (!pay) return;
    if (on && pay.getAttribute("aria-busy") !== "true") {
      pay.setAttribute("aria-busy", "true"); pay.dataset.label = pay.textContent; pay.textContent = "Processing…";
      pay.dataset.wasDisabled = pay.disabled ? "1" : ""; pay.disabled = true;
    } else if (!on && pay.getAttribute("aria-busy") === "true") {
      pay.removeAttribute("aria-busy"); pay.textContent = pay.dataset.label;
      pay.disabled = pay.dataset.wasDisabled === "1";
    }
  }

  // stale says the total is out of date while a new amount is on its way to
  // the server: Pay cannot be pressed until the total it would charge is shown.
  function stale() {
    var pay = document.getElementById("pay"), summary = document.getElementById("summary");
    if (pay && pay.getAttribute("aria-busy") !== "true") pay.disabled = true;
    if (summary) { summary.setAttribute("aria-busy", "true"); summary.classList.add("is-stale"); }
  }

  // send posts the form with the action, and the extra fields (an object).
  function send(action, explicit, extra) {
    if (paying) return;
    var data = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.type === "submit" || el.type === "button") return;
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      if (isCard(el) && action !== "pay") return;
      data.append(el.name, el.value);
    });
    data.set("action", action);
    Object.keys(extra || {}).forEach(function (k) { data.set(k, extra[k]); });
    // The same form sent again while it is out (Enter in the code field and the
    // form's own submit, a double click) is one request: a second one would find
    // the change made and answer without saying what it changed.
    var body = data.toString();
    if (body === inflight) return;
    inflight = body;
    var sent = values();
    var mine = ++seq;
    if (action === "pay") {
      paying = true;
      busy(true);
    }
    fetch(form.getAttribute("action"), {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Paylink-Partial": "1" }
    }).then(function (res) {
      // Pay was accepted: in embed mode the merchant's page hears "confirmed".
      if (res.headers.get("X-Paylink-Confirmed") && window.paylinkEmbed) window.paylinkEmbed.post("confirmed");
      var to = res.headers.get("X-Paylink-Redirect");
      if (to) { window.location.assign(to); return null; }
      return res.text();
    }).then(function (html) {
      if (inflight === body) inflight = null;
      if (html === null) return;
      paying = false;
      if (mine !== seq) return;
      swap(html, sent, explicit);
    }).catch(function () {
      if (inflight === body) inflight = null;
      // The network failed: fall back to a plain post, which the server handles alike.
      paying = false;
      var fields = { action: action };
      Object.keys(extra || {}).forEach(function (k) { fields[k] = extra[k]; });
      Object.keys(fields).forEach(function (k) {
        var input = document.createElement("input");
        input.type = "hidden"; input.name = k; input.value = fields[k];
        form.appendChild(input);
      });
      form.submit();
    });
  }

  // swap puts the server's form in place, keeping what the customer typed
  // while the request was out, the card fields, the Payment Element (its
  // iframe would reload, and lose the card, if it left the page), and the focus.
  function swap(html, sent, explicit) {
    var tpl = document.createElement("template");
    tpl.innerHTML = html;
    var fresh = tpl.content.querySelector("#checkout-form");
    if (!fresh) { window.location.reload(); return; }
    var active = document.activeElement;
    var focusId = active && form.contains(active) ? active.id : "";
    var sel = null;
    try { sel = focusId && active.selectionStart !== null ? [active.selectionStart, active.selectionEnd] : null; } catch (e) { sel = null; }
    var now = values();
    var order = document.getElementById("order-details"), wasOpen = order ? order.open : false;
    copyAttributes(fresh, form);
    var keep = document.getElementById("payment-element");
    if (keep && form.contains(keep) && fresh.querySelector("#payment-element")) graft(form, fresh, keep);
    else form.innerHTML = fresh.innerHTML;
    Object.keys(now).forEach(function (id) {
      var el = document.getElementById(id);
      if (!el || !textual(el)) return;
      var typedMeanwhile = now[id] !== sent[id];
      if (isCard(el) || typedMeanwhile || (id === focusId && !explicit)) el.value = now[id];
    });
    if (now.amount !== undefined && now.amount !== sent.amount && document.getElementById("amount")) stale();
    keepOrder(wasOpen);
    var invalid = form.querySelector("[aria-invalid=true]");
    var target = explicit && invalid ? invalid : (focusId ? document.getElementById(focusId) : null);
    if (target) {
      target.focus();
      if (sel && target.id === focusId && target.setSelectionRange) {
        try { target.setSelectionRange(sel[0], sel[1]); } catch (e) { /* not a text field */ }
      }
    }
    ready();
  }

  // keepOrder leaves the order (collapsed on a phone) as the customer had it:
  // the server opens it after every change, for the page without JavaScript.
  // It opens for a problem in it, and always on a wide screen.
  function keepOrder(wasOpen) {
    var order = document.getElementById("order-details");
    if (order) order.open = wasOpen || wide.matches || !!order.querySelector("[aria-invalid=true]");
  }

  // copyAttributes makes to's attributes those of from.
  function copyAttributes(from, to) {
    Array.prototype.slice.call(to.attributes).forEach(function (a) {
      if (!from.hasAttribute(a.name)) to.removeAttribute(a.name);
    });
    Array.prototype.forEach.call(from.attributes, function (a) { to.setAttribute(a.name, a.value); });
  }

  // graft replaces live's content by fresh's, except keep, which stays where
  // it is: the elements holding it take fresh's attributes and siblings.
  function graft(live, fresh, keep) {
    var lc = keep, fc = fresh.querySelector("#" + keep.id);
    while (lc.parentNode !== live) lc = lc.parentNode;
    while (fc.parentNode !== fresh) fc = fc.parentNode;
    Array.prototype.slice.call(live.childNodes).forEach(function (n) { if (n !== lc) live.removeChild(n); });
    var before = true;
    Array.prototype.slice.call(fresh.childNodes).forEach(function (n) {
      if (n === fc) { before = false; return; }
      if (before) live.insertBefore(n, lc); else live.appendChild(n);
    });
    if (lc !== keep) {
      copyAttributes(fc, lc);
      graft(lc, fc, keep);
    } else if (fc.hasAttribute("aria-describedby")) {
      keep.setAttribute("aria-describedby", fc.getAttribute("aria-describedby"));
    } else {
      keep.removeAttribute("aria-describedby");
    }
  }

  // ready brings a new form to life: the Payment Element, and a payment that waits.
  function ready() {
    syncStripe();
    var pending = document.getElementById("payment-pending");
    if (pending && !waiting) finish(pending);
  }

  function stripeMode() { return form.hasAttribute("data-stripe-key"); }

  // syncStripe mounts the Payment Element in its place, with the amount,
  // currency and future usage the PaymentIntent will have, or in setup mode
  // when a SetupIntent will only save the card (Stripe refuses a token made
  // otherwise), and offers Pay once the card can be taken.
  function syncStripe() {
    if (!stripeMode()) return;
    var note = document.getElementById("needs-js");
    if (!stripe) {
      if (!window.Stripe) {
        if (note) note.textContent = "The card form could not load. Check your connection, or allow js.stripe.com in your content blocker, then reload this page.";
        return;
      }
      stripe = window.Stripe(form.getAttribute("data-stripe-key"));
    }
    var mount = document.getElementById("payment-element");
    if (!mount) { // nothing to pay now
      if (card) { card.destroy(); card = null; cardIn = null; }
      return;
    }
    var want = { total: parseInt(form.getAttribute("data-total"), 10), currency: form.getAttribute("data-currency"),
      recurring: form.getAttribute("data-recurring") === "true", setup: form.getAttribute("data-setup") === "true" };
    if (!elements || want.currency !== shape.currency || want.recurring !== shape.recurring || want.setup !== shape.setup) {
      if (card) { card.destroy(); card = null; }
      // Nothing to charge now, a card to keep: a SetupIntent will take the token.
      elements = want.setup ?
        stripe.elements({ mode: "setup", currency: want.currency, paymentMethodTypes: ["card"] }) :
        stripe.elements({ mode: "payment", amount: want.total, currency: want.currency,
          paymentMethodTypes: ["card"], setupFutureUsage: want.recurring ? "off_session" : undefined });
    } else if (!want.setup && want.total !== shape.total) {
      elements.update({ amount: want.total });
    }
    shape = want;
    if (!card || cardIn !== mount) {
      if (card) card.destroy();
      // The billing country is asked by the page itself, and passed with the token.
      card = elements.create("payment", { fields: { billingDetails: { address: { country: "never" } } } });
      card.mount(mount);
      cardIn = mount;
    }
    var pay = document.getElementById("pay");
    if (pay) pay.hidden = false;
    if (note) note.hidden = true;
  }

  function fieldValue(id) {
    var el = document.getElementById(id);
    return el ? el.value.trim() : "";
  }

  function stripeError(msg) {
    var el = document.getElementById("payment-element-error");
    if (!el) return;
    el.textContent = msg;
    el.hidden = !msg;
  }

  // payWithStripe turns the card into a confirmation token (a new one for each
  // attempt) and posts it. Without a token the post still goes, saying why
  // (payment_element), so the server shows every other problem at once.
  function payWithStripe() {
    if (paying) return;
    if (!card) { send("pay", true); return; } // nothing to pay, or no Stripe.js: the server explains
    paying = true;
    busy(true);
    stripeError("");
    elements.submit().then(function (r) {
      if (r.error) return { payment_element: "incomplete" }; // Stripe shows the card's problems in place
      var country = fieldValue("country");
      if (!country) return { payment_element: "complete" };
      var billing = { address: { country: country } };
      if (fieldValue("email")) billing.email = fieldValue("email");
      if (fieldValue("name")) billing.name = fieldValue("name");
      return stripe.createConfirmationToken({ elements: elements,
        params: { payment_method_data: { billing_details: billing } } }).then(function (t) {
        if (t.error && t.error.type === "validation_error") return { payment_element: "incomplete" };
        if (t.error) throw t.error;
        return { payment_element: "complete", confirmation_token: t.confirmationToken.id };
      });
    }).then(function (extra) {
      paying = false;
      send("pay", true, extra);
    }, function (err) {
      paying = false;
      busy(false);
      stripeError((err && err.message) || "The payment could not start. Check your connection and try again.");
    });
  }

  // finish takes over a payment that waits: the bank's step first (3-D
  // Secure, in Stripe's window), then the server is asked until it decides:
  // paid goes on, declined comes back as the form, saying so.
  function finish(el) {
    waiting = paying = true;
    busy(true);
    var poll = el.getAttribute("data-poll"), tries = 0;
    function ask() {
      fetch(poll, { credentials: "same-origin", headers: { "X-Paylink-Partial": "1" } }).then(function (res) {
        var to = res.headers.get("X-Paylink-Redirect");
        if (to) { window.location.assign(to); return; }
        if (res.status === 202) { later(); return; }
        return res.text().then(function (html) {
          waiting = paying = false;
          swap(html, values(), true);
        });
      }).catch(later);
    }
    function later() {
      // After about five minutes the page itself says how the payment stands.
      if (++tries > 90) { window.location.assign(form.getAttribute("action")); return; }
      setTimeout(ask, Math.min(1000 + tries * 250, 4000));
    }
    var secret = el.getAttribute("data-client-secret");
    if (el.getAttribute("data-intent-status") === "requires_action" && secret && stripe) {
      var next = function () { el.textContent = el.getAttribute("data-next"); ask(); };
      stripe.handleNextAction({ clientSecret: secret }).then(next, next);
    } else {
      ask();
    }
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var b = e.submitter;
    var action = b && b.name === "action" ? b.value : "update";
    if (action === "pay" && stripeMode()) payWithStripe();
    else send(action, true);
  });

  form.addEventListener("change", function (e) {
    var el = e.target;
    if (el.name === "product_id") send("update", false);
    else if (el.name === "amount") { clearTimeout(timer); send("update", false); }
  });

  form.addEventListener("input", function (e) {
    var el = e.target;
    if (el.name === "amount") {
      stale();
      clearTimeout(timer);
      timer = setTimeout(function () { send("update", false); }, 600);
    } else if (el.name === "card_number") {
      var digits = el.value.replace(/\D/g, "").slice(0, 19);
      var grouped = digits.replace(/(\d{4})(?=\d)/g, "$1 ");
      if (grouped !== el.value) el.value = grouped;
    } else if (el.name === "card_expiry") {
      var d = el.value.replace(/\D/g, "").slice(0, 4);
      var v = d.length > 2 ? d.slice(0, 2) + " / " + d.slice(2) : d;
      if (e.inputType !== "deleteContentBackward" && v !== el.value) el.value = v;
    }
  });

  // Enter in the discount code field applies it (and never pays).
  form.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && e.target.name === "discount_code") {
      e.preventDefault();
      send("update", true);
    }
  });

  ready();
  keepOrder(document.getElementById("order-details") && document.getElementById("order-details").open);
  wide.addEventListener("change", function () { if (wide.matches) keepOrder(true); });

  // autofocus does not run on swapped content, nor after the page was restored.
  var first = form.querySelector("[aria-invalid=true]");
  if (first && document.activeElement !== first) first.focus();
})();
