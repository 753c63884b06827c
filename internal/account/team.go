package account

import (
	"context"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// Invite adds the person with the email to the organization and returns their
// one-time sign-in link, to be shown once to the inviter (paylink sends no email).
// Errors are UserWithSignInLink's: someone already on a team is EConflict.
func (s *Service) Invite(ctx context.Context, orgID, email, publicURL string) (*UserLink, error) {
	var out *UserLink
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.OrganizationGetForUpdate(ctx, orgID); err != nil {
			return err
		}
		var err error
		out, err = UserWithSignInLink(ctx, tx, UserLinkParams{OrganizationID: orgID, Email: email, PublicURL: publicURL})
		return err
	})
	return out, err
}

// Members returns the organization's dashboard users, oldest first.
func (s *Service) Members(ctx context.Context, orgID string) ([]*store.User, error) {
	var out []*store.User
	err := s.Store.Read(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.UserList(ctx, orgID)
		return err
	})
	return out, err
}

// RemoveMember takes a user off the organization: their account, sessions and
// sign-in links go at once. A member cannot remove themselves (EForbidden), nor
// can the organization lose its last member (EConflict); the organization row
// is locked, so two members removing each other cannot both succeed. Another
// organization's user, or an unknown one, is ENotFound.
func (s *Service) RemoveMember(ctx context.Context, orgID, byUserID, userID string) (*store.User, error) {
	if !paylink.ValidID(userID) {
		return nil, paylink.NotFound("member")
	}
	if userID == byUserID {
		return nil, paylink.Errorf(paylink.EForbidden, "You cannot remove yourself. Ask another member to remove you.")
	}
	var removed *store.User
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.OrganizationGetForUpdate(ctx, orgID); err != nil {
			return err
		}
		members, err := tx.UserList(ctx, orgID)
		if err != nil {
			return err
		}
		by := false
		for _, m := range members {
			by = by || m.ID == byUserID
			if m.ID == userID {
				removed = m
			}
		}
		if !by { // removed by someone else since their page loaded
			return paylink.Errorf(paylink.EForbidden, "You are no longer a member of this organization.")
		}
		if removed == nil {
			return paylink.NotFound("member")
		}
		if len(members) < 2 {
			return paylink.Errorf(paylink.EConflict, "An organization keeps at least one member.")
		}
		return tx.UserDelete(ctx, orgID, userID)
	})
	return removed, err
}
