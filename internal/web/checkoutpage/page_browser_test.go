package checkoutpage_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/paylink/paylink/internal/browsertest"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// TestCheckoutPageInBrowser drives the checkout page's front end in Chromium
// (issue 10, items 6 and 8 to 12), one tab per subtest, against one paylink.
func TestCheckoutPageInBrowser(t *testing.T) {
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	browser := browsertest.New(t)
	starter := webtest.ProductID(t, in, "Starter Kit")

	t.Run("NamesAndPricesWrapAtWords", func(t *testing.T) {
		var support struct{ ID string }
		in.Must(t, "POST", "/v1/products/", in.Token, map[string]any{"name": "Support Us",
			"prices": []map[string]any{{"amount_type": "custom", "price_currency": "usd", "minimum_amount": 200, "preset_amount": 500}}},
			201, &support)
		var long struct{ ID string }
		in.Must(t, "POST", "/v1/products/", in.Token, map[string]any{"name": "Extraordinarily Comprehensive Membership",
			"recurring_interval": "month",
			"prices":             []map[string]any{{"amount_type": "fixed", "price_currency": "usd", "price_amount": 123456}}},
			201, &long)
		link := webtest.CreateLinkWith(t, in, []string{starter, support.ID, long.ID}, nil)
		for _, w := range []int64{375, 768, 1280} {
			ctx := browsertest.NewTab(t, browser)
			browsertest.Viewport(t, ctx, w, 900, w < 800)
			webtest.OpenCheckout(t, ctx, link)
			if w < 860 {
				browsertest.Do(t, ctx, chromedp.Click(chromedp.ID("order-bar"))) // collapsed on a narrow screen
			}
			if shown := browsertest.Eval[int](t, ctx, `Array.prototype.filter.call(document.querySelectorAll(".co-choice label"), function (l) { return l.checkVisibility(); }).length`); shown != 3 {
				t.Fatalf("at %d px %d product names show, want 3", w, shown)
			}
			if broken := browsertest.Eval[[]string](t, ctx, midWordJS(".co-choice label, .co-choice-price, .co-order-bar")); len(broken) > 0 {
				t.Errorf("at %d px these words break across lines: %v", w, broken)
			}
			webtest.NoOverflow(t, ctx, fmt.Sprintf("long names at %d px", w))
			browsertest.Screenshot(t, ctx, fmt.Sprintf("checkout-long-names-%d", w))
		}
	})

	t.Run("PayCannotBePressedTwice", func(t *testing.T) {
		ctx := browsertest.NewTab(t, browser)
		webtest.OpenCheckout(t, ctx, in.LinkURL+"?customer_email=twice@example.com")
		// The payment stays in flight: the server's answer never comes.
		browsertest.Eval[chromedp.Void](t, ctx, `window.posts = 0; window.fetch = function () { window.posts++; return new Promise(function () {}); }`)
		webtest.PayInBrowser(t, ctx, "4242 4242 4242 4242")
		browsertest.Until(t, ctx, `document.getElementById("pay").textContent.trim() === "Processing…"`)
		if label, pressable := payButton(t, ctx); pressable {
			t.Errorf("Pay shows %q and can still be pressed while the payment is in flight", label)
		}
		if busy := browsertest.Eval[string](t, ctx, `document.getElementById("pay").getAttribute("aria-busy")`); busy != "true" {
			t.Errorf("Pay aria-busy = %q, want true", busy)
		}
		browsertest.Eval[chromedp.Void](t, ctx, `document.getElementById("pay").click()`)
		if n := browsertest.Eval[int](t, ctx, `window.posts`); n != 1 {
			t.Errorf("%d posts after a second press, want 1", n)
		}
	})

	t.Run("InvalidAmountShowsNoTotal", func(t *testing.T) {
		ctx := browsertest.NewTab(t, browser)
		webtest.OpenCheckout(t, ctx, in.LinkURL+"?customer_email=pwyw@example.com")
		webtest.ClickLabel(t, ctx, "Tip Jar")
		browsertest.Until(t, ctx, `document.getElementById("amount")`)
		webtest.TypeInto(t, ctx, "Amount", "12")
		// Until the server has the new amount, Pay shows the old one: it must not be pressable.
		if label, pressable := payButton(t, ctx); pressable && label != "Pay $12.00" {
			t.Errorf("right after typing 12: Pay shows %q and can be pressed", label)
		}
		browsertest.Until(t, ctx, `document.getElementById("pay").textContent.trim() === "Pay $12.00" && !document.getElementById("pay").disabled`)
		webtest.TypeInto(t, ctx, "Amount", "1")
		browsertest.Until(t, ctx, `document.getElementById("amount-error")`)
		if label, pressable := payButton(t, ctx); pressable || strings.Contains(label, "$") {
			t.Errorf("amount 1 below the minimum: Pay shows %q, pressable %v; want no amount and disabled", label, pressable)
		}
		if total := browsertest.Text(t, ctx, "#total"); strings.Contains(total, "$") {
			t.Errorf("amount 1 below the minimum: the total shows %q", total)
		}
		webtest.TypeInto(t, ctx, "Amount", "3")
		browsertest.Until(t, ctx, `document.getElementById("pay").textContent.trim() === "Pay $3.00" && !document.getElementById("pay").disabled`)
		if total := browsertest.Text(t, ctx, "#total"); total != "$3.00" {
			t.Errorf("amount 3: total %q", total)
		}

		ctx = browsertest.NewTab(t, browser)
		browsertest.DisableJavaScript(t, ctx)
		webtest.OpenCheckout(t, ctx, in.LinkURL+"?customer_email=pwyw@example.com")
		webtest.ClickLabel(t, ctx, "Tip Jar")
		browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`button[value=update]`)))
		browsertest.Until(t, ctx, `document.getElementById("amount") && document.readyState === "complete"`)
		webtest.TypeInto(t, ctx, "Amount", "1")
		browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`button[value=update]`)))
		browsertest.Until(t, ctx, `document.getElementById("amount-error") && document.readyState === "complete"`)
		if label, pressable := payButton(t, ctx); pressable || strings.Contains(label, "$") {
			t.Errorf("without JavaScript, amount 1: Pay shows %q, pressable %v", label, pressable)
		}
		if total := browsertest.Text(t, ctx, "#total"); strings.Contains(total, "$") {
			t.Errorf("without JavaScript, amount 1: the total shows %q", total)
		}
	})

	t.Run("CopyPromisesOnlyWhatIsTrue", func(t *testing.T) {
		// What paylink does not do today: no cancel by the customer, no email; a subscription keeps its card.
		untrue := []string{"Cancel anytime", "cancel anytime", "sends your receipt", "access details"}
		says := func(ctx context.Context, what string, wants ...string) {
			t.Helper()
			body := browsertest.Text(t, ctx, "body")
			for _, u := range untrue {
				if strings.Contains(body, u) {
					t.Errorf("%s promises %q", what, u)
				}
			}
			for _, w := range wants {
				if !strings.Contains(body, w) {
					t.Errorf("%s does not say %q:\n%s", what, w, body)
				}
			}
		}
		ctx := browsertest.NewTab(t, browser)
		webtest.OpenCheckout(t, ctx, in.LinkURL+"?customer_email=copy@example.com")
		says(ctx, "one-time checkout", "used for this payment only and are never stored", "The seller gets this address with your order")
		webtest.ClickLabel(t, ctx, "Pro Plan")
		browsertest.Until(t, ctx, `document.querySelector(".co-renewal")`)
		says(ctx, "subscription checkout", "saved as a payment method, to charge the renewals", "It renews automatically until it is canceled; the seller can cancel it for you.")
		if strings.Contains(browsertest.Text(t, ctx, ".co-fineprint"), "never stored") {
			t.Errorf("a subscription says its card is never stored: %q", browsertest.Text(t, ctx, ".co-fineprint"))
		}
		webtest.PayInBrowser(t, ctx, "4242 4242 4242 4242")
		browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/success") })
		says(ctx, "subscription success page", "It renews automatically until it is canceled; the seller can cancel it for you.")
	})

	t.Run("OrderCollapsesOnAPhone", func(t *testing.T) {
		for _, js := range []bool{true, false} {
			ctx := browsertest.NewTab(t, browser)
			if !js {
				browsertest.DisableJavaScript(t, ctx)
			}
			browsertest.Viewport(t, ctx, 375, 812, true)
			webtest.OpenCheckout(t, ctx, in.LinkURL+"?customer_email=phone@example.com")
			o := orderState(t, ctx)
			if o.Open || o.ChoicesShown || !strings.Contains(o.Bar, "Starter Kit") || !strings.Contains(o.Bar, "$29.00") {
				t.Errorf("js %v, 375 px: the order is not collapsed to its bar with the total: %+v", js, o)
			}
			if o.EmailBottom > 812 || o.PayTop > 1500 {
				t.Errorf("js %v, 375 px: Email ends at %v px (first screen: 812), Pay starts at %v px", js, o.EmailBottom, o.PayTop)
			}
			browsertest.Screenshot(t, ctx, fmt.Sprintf("checkout-order-collapsed-375-js-%v", js))
			// The bar is a button for the keyboard: Enter opens the order.
			browsertest.Do(t, ctx, chromedp.Focus(chromedp.ID("order-bar")), chromedp.KeyEvent(kb.Enter))
			if o := orderState(t, ctx); !o.Open || !o.ChoicesShown {
				t.Errorf("js %v: Enter on the order bar does not open the order: %+v", js, o)
			}
			webtest.ClickLabel(t, ctx, "Tip Jar")
			if !js {
				browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`button[value=update]`)))
			}
			browsertest.Until(t, ctx, `document.readyState === "complete" && document.getElementById("amount")`)
			if o := orderState(t, ctx); !o.Open || !strings.Contains(o.Bar, "$5.00") {
				t.Errorf("js %v: after choosing Tip Jar the order closed, or its bar lost the total: %+v", js, o)
			}
			browsertest.Screenshot(t, ctx, fmt.Sprintf("checkout-order-open-375-js-%v", js))
			browsertest.Do(t, ctx, chromedp.Click(chromedp.ID("order-bar")))
			if o := orderState(t, ctx); o.Open || !strings.Contains(o.Bar, "$5.00") {
				t.Errorf("js %v: a tap on the bar does not close the order, keeping the total: %+v", js, o)
			}
			webtest.NoOverflow(t, ctx, "checkout with the order collapsed")

			browsertest.Viewport(t, ctx, 1280, 900, false)
			webtest.OpenCheckout(t, ctx, in.LinkURL+"?customer_email=wide@example.com")
			if o := orderState(t, ctx); !o.ChoicesShown || o.BarShown {
				t.Errorf("js %v, 1280 px: the order must show in full, without its bar: %+v", js, o)
			}
		}
	})
}

