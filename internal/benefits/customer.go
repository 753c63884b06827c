package benefits

import (
	"context"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// BenefitTypes are Polar's benefit types: what a customer's filter and update
// may name. paylink grants custom, license_keys and downloadables.
var BenefitTypes = map[string]bool{"custom": true, "discord": true, "github_repository": true, "downloadables": true,
	"license_keys": true, "meter_credit": true, "feature_flag": true, "slack_shared_channel": true}

// CustomerGrant returns one live grant of the customer, read in tx; ENotFound
// for a revoked one or another customer's (Polar shows a customer only what
// they have).
func CustomerGrant(ctx context.Context, tx *store.Tx, orgID, customerID, id string) (*paylink.BenefitGrant, error) {
	g, err := tx.BenefitGrantGet(ctx, orgID, id)
	if err != nil {
		return nil, err
	}
	if g.CustomerID != customerID || !g.IsGranted() {
		return nil, paylink.NotFound("benefit grant")
	}
	return g, nil
}

// CustomerGrantUpdate is Polar's customer update of a grant, told apart by
// benefitType: it must be the grant's benefit's type (a 422 at
// ["body","benefit_type"] otherwise). The types paylink grants have nothing a
// customer sets (no account to connect), so the grant is returned as it is.
// Errors: ENotFound as CustomerGrant.
func (s *Service) CustomerGrantUpdate(ctx context.Context, orgID, customerID, id, benefitType string) (*paylink.BenefitGrant, error) {
	var g *paylink.BenefitGrant
	err := s.Store.Read(ctx, func(tx *store.Tx) error {
		var err error
		if g, err = CustomerGrant(ctx, tx, orgID, customerID, id); err != nil {
			return err
		}
		bs, err := tx.BenefitGetMany(ctx, orgID, []string{g.BenefitID})
		if err != nil {
			return err
		}
		if b := bs[g.BenefitID]; b == nil || b.Type != benefitType {
			return paylink.Invalid(paylink.FieldError{Loc: []any{"body", "benefit_type"}, Type: "value_error",
				Msg: "Benefit type must match the existing granted benefit type.", Input: benefitType})
		}
		return nil
	})
	return g, err
}
