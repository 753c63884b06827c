package portalpage

import (
	"net/http"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/portal"
	"github.com/paylink/paylink/internal/web"
)

// The customer portal's sign-in: an emailed code (or the API's
// customer_portal_url) gives the browser a portal session cookie, HttpOnly,
// SameSite=Lax, Secure behind https, and scoped to the one organization's
// portal path, so a customer of two shops holds two separate sessions.
const (
	portalCookie     = "paylink_portal"
	portalFormCookie = "paylink_portal_form" // guards the sign-in forms, before there is a session
)

// portalSession returns the browser's live portal session for org, or nil.
func (w *Portal) portalSession(r *http.Request, org *paylink.Organization) *portal.Signed {
	c, err := r.Cookie(portalCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	who, err := w.Portal.Authenticate(r.Context(), c.Value)
	if err != nil || who.Org.ID != org.ID {
		return nil
	}
	return who
}

// startPortal sets the portal session cookie of token for org's portal.
func (w *Portal) startPortal(rw http.ResponseWriter, org *paylink.Organization, token string) {
	w.SetCookieAt(rw, portal.PortalPath(org.Slug), portalCookie, token, portal.PortalSessionTTL)
}

// portalFormToken returns the sign-in forms' token from its cookie, setting a
// new one when there is none (double submit, as the dashboard's sign-in).
func (w *Portal) portalFormToken(rw http.ResponseWriter, r *http.Request, org *paylink.Organization) string {
	if c, err := r.Cookie(portalFormCookie); err == nil && len(c.Value) > 20 {
		return c.Value
	}
	v := paylink.NewSecret("")
	w.SetCookieAt(rw, portal.PortalPath(org.Slug), portalFormCookie, v, time.Hour)
	return v
}

// portalFormOK reports whether a posted portal form comes from our own page:
// not cross-site (Sec-Fetch-Site, Origin), and carrying want, the session's form
// token, or without a session the sign-in forms' cookie token.
func (w *Portal) portalFormOK(r *http.Request, who *portal.Signed) bool {
	cop := http.NewCrossOriginProtection()
	if o := w.PublicOrigin(); o != "" {
		_ = cop.AddTrustedOrigin(o)
	}
	if cop.Check(r) != nil {
		return false
	}
	if who != nil {
		return web.SameToken(r.PostForm.Get("csrf"), who.Session.CSRF)
	}
	c, err := r.Cookie(portalFormCookie)
	return err == nil && web.SameToken(r.PostForm.Get("csrf"), c.Value)
}

// clientAddr is the address the rate limits of sign-in count by: the client's
// address group (paylink.AddressGroup), as the dashboard's sign-in counts.
func clientAddr(r *http.Request) string { return paylink.AddressGroup(r.RemoteAddr) }
