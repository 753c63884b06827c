package checkoutpage_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

const shopOrigin = "https://shop.example.com"

// framer is a browser in a frame of another site: no cookies at all (a
// SameSite=Lax cookie is not sent from a cross-site frame), no redirects followed.
type framer struct {
	t      *testing.T
	in     *paylinktest.Instance
	client *http.Client
}

func newFramer(t *testing.T, in *paylinktest.Instance) *framer {
	return &framer{t: t, in: in, client: &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (f *framer) do(method, u string, form url.Values, header http.Header) (*http.Response, string) {
	f.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	if !strings.HasPrefix(u, "http") {
		u = f.in.URL + u
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		f.t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := f.client.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// visit opens the link with the query, expects the 303 to the checkout page
// and returns the page's address (path and query).
func (f *framer) visit(link string, q url.Values) string {
	f.t.Helper()
	resp, _ := f.do("GET", link+"?"+q.Encode(), nil, nil)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "/checkout/pl_c_") {
		f.t.Fatalf("visit: %d, Location %q", resp.StatusCode, loc)
	}
	return strings.TrimPrefix(loc, f.in.URL)
}

func embedQuery(origin, theme string) url.Values {
	return url.Values{"embed": {"true"}, "embed_origin": {origin}, "theme": {theme}}
}

func allowEmbed(t *testing.T, in *paylinktest.Instance, hosts ...string) {
	t.Helper()
	in.Must(t, "PATCH", "/v1/organizations/"+in.OrgID, in.Token, map[string]any{"embed_hosts": hosts}, 200, nil)
}

// framable checks a page's answer: framed by exactly origin, or ("")
// unframeable by anyone.
func framable(t *testing.T, what string, resp *http.Response, origin string) {
	t.Helper()
	csp, xfo := resp.Header.Get("Content-Security-Policy"), resp.Header.Get("X-Frame-Options")
	if csp == "" {
		t.Fatalf("%s: no Content-Security-Policy (status %d)", what, resp.StatusCode)
	}
	var ancestors string
	for _, d := range strings.Split(csp, ";") {
		if d = strings.TrimSpace(d); strings.HasPrefix(d, "frame-ancestors") {
			ancestors = d
		}
	}
	if origin == "" {
		if ancestors != "frame-ancestors 'none'" || xfo != "DENY" {
			t.Errorf("%s: %q and X-Frame-Options %q, want frame-ancestors 'none' and DENY", what, ancestors, xfo)
		}
		return
	}
	if ancestors != "frame-ancestors "+origin || xfo != "" {
		t.Errorf("%s: %q and X-Frame-Options %q, want exactly frame-ancestors %s and no X-Frame-Options", what, ancestors, xfo, origin)
	}
}

// TestEmbedHeaders checks who may frame the checkout: the allowed origin
// exactly, in embed mode only; a disallowed origin, a page without the
// parameter and every other page stay unframeable.
func TestEmbedHeaders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		in := paylinktest.Start(t, dbURL, nil)
		allowEmbed(t, in, shopOrigin, "http://localhost:3000")
		f := newFramer(t, in)

		page := f.visit(in.LinkURL, embedQuery("https://SHOP.example.com/", "dark"))
		u, _ := url.Parse(page)
		if q := u.Query(); q.Get("embed") != "true" || q.Get("embed_origin") != "https://SHOP.example.com/" || q.Get("theme") != "dark" {
			t.Errorf("the visit's redirect %s does not carry the embed parameters", page)
		}
		resp, body := f.do("GET", page, nil, nil)
		framable(t, "allowed origin", resp, shopOrigin)
		doc := webtest.ParsePage(t, body)
		script := doc.Find(func(e *webtest.Elem) bool { return e.Tag == "script" && e.Attr["src"] == "/static/checkout_embed.js" })
		if script == nil || script.Attr["data-origin"] != shopOrigin {
			t.Errorf("embed mode: no checkout_embed.js posting to %s: %+v", shopOrigin, script)
		}
		if doc.ByID("embed-close") == nil {
			t.Errorf("embed mode: no close button")
		}
		if c := doc.Find(func(e *webtest.Elem) bool { return strings.HasPrefix(e.Attr["class"], "co ") }); c == nil || !strings.Contains(c.Attr["class"], "co-dark") {
			t.Errorf("theme=dark: the page is not dark")
		}
		form := doc.ByID("checkout-form")
		if form == nil || !strings.Contains(form.Attr["action"], "embed=true") || !strings.Contains(form.Attr["action"], url.QueryEscape(shopOrigin)) {
			t.Errorf("the form's action %q loses embed mode", form.Attr["action"])
		}
		if resp.Header.Get("Set-Cookie") != "" {
			t.Errorf("embed mode sets a cookie (%q): a cross-site frame would not send it back", resp.Header.Get("Set-Cookie"))
		}
		// A session the API made with embed_origin: embed=true alone suffices.
		var co struct {
			URL         string  `json:"url"`
			EmbedOrigin *string `json:"embed_origin"`
		}
		in.Must(t, "POST", "/v1/checkouts/", in.Token, map[string]any{"products": []string{webtest.ProductID(t, in, "Starter Kit")},
			"embed_origin": shopOrigin}, 201, &co)
		if co.EmbedOrigin == nil || *co.EmbedOrigin != shopOrigin {
			t.Errorf("the session's embed_origin = %v", co.EmbedOrigin)
		}
		resp, _ = f.do("GET", co.URL+"?embed=true", nil, nil)
		framable(t, "embed=true with the session's embed_origin", resp, shopOrigin)
		resp, _ = f.do("GET", co.URL, nil, nil)
		framable(t, "the session's page without embed=true", resp, "")

		for name, q := range map[string]url.Values{
			"disallowed origin":        embedQuery("https://evil.example", "light"),
			"allowed host, other port": embedQuery("https://shop.example.com:8443", "light"),
			"a wildcard":               embedQuery("*", "light"),
			"no embed=true":            {"embed_origin": {shopOrigin}},
			"no embed parameter":       {},
		} {
			p := f.visit(in.LinkURL, q)
			resp, body := f.do("GET", p, nil, nil)
			framable(t, name, resp, "")
			if strings.Contains(body, "checkout_embed.js") || strings.Contains(body, `id="embed-close"`) {
				t.Errorf("%s: the page is in embed mode", name)
			}
		}

		// Every other page stays unframeable, whatever it is asked.
		eq := "?" + embedQuery(shopOrigin, "light").Encode()
		for _, p := range []string{"/dashboard/sign-in" + eq, "/portal/demo-store" + eq, "/checkout/pl_c_nothere" + eq, "/nothing" + eq} {
			resp, _ := f.do("GET", p, nil, nil)
			framable(t, p, resp, "")
		}
	})
}

