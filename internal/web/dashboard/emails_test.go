package dashboard_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/demo"
	"github.com/paylink/paylink/internal/mailpit"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// payDemoLink opens the demo link's first product and pays it with a test card.
func payDemoLink(t *testing.T, in *paylinktest.Instance, email string) {
	t.Helper()
	resp, err := in.Client.Get(in.LinkURL)
	if err != nil || resp.StatusCode != 303 {
		t.Fatalf("visit: %v %v", resp, err)
	}
	resp.Body.Close()
	secret := resp.Header.Get("Location")[len(in.URL+"/checkout/"):]
	in.Must(t, "POST", "/v1/checkouts/client/"+secret+"/confirm", "", map[string]any{
		"confirmation_token_id": "tok_visa", "customer_email": email, "customer_billing_address": map[string]any{"country": "NL"}}, 200, nil)
}

// Without SMTP a receipt is kept in the Emails log: listed with its status and
// recipient, readable on its page (the text part, and the HTML part in a
// sandboxed frame under a policy of its own), and only by its organization.
func TestDashboardEmailsLogKeepsEmailsWithoutSMTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		payDemoLink(t, in, "kept@example.com")
		b := dashSignedIn(t, in, in.SignIn)

		status, doc := b.Get("/dashboard/emails")
		if status != 200 || !strings.Contains(doc.AllText(), "No SMTP server is configured") {
			t.Fatalf("emails page: %d %s", status, doc.AllText())
		}
		if cur := webtest.OnlyOne(t, doc, webtest.WithAttrs("a", "aria-current", "page"), "current nav entry"); cur.AllText() != "Emails" {
			t.Fatalf("nav marks %q", cur.AllText())
		}
		rows := doc.All(webtest.IsTag("tr"))
		if len(rows) != 2 {
			t.Fatalf("%d table rows, want a header and one email", len(rows))
		}
		row := rows[1].AllText()
		for _, want := range []string{"kept", "kept@example.com", "Your receipt from", "$29.00", "Receipt"} {
			if !strings.Contains(row, want) {
				t.Fatalf("row lacks %q: %s", want, row)
			}
		}
		link := rows[1].Find(webtest.IsTag("a")).Attr["href"]

		status, doc = b.Get(link)
		if status != 200 {
			t.Fatalf("email page: %d", status)
		}
		if csp := b.Last.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-src 'self'") {
			t.Fatalf("email page CSP: %s", csp)
		}
		text := webtest.OnlyOne(t, doc, webtest.IsTag("pre"), "text part").AllText()
		if !strings.Contains(text, "Starter Kit") || !strings.Contains(text, "Total: $29.00") {
			t.Fatalf("text part: %s", text)
		}
		frame := webtest.OnlyOne(t, doc, webtest.IsTag("iframe"), "HTML frame")
		if frame.Attr["sandbox"] != "allow-same-origin allow-popups allow-popups-to-escape-sandbox" || frame.Attr["src"] != link+"/html" {
			t.Fatalf("frame: %v", frame.Attr)
		}
		status, _ = b.Get(link + "/html")
		if csp := b.Last.Header.Get("Content-Security-Policy"); status != 200 || !strings.HasPrefix(csp, "sandbox") ||
			!strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "allow-scripts") {
			t.Fatalf("HTML part: %d, CSP %q", status, csp)
		}

		// The order's and the customer's pages list the email.
		related := 0
		for _, a := range doc.All(webtest.IsTag("a")) {
			if h := a.Attr["href"]; strings.HasPrefix(h, "/dashboard/orders/") || strings.HasPrefix(h, "/dashboard/customers/") {
				related++
				_, page := b.Get(h)
				if len(page.All(webtest.WithAttrs("a", "href", link))) == 0 {
					t.Errorf("%s does not list its email", h)
				}
			}
		}
		if related != 2 {
			t.Fatalf("the email page links %d of its order and customer", related)
		}

		// Another organization's member sees neither the email nor its HTML.
		other := dashSignedIn(t, in, dashNewUser(t, in, "Other Shop", "other@example.com"))
		for _, p := range []string{link, link + "/html"} {
			if status, _ := other.Get(p); status != 404 {
				t.Fatalf("another organization's %s: %d", p, status)
			}
		}
	})
}

var signInLinkRE = regexp.MustCompile(`http://\S+/dashboard/welcome/pl_si_\S+`)

// "Email me a sign-in link" sends a link, to a known address only, that signs
// in once; an unknown address gets the same answer and no email, and an address
// gets at most three links an hour.
func TestDashboardEmailedSignInLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		mp := mailpit.Start(t)
		in := paylinktest.Start(t, db, []string{"PAYLINK_SMTP_URL=" + mp.SMTPURL()})
		ask := func(email string) string {
			b := webtest.NewDashBrowser(t, in)
			b.Get("/dashboard/sign-in/email")
			status, doc := b.Post("/dashboard/sign-in/email", url.Values{"email": {email}})
			if status != 200 {
				t.Fatalf("ask for %s: %d", email, status)
			}
			return webtest.OnlyOne(t, doc, webtest.WithAttrs("p", "role", "status"), "notice").AllText()
		}
		known, unknown := ask(strings.ToUpper(demo.DemoEmail)), ask("nobody@example.com")
		if want := "If demo@example.com has a dashboard account, a sign-in link is on its way."; !strings.HasPrefix(known, want) {
			t.Fatalf("answer %q", known)
		}
		if strings.Replace(unknown, "nobody@example.com", "demo@example.com", 1) != known {
			t.Fatalf("the answers tell the accounts apart: %q / %q", known, unknown)
		}
		msgs := mp.WaitFor(t, 1)
		if len(msgs) != 1 || msgs[0].To[0].Address != demo.DemoEmail {
			t.Fatalf("messages: %+v", msgs)
		}
		link := signInLinkRE.FindString(msgs[0].Text)
		if link == "" || !strings.Contains(msgs[0].HTML, link) {
			t.Fatalf("no sign-in link in:\n%s", msgs[0].Text)
		}

		b := dashSignedIn(t, in, link)
		status, doc := b.Get("/dashboard/emails")
		if status != 200 || !strings.Contains(doc.AllText(), "Dashboard sign-in link") {
			t.Fatalf("emails log: %d", status)
		}
		// The log never shows the link, not even to its own recipient.
		emailPage := ""
		for _, a := range doc.All(webtest.IsTag("a")) {
			if strings.HasPrefix(a.Attr["href"], "/dashboard/emails/") {
				emailPage = a.Attr["href"]
			}
		}
		if status, doc := b.Get(emailPage); status != 200 || strings.Contains(doc.AllText(), "pl_si_") || len(doc.All(webtest.IsTag("iframe"))) != 0 {
			t.Fatalf("sign-in email's page (%d) shows the link: %s", status, doc.AllText())
		}
		if status, _ := b.Get(emailPage + "/html"); status != 404 {
			t.Fatalf("sign-in email's HTML part: %d, want 404", status)
		}
		if status, _ := webtest.NewDashBrowser(t, in).Get(link); status != 410 {
			t.Fatalf("the link used a second time: %d, want 410", status)
		}

		ask(demo.DemoEmail)
		ask(demo.DemoEmail)
		ask(demo.DemoEmail) // the fourth of the hour
		mp.WaitFor(t, 3)
		// The log is written with the request, so a fourth email would be in it by now.
		_, doc = b.Get("/dashboard/emails")
		if n := strings.Count(doc.AllText(), "Dashboard sign-in link"); n != 3 {
			t.Fatalf("%d sign-in emails in an hour, want at most 3", n)
		}
	})
}
