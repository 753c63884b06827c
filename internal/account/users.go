package account

import (
	"context"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// SignInLinkTTL is how long a one-time sign-in link stays valid.
const SignInLinkTTL = 72 * time.Hour

// WelcomePath is where a sign-in link opens: the dashboard page where the user
// sets a password (internal/web serves it), followed by the token.
const WelcomePath = "/dashboard/welcome/"

// PrefixSignIn starts every sign-in token.
const PrefixSignIn = "pl_si_"

// NewSignInLink issues a one-time link, valid for SignInLinkTTL, where the user
// sets a password and is signed in. It is written in the caller's transaction;
// publicURL is the site's base URL.
func NewSignInLink(ctx context.Context, tx *store.Tx, userID, publicURL string) (string, error) {
	return newSignInLink(ctx, tx, userID, publicURL, SignInLinkTTL)
}

// newSignInLink is NewSignInLink valid for ttl.
func newSignInLink(ctx context.Context, tx *store.Tx, userID, publicURL string, ttl time.Duration) (string, error) {
	token := paylink.NewSecret(PrefixSignIn)
	if err := tx.UserSignInTokenCreate(ctx, userID, token, paylink.Now().Add(ttl)); err != nil {
		return "", err
	}
	return strings.TrimRight(publicURL, "/") + WelcomePath + token, nil
}

// UserLinkParams say whom to give a sign-in link.
type UserLinkParams struct {
	OrganizationID string
	Email          string
	PublicURL      string
	// Existing lets a user who already belongs to the organization get a fresh
	// link (the operator's password reset). Without it, they are EConflict.
	Existing bool
}

// UserLink is the outcome of UserWithSignInLink.
type UserLink struct {
	User    *store.User
	Link    string // the one-time sign-in URL, to hand to the user
	Existed bool   // the user was already a member
}

// UserWithSignInLink is the one way a person gets dashboard access: it makes the
// user of the email in the organization, unless they exist, and issues a
// one-time sign-in link, in the caller's transaction. A bad email is EInvalid
// (field "email"); an email of another organization's user is EConflict, as is
// one of this organization's unless p.Existing.
func UserWithSignInLink(ctx context.Context, tx *store.Tx, p UserLinkParams) (*UserLink, error) {
	email := strings.ToLower(strings.TrimSpace(p.Email))
	if !paylink.ValidEmail(email) {
		return nil, paylink.Invalid(paylink.FieldInvalid("enter one email address, like ann@example.com", p.Email, "body", "email"))
	}
	out := &UserLink{}
	u, err := tx.UserByEmail(ctx, email)
	switch {
	case paylink.IsCode(err, paylink.ENotFound):
		u = &store.User{OrganizationID: p.OrganizationID, Email: email}
		if err := tx.UserCreate(ctx, u); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, err
	case u.OrganizationID != p.OrganizationID:
		return nil, paylink.Errorf(paylink.EConflict, "%s already belongs to another organization", u.Email)
	case !p.Existing:
		return nil, paylink.Errorf(paylink.EConflict, "%s is already a member of this organization", u.Email)
	default:
		out.Existed = true
	}
	out.User = u
	out.Link, err = NewSignInLink(ctx, tx, u.ID, p.PublicURL)
	if err != nil {
		return nil, err
	}
	return out, nil
}