// TestEmbedFormPosts pays in embed mode without any cookie, as a browser does
// in a cross-site frame: the embed token with paylink's Origin passes, the
// embed state stays on every answer, the merchant's success_url goes to the
// merchant's page (the "success" message), never the frame; the token without
// our Origin, or from another site, or the cookie's token fails.
func TestEmbedFormPosts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		in := paylinktest.Start(t, dbURL, nil)
		allowEmbed(t, in, shopOrigin)
		link := webtest.CreateLink(t, in, webtest.ProductID(t, in, "Starter Kit"), shopOrigin+"/thanks?checkout={CHECKOUT_ID}")
		f := newFramer(t, in)
		page := f.visit(link, embedQuery(shopOrigin, "light"))
		_, body := f.do("GET", page, nil, nil)
		doc := webtest.ParsePage(t, body)
		token := doc.Find(func(e *webtest.Elem) bool { return e.Attr["name"] == "csrf" }).Attr["value"]
		action := doc.ByID("checkout-form").Attr["action"]
		ours := http.Header{"Origin": {in.URL}, "X-Paylink-Partial": {"1"}}

		for name, tc := range map[string]struct {
			token  string
			header http.Header
		}{
			"no Origin":             {token, http.Header{"X-Paylink-Partial": {"1"}}},
			"the merchant's Origin": {token, http.Header{"Origin": {shopOrigin}, "X-Paylink-Partial": {"1"}}},
			"another token":         {"x" + token[1:], ours},
			"no token":              {"", ours},
		} {
			resp, _ := f.do("POST", action, url.Values{"csrf": {tc.token}, "action": {"update"}, "customer_name": {"Mallory"}}, tc.header)
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s: %d, want 403", name, resp.StatusCode)
			}
			framable(t, name+" (the refusal)", resp, shopOrigin)
		}
		// The normal page's cookie-bound token is no embed token.
		s := webtest.NewShopper(t, in)
		s.Visit(link)
		resp, _ := f.do("POST", action, url.Values{"csrf": {s.CSRF}, "action": {"update"}}, ours)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("the cookie page's token in embed mode: %d, want 403", resp.StatusCode)
		}

		resp, body = f.do("POST", action, url.Values{"csrf": {token}, "action": {"update"}, "customer_email": {"ada@example.com"}}, ours)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `value="ada@example.com"`) {
			t.Fatalf("update in embed mode: %d\n%s", resp.StatusCode, body)
		}
		if part := webtest.ParsePage(t, body).ByID("checkout-form"); part == nil || part.Attr["action"] != action {
			t.Errorf("the re-rendered form's action is not %s", action)
		}

		resp, _ = f.do("POST", action, url.Values{"csrf": {token}, "action": {"pay"}, "card_number": {"4242 4242 4242 4242"},
			"card_expiry": {"12 / 34"}, "card_cvc": {"123"}, "country": {"US"}, "shown_total": {"2900"}}, ours)
		to := resp.Header.Get("X-Paylink-Redirect")
		if resp.Header.Get("X-Paylink-Confirmed") == "" || !strings.HasPrefix(to, in.URL+"/checkout/") ||
			!strings.Contains(to, "/success?") || !strings.Contains(to, "embed=true") {
			t.Fatalf("pay in embed mode: %d, confirmed %q, redirect %q; want our success page in embed mode",
				resp.StatusCode, resp.Header.Get("X-Paylink-Confirmed"), to)
		}
		resp, body = f.do("GET", to, nil, nil)
		framable(t, "the success page in embed mode", resp, shopOrigin)
		doc = webtest.ParsePage(t, body)
		script := doc.Find(func(e *webtest.Elem) bool { return e.Tag == "script" && e.Attr["src"] == "/static/checkout_embed.js" })
		if script == nil || !strings.HasPrefix(script.Attr["data-success-url"], shopOrigin+"/thanks?checkout=") ||
			strings.Contains(script.Attr["data-success-url"], "{CHECKOUT_ID}") || script.Attr["data-redirect"] != "true" {
			t.Errorf("the success page's message: %+v, want the success_url with the id and redirect", script)
		}
		if o := webtest.OrderOf(t, in, strings.TrimPrefix(strings.SplitN(page, "?", 2)[0], "/checkout/")); o.Amount != 2900 {
			t.Errorf("order %+v", o)
		}
		// The same page outside embed mode goes to the success_url as before.
		resp, _ = f.do("GET", strings.SplitN(to, "?", 2)[0], nil, nil)
		framable(t, "the success page without embed", resp, "")
	})
}

