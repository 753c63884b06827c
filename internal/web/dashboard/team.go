package dashboard

import (
	"errors"
	"net/http"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/web"
)

// memberRow is one person of the team.
type memberRow struct {
	ID, Email, Since string
	Invited          bool // has not set a password yet
	You              bool
}

type teamPage struct {
	dashPage
	Members     []memberRow
	InviteEmail string // the invite form's email, when it comes back with an error
	Error       string
	// Invited and Link: the person just invited and their sign-in link, shown
	// once; paylink keeps only the link's hash.
	Invited, Link string
}

func (w *Dashboard) team(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	return w.renderTeam(rw, r, s, teamPage{}, http.StatusOK)
}

func (w *Dashboard) renderTeam(rw http.ResponseWriter, r *http.Request, s *dashSession, page teamPage, status int) error {
	page.dashPage = w.page(r, s, "Team", "team")
	members, err := w.Account.Members(r.Context(), s.Org.ID)
	if err != nil {
		return err
	}
	for _, m := range members {
		page.Members = append(page.Members, memberRow{ID: m.ID, Email: m.Email, Since: when(m.CreatedAt),
			Invited: m.PasswordHash == "", You: m.ID == s.User.ID})
	}
	w.Render(rw, r, status, "dash_team", page)
	return nil
}

func (w *Dashboard) teamInvite(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	email := strings.TrimSpace(r.PostForm.Get("email"))
	out, err := w.Account.Invite(r.Context(), s.Org.ID, email, w.PublicURL)
	if err != nil {
		var e *paylink.Error
		if !errors.As(err, &e) || (e.Code != paylink.EInvalid && e.Code != paylink.EConflict) {
			return err
		}
		msg := sentence(e.Message)
		if len(e.Fields) > 0 {
			msg = sentence(e.Fields[0].Msg)
		}
		return w.renderTeam(rw, r, s, teamPage{InviteEmail: email, Error: msg}, http.StatusUnprocessableEntity)
	}
	w.Log.InfoContext(r.Context(), "dashboard user invited", "user_id", out.User.ID, "by_user_id", s.User.ID)
	return w.renderTeam(rw, r, s, teamPage{Invited: out.User.Email, Link: out.Link}, http.StatusOK)
}

func (w *Dashboard) teamRemove(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	removed, err := w.Account.RemoveMember(r.Context(), s.Org.ID, s.User.ID, strings.ToLower(r.PathValue("id")))
	if err != nil {
		return err
	}
	w.Log.InfoContext(r.Context(), "dashboard user removed", "user_id", removed.ID, "by_user_id", s.User.ID)
	done(rw, r, web.DashPath+"/team", "member-removed")
	return nil
}
