package benefits

import (
	"context"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// Delivered is one benefit a customer has from an order: the benefit, its grant
// and, for license_keys, the key.
type Delivered struct {
	Benefit *paylink.Benefit
	Grant   *paylink.BenefitGrant
	Key     *paylink.LicenseKey // nil unless Benefit is license_keys
}

// OfOrder returns what the order delivers now: the live grants of the order or,
// for a subscription's order, of its subscription, in the order they were
// granted. A revoked grant is not listed.
func (s *Service) OfOrder(ctx context.Context, o *paylink.Order) ([]Delivered, error) {
	granted := true
	p := store.BenefitGrantListParams{OrganizationID: o.OrganizationID, OrderIDs: []string{o.ID}, IsGranted: &granted,
		ListParams: store.ListParams{OrderBy: "created_at, id"}}
	if o.SubscriptionID != nil {
		p.OrderIDs, p.SubscriptionIDs = nil, []string{*o.SubscriptionID}
	}
	var out []Delivered
	err := s.Store.Read(ctx, func(tx *store.Tx) error {
		grants, _, err := tx.BenefitGrantList(ctx, p)
		if err != nil || len(grants) == 0 {
			return err
		}
		ids := make([]string, len(grants))
		for i, g := range grants {
			ids[i] = g.BenefitID
		}
		bs, err := tx.BenefitGetMany(ctx, o.OrganizationID, ids)
		if err != nil {
			return err
		}
		for _, g := range grants {
			d := Delivered{Benefit: bs[g.BenefitID], Grant: g}
			if d.Benefit == nil {
				continue
			}
			if d.Benefit.Type == paylink.BenefitLicenseKeys {
				if d.Key, err = tx.LicenseKeyByGrantRead(ctx, g.ID); err != nil {
					return err
				}
			}
			out = append(out, d)
		}
		return nil
	})
	return out, err
}
