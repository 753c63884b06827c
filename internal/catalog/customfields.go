package catalog

import (
	"context"
	"errors"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// CustomFieldCreate validates a create request (paylink.NewCustomField) and
// stores the field of orgID. Errors: EInvalid, a slug already taken included
// (located at "slug").
func (s *Service) CustomFieldCreate(ctx context.Context, orgID string, in paylink.CustomFieldParams) (*paylink.CustomField, error) {
	f, err := paylink.NewCustomField(orgID, in)
	if err != nil {
		return nil, err
	}
	if err := s.write(ctx, func(tx *store.Tx) error { return slugTaken(tx.CustomFieldCreate(ctx, f), f) }); err != nil {
		return nil, err
	}
	return f, nil
}

// CustomFieldUpdate applies a patch to one of the organization's live fields
// under a row lock. ifVersion is the Version the caller's edit started from (""
// for none); a field changed since is Stale. Errors: ENotFound, EInvalid, EConflict.
func (s *Service) CustomFieldUpdate(ctx context.Context, orgID, id string, patch paylink.CustomFieldPatch, ifVersion string) (*paylink.CustomField, error) {
	var f *paylink.CustomField
	err := s.write(ctx, func(tx *store.Tx) error {
		cur, err := tx.CustomFieldGetForUpdate(ctx, orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(ifVersion, "custom field", cur.CreatedAt, cur.ModifiedAt); err != nil {
			return err
		}
		if f, err = patch.Apply(cur); err != nil {
			return err
		}
		return slugTaken(tx.CustomFieldUpdate(ctx, f), f)
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// CustomFieldDelete soft-deletes a field and detaches it from every product; its
// slug is free again. ENotFound for an unknown, deleted or other organization's field.
func (s *Service) CustomFieldDelete(ctx context.Context, orgID, id string) error {
	return s.write(ctx, func(tx *store.Tx) error { return tx.CustomFieldDelete(ctx, orgID, id) })
}

// slugTaken turns the store's slug conflict into Polar's 422 on the slug.
func slugTaken(err error, f *paylink.CustomField) error {
	if errors.Is(err, store.ErrCustomFieldSlugTaken) {
		return paylink.Invalid(paylink.FieldInvalid("a custom field with this slug already exists", f.Slug, "body", "slug"))
	}
	return err
}
