package catalog

import (
	"context"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// CheckLinkRefs checks what a create (old nil) or an update names in the database: each
// product must be a live product of the organization, the preset discount one of
// its discounts, and a restricted discount must cover every product of the link.
// Another organization's product or discount reads exactly like an unknown one.
func CheckLinkRefs(ctx context.Context, tx *store.Tx, orgID string, in paylink.LinkInput, old *paylink.CheckoutLink, probs *paylink.Problems) error {
	var linkProducts []string // the link's products after the change, when all are well formed
	if in.ProductIDs != nil {
		ids := []string{}
		for _, id := range in.ProductIDs {
			if paylink.ValidID(id) {
				ids = append(ids, strings.ToLower(id))
			}
		}
		found, _, err := tx.ProductList(ctx, store.ProductListParams{OrganizationID: orgID, IDs: ids})
		if err != nil {
			return err
		}
		byID := make(map[string]*paylink.Product, len(found))
		for _, p := range found {
			byID[p.ID] = p
		}
		for i, id := range in.ProductIDs {
			switch p := byID[strings.ToLower(id)]; {
			case !paylink.ValidID(id): // reported by the rules
			case p == nil:
				probs.Add("product not found", id, in.ProductLoc(i)...)
			case p.IsArchived:
				probs.Add("this product is archived", id, in.ProductLoc(i)...)
			}
		}
		if len(ids) == len(in.ProductIDs) {
			linkProducts = ids
		}
	} else if old != nil {
		linkProducts = old.ProductIDs
	}

	var d *paylink.Discount
	var err error
	switch {
	case in.DiscountID != nil && paylink.ValidID(*in.DiscountID):
		d, err = tx.DiscountGet(ctx, orgID, strings.ToLower(*in.DiscountID))
		if paylink.IsCode(err, paylink.ENotFound) {
			probs.Add("discount not found", *in.DiscountID, "body", "discount_id")
			return nil
		}
	case in.DiscountID == nil && !in.Null["discount_id"] && old != nil && old.DiscountID != nil && in.ProductIDs != nil:
		// New products against the preset kept from before; a preset deleted since is no preset.
		if d, err = tx.DiscountGet(ctx, orgID, *old.DiscountID); paylink.IsCode(err, paylink.ENotFound) {
			return nil
		}
	}
	if err != nil || d == nil || linkProducts == nil || paylink.DiscountCovers(d, linkProducts) {
		return err
	}
	const msg = "the discount is restricted to products that do not include every product of the link"
	if in.DiscountID != nil {
		probs.Add(msg, *in.DiscountID, "body", "discount_id")
	} else {
		probs.Add(msg, in.ProductIDs, "body", "products")
	}
	return nil
}
