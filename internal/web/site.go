package web

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DashPath is where the dashboard is served.
const DashPath = "/dashboard"

// MaxFormBytes bounds a posted form.
const MaxFormBytes = 1 << 20

// SameToken compares a submitted form token with the expected one in constant time.
func SameToken(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// SetCookieAt sets an HttpOnly, SameSite=Lax cookie scoped to the pages under
// path, Secure when the public URL is https. maxAge 0 deletes it.
func (s *Site) SetCookieAt(rw http.ResponseWriter, path, name, value string, maxAge time.Duration) {
	c := &http.Cookie{Name: name, Value: value, Path: path, HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: strings.HasPrefix(s.PublicURL, "https://"), MaxAge: int(maxAge.Seconds())}
	if maxAge <= 0 {
		c.MaxAge = -1
	}
	http.SetCookie(rw, c)
}

// PublicOrigin is scheme://host of PublicURL ("" when it does not parse).
func (s *Site) PublicOrigin() string {
	u, err := url.Parse(s.PublicURL)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// SameOrigin reports whether origin is our public origin or the request's host.
func (s *Site) SameOrigin(origin string, r *http.Request) bool {
	if origin == "" || origin == "null" {
		return false
	}
	if origin == s.PublicOrigin() {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host
}

// TestMode reports whether no real money moves: the sandbox, or Stripe's test keys.
func (s *Site) TestMode() bool {
	return s.Sandbox || strings.HasPrefix(s.StripePublishableKey, "pk_test_")
}

// StripeJS is the one external script paylink's pages load, and only in Stripe mode.
const StripeJS = "https://js.stripe.com/basil/stripe.js"

// StripeMode reports whether Stripe takes the card (else the sandbox's test form).
func (s *Site) StripeMode() bool { return !s.Sandbox && s.StripePublishableKey != "" }
