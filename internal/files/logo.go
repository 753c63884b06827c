package files

import (
	"context"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// SetOrganizationAvatar makes an uploaded organization_avatar file the
// organization's logo (on the checkout page, and the API Organization's
// avatar_url), or removes the logo for "". Errors: EInvalid at loc for
// a file that is not one of the organization's uploaded logos.
func (s *Service) SetOrganizationAvatar(ctx context.Context, orgID, fileID string, loc ...any) error {
	fileID = strings.ToLower(fileID)
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		if fileID != "" {
			var f *paylink.File
			var err error = paylink.NotFound("file")
			if paylink.ValidID(fileID) {
				f, err = tx.FileGet(ctx, orgID, fileID)
			}
			if err != nil && !paylink.IsCode(err, paylink.ENotFound) {
				return err
			}
			if err != nil || !f.IsUploaded || f.Service != paylink.FileOrganizationAvatar {
				return paylink.Invalid(paylink.FieldInvalid("must be an uploaded organization_avatar file", fileID, loc...))
			}
		}
		return tx.OrganizationAvatarSet(ctx, orgID, fileID, s.now())
	})
}
