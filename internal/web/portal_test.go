package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/portal"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/subscriptions"
)

func TestReceiptPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		p := newPortalShop(t, db)
		b := newDashBrowser(t, p.in)
		status, doc := b.get("/receipts/" + p.annKit.ReceiptToken)
		text := doc.text()
		for _, want := range []string{"Receipt", p.annKit.ReceiptLabel(), p.org.Name, "Ann Lee", "ann@example.com", "Starter Kit",
			"Subtotal", "$29.00", "Discount", "−$5.00", "Tax", "$0.00", "Total paid", "$24.00", "Test card",
			p.annKit.CreatedAt.Format("January 2, 2006")} {
			if !strings.Contains(text, want) {
				t.Errorf("the receipt does not say %q: %s", want, text)
			}
		}
		if status != 200 || !strings.Contains(b.last.Header.Get("Cache-Control"), "no-store") {
			t.Fatalf("receipt: %d, Cache-Control %q", status, b.last.Header.Get("Cache-Control"))
		}
		if doc.find(withAttrs("link", "href", "/static/portal.css")) == nil {
			t.Fatal("the receipt has no print styles")
		}
		_, doc = b.get("/receipts/" + p.annPlan.ReceiptToken)
		if !strings.Contains(doc.text(), "Pro Plan (every month)") || p.annPlan.ReceiptNumber != p.annKit.ReceiptNumber+1 {
			t.Errorf("the plan's receipt: %s (number %d after %d)", doc.text(), p.annPlan.ReceiptNumber, p.annKit.ReceiptNumber)
		}
		for _, bad := range []string{"pl_r_unknown", p.annKit.ID} {
			if status, _ := b.get("/receipts/" + bad); status != 404 {
				t.Errorf("receipt %s: %d, want 404", bad, status)
			}
		}
	})
}

func TestPortalSignInWithCode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		p := newPortalShop(t, db)
		base := portal.PortalPath(p.org.Slug)
		b := newDashBrowser(t, p.in)
		status, doc := b.get(base)
		if status != 200 || doc.byID("email") == nil {
			t.Fatalf("signed out portal: %d %s", status, doc.text())
		}
		// No form token, no code.
		if status, _ := b.post(base+"/code", url.Values{"email": {"ann@example.com"}, "csrf": {"forged"}}); status != 403 {
			t.Fatalf("a post without the form token: %d", status)
		}
		// A customer and a stranger read the same answer.
		_, known := b.post(base+"/code", url.Values{"email": {"ann@example.com"}})
		_, unknown := b.post(base+"/code", url.Values{"email": {"nobody@example.com"}})
		if strings.ReplaceAll(known.text(), "ann@example.com", "X") != strings.ReplaceAll(unknown.text(), "nobody@example.com", "X") {
			t.Fatalf("the answers differ:\n%s\n%s", known.text(), unknown.text())
		}
		code := p.code("ann@example.com")
		if len(code) != 6 || p.code("nobody@example.com") != "" || known.byID("code") == nil {
			t.Fatalf("codes: %q %q", code, p.code("nobody@example.com"))
		}
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		status, doc = b.post(base+"/sign-in", url.Values{"email": {"ann@example.com"}, "code": {wrong}})
		if status != 401 || !strings.Contains(doc.text(), "invalid or has expired") {
			t.Fatalf("a wrong code: %d %s", status, doc.text())
		}
		status, doc = b.post(base+"/sign-in", url.Values{"email": {"ann@example.com"}, "code": {code}})
		text := doc.text()
		if status != 200 || !strings.Contains(text, "Signed in as ann@example.com") {
			t.Fatalf("signed in: %d %s", status, text)
		}
		var cookie *http.Cookie
		for _, c := range b.last.Request.Response.Cookies() {
			if c.Name == "paylink_portal" {
				cookie = c
			}
		}
		if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != base {
			t.Fatalf("the portal cookie: %+v", cookie)
		}
		for _, want := range []string{"Starter Kit", "$24.00", p.annKit.ReceiptLabel(), "Pro Plan", "Active", "renews on"} {
			if !strings.Contains(text, want) {
				t.Errorf("the portal does not show %q: %s", want, text)
			}
		}
		if strings.Contains(text, p.boKit.ReceiptLabel()) || strings.Contains(text, "Cancel subscription") {
			t.Errorf("the portal shows Bo's order or a cancel it cannot do: %s", text)
		}
		if doc.find(withAttrs("a", "href", "/receipts/"+p.annKit.ReceiptToken)) == nil {
			t.Error("no link to the order's receipt")
		}
		// The code is used up; a form without the session's token signs nobody out.
		if status, _ := b.post(base+"/sign-in", url.Values{"email": {"ann@example.com"}, "code": {code}}); status != 401 {
			t.Fatalf("a used code: %d", status)
		}
		b.get(base)
		if status, _ := b.post(base+"/sign-out", url.Values{"csrf": {"forged"}}); status != 403 {
			t.Fatalf("sign-out without the session's token: %d", status)
		}
		b.post(base+"/sign-out", url.Values{})
		if _, doc := b.get(base); doc.byID("email") == nil {
			t.Fatal("still signed in after signing out")
		}
		// Without a way to send email, the form says so instead of pretending.
		p.portal.SendCode = nil
		status, doc = b.post(base+"/code", url.Values{"email": {"ann@example.com"}})
		if status != 501 || !strings.Contains(doc.text(), "not available") || doc.byID("email") == nil {
			t.Fatalf("without SendCode: %d %s", status, doc.text())
		}
	})
}

