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

// The dashboard's handler tests read pages with the DOM helpers of
// checkout_dom_test.go (elem, parsePage, all, find, text, control).

// el matches elements with the tag ("" for any) whose attributes include every
// name=value pair of attrs.
func withAttrs(tagName string, attrs ...string) func(*elem) bool {
	return func(e *elem) bool {
		if tagName != "" && e.Tag != tagName {
			return false
		}
		for i := 0; i+1 < len(attrs); i += 2 {
			if v, ok := e.Attr[attrs[i]]; !ok || v != attrs[i+1] {
				return false
			}
		}
		return true
	}
}

// one returns the only element under n that matches, failing the test otherwise.
func onlyOne(t *testing.T, n *elem, match func(*elem) bool, what string) *elem {
	t.Helper()
	got := n.all(match)
	if len(got) != 1 {
		t.Fatalf("want one %s on the page, found %d", what, len(got))
	}
	return got[0]
}

// browser is a cookie-keeping HTTP client on a running paylink that follows
// redirects and remembers the last page's CSRF token and, on an edit form, the
// version of the row it shows.
type dashBrowser struct {
	t       *testing.T
	in      *paylinktest.Instance
	c       *http.Client
	csrf    string
	version string
	last    *http.Response
}

func newDashBrowser(t *testing.T, in *paylinktest.Instance) *dashBrowser {
	jar, _ := cookiejar.New(nil)
	return &dashBrowser{t: t, in: in, c: &http.Client{Jar: jar}}
}

func (b *dashBrowser) do(req *http.Request) (int, *elem) {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	b.last = resp
	doc := &elem{}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		doc = parsePage(b.t, string(body))
		if ins := doc.all(withAttrs("input", "name", "csrf")); len(ins) > 0 {
			b.csrf = ins[0].Attr["value"]
		}
		b.version = ""
		if ins := doc.all(withAttrs("input", "name", "version")); len(ins) > 0 {
			b.version = ins[0].Attr["value"]
		}
	}
	return resp.StatusCode, doc
}

// get loads a path (or a full URL).
func (b *dashBrowser) get(path string) (int, *elem) {
	b.t.Helper()
	if !strings.HasPrefix(path, "http") {
		path = b.in.URL + path
	}
	req, _ := http.NewRequest("GET", path, nil)
	return b.do(req)
}

// post submits a form with the last page's CSRF token and version (unless form
// has them), as a browser submits the form it shows.
func (b *dashBrowser) post(path string, form url.Values) (int, *elem) {
	b.t.Helper()
	if !strings.HasPrefix(path, "http") {
		path = b.in.URL + path
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", b.csrf)
	}
	if _, ok := form["version"]; !ok && b.version != "" {
		form.Set("version", b.version)
	}
	req, _ := http.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}
