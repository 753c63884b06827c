package account

import (
	"context"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/mail"
	"github.com/paylink/paylink/internal/store"
)

// The dashboard's "Email me a sign-in link" (a forgotten password): the link
// works once, for EmailedLinkTTL, and an address gets at most EmailedLinksPerHour
// of them an hour, counted in the email log, so across paylink processes too.
const (
	EmailedLinkTTL      = time.Hour
	EmailedLinksPerHour = 3
)

// EmailSignInLink emails a one-time sign-in link to the dashboard user with the
// address, in one transaction with its entry in the email log. It answers the
// same (nil) for an address without a user and for one over its hourly limit,
// so the answer tells nobody whether an account exists; a malformed address is
// EInvalid (field "email"). Without a mailer (s.Mail nil) it sends nothing.
func (s *Service) EmailSignInLink(ctx context.Context, email, publicURL string) error {
	email = strings.ToLower(strings.TrimSpace(email))
	if !paylink.ValidEmail(email) {
		return paylink.Invalid(paylink.FieldInvalid("enter one email address, like ann@example.com", email, "body", "email"))
	}
	if s.Mail == nil {
		return nil
	}
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByEmail(ctx, email)
		if paylink.IsCode(err, paylink.ENotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := tx.UserLock(ctx, u.ID); err != nil {
			return err
		}
		n, err := tx.EmailCountSince(ctx, u.Email, string(mail.KindSignInLink), paylink.Now().Add(-time.Hour))
		if err != nil || n >= EmailedLinksPerHour {
			return err
		}
		link, err := newSignInLink(ctx, tx, u.ID, publicURL, EmailedLinkTTL)
		if err != nil {
			return err
		}
		_, err = s.Mail.Queue(ctx, tx, mail.Message{Kind: mail.KindSignInLink, OrganizationID: u.OrganizationID, To: u.Email,
			UserID: &u.ID, Data: mail.SignInLinkData{Email: u.Email, Link: link, Valid: "one hour"}})
		return err
	})
}
