// The receipt's Print button: shown only with JavaScript, which it needs.
document.querySelectorAll("[data-print]").forEach(function (b) {
  b.hidden = false;
  b.addEventListener("click", function () { window.print(); });
});

// "Update payment method" in Stripe mode: each subscription's card form gets
// Stripe's Payment Element in setup mode when it opens; Save turns the card
// into a confirmation token and posts only that. A card whose bank asks for
// 3-D Secure comes back with the SetupIntent's client secret: Stripe.js shows
// the bank's step, then the form posts the SetupIntent to .../confirm.
(function () {
  var forms = document.querySelectorAll("form.portal-card-form[data-stripe-key]");
  if (!forms.length) return;
  if (!window.Stripe) {
    forms.forEach(function (f) {
      var note = f.querySelector(".co-needs-js");
      if (note) note.textContent = "The card form could not load. Check your connection, or allow js.stripe.com in your content blocker, then reload this page.";
    });
    return;
  }
  var stripe = window.Stripe(forms[0].getAttribute("data-stripe-key"));
  forms.forEach(function (form) {
    var mount = form.querySelector(".co-payment-element");
    var errorEl = form.querySelector(".co-error");
    var elements = null, busy = false;
    function say(msg) { errorEl.textContent = msg; errorEl.hidden = !msg; }
    function start() {
      if (elements) return;
      elements = stripe.elements({ mode: "setup", currency: form.getAttribute("data-currency") || "usd",
        paymentMethodTypes: ["card"] });
      elements.create("payment").mount(mount);
      var note = form.querySelector(".co-needs-js");
      if (note) note.hidden = true;
    }
    var details = form.closest("details");
    if (details.open) start();
    details.addEventListener("toggle", function () { if (details.open) start(); });

    var secret = form.getAttribute("data-client-secret");
    if (secret) {
      stripe.handleNextAction({ clientSecret: secret }).then(function () {
        form.action = form.action + "/confirm";
        var id = document.createElement("input");
        id.type = "hidden"; id.name = "setup_intent_id"; id.value = secret.split("_secret_")[0];
        form.appendChild(id);
        form.submit();
      });
    }
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (busy || !elements) return;
      busy = true;
      say("");
      elements.submit().then(function (r) {
        if (r.error) return null; // Stripe shows the card's problems in place
        return stripe.createConfirmationToken({ elements: elements }).then(function (t) {
          if (t.error) throw t.error;
          return t.confirmationToken.id;
        });
      }).then(function (token) {
        busy = false;
        if (!token) return;
        form.querySelector("input[name=confirmation_token]").value = token;
        form.submit();
      }, function (err) {
        busy = false;
        say((err && err.message) || "The card could not be saved. Check your connection and try again.");
      });
    });
  });
})();
