package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
)

// shopper is a customer's browser without JavaScript: a cookie jar, no
// automatic redirects, and the page it looks at.
type shopper struct {
	t      *testing.T
	in     *paylinktest.Instance
	client *http.Client
	secret string // the checkout session's client secret
	csrf   string // the form token of the last page
}

func newShopper(t *testing.T, in *paylinktest.Instance) *shopper {
	jar, _ := cookiejar.New(nil)
	return &shopper{t: t, in: in, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// visit opens a link URL: it expects the 303 to a checkout page, follows it and
// returns the page.
func (s *shopper) visit(linkURL string) *elem {
	s.t.Helper()
	resp, _ := s.do("GET", linkURL, nil, nil)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "/checkout/pl_c_") {
		s.t.Fatalf("visit %s: %d, Location %q", linkURL, resp.StatusCode, loc)
	}
	rest := loc[strings.Index(loc, "/checkout/")+len("/checkout/"):]
	s.secret, _, _ = strings.Cut(rest, "?")
	return s.page(200)
}

// page gets the session's checkout page and expects the status.
func (s *shopper) page(want int) *elem {
	s.t.Helper()
	resp, body := s.do("GET", s.in.URL+"/checkout/"+s.secret, nil, nil)
	if resp.StatusCode != want {
		s.t.Fatalf("GET checkout page: %d, want %d\n%s", resp.StatusCode, want, body)
	}
	return s.parse(body)
}

// post sends the checkout form with the page's token and the fields (an
// "action" among them), and returns the response and its parsed body.
func (s *shopper) post(fields url.Values, header http.Header) (*http.Response, *elem, string) {
	s.t.Helper()
	form := url.Values{"csrf": {s.csrf}}
	for k, v := range fields {
		form[k] = v
	}
	if header == nil {
		header = http.Header{}
	}
	header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, body := s.do("POST", s.in.URL+"/checkout/"+s.secret, strings.NewReader(form.Encode()), header)
	var doc *elem
	if strings.Contains(resp.Header.Get("Content-Type"), "text/html") && body != "" {
		doc = s.parse(body)
	}
	return resp, doc, body
}

// pay posts action=pay with a card, a country and the fields.
func (s *shopper) pay(card string, fields url.Values) (*http.Response, *elem, string) {
	s.t.Helper()
	f := url.Values{"action": {"pay"}, "card_number": {card}, "card_expiry": {"12 / 34"}, "card_cvc": {"123"}, "country": {"US"}}
	for k, v := range fields {
		f[k] = v
	}
	return s.post(f, nil)
}

func (s *shopper) parse(body string) *elem {
	s.t.Helper()
	doc := parsePage(s.t, body)
	if in := doc.find(func(e *elem) bool { return e.Tag == "input" && e.Attr["name"] == "csrf" }); in != nil {
		s.csrf = in.Attr["value"]
	}
	return doc
}

func (s *shopper) do(method, u string, body io.Reader, header http.Header) (*http.Response, string) {
	s.t.Helper()
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		s.t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := s.client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return resp, string(b)
}
