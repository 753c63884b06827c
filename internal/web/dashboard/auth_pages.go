package dashboard

import (
	"errors"
	"net/http"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/account"
	"github.com/paylink/paylink/internal/httperr"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

// signInPage is the data of the sign-in and set-password pages.
type signInPage struct {
	Title  string
	CSRF   string
	Email  string
	Next   string
	Error  string // shown above the form and announced
	Notice string // e.g. "You have signed out."
	Token  string // welcome page: the one-time token
}

func (w *Dashboard) signInForm(rw http.ResponseWriter, r *http.Request) {
	rw.Header().Set("Cache-Control", "no-store")
	if _, err := w.loadSession(r); err == nil {
		http.Redirect(rw, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	page := signInPage{Title: "Sign in", CSRF: w.formToken(rw, r), Next: r.URL.Query().Get("next")}
	if r.URL.Query().Get("signed_out") != "" {
		page.Notice = "You have signed out."
	}
	w.Render(rw, r, http.StatusOK, "dash_signin", page)
}

func (w *Dashboard) signIn(rw http.ResponseWriter, r *http.Request) {
	rw.Header().Set("Cache-Control", "no-store")
	r.Body = http.MaxBytesReader(rw, r.Body, web.MaxFormBytes)
	if err := r.ParseForm(); err != nil {
		w.dashFail(rw, r, paylink.Errorf(paylink.EBadRequest, "The form could not be read."))
		return
	}
	email, pw := strings.TrimSpace(r.PostForm.Get("email")), r.PostForm.Get("password")
	page := signInPage{Title: "Sign in", Email: email, Next: r.PostForm.Get("next")}
	again := func(status int, msg string) {
		page.Error, page.CSRF = msg, w.formToken(rw, r)
		w.Render(rw, r, status, "dash_signin", page)
	}
	if !checkFormToken(r) {
		again(http.StatusForbidden, "The sign-in form expired. Please try again.")
		return
	}
	in, err := w.Account.SignIn(r.Context(), email, pw, r.RemoteAddr, prefixSession, sessionTTL)
	switch {
	case paylink.IsCode(err, paylink.EUnauthorized), paylink.IsCode(err, paylink.ERateLimited):
		w.Log.InfoContext(r.Context(), "dashboard sign-in refused", "reason", paylink.ErrorCode(err))
		var e *paylink.Error
		errors.As(err, &e)
		again(httperr.Status(err), e.Message)
		return
	case err != nil:
		w.Fail(rw, r, err)
		return
	}
	w.setCookie(rw, sessionCookie, in.Token, sessionTTL)
	user := in.User
	w.Log.InfoContext(r.Context(), "dashboard sign-in", "user_id", user.ID)
	http.Redirect(rw, r, safeNext(page.Next), http.StatusSeeOther)
}

func (w *Dashboard) signOut(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	c, _ := r.Cookie(sessionCookie)
	if err := w.Store.InTx(r.Context(), func(tx *store.Tx) error {
		return tx.UserSessionDelete(r.Context(), c.Value, paylink.Now())
	}); err != nil {
		return err
	}
	w.setCookie(rw, sessionCookie, "", 0)
	http.Redirect(rw, r, signInPath+"?signed_out=1", http.StatusSeeOther)
	return nil
}

func (w *Dashboard) welcomeForm(rw http.ResponseWriter, r *http.Request) {
	rw.Header().Set("Cache-Control", "no-store")
	token := r.PathValue("token")
	var user *store.User
	err := w.Store.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		user, err = tx.UserSignInTokenPeek(r.Context(), token, paylink.Now())
		return err
	})
	if err != nil {
		w.dashFail(rw, r, err)
		return
	}
	w.Render(rw, r, http.StatusOK, "dash_welcome", signInPage{Title: "Set your password", CSRF: w.formToken(rw, r),
		Email: user.Email, Token: token})
}

func (w *Dashboard) welcome(rw http.ResponseWriter, r *http.Request) {
	rw.Header().Set("Cache-Control", "no-store")
	token := r.PathValue("token")
	r.Body = http.MaxBytesReader(rw, r.Body, web.MaxFormBytes)
	if err := r.ParseForm(); err != nil {
		w.dashFail(rw, r, paylink.Errorf(paylink.EBadRequest, "The form could not be read."))
		return
	}
	page := signInPage{Title: "Set your password", Token: token}
	var user *store.User
	err := w.Store.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		if user, err = tx.UserSignInTokenPeek(r.Context(), token, paylink.Now()); err != nil {
			return err
		}
		page.Email = user.Email
		switch {
		case !checkFormToken(r):
			page.Error = "The form expired. Please try again."
		default:
			page.Error = account.PasswordProblem(r.PostForm.Get("password"), r.PostForm.Get("confirm"))
		}
		if page.Error != "" {
			return nil
		}
		if user, err = tx.UserSignInTokenUse(r.Context(), token, paylink.Now()); err != nil {
			return err
		}
		if err := tx.UserSetPassword(r.Context(), user.ID, account.HashPassword(r.PostForm.Get("password"))); err != nil {
			return err
		}
		return w.startSession(r.Context(), tx, rw, user.ID)
	})
	if err != nil {
		w.dashFail(rw, r, err)
		return
	}
	if page.Error != "" {
		page.CSRF = w.formToken(rw, r)
		w.Render(rw, r, http.StatusUnprocessableEntity, "dash_welcome", page)
		return
	}
	w.Log.InfoContext(r.Context(), "dashboard password set", "user_id", user.ID)
	http.Redirect(rw, r, web.DashPath+"/overview", http.StatusSeeOther)
}