// orderFold is how the order section stands on the page.
type orderFold struct {
	Open, ChoicesShown, BarShown bool
	Bar                          string
	EmailBottom, PayTop          float64
}

func orderState(t *testing.T, ctx context.Context) orderFold {
	t.Helper()
	return browsertest.Eval[orderFold](t, ctx, `(function(){
  var d = document.getElementById("order-details"), bar = document.getElementById("order-bar");
  var choices = document.querySelector(".co-choices"), pay = document.getElementById("pay");
  return {Open: !!(d && d.open), ChoicesShown: !!(choices && choices.checkVisibility()),
    BarShown: !!(bar && bar.checkVisibility()), Bar: bar ? bar.textContent.replace(/\s+/g, " ").trim() : "",
    EmailBottom: document.getElementById("email").getBoundingClientRect().bottom + scrollY,
    PayTop: pay.getBoundingClientRect().top + scrollY};
})()`)
}

// midWordJS lists the words of the elements matching css whose letters sit on
// more than one line (a break inside the word), with the element's text.
func midWordJS(css string) string {
	return fmt.Sprintf(`(function () {
  var out = [];
  document.querySelectorAll(%q).forEach(function (el) {
    if (!el.checkVisibility()) return;
    var walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), n;
    while ((n = walk.nextNode())) {
      var re = /\S+/g, m;
      while ((m = re.exec(n.data))) {
        var r = document.createRange();
        r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
        var tops = {};
        Array.prototype.forEach.call(r.getClientRects(), function (q) { if (q.width > 0) tops[Math.round(q.top)] = true; });
        if (Object.keys(tops).length > 1) out.push(m[0] + " in " + JSON.stringify(el.textContent.trim()));
      }
    }
  });
  return out;
})()`, css)
}

// payButton is the Pay button's state: its text, and whether it can be pressed.
func payButton(t *testing.T, ctx context.Context) (string, bool) {
	t.Helper()
	s := browsertest.Eval[[]any](t, ctx, `(function(){var p=document.getElementById("pay");return [p.textContent.trim(), !p.disabled]})()`)
	return strings.TrimSpace(s[0].(string)), s[1].(bool)
}
