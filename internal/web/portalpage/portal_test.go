package portalpage_test

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
	"github.com/paylink/paylink/internal/web/webtest"
)

func TestReceiptPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		p := newPortalShop(t, db)
		b := webtest.NewDashBrowser(t, p.in)
		status, doc := b.Get("/receipts/" + p.annKit.ReceiptToken)
		text := doc.AllText()
		for _, want := range []string{"Receipt", p.annKit.ReceiptLabel(), p.org.Name, "Ann Lee", "ann@example.com", "Starter Kit",
			"Subtotal", "$29.00", "Discount", "−$5.00", "Tax", "$0.00", "Total paid", "$24.00", "Test card",
			p.annKit.CreatedAt.Format("January 2, 2006")} {
			if !strings.Contains(text, want) {
				t.Errorf("the receipt does not say %q: %s", want, text)
			}
		}
		if status != 200 || !strings.Contains(b.Last.Header.Get("Cache-Control"), "no-store") {
			t.Fatalf("receipt: %d, Cache-Control %q", status, b.Last.Header.Get("Cache-Control"))
		}
		if doc.Find(webtest.WithAttrs("link", "href", "/static/portal.css")) == nil {
			t.Fatal("the receipt has no print styles")
		}
		_, doc = b.Get("/receipts/" + p.annPlan.ReceiptToken)
		if !strings.Contains(doc.AllText(), "Pro Plan (every month)") || p.annPlan.ReceiptNumber != p.annKit.ReceiptNumber+1 {
			t.Errorf("the plan's receipt: %s (number %d after %d)", doc.AllText(), p.annPlan.ReceiptNumber, p.annKit.ReceiptNumber)
		}
		for _, bad := range []string{"pl_r_unknown", p.annKit.ID} {
			if status, _ := b.Get("/receipts/" + bad); status != 404 {
				t.Errorf("receipt %s: %d, want 404", bad, status)
			}
		}
	})
}

func TestPortalSignInWithCode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		p := newPortalShop(t, db)
		base := portal.PortalPath(p.org.Slug)
		b := webtest.NewDashBrowser(t, p.in)
		status, doc := b.Get(base)
		if status != 200 || doc.ByID("email") == nil {
			t.Fatalf("signed out portal: %d %s", status, doc.AllText())
		}
		// No form token, no code.
		if status, _ := b.Post(base+"/code", url.Values{"email": {"ann@example.com"}, "csrf": {"forged"}}); status != 403 {
			t.Fatalf("a post without the form token: %d", status)
		}
		// A customer and a stranger read the same answer.
		_, known := b.Post(base+"/code", url.Values{"email": {"ann@example.com"}})
		_, unknown := b.Post(base+"/code", url.Values{"email": {"nobody@example.com"}})
		if strings.ReplaceAll(known.AllText(), "ann@example.com", "X") != strings.ReplaceAll(unknown.AllText(), "nobody@example.com", "X") {
			t.Fatalf("the answers differ:\n%s\n%s", known.AllText(), unknown.AllText())
		}
		code := p.code("ann@example.com")
		if len(code) != 6 || p.code("nobody@example.com") != "" || known.ByID("code") == nil {
			t.Fatalf("codes: %q %q", code, p.code("nobody@example.com"))
		}
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		status, doc = b.Post(base+"/sign-in", url.Values{"email": {"ann@example.com"}, "code": {wrong}})
		if status != 401 || !strings.Contains(doc.AllText(), "invalid or has expired") {
			t.Fatalf("a wrong code: %d %s", status, doc.AllText())
		}
		status, doc = b.Post(base+"/sign-in", url.Values{"email": {"ann@example.com"}, "code": {code}})
		text := doc.AllText()
		if status != 200 || !strings.Contains(text, "Signed in as ann@example.com") {
			t.Fatalf("signed in: %d %s", status, text)
		}
		var cookie *http.Cookie
		for _, c := range b.Last.Request.Response.Cookies() {
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
		if doc.Find(webtest.WithAttrs("a", "href", "/receipts/"+p.annKit.ReceiptToken)) == nil {
			t.Error("no link to the order's receipt")
		}
		// The code is used up; a form without the session's token signs nobody out.
		if status, _ := b.Post(base+"/sign-in", url.Values{"email": {"ann@example.com"}, "code": {code}}); status != 401 {
			t.Fatalf("a used code: %d", status)
		}
		b.Get(base)
		if status, _ := b.Post(base+"/sign-out", url.Values{"csrf": {"forged"}}); status != 403 {
			t.Fatalf("sign-out without the session's token: %d", status)
		}
		b.Post(base+"/sign-out", url.Values{})
		if _, doc := b.Get(base); doc.ByID("email") == nil {
			t.Fatal("still signed in after signing out")
		}
		// Without a way to send email, the form says so instead of pretending.
		p.portal.SendCode = nil
		status, doc = b.Post(base+"/code", url.Values{"email": {"ann@example.com"}})
		if status != 501 || !strings.Contains(doc.AllText(), "not available") || doc.ByID("email") == nil {
			t.Fatalf("without SendCode: %d %s", status, doc.AllText())
		}
	})
}

