package portalpage

import (
	"errors"
	"net/http"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/httperr"
	"github.com/paylink/paylink/internal/portal"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

// portalSignInPage is what portal_signin.html renders: the email form, or once a
// code was asked for, the code form.
type portalSignInPage struct {
	Title    string
	Shop     web.ShopHeader
	TestMode bool
	Action   string // the form's URL
	Base     string // the portal's path
	CSRF     string
	Email    string
	Code     bool   // the code form
	Notice   string // what happened, for everyone alike
	Problem  string // what went wrong
}

// portalHandler is a portal form post of org's portal; who is nil before sign-in.
type portalHandler func(rw http.ResponseWriter, r *http.Request, org *paylink.Organization, who *portal.Signed)

// portalPost wraps a form post of the portal: it finds the organization,
// reads the form, checks it comes from our page and hands on the session, if any.
func (w *Portal) portalPost(h portalHandler) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Cache-Control", "no-store")
		org, err := w.portalOrg(r)
		if err != nil {
			w.Fail(rw, r, err)
			return
		}
		r.Body = http.MaxBytesReader(rw, r.Body, web.MaxFormBytes)
		if err := r.ParseForm(); err != nil {
			w.Fail(rw, r, paylink.Errorf(paylink.EBadRequest, "The form could not be read."))
			return
		}
		who := w.portalSession(r, org)
		if !w.portalFormOK(r, who) {
			w.Fail(rw, r, paylink.Errorf(paylink.EForbidden, "This form has expired. Go back, reload the page and try again."))
			return
		}
		h(rw, r, org, who)
	}
}

func (w *Portal) portalOrg(r *http.Request) (*paylink.Organization, error) {
	var org *paylink.Organization
	err := w.Store.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		org, err = tx.OrganizationGetBySlug(r.Context(), r.PathValue("slug"))
		return err
	})
	if paylink.IsCode(err, paylink.ENotFound) {
		err = &paylink.Error{Code: paylink.ENotFound, Message: "There is no customer portal at this address."}
	}
	return org, err
}

// portalHome is the portal: the signed-in customer's orders and subscriptions,
// else the sign-in form. A customer_session_token from the API's
// customer_portal_url signs the browser in and is taken out of the address.
func (w *Portal) portalHome(rw http.ResponseWriter, r *http.Request) {
	rw.Header().Set("Cache-Control", "no-store")
	org, err := w.portalOrg(r)
	if err != nil {
		w.Fail(rw, r, err)
		return
	}
	if t := r.URL.Query().Get("customer_session_token"); t != "" {
		token, _, err := w.Portal.Exchange(r.Context(), org.ID, t)
		if err != nil {
			w.portalSignInForm(rw, r, org, httperr.Status(err), portalSignInPage{
				Problem: "This sign-in link has expired. Enter your email to get a sign-in code."})
			return
		}
		w.startPortal(rw, org, token)
		http.Redirect(rw, r, portal.PortalPath(org.Slug), http.StatusSeeOther)
		return
	}
	who := w.portalSession(r, org)
	if who == nil {
		w.portalSignInForm(rw, r, org, http.StatusOK, portalSignInPage{})
		return
	}
	w.renderPortal(rw, r, who, http.StatusOK, r.URL.Query().Get("done"), nil)
}

// portalSignInForm renders the email form (or with p.Code the code form).
func (w *Portal) portalSignInForm(rw http.ResponseWriter, r *http.Request, org *paylink.Organization, status int, p portalSignInPage) {
	p.Title, p.Shop, p.TestMode = "Sign in · "+org.Name, web.NewShopHeader(org), w.TestMode()
	p.CSRF = w.portalFormToken(rw, r, org)
	p.Base = portal.PortalPath(org.Slug)
	p.Action = p.Base + "/code"
	if p.Code {
		p.Action = p.Base + "/sign-in"
	}
	w.Render(rw, r, status, "portal_signin", p)
}

// portalCode sends a sign-in code and asks for it. Every valid email gets the
// same answer, whether it is a customer or not.
func (w *Portal) portalCode(rw http.ResponseWriter, r *http.Request, org *paylink.Organization, _ *portal.Signed) {
	email := r.PostForm.Get("email")
	err := w.Portal.RequestCode(r.Context(), org, email, clientAddr(r))
	if err != nil {
		p := portalSignInPage{Email: email, Problem: portalProblem(err)}
		if p.Problem == "" {
			w.Fail(rw, r, err)
			return
		}
		w.portalSignInForm(rw, r, org, httperr.Status(err), p)
		return
	}
	w.portalSignInForm(rw, r, org, http.StatusOK, portalSignInPage{Email: email, Code: true,
		Notice: "If " + email + " has bought from " + org.Name + ", a sign-in code is on its way to it. It works once, for 15 minutes."})
}

// portalSignIn checks the code and signs the browser in.
func (w *Portal) portalSignIn(rw http.ResponseWriter, r *http.Request, org *paylink.Organization, _ *portal.Signed) {
	email := r.PostForm.Get("email")
	token, _, err := w.Portal.SignIn(r.Context(), org, email, r.PostForm.Get("code"), clientAddr(r))
	if err != nil {
		p := portalSignInPage{Email: email, Code: true, Problem: portalProblem(err)}
		if p.Problem == "" {
			w.Fail(rw, r, err)
			return
		}
		w.portalSignInForm(rw, r, org, httperr.Status(err), p)
		return
	}
	w.startPortal(rw, org, token)
	http.Redirect(rw, r, portal.PortalPath(org.Slug), http.StatusSeeOther)
}

// portalProblem is what the sign-in forms say about err; "" for an error that
// is no customer's doing (rendered as an error page).
func portalProblem(err error) string {
	switch paylink.ErrorCode(err) {
	case paylink.EInvalid:
		return "Enter a valid email address."
	case paylink.EUnauthorized, paylink.ERateLimited, paylink.ENotImplemented:
		var e *paylink.Error
		errors.As(err, &e)
		return e.Message
	}
	return ""
}

func (w *Portal) portalSignOut(rw http.ResponseWriter, r *http.Request, org *paylink.Organization, who *portal.Signed) {
	if c, err := r.Cookie(portalCookie); err == nil && who != nil {
		if err := w.Portal.SignOut(r.Context(), c.Value); err != nil {
			w.Fail(rw, r, err)
			return
		}
	}
	w.SetCookieAt(rw, portal.PortalPath(org.Slug), portalCookie, "", 0)
	http.Redirect(rw, r, portal.PortalPath(org.Slug), http.StatusSeeOther)
}
