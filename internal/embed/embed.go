// Package embed is paylink's embedded checkout: the script a merchant's page
// loads from {public_url}/embed.js (a drop-in for @polar-sh/checkout's embed,
// listening to paylink's origin only), and the framing rule of the checkout
// page in embed mode: framed only by an origin the organization allows
// (embed_hosts), named exactly in frame-ancestors.
package embed

import (
	_ "embed"
	"net/http"
	"net/url"
	"strings"

	"github.com/paylink/paylink"
)

//go:embed embed.js
var script string

// Script returns embed.js for a paylink served at publicURL: its origin is the
// only one whose messages the script accepts, and the frame's allow list.
func Script(publicURL string) string {
	origin, ok := paylink.ParseOrigin(originOf(publicURL))
	if !ok {
		origin = strings.TrimRight(publicURL, "/")
	}
	return strings.ReplaceAll(script, "{{ORIGIN}}", origin)
}

func originOf(publicURL string) string {
	u, err := url.Parse(publicURL)
	if err != nil {
		return publicURL
	}
	return u.Scheme + "://" + u.Host
}

// Handler serves GET /embed.js: JavaScript, cacheable for an hour, loadable
// from any site.
func Handler(publicURL string) http.Handler {
	body := []byte(Script(publicURL))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/javascript; charset=utf-8")
		h.Set("Cache-Control", "public, max-age=3600")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		w.Write(body)
	})
}

// Frame is how a checkout page answers a request in embed mode.
type Frame struct {
	Origin string // the allowed origin that frames the page: messages go to it alone
}

// Allow decides whether a checkout page of org may be framed for a request
// that asks for embed mode with embedOrigin (the query's embed_origin, or the
// session's). It returns the Frame when embedOrigin is one of the organization's
// embed hosts; ok is false otherwise, and the page stays unframeable.
func Allow(org *paylink.Organization, embedOrigin string) (Frame, bool) {
	origin, ok := org.EmbedAllowed(embedOrigin)
	if !ok {
		return Frame{}, false
	}
	return Frame{Origin: origin}, true
}

// FrameAncestors is the Content-Security-Policy directive of a page framed by
// f: exactly its origin, never a wildcard.
func (f Frame) FrameAncestors() string { return "frame-ancestors " + f.Origin }
