package webtest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/paylink/paylink/internal/browsertest"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store"
)

// OpenCheckout loads a link (or a checkout page) and waits for the checkout form.
func OpenCheckout(t *testing.T, ctx context.Context, u string) {
	t.Helper()
	browsertest.Do(t, ctx, chromedp.Navigate(u))
	browsertest.Until(t, ctx, `document.getElementById("checkout-form") && document.readyState === "complete"`)
}

// IDOf returns the id of the control whose label starts with text.
func IDOf(t *testing.T, ctx context.Context, text string) string {
	t.Helper()
	id := browsertest.Eval[string](t, ctx, fmt.Sprintf(`(function(){
		var l = Array.prototype.find.call(document.querySelectorAll("label"), function (l) { return l.textContent.trim().indexOf(%q) === 0; });
		return l ? l.htmlFor : "";})()`, text))
	if id == "" {
		t.Fatalf("no control labelled %q", text)
	}
	return id
}

// FieldValue is the value of the control labelled label.
func FieldValue(t *testing.T, ctx context.Context, label string) string {
	t.Helper()
	return browsertest.Eval[string](t, ctx, fmt.Sprintf(`document.getElementById(%q).value`, IDOf(t, ctx, label)))
}

// IsChecked reports whether the radio or box labelled label is checked.
func IsChecked(t *testing.T, ctx context.Context, label string) bool {
	t.Helper()
	return browsertest.Eval[bool](t, ctx, fmt.Sprintf(`document.getElementById(%q).checked`, IDOf(t, ctx, label)))
}

// ClickLabel clicks the control labelled label, as a person would.
func ClickLabel(t *testing.T, ctx context.Context, label string) {
	t.Helper()
	browsertest.Do(t, ctx, chromedp.Click(chromedp.ID(IDOf(t, ctx, label))))
}

// TypeInto replaces the text of the control labelled label by typing.
func TypeInto(t *testing.T, ctx context.Context, label, text string) {
	t.Helper()
	id := IDOf(t, ctx, label)
	// chromedp.Clear resets the value attribute only (not what was typed), and
	// chromedp.SetValue cannot set "" (v0.23 drops the empty argument).
	browsertest.Eval[chromedp.Void](t, ctx, fmt.Sprintf(`document.getElementById(%q).value = ""`, id))
	browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.ID(id), text))
}

// PayInBrowser fills the card form and the billing country, and clicks Pay.
func PayInBrowser(t *testing.T, ctx context.Context, card string) {
	t.Helper()
	TypeInto(t, ctx, "Card number", card)
	TypeInto(t, ctx, "Expiry", "12 / 34")
	TypeInto(t, ctx, "CVC", "123")
	browsertest.Do(t, ctx, chromedp.SetValue(chromedp.ID(IDOf(t, ctx, "Billing country")), "US"))
	browsertest.Do(t, ctx, chromedp.Click(chromedp.ID("pay")))
}

// NoOverflow fails the test when the page scrolls sideways.
func NoOverflow(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	w := browsertest.Eval[[]int](t, ctx, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`)
	if w[0] > w[1] {
		t.Errorf("%s at 375px: scrollWidth %d > clientWidth %d (sideways scroll)", what, w[0], w[1])
	}
}

// SecretOf is the client secret in a checkout page's path.
func SecretOf(t *testing.T, path string) string {
	t.Helper()
	rest, ok := strings.CutPrefix(path, "/checkout/")
	if !ok {
		t.Fatalf("not a checkout page: %s", path)
	}
	secret, _, _ := strings.Cut(rest, "/")
	return secret
}

// Expire moves a session's expiry into the past, as time would.
func Expire(t *testing.T, in *paylinktest.Instance, secret string) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, in.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := s.DB.ExecContext(ctx, `UPDATE checkouts SET expires_at = $1 WHERE client_secret = $2`,
		time.Now().UTC().Add(-time.Minute), secret)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("expire %s: %d rows", secret, n)
	}
}

// ContrastJS lists the visible text whose colour does not meet WCAG AA against
// the background behind it (4.5:1, or 3:1 for large text).
const ContrastJS = `(function () {
  function rgb(s) { var m = s.match(/[\d.]+/g) || []; return m.map(Number); }
  function lum(c) { var a = c.slice(0, 3).map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * a[0] + 0.7152 * a[1] + 0.0722 * a[2]; }
  function bg(e) { for (; e; e = e.parentElement) { var c = rgb(getComputedStyle(e).backgroundColor); if (c.length === 3 || c[3] > 0.9) return c; } return [255, 255, 255]; }
  var bad = [];
  document.querySelectorAll("body *").forEach(function (e) {
    var own = Array.prototype.some.call(e.childNodes, function (n) { return n.nodeType === 3 && n.textContent.trim(); });
    if (!own || !e.offsetParent && getComputedStyle(e).position !== "fixed") return;
    var cs = getComputedStyle(e), size = parseFloat(cs.fontSize), bold = parseInt(cs.fontWeight, 10) >= 700;
    var a = lum(rgb(cs.color)), b = lum(bg(e)), ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    var need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < need) bad.push(e.tagName + "." + e.className + " " + JSON.stringify(e.textContent.trim().slice(0, 30)) + " " + ratio.toFixed(2));
  });
  return bad;
})()`

// LowContrast fails the test for text below WCAG AA contrast on the page.
func LowContrast(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	if bad := browsertest.Eval[[]string](t, ctx, ContrastJS); len(bad) > 0 {
		t.Errorf("%s: text below WCAG AA contrast:\n%s", what, strings.Join(bad, "\n"))
	}
}

// Shown reports whether the element with the id takes up room on the page.
func Shown(t *testing.T, ctx context.Context, id string) bool {
	t.Helper()
	return browsertest.Eval[bool](t, ctx, `document.getElementById(`+"`"+id+"`"+`).getClientRects().length > 0`)
}
