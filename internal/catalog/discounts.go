package catalog

import (
	"context"
	"errors"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// DiscountCreate validates a create body (paylink.NewDiscount), checks that every
// product of the restriction is one of the organization's, and stores the
// discount. It returns the discount and the products it is restricted to.
// Errors: EInvalid, a code already taken included (located at "code").
func (s *Service) DiscountCreate(ctx context.Context, orgID string, in paylink.DiscountInput) (*paylink.Discount, []*paylink.Product, error) {
	d, err := paylink.NewDiscount(in)
	if err != nil {
		return nil, nil, err
	}
	d.OrganizationID = orgID
	var products []*paylink.Product
	err = s.write(ctx, func(tx *store.Tx) error {
		if products, err = discountProducts(ctx, tx, orgID, d.ProductIDs); err != nil {
			return err
		}
		return codeTaken(tx.DiscountCreate(ctx, d), d)
	})
	if err != nil {
		return nil, nil, err
	}
	return d, products, nil
}

// DiscountUpdate applies an update body to one of the organization's discounts.
// The row stays locked until commit, so the "fixed once redeemed" rule cannot
// race a redemption. ifVersion is the Version the caller's edit started from (""
// for none); a discount changed since is Stale. Errors: ENotFound, EInvalid, EConflict.
func (s *Service) DiscountUpdate(ctx context.Context, orgID, id string, in paylink.DiscountInput, ifVersion string) (*paylink.Discount, []*paylink.Product, error) {
	var d *paylink.Discount
	var products []*paylink.Product
	err := s.write(ctx, func(tx *store.Tx) error {
		old, err := tx.DiscountGetForUpdate(ctx, orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(ifVersion, "discount", old.CreatedAt, old.ModifiedAt); err != nil {
			return err
		}
		if d, err = paylink.ApplyDiscountUpdate(old, in); err != nil {
			return err
		}
		if products, err = discountProducts(ctx, tx, orgID, d.ProductIDs); err != nil {
			return err
		}
		return codeTaken(tx.DiscountUpdate(ctx, d), d)
	})
	if err != nil {
		return nil, nil, err
	}
	return d, products, nil
}

// DiscountDelete soft-deletes a discount; its code is free again. ENotFound for
// an unknown, deleted or other organization's discount.
func (s *Service) DiscountDelete(ctx context.Context, orgID, id string) error {
	return s.write(ctx, func(tx *store.Tx) error { return tx.DiscountDelete(ctx, orgID, id) })
}

// codeTaken turns the store's taken-code conflict into Polar's 422 on the code.
func codeTaken(err error, d *paylink.Discount) error {
	if errors.Is(err, store.ErrDiscountCodeTaken) {
		return paylink.Invalid(paylink.FieldInvalid("a discount with this code already exists", d.Code, "body", "code"))
	}
	return err
}

// discountProducts loads the products of a restriction, in its order, and
// answers 422, located at the index, for any id that is not a product of the
// organization.
func discountProducts(ctx context.Context, tx *store.Tx, orgID string, ids []string) ([]*paylink.Product, error) {
	products, err := tx.ProductGetMany(ctx, orgID, ids)
	if !paylink.IsCode(err, paylink.ENotFound) {
		return products, err
	}
	found, _, err := tx.ProductList(ctx, store.ProductListParams{OrganizationID: orgID, IDs: ids})
	if err != nil {
		return nil, err
	}
	known := make(map[string]bool, len(found))
	for _, pr := range found {
		known[pr.ID] = true
	}
	var probs paylink.Problems
	for i, id := range ids {
		if !known[id] {
			probs.Add("product not found", id, "body", "products", i)
		}
	}
	return nil, probs.Err()
}
