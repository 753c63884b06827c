package checkoutpage_test

import (
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/browsertest"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// TestDiscountCodeAgainstPresetInBrowser enters codes on a page whose link
// applies a discount itself (issue 10 item 7): a code worth less leaves the
// better discount in place and says so at the code's field, the total
// unchanged; a code worth more replaces it, and the page says what changed.
func TestDiscountCodeAgainstPresetInBrowser(t *testing.T) {
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	browser := browsertest.New(t)
	discount := func(name, code string, bp int) string {
		body := map[string]any{"name": name, "type": "percentage", "basis_points": bp, "duration": "once"}
		if code != "" {
			body["code"] = code
		}
		var d struct{ ID string }
		in.Must(t, "POST", "/v1/discounts/", in.Token, body, 201, &d)
		return d.ID
	}
	preset := discount("Launch week", "", 3000)
	discount("Small", "SMALL5", 500)
	discount("Half", "HALF", 5000)
	link := webtest.CreateLinkWith(t, in, []string{webtest.ProductID(t, in, "Starter Kit")}, map[string]any{"discount_id": preset})

	ctx := browsertest.NewTab(t, browser)
	webtest.OpenCheckout(t, ctx, link+"?customer_email=keep@example.com&custom_field_data.company=Acme")
	if a, total := browsertest.Text(t, ctx, "#discount-applied"), browsertest.Text(t, ctx, "#total"); !strings.Contains(a, "Launch week") || total != "$20.30" {
		t.Fatalf("preset: applied %q, total %q; want Launch week and $20.30", a, total)
	}
	webtest.TypeInto(t, ctx, "Discount code", "small5\n")
	browsertest.Until(t, ctx, `document.getElementById("discount-code-error")`)
	msg := browsertest.Text(t, ctx, "#discount-code-error")
	if !strings.Contains(msg, "$1.45") || !strings.Contains(msg, "Launch week, already applied, takes off $8.70, so it stays") {
		t.Errorf("the code's field says %q; want why the better discount stays", msg)
	}
	if a, total, pay := browsertest.Text(t, ctx, "#discount-applied"), browsertest.Text(t, ctx, "#total"), browsertest.Text(t, ctx, "#pay"); !strings.Contains(a, "Launch week") || total != "$20.30" || pay != "Pay $20.30" {
		t.Errorf("after a worse code: applied %q, total %q, %q; want Launch week kept at $20.30", a, total, pay)
	}
	if got := browsertest.Eval[string](t, ctx, `document.getElementById("discount-code").getAttribute("aria-describedby")`); !strings.Contains(got, "discount-code-error") {
		t.Errorf("the code's error is not tied to its input: aria-describedby %q", got)
	}
	browsertest.Screenshot(t, ctx, "checkout-code-worth-less")

	webtest.TypeInto(t, ctx, "Discount code", "half\n")
	browsertest.Until(t, ctx, `document.getElementById("discount-applied").textContent.indexOf("HALF") >= 0`)
	if n, total := browsertest.Text(t, ctx, ".co-notice"), browsertest.Text(t, ctx, "#total"); !strings.Contains(n, "Half (HALF) replaces Launch week") ||
		!strings.Contains(n, "$14.50 instead of $8.70") || total != "$14.50" {
		t.Errorf("after a better code: notice %q, total %q; want what changed and $14.50", n, total)
	}
	browsertest.Screenshot(t, ctx, "checkout-code-worth-more")
	webtest.PayInBrowser(t, ctx, "4242 4242 4242 4242")
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/success") })
	if o := webtest.OrderOf(t, in, webtest.SecretOf(t, browsertest.Eval[string](t, ctx, `location.pathname`))); o.TotalAmount != 1450 {
		t.Errorf("order total %d, want 1450", o.TotalAmount)
	}
}