// TestEmbedStripePending keeps embed mode through a payment that waits for
// the bank (3-D Secure, Stripe mode against the fake Stripe): the pending
// page, a reload during it and the poll stay framable by the embed origin and
// lead to our success page in embed mode.
func TestEmbedStripePending(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		fs := newFakeStripe(t)
		in := paylinktest.Start(t, dbURL, fs.env())
		allowEmbed(t, in, shopOrigin)
		fs.setStatus("requires_action")
		f := newFramer(t, in)
		page := f.visit(in.LinkURL, url.Values{"embed": {"true"}, "embed_origin": {shopOrigin}, "theme": {"light"},
			"customer_email": {"embed3ds@example.com"}})
		resp, body := f.do("GET", page, nil, nil)
		framable(t, "Stripe mode in embed mode", resp, shopOrigin)
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "https://js.stripe.com") {
			t.Errorf("embed mode lost Stripe's sources: %s", csp)
		}
		doc := webtest.ParsePage(t, body)
		form := payFields("ctoken_embed3ds")
		form.Set("csrf", doc.Find(func(e *webtest.Elem) bool { return e.Attr["name"] == "csrf" }).Attr["value"])
		resp, body = f.do("POST", doc.ByID("checkout-form").Attr["action"], form, http.Header{"Origin": {in.URL}, "X-Paylink-Partial": {"1"}})
		if resp.StatusCode != 200 || resp.Header.Get("X-Paylink-Confirmed") == "" {
			t.Fatalf("pay: %d, confirmed %q\n%s", resp.StatusCode, resp.Header.Get("X-Paylink-Confirmed"), body)
		}
		p := webtest.ParsePage(t, body).ByID("payment-pending")
		if p == nil || !strings.Contains(p.Attr["data-poll"], "/payment?") || !strings.Contains(p.Attr["data-poll"], "embed=true") {
			t.Fatalf("the pending payment's poll loses embed mode: %+v", p)
		}
		resp, _ = f.do("GET", page, nil, nil) // a reload during 3-D Secure
		framable(t, "a reload during 3-D Secure", resp, shopOrigin)
		poll := p.Attr["data-poll"]
		if resp, _ := f.do("GET", poll, nil, partial); resp.StatusCode != 202 {
			t.Errorf("poll while the bank waits: %d", resp.StatusCode)
		}
		fs.setStatus("succeeded")
		resp, _ = f.do("GET", poll, nil, partial)
		to := resp.Header.Get("X-Paylink-Redirect")
		if !strings.Contains(to, "/success?") || !strings.Contains(to, "embed=true") {
			t.Fatalf("poll after 3-D Secure: %d %q, want the success page in embed mode", resp.StatusCode, to)
		}
		resp, body = f.do("GET", to, nil, nil)
		framable(t, "the success page after 3-D Secure", resp, shopOrigin)
		if !strings.Contains(body, `data-redirect="false"`) {
			t.Errorf("without success_url the success page stays in the frame (redirect false)")
		}
	})
}
