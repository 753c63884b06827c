package mail

import (
	"strings"
	"testing"

	"github.com/paylink/paylink"
)

// Every kind renders a one-line subject, a text part and an escaped HTML part
// that name the shop, with the portal link in customers' emails only.
func TestRenderEveryKind(t *testing.T) {
	org := &paylink.Organization{Name: "Ann & <Co>", Slug: "ann", SupportEmail: "help@ann.example"}
	product := "Guide\r\nBcc: evil@example.com <b>"
	for kind, c := range map[Kind]struct {
		data     any
		customer bool
		want     string // in the text part
	}{
		KindReceipt: {ReceiptData{ProductName: product, Currency: "usd", Subtotal: 1000, DiscountAmount: 100, DiscountName: "Ten",
			Total: 900, Interval: "month", OrderID: "o1", Date: "3 December 2026", ReceiptURL: "http://x/portal/ann"}, true, "Discount: -$1.00 (Ten)"},
		KindSignInLink:           {SignInLinkData{Email: "ann@example.com", Link: "http://x/dashboard/welcome/pl_si_1", Valid: "one hour"}, false, "pl_si_1"},
		KindRefund:               {RefundData{ProductName: product, OrderID: "o1", Currency: "eur", Amount: 250, Paid: 1000}, true, "refunded €2.50"},
		KindSubscriptionCanceled: {SubscriptionData{ProductName: product, EndsAt: "3 January 2027"}, true, "until 3 January 2027"},
		KindSubscriptionEnded:    {SubscriptionData{ProductName: product, EndsAt: "3 January 2027"}, true, "ended on 3 January 2027"},
		KindRenewalFailed: {RenewalFailedData{ProductName: product, Currency: "usd", Amount: 900, Reason: "Your card was declined.",
			NextAttempt: "6 December 2026", FixURL: "http://x/portal/ann"}, true, "try again on 6 December 2026"},
		KindPortalCode: {PortalCodeData{Code: "482913", Valid: "15 minutes"}, true, "482913"},
	} {
		v := view{Org: org, PublicURL: "http://x", Data: c.data}
		if c.customer {
			v.PortalURL = "http://x/portal/ann"
		}
		subject, text, html, err := render(kind, v)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if subject == "" || strings.ContainsAny(subject, "\r\n") {
			t.Errorf("%s: subject %q", kind, subject)
		}
		if !strings.Contains(text, c.want) || !strings.Contains(text, "Ann & <Co>") {
			t.Errorf("%s: text part lacks %q or the shop:\n%s", kind, c.want, text)
		}
		if strings.Contains(html, "<Co>") || strings.Contains(html, "<b>") || !strings.Contains(html, "Ann &amp; &lt;Co&gt;") {
			t.Errorf("%s: HTML part not escaped:\n%s", kind, html)
		}
		if got := strings.Contains(text, "http://x/portal/ann") && strings.Contains(html, "http://x/portal/ann"); got != c.customer {
			t.Errorf("%s: portal link %v, want %v", kind, got, c.customer)
		}
		if !strings.Contains(html, `name="viewport"`) {
			t.Errorf("%s: the HTML part has no viewport for phones", kind)
		}
	}
	if _, _, _, err := render("nope", view{Org: org}); !paylink.IsCode(err, paylink.EInternal) {
		t.Fatalf("unknown kind: %v", err)
	}
}

// A receipt lists what the order delivers: the note, the key and a link per
// file (never the file), escaped in the HTML part.
func TestReceiptListsTheBenefits(t *testing.T) {
	d := ReceiptData{ProductName: "App", Currency: "usd", Total: 900, OrderID: "o1", Date: "3 December 2026",
		ReceiptURL: "http://x/portal/ann", Benefits: []ReceiptBenefit{
			{Description: "Welcome <note>", Note: "Read <b>this</b>"},
			{Description: "App key", Key: "APP-1234"},
			{Description: "The app", Files: []ReceiptFile{{Name: "app.zip", Size: "1.0 MB",
				URL: "http://x/files/download/f1?expires=1&scope=d1&signature=s"}}},
		}}
	_, text, html, err := render(KindReceipt, view{Org: &paylink.Organization{Name: "Ann"}, PublicURL: "http://x", Data: d})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Welcome <note>", "Read <b>this</b>", "License key: APP-1234",
		"app.zip (1.0 MB): http://x/files/download/f1?expires=1&scope=d1&signature=s"} {
		if !strings.Contains(text, want) {
			t.Errorf("the text part lacks %q:\n%s", want, text)
		}
	}
	for _, want := range []string{"Welcome &lt;note&gt;", "Read &lt;b&gt;this&lt;/b&gt;", "APP-1234",
		`href="http://x/files/download/f1?expires=1&amp;scope=d1&amp;signature=s"`, "Download app.zip"} {
		if !strings.Contains(html, want) {
			t.Errorf("the HTML part lacks %q:\n%s", want, html)
		}
	}
}
