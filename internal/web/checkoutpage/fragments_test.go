package checkoutpage

import (
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/web"
)

// TestKeptFragmentsRenderAsThePage renders a checkout form whose products and
// fields carry markup, from kept fragments (a second request) and with them
// left out (the templates render every part): the HTML is the same byte for
// byte, escaped, and a field in error is rendered anew with what was posted.
func TestKeptFragmentsRenderAsThePage(t *testing.T) {
	w, err := New(&Page{Site: web.Site{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), PublicURL: "https://pay.example", Sandbox: true}})
	if err != nil {
		t.Fatal(err)
	}
	xss := `<script>alert("x")</script>`
	desc := "Kit & " + xss
	label := "Size " + xss
	at := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	price := func(id string, amount int64) []*paylink.Price {
		return []*paylink.Price{{ID: id, AmountType: paylink.PriceFixed, Currency: "usd", PriceAmount: amount, CreatedAt: at}}
	}
	size := &paylink.CustomField{ID: "cf1", Type: paylink.FieldSelect, Slug: "size", Name: "Size",
		Properties: paylink.CustomFieldProperties{FormLabel: &label, Options: []paylink.SelectOption{{Value: `"s"`, Label: "S " + xss}, {Value: "m", Label: "M"}}}}
	note := &paylink.CustomField{ID: "cf2", Type: paylink.FieldText, Slug: "note", Name: "Note " + xss}
	kit := &paylink.Product{ID: "p1", Name: "Kit " + xss, Description: &desc, Prices: price("r1", 1200),
		CustomFields: []paylink.ProductCustomField{{CustomFieldID: "cf1", Required: true, CustomField: size}, {CustomFieldID: "cf2", CustomField: note}}}
	plan := &paylink.Product{ID: "p2", Name: "Plan", Prices: price("r2", 500)}
	email := `ann"><b>@example.com`
	st := &checkoutState{Org: &paylink.Organization{ID: "o1", Name: "Shop " + xss}, Products: []*paylink.Product{kit, plan},
		C: &paylink.Checkout{ID: "c1", ClientSecret: "secret", Status: paylink.CheckoutOpen, ProductIDs: []string{"p1", "p2"},
			ProductID: "p1", PriceID: "r1", Amount: 1200, NetAmount: 1200, TotalAmount: 1200, Currency: "usd", CustomerEmail: &email,
			CustomFieldData: map[string]any{"size": `"s"`, "note": xss}, ExpiresAt: at.Add(time.Hour), CreatedAt: at}}
	render := func(p *checkoutPage) string {
		t.Helper()
		h, err := w.Fragment("checkout", "checkout_form", p)
		if err != nil {
			t.Fatal(err)
		}
		return string(h)
	}
	inline := func(p *checkoutPage) string {
		for i := range p.Products {
			p.Products[i].HTML = ""
		}
		for _, f := range append([]*checkoutField{p.Amount, p.Email, p.Name, p.Country}, append(p.Fields, p.Card...)...) {
			if f != nil {
				f.HTML = ""
			}
		}
		return render(p)
	}
	for i, c := range []struct {
		posted url.Values
		probs  fieldProblems
	}{
		{}, {}, // the second from kept fragments
		{url.Values{"customer_email": {"bad<i>"}}, fieldProblems{"customer_email": "is not an email <address>"}},
	} {
		p := w.buildCheckoutPage(st, nil, "token", c.posted, c.probs, "")
		got := render(p)
		if want := inline(w.buildCheckoutPage(st, nil, "token", c.posted, c.probs, "")); got != want {
			t.Fatalf("request %d: kept fragments\n%s\nthe templates\n%s", i, got, want)
		}
		if strings.Contains(got, xss) || !strings.Contains(got, "Kit &lt;script&gt;") || !strings.Contains(got, `value="&#34;s&#34;" selected`) {
			t.Fatalf("request %d: not escaped as it should be:\n%s", i, got)
		}
		if c.posted != nil && !strings.Contains(got, `value="bad&lt;i&gt;"`) {
			t.Fatalf("the posted email is not shown again:\n%s", got)
		}
	}
	if n := len(w.fragments.fields.m); n == 0 || len(w.fragments.choices.m) != 2 {
		t.Fatalf("kept %d fields and %d products", n, len(w.fragments.choices.m))
	}
}