// The API's customer_portal_url signs the browser in as that customer, and the
// token leaves the address bar.
func TestPortalSignInFromCustomerSession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		p := newPortalShop(t, db)
		b := webtest.NewDashBrowser(t, p.in)
		var sess struct {
			URL string `json:"customer_portal_url"`
		}
		p.in.Must(t, "POST", "/v1/customer-sessions/", p.token, map[string]any{"customer_id": p.bo.ID}, 201, &sess)
		status, doc := b.Get(sess.URL)
		if status != 200 || b.Last.Request.URL.RawQuery != "" || !strings.Contains(doc.AllText(), "Signed in as bo@example.com") {
			t.Fatalf("portal URL: %d %s %s", status, b.Last.Request.URL, doc.AllText())
		}
		if !strings.Contains(doc.AllText(), p.boKit.ReceiptLabel()) || strings.Contains(doc.AllText(), p.annKit.ReceiptLabel()) {
			t.Fatalf("Bo's portal: %s", doc.AllText())
		}
		stale := webtest.NewDashBrowser(t, p.in)
		if status, doc := stale.Get(p.url + portal.PortalPath(p.org.Slug) + "?customer_session_token=pl_cst_nope"); status != 401 || doc.ByID("email") == nil {
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
		bo.Get(base)
		if status, _ := bo.Post(base+"/subscriptions/"+p.annSub.ID+"/cancel", url.Values{"confirm": {"yes"}}); status != 404 {
			t.Fatalf("Bo cancels Ann's subscription: %d", status)
		}
		_, doc := ann.Get(base)
		if doc.Find(func(e *webtest.Elem) bool { return e.Tag == "button" && e.AllText() == "Cancel subscription" }) == nil {
			t.Fatalf("no cancel button: %s", doc.AllText())
		}
		_, doc = ann.Post(base+"/subscriptions/"+p.annSub.ID+"/cancel", url.Values{})
		if !strings.Contains(doc.AllText(), "Cancel Pro Plan?") || p.subscription(t).CancelAtPeriodEnd {
			t.Fatalf("cancel asks first: %s", doc.AllText())
		}
		status, doc := ann.Post(base+"/subscriptions/"+p.annSub.ID+"/cancel", url.Values{"confirm": {"yes"}})
		if !p.subscription(t).CancelAtPeriodEnd {
			t.Fatal("the confirmed cancel did not reach the subscription")
		}
		end := p.annSub.CurrentPeriodEnd.Format("January 2, 2006")
		if status != 200 || !strings.Contains(doc.AllText(), "Ends on "+end) || !strings.Contains(doc.AllText(), "Resume subscription") {
			t.Fatalf("after cancel: %d %s", status, doc.AllText())
		}
		_, doc = ann.Post(base+"/subscriptions/"+p.annSub.ID+"/resume", url.Values{})
		if sub := p.subscription(t); !strings.Contains(doc.AllText(), "renews on") || sub.CancelAtPeriodEnd || sub.EndsAt != nil {
			t.Fatalf("after resume: %s %+v", doc.AllText(), sub)
		}
	})
}

// signedIn returns a browser signed in to the portal as email with an emailed code.
func (p *portalShop) signedIn(t *testing.T, email string) *webtest.DashBrowser {
	t.Helper()
	b := webtest.NewDashBrowser(t, p.in)
	base := portal.PortalPath(p.org.Slug)
	b.Get(base)
	b.Post(base+"/code", url.Values{"email": {email}})
	if status, doc := b.Post(base+"/sign-in", url.Values{"email": {email}, "code": {p.code(email)}}); status != 200 ||
		!strings.Contains(doc.AllText(), "Signed in as "+email) {
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
