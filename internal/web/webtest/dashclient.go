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

// el matches elements with the tag ("" for any) whose attributes include every
// name=value pair of attrs.
func WithAttrs(tagName string, attrs ...string) func(*Elem) bool {
	return func(e *Elem) bool {
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
func OnlyOne(t *testing.T, n *Elem, match func(*Elem) bool, what string) *Elem {
	t.Helper()
	got := n.All(match)
	if len(got) != 1 {
		t.Fatalf("want one %s on the page, found %d", what, len(got))
	}
	return got[0]
}

// browser is a cookie-keeping HTTP client on a running paylink that follows
// redirects and remembers the last page's CSRF token and, on an edit form, the
// version of the row it shows.
type DashBrowser struct {
	t       *testing.T
	in      *paylinktest.Instance
	c       *http.Client
	csrf    string
	version string
	Last    *http.Response // the last answer, after redirects
}

func NewDashBrowser(t *testing.T, in *paylinktest.Instance) *DashBrowser {
	jar, _ := cookiejar.New(nil)
	return &DashBrowser{t: t, in: in, c: &http.Client{Jar: jar}}
}

func (b *DashBrowser) Do(req *http.Request) (int, *Elem) {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	b.Last = resp
	doc := &Elem{}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		doc = ParsePage(b.t, string(body))
		if ins := doc.All(WithAttrs("input", "name", "csrf")); len(ins) > 0 {
			b.csrf = ins[0].Attr["value"]
		}
		b.version = ""
		if ins := doc.All(WithAttrs("input", "name", "version")); len(ins) > 0 {
			b.version = ins[0].Attr["value"]
		}
	}
	return resp.StatusCode, doc
}

// Get loads a path (or a full URL).
func (b *DashBrowser) Get(path string) (int, *Elem) {
	b.t.Helper()
	if !strings.HasPrefix(path, "http") {
		path = b.in.URL + path
	}
	req, _ := http.NewRequest("GET", path, nil)
	return b.Do(req)
}

// Post submits a form with the last page's CSRF token and version (unless form
// has them), as a browser submits the form it shows.
func (b *DashBrowser) Post(path string, form url.Values) (int, *Elem) {
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
	return b.Do(req)
}
