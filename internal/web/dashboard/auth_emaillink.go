package dashboard

import (
	"net/http"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/web"
)

// The sign-in page's "Email me a sign-in link": a form with the email, and an
// answer that is the same whether or not the address has an account
// (account.EmailSignInLink keeps the rules and the rate limit).

const emailLinkPath = signInPath + "/email"

// emailLinkNotice is the one answer to every well-formed request.
func (w *Dashboard) emailLinkNotice(email string) string {
	if w.Mail == nil || !w.Mail.Sends() {
		return "This paylink sends no email (PAYLINK_SMTP_URL is not set). Ask whoever runs it for a sign-in link: paylink user create --org … --email " + email
	}
	return "If " + email + " has a dashboard account, a sign-in link is on its way. It works once, for an hour."
}

func (w *Dashboard) emailLinkForm(rw http.ResponseWriter, r *http.Request) {
	rw.Header().Set("Cache-Control", "no-store")
	w.Render(rw, r, http.StatusOK, "dash_emaillink", signInPage{Title: "Email me a sign-in link", CSRF: w.formToken(rw, r),
		Email: r.URL.Query().Get("email")})
}

func (w *Dashboard) emailLink(rw http.ResponseWriter, r *http.Request) {
	rw.Header().Set("Cache-Control", "no-store")
	r.Body = http.MaxBytesReader(rw, r.Body, web.MaxFormBytes)
	if err := r.ParseForm(); err != nil {
		w.dashFail(rw, r, paylink.Errorf(paylink.EBadRequest, "The form could not be read."))
		return
	}
	email := strings.TrimSpace(r.PostForm.Get("email"))
	page := signInPage{Title: "Email me a sign-in link", Email: email}
	answer := func(status int) {
		page.CSRF = w.formToken(rw, r)
		w.Render(rw, r, status, "dash_emaillink", page)
	}
	if !checkFormToken(r) {
		page.Error = "The form expired. Please try again."
		answer(http.StatusForbidden)
		return
	}
	err := w.Account.EmailSignInLink(r.Context(), email, w.PublicURL)
	switch {
	case paylink.IsCode(err, paylink.EInvalid):
		page.Error = "Enter one email address, like ann@example.com."
		answer(http.StatusUnprocessableEntity)
	case err != nil:
		w.Fail(rw, r, err)
	default:
		w.Log.InfoContext(r.Context(), "dashboard sign-in link asked for by email")
		page.Notice = w.emailLinkNotice(strings.ToLower(email))
		answer(http.StatusOK)
	}
}
