package webtest

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// FakeStripeJS stands in for https://js.stripe.com/basil/stripe.js, which this
// machine cannot reach: the same calls, recorded in window.__stripe. Its
// "Payment Element" is a plain div; handleNextAction (3-D Secure) waits until
// the test calls window.__finish3DS().
const FakeStripeJS = `(function () {
  var log = window.__stripe = { elements: [], updates: [], tokens: 0, params: [], nextActions: [], mounts: 0, destroyed: 0 };
  window.Stripe = function (key) {
    log.key = key;
    return {
      elements: function (opts) {
        log.elements.push(opts);
        return {
          update: function (o) { log.updates.push(o); },
          submit: function () { return Promise.resolve({}); },
          create: function (type, opts) {
            log.type = type; log.createOpts = opts;
            var node = null;
            return {
              mount: function (el) {
                log.mounts++;
                node = document.createElement("div");
                node.id = "fake-card-" + log.mounts;
                el.appendChild(node);
              },
              destroy: function () { log.destroyed++; if (node && node.parentNode) node.parentNode.removeChild(node); }
            };
          }
        };
      },
      createConfirmationToken: function (o) {
        log.tokens++; log.params.push(o.params);
        return Promise.resolve({ confirmationToken: { id: "ctoken_browser" + log.tokens } });
      },
      handleNextAction: function (o) {
        log.nextActions.push(o.clientSecret);
        return new Promise(function (resolve) { window.__finish3DS = function () { resolve({}); }; });
      }
    };
  };
})();`

// ServeFakeStripeJS answers the tab's requests to js.stripe.com with
// FakeStripeJS, or fails them while *down is true.
func ServeFakeStripeJS(t *testing.T, ctx context.Context, down *atomic.Bool) {
	t.Helper()
	paused := make(chan fetch.RequestID, 16)
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*fetch.EventRequestPaused); ok {
			paused <- e.RequestID
		}
	}); err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case id := <-paused:
				if down.Load() {
					chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: id, ErrorReason: network.ErrorReasonInternetDisconnected}) //nolint:errcheck
					continue
				}
				chromedp.Call(ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: id, ResponseCode: 200, //nolint:errcheck
					ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "text/javascript"}}, Body: []byte(FakeStripeJS)})
			}
		}
	}()
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "https://js.stripe.com/*"}}}); err != nil {
		t.Fatal(err)
	}
}
