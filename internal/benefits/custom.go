package benefits

import (
	"context"
	"encoding/json"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// customType is Polar's custom benefit: a private note (Markdown) shown to the
// customers who have it. Granting it is the grant itself.
type customType struct{}

// maxNote bounds a note; Polar sets none, a checkout page must still show it.
const maxNote = 20000

func (customType) Properties(raw json.RawMessage) (map[string]any, error) {
	var p struct {
		Note *string `json:"note"`
	}
	if err := decodeStrict(raw, &p, "body", "properties"); err != nil {
		return nil, err
	}
	if p.Note != nil && len(*p.Note) > maxNote {
		return nil, paylink.Invalid(paylink.FieldInvalid("String should have at most 20000 characters", len(*p.Note),
			"body", "properties", "note"))
	}
	var note any
	if p.Note != nil && *p.Note != "" {
		note = *p.Note
	}
	return map[string]any{"note": note}, nil
}

func (customType) Grant(context.Context, *store.Tx, *paylink.Benefit, *paylink.BenefitGrant, time.Time) error {
	return nil
}

func (customType) Revoke(context.Context, *store.Tx, *paylink.Benefit, *paylink.BenefitGrant, time.Time) error {
	return nil
}
