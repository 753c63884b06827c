// checkout.js makes the checkout page update without reloads. The page works
// without it: every control is part of one form that posts to the server. Here
// the same form is posted with fetch (header X-Paylink-Partial), the server
// answers with the re-rendered form, and it is swapped in; one template renders
// both. Card fields are sent only to pay, and never leave this page otherwise.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var form = document.getElementById("checkout-form");
  if (!form || !window.fetch || !window.URLSearchParams) return;

  var seq = 0;        // the latest request; older answers are dropped
  var paying = false; // a payment is in flight: no other request starts
  var timer = null;

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

  function send(action, explicit) {
    if (paying) return;
    var data = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.type === "submit" || el.type === "button") return;
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      if (isCard(el) && action !== "pay") return;
      data.append(el.name, el.value);
    });
    data.set("action", action);
    var sent = values();
    var mine = ++seq;
    if (action === "pay") {
      paying = true;
      var pay = document.getElementById("pay");
      if (pay) { pay.setAttribute("aria-busy", "true"); pay.dataset.label = pay.textContent; pay.textContent = "Processing…"; }
    }
    fetch(form.getAttribute("action"), {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Paylink-Partial": "1" }
    }).then(function (res) {
      var to = res.headers.get("X-Paylink-Redirect");
      if (to) { window.location.assign(to); return null; }
      return res.text();
    }).then(function (html) {
      if (html === null) return;
      paying = false;
      if (mine !== seq) return;
      swap(html, sent, explicit);
    }).catch(function () {
      // The network failed: fall back to a plain post, which the server handles alike.
      paying = false;
      var input = document.createElement("input");
      input.type = "hidden"; input.name = "action"; input.value = action;
      form.appendChild(input);
      form.submit();
    });
  }

  // swap puts the server's form in place, keeping what the customer typed
  // while the request was out, the card fields, and the focus.
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
    form.innerHTML = fresh.innerHTML;
    Object.keys(now).forEach(function (id) {
      var el = document.getElementById(id);
      if (!el || !textual(el)) return;
      var typedMeanwhile = now[id] !== sent[id];
      if (isCard(el) || typedMeanwhile || (id === focusId && !explicit)) el.value = now[id];
    });
    var invalid = form.querySelector("[aria-invalid=true]");
    var target = explicit && invalid ? invalid : (focusId ? document.getElementById(focusId) : null);
    if (target) {
      target.focus();
      if (sel && target.id === focusId && target.setSelectionRange) {
        try { target.setSelectionRange(sel[0], sel[1]); } catch (e) { /* not a text field */ }
      }
    }
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var b = e.submitter;
    send(b && b.name === "action" ? b.value : "update", true);
  });

  form.addEventListener("change", function (e) {
    var el = e.target;
    if (el.name === "product_id") send("update", false);
    else if (el.name === "amount") { clearTimeout(timer); send("update", false); }
  });

  form.addEventListener("input", function (e) {
    var el = e.target;
    if (el.name === "amount") {
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

  // autofocus does not run on swapped content, nor after the page was restored.
  var first = form.querySelector("[aria-invalid=true]");
  if (first && document.activeElement !== first) first.focus();
})();
