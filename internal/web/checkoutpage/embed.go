package checkoutpage

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"sync"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/embed"
	"github.com/paylink/paylink/internal/web"
)

// Embed mode: the checkout opened by {public_url}/embed.js in a frame of the
// merchant's page, with embed=true&embed_origin=<that page's origin>&theme=…
// (as @polar-sh/checkout opens it). It holds only when embed_origin (or, without
// one, the session's embed_origin) is one of the organization's embed_hosts
// (embed.Allow): the page may then be framed by exactly that origin, posts its
// messages to it alone, shows a close button and the theme asked for. Otherwise
// the page is the normal one, unframeable. Every address the page leads to
// (its form, checkout.js's posts, the payment's polling, the success page)
// carries the three parameters on, so the mode survives them.

// embedMode is a request of the checkout page in embed mode.
type embedMode struct {
	Origin string // the allowed origin framing the page: frame-ancestors, and postMessage's target
	Theme  string // "light" or "dark"
}

// embedOf is the embed mode of a request of the session c of org, or nil when
// the request asks for none or its origin is not allowed.
func embedOf(r *http.Request, org *paylink.Organization, c *paylink.Checkout) *embedMode {
	q := r.URL.Query()
	if q.Get("embed") != "true" || org == nil {
		return nil
	}
	origin := q.Get("embed_origin")
	if origin == "" && c != nil && c.EmbedOrigin != nil {
		origin = *c.EmbedOrigin
	}
	f, ok := embed.Allow(org, origin)
	if !ok {
		return nil
	}
	em := &embedMode{Origin: f.Origin, Theme: "light"}
	if q.Get("theme") == "dark" {
		em.Theme = "dark"
	}
	return em
}

// query is what every address of a page in embed mode carries: "" for nil.
func (em *embedMode) query() string {
	if em == nil {
		return ""
	}
	return "?" + url.Values{"embed": {"true"}, "embed_origin": {em.Origin}, "theme": {em.Theme}}.Encode()
}

// Dark reports whether the page takes the dark theme.
func (em *embedMode) Dark() bool { return em != nil && em.Theme == "dark" }

// embedQuery carries a request's embed parameters on to an address of ours it
// redirects to ("" without embed=true). They are not judged here: the page
// they lead to applies embedOf, and shows itself unframeable when not allowed.
func embedQuery(r *http.Request) string {
	q := r.URL.Query()
	if q.Get("embed") != "true" {
		return ""
	}
	v := url.Values{"embed": {"true"}}
	for _, k := range []string{"embed_origin", "theme"} {
		if s := q.Get(k); s != "" {
			v.Set(k, s)
		}
	}
	return "?" + v.Encode()
}

// embedPath is pagePath with the request's embed parameters.
func embedPath(r *http.Request, secret, suffix string) string {
	return pagePath(secret, suffix) + embedQuery(r)
}

// embedSuccess is what the success page in embed mode tells the merchant's
// page with the "success" message: the session's success_url, which the
// merchant's page then opens (redirect), or else our success page, shown in
// the frame.
func (w *Page) embedSuccess(c *paylink.Checkout) (successURL string, redirect bool) {
	if c.SuccessURL != nil && *c.SuccessURL != "" {
		return w.successTarget(c), true
	}
	return w.PublicURL + pagePath(c.ClientSecret, "/success"), false
}

// The CSRF defence in embed mode. The normal defence (csrf.go) rests on a
// SameSite=Lax cookie, which a browser does not send from a frame on another
// site (the merchant's page framing the checkout): there, every post of the
// page would fail, or pass only by the cookie-less fallback. Embed mode
// therefore uses a check that needs no cookie:
//
//  1. The post's Origin header must be paylink's own origin: the page in the
//     frame is ours, so its fetches and form posts carry our origin, and a
//     browser sends Origin with every POST. A post made by another site (the
//     merchant's page, or any other) carries that site's origin and fails.
//  2. The form carries HMAC-SHA256(server key, checkout secret, embed origin):
//     the server key is the server_secrets row "checkout_embed_csrf" (made once,
//     shared by every paylink process on the database), so only a page paylink
//     rendered for this session knows the token, and a token is worth nothing
//     for another session.
//
// Signing with a server key rather than keeping state lets any process check
// any token; binding it to the session's secret keeps the token no stronger
// than the secret in the page's address, which already stands for the
// customer. The normal mode keeps its double-submit cookie: a top-level page
// always gets it.

// embedKey returns the server key of the embed-mode token, read once.
func (w *Page) embedKey(ctx context.Context) ([]byte, error) {
	w.embedMu.Lock()
	defer w.embedMu.Unlock()
	if w.embedSecret == nil {
		v, err := w.Store.ServerSecret(ctx, "checkout_embed_csrf")
		if err != nil {
			return nil, err
		}
		w.embedSecret = []byte(v)
	}
	return w.embedSecret, nil
}

// embedToken is the form token of a session's page framed by origin; "" when
// the server key cannot be read (the post then fails the check, nothing else).
func (w *Page) embedToken(ctx context.Context, secret, origin string) string {
	key, err := w.embedKey(ctx)
	if err != nil {
		w.Log.ErrorContext(ctx, "checkout page: embed form key", "err", err)
		return ""
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte("paylink embedded checkout form\x00" + secret + "\x00" + origin))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// embedCSRFOK is csrfOK in embed mode (see above).
func (w *Page) embedCSRFOK(r *http.Request, secret string, em *embedMode) bool {
	if !w.SameOrigin(r.Header.Get("Origin"), r) { // our public origin (or host); "" and "null" fail
		return false
	}
	want := w.embedToken(r.Context(), secret, em.Origin)
	return want != "" && hmac.Equal([]byte(r.PostFormValue("csrf")), []byte(want))
}

// formToken is the form token of a page: the embed-mode one in embed mode,
// else the cookie-bound one (setting the cookie when needed).
func (w *Page) formToken(rw http.ResponseWriter, r *http.Request, secret string, em *embedMode) string {
	if em != nil {
		return w.embedToken(r.Context(), secret, em.Origin)
	}
	return w.csrfToken(rw, r, secret)
}

// postOK is the CSRF check of a post to the page of secret.
func (w *Page) postOK(r *http.Request, secret string, em *embedMode) bool {
	if em != nil {
		return w.embedCSRFOK(r, secret, em)
	}
	return w.csrfOK(r, secret)
}

// embedState is the per-Page cache of the embed key.
type embedState struct {
	embedMu     sync.Mutex
	embedSecret []byte
}

// embedPolicy is the CSP of a page in embed mode (nil: none, unframeable).
func embedPolicy(em *embedMode) web.Policy {
	if em == nil {
		return web.Policy{}
	}
	return web.Policy{FrameAncestor: em.Origin}
}

// embedMessage is the message page of a post in embed mode (a stale form):
// shown in the frame rather than refused by it.
type embedMessage struct {
	web.Message
	Embed *embedMode
}

// CSP implements web's cspPage.
func (p embedMessage) CSP() web.Policy { return embedPolicy(p.Embed) }
