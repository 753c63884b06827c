// paylink's embed script: a drop-in for @polar-sh/checkout's embed (0.4.x) that
// talks to this paylink server, {{ORIGIN}}. Load it with
//   <script src="{{ORIGIN}}/embed.js" data-auto-init defer></script>
// and mark a link <a href="{checkout link URL}" data-polar-checkout
// data-polar-checkout-theme="dark">Buy</a>, or call
// window.Polar.EmbedCheckout.create(url, { theme, onLoaded }) yourself. The
// checkout opens in a full-page frame; its page posts {type: "POLAR_CHECKOUT",
// event: "loaded" | "confirmed" | "success" | "close"} to this page's origin,
// and only messages from paylink's origin are listened to.
(function () {
  "use strict";
  var TYPE = "POLAR_CHECKOUT";
  var ORIGIN = "{{ORIGIN}}";

  function PolarEmbedCheckout(iframe, loader) {
    this.iframe = iframe;
    this.loader = loader;
    this.loaded = false;
    this.closable = true;
    this.eventTarget = new EventTarget();
    this.windowMessageListener = this.handleWindowMessage.bind(this);
    window.addEventListener("message", this.windowMessageListener);
  }

  // postMessage is what the checkout page in the frame calls (Polar's API).
  PolarEmbedCheckout.postMessage = function (message, targetOrigin) {
    var m = Object.assign({}, message, { type: TYPE });
    window.parent.postMessage(m, targetOrigin);
  };

  PolarEmbedCheckout.create = function (url, options) {
    if (typeof options === "string") options = { theme: options };
    options = options || {};
    var dark = options.theme === "dark";
    var style = document.createElement("style");
    style.textContent =
      ".paylink-loader-spinner{width:20px;aspect-ratio:1;border-radius:50%;" +
      "background:" + (dark ? "#000" : "#fff") + ";box-shadow:0 0 0 0 " + (dark ? "#fff" : "#000") + ";" +
      "animation:paylink-loader-spinner 1s infinite}" +
      "@keyframes paylink-loader-spinner{100%{box-shadow:0 0 0 30px #0000}}" +
      "body.paylink-no-scroll{overflow:hidden}";
    document.head.appendChild(style);
    var loader = document.createElement("div");
    loader.style.cssText = "position:absolute;top:50%;left:50%;transform:translate(-50%,-50%);z-index:2147483647";
    var spinner = document.createElement("div");
    spinner.className = "paylink-loader-spinner";
    loader.appendChild(spinner);
    document.body.classList.add("paylink-no-scroll");
    document.body.appendChild(loader);

    var u = new URL(url, window.location.href);
    u.searchParams.set("embed", "true");
    u.searchParams.set("embed_origin", window.location.origin);
    if (options.theme) u.searchParams.set("theme", options.theme);
    var iframe = document.createElement("iframe");
    iframe.src = u.toString();
    iframe.title = "Checkout";
    iframe.style.cssText = "position:fixed;top:0;left:0;width:100%;height:100%;border:none;" +
      "z-index:2147483647;background-color:rgba(0,0,0,0.5);color-scheme:normal";
    iframe.setAttribute("data-lenis-prevent", "");
    iframe.allow = "payment 'self' " + ORIGIN + "; publickey-credentials-get 'self' " + ORIGIN + ";";
    document.body.appendChild(iframe);

    var embed = new PolarEmbedCheckout(iframe, loader);
    if (options.onLoaded) embed.addEventListener("loaded", options.onLoaded, { once: true });
    return new Promise(function (resolve) {
      embed.addEventListener("loaded", function () { resolve(embed); }, { once: true });
    });
  };

  PolarEmbedCheckout.init = function () {
    document.querySelectorAll("[data-polar-checkout]").forEach(function (el) {
      el.removeEventListener("click", PolarEmbedCheckout.checkoutElementClickHandler);
      el.addEventListener("click", PolarEmbedCheckout.checkoutElementClickHandler);
    });
  };

  PolarEmbedCheckout.checkoutElementClickHandler = function (e) {
    e.preventDefault();
    var el = e.target;
    while (!el.hasAttribute("data-polar-checkout")) {
      if (!el.parentElement) return;
      el = el.parentElement;
    }
    var url = el.getAttribute("href") || el.getAttribute("data-polar-checkout");
    var theme = el.getAttribute("data-polar-checkout-theme");
    PolarEmbedCheckout.create(url, theme ? { theme: theme } : undefined);
  };

  PolarEmbedCheckout.prototype.close = function () {
    window.removeEventListener("message", this.windowMessageListener);
    if (document.body.contains(this.iframe)) document.body.removeChild(this.iframe);
    if (!this.loaded && document.body.contains(this.loader)) document.body.removeChild(this.loader);
    document.body.classList.remove("paylink-no-scroll");
  };
  PolarEmbedCheckout.prototype.addEventListener = function (type, listener, options) {
    this.eventTarget.addEventListener(type, listener, options);
  };
  PolarEmbedCheckout.prototype.removeEventListener = function (type, listener) {
    this.eventTarget.removeEventListener(type, listener);
  };
  PolarEmbedCheckout.prototype.handleLoaded = function () {
    if (this.loaded) return;
    if (document.body.contains(this.loader)) document.body.removeChild(this.loader);
    this.loaded = true;
  };
  PolarEmbedCheckout.prototype.handleClose = function () {
    if (this.closable) this.close();
  };
  PolarEmbedCheckout.prototype.handleConfirmed = function () {
    this.closable = false; // the payment is under way
  };
  PolarEmbedCheckout.prototype.handleSuccess = function (data) {
    this.closable = true;
    if (data.redirect) window.location.href = data.successURL;
  };
  PolarEmbedCheckout.prototype.handleWindowMessage = function (ev) {
    if (ev.origin !== ORIGIN || ev.source !== this.iframe.contentWindow) return;
    var data = ev.data;
    if (!data || data.type !== TYPE) return;
    var event = new CustomEvent(data.event, { detail: data, cancelable: true });
    if (!this.eventTarget.dispatchEvent(event)) return; // the merchant's listener called preventDefault
    switch (data.event) {
      case "loaded": this.handleLoaded(); break;
      case "close": this.handleClose(); break;
      case "confirmed": this.handleConfirmed(); break;
      case "success": this.handleSuccess(data); break;
    }
  };

  window.Polar = Object.assign({}, window.Polar || {}, { EmbedCheckout: PolarEmbedCheckout });
  var script = document.currentScript;
  if (script && script.hasAttribute("data-auto-init")) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", PolarEmbedCheckout.init);
    } else {
      PolarEmbedCheckout.init();
    }
  }
})();
