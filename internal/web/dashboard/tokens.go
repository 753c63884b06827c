package dashboard

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

const tokenCommentMaxLen = 200

type tokenRow struct {
	ID, Comment, Access, Created, LastUsed, Revoked string
}

type tokensPage struct {
	dashPage
	Tokens  []tokenRow
	New     string // the token just created: shown once, never stored in plain
	Comment string
	Error   string
}

// readScopes are the read-only scopes: what a "Read only" token gets.
func readScopes() []string {
	var out []string
	for _, s := range paylink.AllScopes {
		if strings.HasSuffix(s, ":read") {
			out = append(out, s)
		}
	}
	return out
}

func (w *Dashboard) tokens(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	return w.renderTokens(rw, r, s, tokensPage{}, http.StatusOK)
}

func (w *Dashboard) renderTokens(rw http.ResponseWriter, r *http.Request, s *dashSession, page tokensPage, status int) error {
	page.dashPage = w.page(r, s, "API tokens", "tokens")
	err := w.Store.Read(r.Context(), func(tx *store.Tx) error {
		list, err := tx.AccessTokenList(r.Context(), s.Org.ID)
		for _, t := range list {
			access := "Custom scopes"
			switch {
			case len(t.Scopes) == len(paylink.AllScopes):
				access = "Full access"
			case strings.Join(t.Scopes, " ") == strings.Join(readScopes(), " "):
				access = "Read only"
			}
			page.Tokens = append(page.Tokens, tokenRow{ID: t.ID, Comment: t.Comment, Access: access,
				Created: when(t.CreatedAt), LastUsed: whenPtr(t.LastUsedAt), Revoked: whenPtr(t.RevokedAt)})
		}
		return err
	})
	if err != nil {
		return err
	}
	rw.Header().Set("Cache-Control", "no-store")
	w.Render(rw, r, status, "dash_tokens", page)
	return nil
}

func (w *Dashboard) tokenCreate(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	comment := strings.TrimSpace(r.PostForm.Get("comment"))
	if n := utf8.RuneCountInString(comment); n == 0 || n > tokenCommentMaxLen {
		return w.renderTokens(rw, r, s, tokensPage{Comment: comment,
			Error: "Give the token a name of 1 to 200 characters, to recognise it later."}, http.StatusUnprocessableEntity)
	}
	scopes := paylink.AllScopes
	if r.PostForm.Get("access") == "read" {
		scopes = readScopes()
	}
	token, err := w.Tokens.Create(r.Context(), s.Org.ID, comment, scopes)
	if err != nil {
		return err
	}
	w.Log.InfoContext(r.Context(), "dashboard token created", "user_id", s.User.ID)
	return w.renderTokens(rw, r, s, tokensPage{New: token}, http.StatusOK)
}

func (w *Dashboard) tokenRevoke(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	id, err := pathID(r, "access token")
	if err != nil {
		return err
	}
	if err := w.Tokens.Revoke(r.Context(), s.Org.ID, id); err != nil {
		return err
	}
	done(rw, r, web.DashPath+"/tokens", "token-revoked")
	return nil
}