// The API's customer_portal_url signs the browser in as that customer, and the
// token leaves the address bar.
func TestPortalSignInFromCustomerSession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		p := newPortalShop(t, db)
		b := newDashBrowser(t, p.in)
		var sess struct {
			URL string `json:"customer_portal_url"`
		}
		p.in.Must(t, "POST", "/v1/customer-sessions/", p.token, map[string]any{"customer_id": p.bo.ID}, 201, &sess)
		status, doc := b.get(sess.URL)
		if status != 200 || b.last.Request.URL.RawQuery != "" || !strings.Contains(doc.text(), "Signed in as bo@example.com") {
			t.Fatalf("portal URL: %d %s %s", status, b.last.Request.URL, doc.text())
		}
		if !strings.Contains(doc.text(), p.boKit.ReceiptLabel()) || strings.Contains(doc.text(), p.annKit.ReceiptLabel()) {
			t.Fatalf("Bo's portal: %s", doc.text())
		}
		stale := newDashBrowser(t, p.in)
		if status, doc := stale.get(p.url + portal.PortalPath(p.org.Slug) + "?customer_session_token=pl_cst_nope"); status != 401 || doc.byID("email") == nil {
			t.Fatalf("a bad token: %d", status)
		}
	})
}

// The portal cancels at period end through the subscriptions service after
// asking, shows the end date, and resumes; another customer's subscription
// answers 404.
func TestPortalCancelAndResume(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		p := newPortalShop(t, db)
		p.portal.Subscriptions = &subscriptions.Service{Store: p.st}
		base := portal.PortalPath(p.org.Slug)
		ann, bo := p.signedIn(t, "ann@example.com"), p.signedIn(t, "bo@example.com")
		bo.get(base)
		if status, _ := bo.post(base+"/subscriptions/"+p.annSub.ID+"/cancel", url.Values{"confirm": {"yes"}}); status != 404 {
			t.Fatalf("Bo cancels Ann's subscription: %d", status)
		}
		_, doc := ann.get(base)
		if doc.find(func(e *elem) bool { return e.Tag == "button" && e.text() == "Cancel subscription" }) == nil {
			t.Fatalf("no cancel button: %s", doc.text())
		}
		_, doc = ann.post(base+"/subscriptions/"+p.annSub.ID+"/cancel", url.Values{})
		if !strings.Contains(doc.text(), "Cancel Pro Plan?") || p.subscription(t).CancelAtPeriodEnd {
			t.Fatalf("cancel asks first: %s", doc.text())
		}
		status, doc := ann.post(base+"/subscriptions/"+p.annSub.ID+"/cancel", url.Values{"confirm": {"yes"}})
		if !p.subscription(t).CancelAtPeriodEnd {
			t.Fatal("the confirmed cancel did not reach the subscription")
		}
		end := p.annSub.CurrentPeriodEnd.Format("January 2, 2006")
		if status != 200 || !strings.Contains(doc.text(), "Ends on "+end) || !strings.Contains(doc.text(), "Resume subscription") {
			t.Fatalf("after cancel: %d %s", status, doc.text())
		}
		_, doc = ann.post(base+"/subscriptions/"+p.annSub.ID+"/resume", url.Values{})
		if sub := p.subscription(t); !strings.Contains(doc.text(), "renews on") || sub.CancelAtPeriodEnd || sub.EndsAt != nil {
			t.Fatalf("after resume: %s %+v", doc.text(), sub)
		}
	})
}

// signedIn returns a browser signed in to the portal as email with an emailed code.
func (p *portalShop) signedIn(t *testing.T, email string) *dashBrowser {
	t.Helper()
	b := newDashBrowser(t, p.in)
	base := portal.PortalPath(p.org.Slug)
	b.get(base)
	b.post(base+"/code", url.Values{"email": {email}})
	if status, doc := b.post(base+"/sign-in", url.Values{"email": {email}, "code": {p.code(email)}}); status != 200 ||
		!strings.Contains(doc.text(), "Signed in as "+email) {
		t.Fatalf("sign in as %s: %d", email, status)
	}
	return b
}

// subscription reads Ann's subscription as it is now.
func (p *portalShop) subscription(t *testing.T) *paylink.Subscription {
	t.Helper()
	var sub *paylink.Subscription
	if err := p.st.Read(context.Background(), func(tx *store.Tx) (err error) {
		sub, err = tx.SubscriptionGet(context.Background(), p.org.ID, p.annSub.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return sub
}
