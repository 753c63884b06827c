package catalog

import (
	"context"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// ProductCreate validates a create request (paylink.NewProduct), checks that every
// attached field is a live custom field of the organization, and stores the
// product. It returns the product as stored, prices and fields loaded. Errors:
// EInvalid located like the API's body.
func (s *Service) ProductCreate(ctx context.Context, orgID string, in paylink.ProductParams) (*paylink.Product, error) {
	prod, err := paylink.NewProduct(orgID, in)
	if err != nil {
		return nil, err
	}
	err = s.write(ctx, func(tx *store.Tx) error {
		if err := attachedFieldsExist(ctx, tx, prod); err != nil {
			return err
		}
		if err := tx.ProductCreate(ctx, prod); err != nil {
			return err
		}
		if in.Medias != nil {
			if err := setMedias(ctx, tx, orgID, prod.ID, in.Medias); err != nil {
				return err
			}
		}
		prod, err = tx.ProductGet(ctx, orgID, prod.ID)
		return err
	})
	return prod, err
}

// ProductUpdate applies a patch to one of the organization's products under a
// row lock, so that it cannot interleave with another update. ifVersion is the
// Version the caller's edit started from ("" for none: the patch applies to the
// product as it is now); when the product has changed since, nothing is written
// and the error is Stale. Errors: ENotFound, EInvalid, EConflict.
func (s *Service) ProductUpdate(ctx context.Context, orgID, id string, patch paylink.ProductPatch, ifVersion string) (*paylink.Product, error) {
	return s.productChange(ctx, orgID, id, ifVersion, func(*paylink.Product) (paylink.ProductPatch, error) { return patch, nil })
}

// ProductEdit is ProductUpdate for a patch that depends on the product it
// applies to (a form that keeps the current price when its amounts are
// unchanged): edit is called with the locked product, after the version check.
func (s *Service) ProductEdit(ctx context.Context, orgID, id, ifVersion string, edit func(cur *paylink.Product) (paylink.ProductPatch, error)) (*paylink.Product, error) {
	return s.productChange(ctx, orgID, id, ifVersion, edit)
}

// ProductArchive archives (or restores) a product; the rest of it is untouched.
func (s *Service) ProductArchive(ctx context.Context, orgID, id string, archived bool) (*paylink.Product, error) {
	return s.ProductUpdate(ctx, orgID, id, paylink.ProductPatch{IsArchived: &archived}, "")
}

func (s *Service) productChange(ctx context.Context, orgID, id, ifVersion string, edit func(*paylink.Product) (paylink.ProductPatch, error)) (*paylink.Product, error) {
	var prod *paylink.Product
	err := s.write(ctx, func(tx *store.Tx) error {
		cur, err := tx.ProductGetForUpdate(ctx, orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(ifVersion, "product", cur.CreatedAt, cur.ModifiedAt); err != nil {
			return err
		}
		patch, err := edit(cur)
		if err != nil {
			return err
		}
		if prod, err = patch.Apply(cur); err != nil {
			return err
		}
		if err := attachedFieldsExist(ctx, tx, prod); err != nil {
			return err
		}
		if err := tx.ProductUpdate(ctx, prod); err != nil {
			return err
		}
		if patch.Medias != nil {
			if err := setMedias(ctx, tx, orgID, id, patch.Medias); err != nil {
				return err
			}
		}
		prod, err = tx.ProductGet(ctx, orgID, id)
		return err
	})
	return prod, err
}

// attachedFieldsExist answers 422, located at the attachment, for any field that
// is not a live custom field of the product's organization.
func attachedFieldsExist(ctx context.Context, tx *store.Tx, prod *paylink.Product) error {
	var probs paylink.Problems
	for i, a := range prod.CustomFields {
		_, err := tx.CustomFieldGet(ctx, prod.OrganizationID, a.CustomFieldID)
		switch {
		case paylink.IsCode(err, paylink.ENotFound):
			probs.Add("custom field not found", a.CustomFieldID, "body", "attached_custom_fields", i, "custom_field_id")
		case err != nil:
			return err
		}
	}
	return probs.Err()
}
