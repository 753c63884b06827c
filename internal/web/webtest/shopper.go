package webtest

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
)

// Shopper is a customer's browser without JavaScript: a cookie jar, no
// automatic redirects, and the page it looks at.
type Shopper struct {
	t      *testing.T
	in     *paylinktest.Instance
	client *http.Client
	Secret string // the checkout session's client secret
	CSRF   string // the form token of the last page
}

func NewShopper(t *testing.T, in *paylinktest.Instance) *Shopper {
	jar, _ := cookiejar.New(nil)
	return &Shopper{t: t, in: in, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Visit opens a link URL: it expects the 303 to a checkout page, follows it and
// returns the page.
func (s *Shopper) Visit(linkURL string) *Elem {
	s.t.Helper()
	resp, _ := s.Do("GET", linkURL, nil, nil)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "/checkout/pl_c_") {
		s.t.Fatalf("visit %s: %d, Location %q", linkURL, resp.StatusCode, loc)
	}
	rest := loc[strings.Index(loc, "/checkout/")+len("/checkout/"):]
	s.Secret, _, _ = strings.Cut(rest, "?")
	return s.Page(200)
}

// Page gets the session's checkout Page and expects the status.
func (s *Shopper) Page(want int) *Elem {
	s.t.Helper()
	resp, body := s.Do("GET", s.in.URL+"/checkout/"+s.Secret, nil, nil)
	if resp.StatusCode != want {
		s.t.Fatalf("GET checkout page: %d, want %d\n%s", resp.StatusCode, want, body)
	}
	return s.Parse(body)
}

// Post sends the checkout form with the page's token and the fields (an
// "action" among them), and returns the response and its parsed body.
func (s *Shopper) Post(fields url.Values, header http.Header) (*http.Response, *Elem, string) {
	s.t.Helper()
	form := url.Values{"csrf": {s.CSRF}}
	for k, v := range fields {
		form[k] = v
	}
	if header == nil {
		header = http.Header{}
	}
	header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, body := s.Do("POST", s.in.URL+"/checkout/"+s.Secret, strings.NewReader(form.Encode()), header)
	var doc *Elem
	if strings.Contains(resp.Header.Get("Content-Type"), "text/html") && body != "" {
		doc = s.Parse(body)
	}
	return resp, doc, body
}

// Pay posts action=Pay with a card, a country and the fields.
func (s *Shopper) Pay(card string, fields url.Values) (*http.Response, *Elem, string) {
	s.t.Helper()
	f := url.Values{"action": {"pay"}, "card_number": {card}, "card_expiry": {"12 / 34"}, "card_cvc": {"123"}, "country": {"US"}}
	for k, v := range fields {
		f[k] = v
	}
	return s.Post(f, nil)
}

func (s *Shopper) Parse(body string) *Elem {
	s.t.Helper()
	doc := ParsePage(s.t, body)
	if in := doc.Find(func(e *Elem) bool { return e.Tag == "input" && e.Attr["name"] == "csrf" }); in != nil {
		s.CSRF = in.Attr["value"]
	}
	return doc
}

func (s *Shopper) Do(method, u string, body io.Reader, header http.Header) (*http.Response, string) {
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

// Poll asks how the payment stands, as checkout.js does.
func (s *Shopper) Poll() (*http.Response, *Elem) {
	s.t.Helper()
	resp, body := s.Do("GET", s.in.URL+"/checkout/"+s.Secret+"/payment", nil, http.Header{"X-Paylink-Partial": {"1"}})
	var doc *Elem
	if body != "" {
		doc = s.Parse(body)
	}
	return resp, doc
}
