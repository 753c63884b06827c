package benefits

import (
	"context"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// Create creates a benefit of a type paylink grants and records benefit.created.
// A bad description or properties, or another type, is a 422 at its field.
func (s *Service) Create(ctx context.Context, orgID string, in paylink.BenefitParams) (*paylink.Benefit, error) {
	typ, err := typeOf(in.Type)
	if err != nil {
		return nil, err
	}
	var probs paylink.Problems
	paylink.CheckBenefitDescription(in.Description, &probs)
	props, err := typ.Properties(in.Properties)
	if err := probs.Merge(err); err != nil {
		return nil, err
	}
	meta, err := paylink.ParseMetadata(in.Metadata, "body", "metadata")
	if err := probs.Merge(err); err != nil {
		return nil, err
	}
	if err := probs.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	b := &paylink.Benefit{ID: paylink.NewID(), OrganizationID: orgID, Type: in.Type, Description: in.Description,
		Properties: props, Metadata: meta, CreatedAt: now}
	err = s.Store.InTx(ctx, func(tx *store.Tx) error {
		if err := checkOrg(ctx, tx, typ, orgID, props); err != nil {
			return err
		}
		if err := tx.BenefitCreate(ctx, b); err != nil {
			return err
		}
		return record(ctx, tx, s.Render, orgID, "benefit.created", b, now)
	})
	return b, err
}

// Update changes a benefit's description, properties or metadata and records
// benefit.updated. typ must be the benefit's type (Polar's update is told
// apart by it): another is a 422 at ["body","type"]. Existing grants keep their
// keys; a license key's new limits apply to keys granted from now on. The live
// grants of a downloadables benefit get its new files (and lose the removed
// ones) in the same transaction, with a benefit_grant.updated each.
func (s *Service) Update(ctx context.Context, orgID, id, typ string, in paylink.BenefitPatch) (*paylink.Benefit, error) {
	var b *paylink.Benefit
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if b, err = tx.BenefitGet(ctx, orgID, id, true); err != nil {
			return err
		}
		if typ != b.Type {
			return paylink.Invalid(paylink.FieldInvalid("the type of a benefit cannot change: this one is "+b.Type, typ,
				"body", "type"))
		}
		t, err := typeOf(b.Type)
		if err != nil {
			return err
		}
		var probs paylink.Problems
		if in.Description != nil {
			paylink.CheckBenefitDescription(*in.Description, &probs)
			b.Description = *in.Description
		}
		if in.Properties != nil {
			props, err := t.Properties(in.Properties)
			if err == nil {
				err = checkOrg(ctx, tx, t, orgID, props)
			}
			if err := probs.Merge(err); err != nil {
				return err
			}
			b.Properties = props
		}
		if in.Metadata != nil {
			meta, err := paylink.ParseMetadata(in.Metadata, "body", "metadata")
			if err := probs.Merge(err); err != nil {
				return err
			}
			b.Metadata = meta
		}
		if err := probs.Err(); err != nil {
			return err
		}
		if err := tx.BenefitUpdate(ctx, b); err != nil {
			return err
		}
		if err := record(ctx, tx, s.Render, orgID, "benefit.updated", b, s.now()); err != nil {
			return err
		}
		if r, ok := t.(regranting); ok && r.regrants() && in.Properties != nil {
			return regrant(ctx, tx, s.Render, t, b, s.now())
		}
		return nil
	})
	return b, err
}

// Delete soft-deletes a benefit: products no longer carry it, existing grants
// and keys stay as they are.
func (s *Service) Delete(ctx context.Context, orgID, id string) error {
	return s.Store.InTx(ctx, func(tx *store.Tx) error { return tx.BenefitDelete(ctx, orgID, id, s.now()) })
}

// SetProductBenefits replaces a product's benefits by ids, in order, and returns
// the product. An unknown benefit is a 422 at ["body","benefits",i]; a repeated
// one too. Orders paid before keep what they were granted.
func (s *Service) SetProductBenefits(ctx context.Context, orgID, productID string, ids []string) (*paylink.Product, error) {
	var probs paylink.Problems
	seen := map[string]bool{}
	for i, id := range ids {
		l := strings.ToLower(id)
		if seen[l] {
			probs.Add("this benefit is listed twice", id, "body", "benefits", i)
		}
		seen[l] = true
	}
	if err := probs.Err(); err != nil {
		return nil, err
	}
	var p *paylink.Product
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ProductGetForUpdate(ctx, orgID, productID); err != nil {
			return err
		}
		for i, id := range ids {
			if !paylink.ValidID(id) {
				probs.Add("benefit not found", id, "body", "benefits", i)
			} else if _, err := tx.BenefitGet(ctx, orgID, id, false); paylink.IsCode(err, paylink.ENotFound) {
				probs.Add("benefit not found", id, "body", "benefits", i)
			} else if err != nil {
				return err
			}
		}
		if err := probs.Err(); err != nil {
			return err
		}
		if err := tx.ProductBenefitsSet(ctx, orgID, productID, ids); err != nil {
			return err
		}
		var err error
		p, err = tx.ProductGet(ctx, orgID, productID)
		return err
	})
	return p, err
}
