package checkoutpage

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
)

// The checkout page is anonymous: its secret in the URL already stands for the
// customer. Forms still carry a CSRF defence, in two layers, with no server
// state and no server secret (several paylink processes may serve one page):
//
//  1. The browser must say the post is not cross-site: Go's
//     http.CrossOriginProtection rejects a post whose Sec-Fetch-Site or Origin
//     names another site.
//  2. A double-submit token bound to the session: a random cookie, and in the
//     form HMAC-SHA256(cookie, checkout secret). A page on another site can
//     neither read the cookie nor compute the token.
//
// A browser that refuses cookies can still pay when it positively proves the
// post is same-origin (Sec-Fetch-Site: same-origin, or an Origin equal to ours).
//
// In embed mode (a frame of the merchant's page on another site, where the
// SameSite=Lax cookie is not sent) the page uses a cookie-free check instead:
// see embed.go.

// csrfCookie names the cookie; __Host- pins it to our host when served over https.
func (w *Page) csrfCookie() string {
	if strings.HasPrefix(w.PublicURL, "https://") {
		return "__Host-pl_csrf"
	}
	return "pl_csrf"
}

// csrfToken returns the form token for the checkout secret, setting the
// browser's cookie first when it has none.
func (w *Page) csrfToken(rw http.ResponseWriter, r *http.Request, secret string) string {
	key := ""
	if ck, err := r.Cookie(w.csrfCookie()); err == nil && len(ck.Value) >= 32 {
		key = ck.Value
	} else {
		b := make([]byte, 32)
		rand.Read(b)
		key = base64.RawURLEncoding.EncodeToString(b)
		http.SetCookie(rw, &http.Cookie{Name: w.csrfCookie(), Value: key, Path: "/", HttpOnly: true,
			Secure: strings.HasPrefix(w.PublicURL, "https://"), SameSite: http.SameSiteLaxMode})
	}
	return csrfMAC(key, secret)
}

// csrfMAC is the form token of the checkout secret under the cookie key.
func csrfMAC(key, secret string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte("paylink checkout form\x00" + secret))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// csrfOK reports whether a post to the checkout page with this secret comes from
// our own page.
func (w *Page) csrfOK(r *http.Request, secret string) bool {
	cop := http.NewCrossOriginProtection()
	if o := w.PublicOrigin(); o != "" {
		_ = cop.AddTrustedOrigin(o)
	}
	if cop.Check(r) != nil {
		return false
	}
	ck, err := r.Cookie(w.csrfCookie())
	if err != nil || ck.Value == "" {
		return r.Header.Get("Sec-Fetch-Site") == "same-origin" || w.SameOrigin(r.Header.Get("Origin"), r)
	}
	return hmac.Equal([]byte(r.PostFormValue("csrf")), []byte(csrfMAC(ck.Value, secret)))
}
