package dashboard

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/httperr"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

// Dashboard sign-in settings.
const (
	sessionTTL    = 14 * 24 * time.Hour
	sessionCookie = "paylink_session"
	preCSRFCookie = "paylink_form" // guards the sign-in forms, before there is a session
	signInPath    = web.DashPath + "/sign-in"
	prefixSession = "pl_us_"
)

// dashSession is who is signed in: the user, their session and organization.
type dashSession struct {
	User *store.User
	Sess *store.UserSession
	Org  *paylink.Organization
}

// dashHandler is a dashboard page for a signed-in user; a returned error is
// rendered as a page.
type dashHandler func(rw http.ResponseWriter, r *http.Request, s *dashSession) error

// signedIn wraps h: no session sends the browser to the sign-in page; a form post
// must carry the session's CSRF token.
func (w *Dashboard) signedIn(h dashHandler) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Cache-Control", "no-store")
		s, err := w.loadSession(r)
		if err != nil {
			if paylink.IsCode(err, paylink.EUnauthorized) {
				target := signInPath
				if r.Method == http.MethodGet && r.URL.Path != web.DashPath {
					target += "?next=" + url.QueryEscape(r.URL.RequestURI())
				}
				http.Redirect(rw, r, target, http.StatusSeeOther)
				return
			}
			w.dashFail(rw, r, err)
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(rw, r.Body, web.MaxFormBytes)
			if err := r.ParseForm(); err != nil {
				w.dashFail(rw, r, paylink.Errorf(paylink.EBadRequest, "The form could not be read."))
				return
			}
			if !web.SameToken(r.PostForm.Get("csrf"), s.Sess.CSRF) {
				w.dashFail(rw, r, paylink.Errorf(paylink.EForbidden, "This form has expired. Go back, reload the page and try again."))
				return
			}
			if err := web.FormText(r.PostForm); err != nil {
				w.dashFail(rw, r, err)
				return
			}
		}
		if err := h(rw, r, s); err != nil {
			w.dashFail(rw, r, err)
		}
	}
}

func (w *Dashboard) loadSession(r *http.Request) (*dashSession, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, paylink.Errorf(paylink.EUnauthorized, "not signed in")
	}
	s := &dashSession{}
	err = w.Store.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		if s.Sess, s.User, err = tx.UserSessionByToken(r.Context(), c.Value, paylink.Now()); err != nil {
			return err
		}
		s.Org, err = tx.OrganizationGet(r.Context(), s.User.OrganizationID)
		return err
	})
	return s, err
}

// startSession signs the user in: a new session row and its cookie.
func (w *Dashboard) startSession(ctx context.Context, tx *store.Tx, rw http.ResponseWriter, userID string) error {
	token := paylink.NewSecret(prefixSession)
	sess := &store.UserSession{UserID: userID, CSRF: paylink.NewSecret(""), ExpiresAt: paylink.Now().Add(sessionTTL)}
	if err := tx.UserSessionCreate(ctx, sess, token); err != nil {
		return err
	}
	w.setCookie(rw, sessionCookie, token, sessionTTL)
	return nil
}

// setCookie sets an HttpOnly, SameSite=Lax cookie scoped to the dashboard,
// Secure when the public URL is https. maxAge 0 deletes it.
func (w *Dashboard) setCookie(rw http.ResponseWriter, name, value string, maxAge time.Duration) {
	w.SetCookieAt(rw, web.DashPath, name, value, maxAge)
}

// formToken returns the pre-session form token from its cookie, setting a new
// one when there is none (the sign-in and set-password forms).
func (w *Dashboard) formToken(rw http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(preCSRFCookie); err == nil && len(c.Value) > 20 {
		return c.Value
	}
	v := paylink.NewSecret("")
	w.setCookie(rw, preCSRFCookie, v, time.Hour)
	return v
}

// checkFormToken reports whether a posted pre-session form carries the token of
// its cookie (double submit: another site can't read or set the cookie).
func checkFormToken(r *http.Request) bool {
	c, err := r.Cookie(preCSRFCookie)
	return err == nil && web.SameToken(r.PostForm.Get("csrf"), c.Value)
}

// safeNext keeps a post-sign-in destination only when it is a dashboard path of
// this site, so the sign-in page can't be used to redirect elsewhere.
func safeNext(next string) string {
	if strings.HasPrefix(next, web.DashPath+"/") && !strings.HasPrefix(next, "//") && !strings.Contains(next, "\\") &&
		!strings.HasPrefix(next, signInPath) {
		return next
	}
	return web.DashPath + "/overview"
}

// dashFail renders an error of a dashboard page: the *paylink.Error's message
// with its status, or a logged 500.
func (w *Dashboard) dashFail(rw http.ResponseWriter, r *http.Request, err error) {
	var e *paylink.Error
	if !errors.As(err, &e) || e.Code == paylink.EInternal {
		w.Fail(rw, r, err)
		return
	}
	status := httperr.Status(e)
	heading := map[int]string{404: "Not found", 410: "This link has expired", 403: "Not allowed"}[status]
	if heading == "" {
		heading = "Something is not right"
	}
	msg := e.Message
	if len(e.Fields) > 0 {
		msg = e.Fields[0].Msg
	}
	w.Render(rw, r, status, "message", web.Message{Title: heading, Heading: heading, Message: msg,
		Action: &web.Link{URL: web.DashPath + "/products", Label: "Back to the dashboard"}, RequestID: httperr.RequestID(r.Context())})
}
