package checkoutpage

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/bots"
)

// Visit handles GET /buy/{secret}: bots, prefetches and HEAD get a preview page with
// Open Graph tags and no session; people get a fresh session and a 303 to it.
func (w *Page) Visit(rw http.ResponseWriter, r *http.Request) {
	secret := r.PathValue("secret")
	rw.Header().Set("Cache-Control", "no-store")
	if bots.IsPreview(r.Method, r.Header) {
		v, err := w.Checkouts.Preview(r.Context(), secret)
		if err != nil {
			w.Fail(rw, r, err)
			return
		}
		w.Render(rw, r, http.StatusOK, "preview", previewPage{Title: v.Products[0].Name, Products: v.Products,
			URL: w.PublicURL + "/buy/" + url.PathEscape(secret)})
		return
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		// A malformed query string never blocks a purchase: keep what parses.
		q = lenientQuery(r.URL.RawQuery)
	}
	v, err := w.Checkouts.Open(r.Context(), secret, q, r.URL.RawQuery)
	if err != nil {
		w.Fail(rw, r, err)
		return
	}
	loc := w.PublicURL + "/checkout/" + url.PathEscape(v.Checkout.ClientSecret)
	if len(v.Remaining) > 0 {
		loc += "?" + v.Remaining.Encode()
	}
	// A bare 303: the Location is absolute, and a body (http.Redirect writes a
	// small HTML one) is read by no client that follows redirects.
	rw.Header().Set("Location", loc)
	rw.WriteHeader(http.StatusSeeOther)
}

// lenientQuery parses each key=value pair on its own, dropping the malformed ones.
func lenientQuery(raw string) url.Values {
	out := url.Values{}
	for len(raw) > 0 {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if p, err := url.ParseQuery(pair); err == nil {
			for k, vs := range p {
				out[k] = append(out[k], vs...)
			}
		}
	}
	return out
}

type previewPage struct {
	Title    string
	URL      string
	Products []*paylink.Product
}
