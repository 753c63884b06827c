package benefits

import (
	"context"
	"encoding/json"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// Type is what a benefit type brings: the check of its properties and what
// granting and revoking it does beyond the grant row. A new type (downloadables)
// is a file of this package that adds itself to types.
type Type interface {
	// Properties checks the properties of a create or an update (raw is the
	// request's JSON) and returns them as stored and rendered. Errors are
	// 422s located at ["body","properties",…].
	Properties(raw json.RawMessage) (map[string]any, error)
	// Grant gives b to g's customer, in tx: g is new or being granted again after
	// a revocation; it may set g.Properties, which the caller then stores.
	Grant(ctx context.Context, tx *store.Tx, b *paylink.Benefit, g *paylink.BenefitGrant, now time.Time) error
	// Revoke takes b away from g's customer, in tx.
	Revoke(ctx context.Context, tx *store.Tx, b *paylink.Benefit, g *paylink.BenefitGrant, now time.Time) error
}

// types are the benefit types paylink grants, by Polar's name.
var types = map[string]Type{
	paylink.BenefitCustom:        customType{},
	paylink.BenefitLicenseKeys:   licenseKeysType{},
	paylink.BenefitDownloadables: downloadablesType{},
}

// orgChecked is a Type whose properties name other objects of the organization
// (downloadables: its files): CheckProperties checks them in the transaction
// that stores the benefit, as 422s at ["body","properties",…].
type orgChecked interface {
	CheckProperties(ctx context.Context, tx *store.Tx, orgID string, props map[string]any) error
}

// regranting is a Type whose grants follow the benefit's properties: when they
// change, Update grants every live grant again (downloadables: a file added
// reaches the customers who have the benefit). Other types' grants keep what
// they were given.
type regranting interface{ regrants() bool }

// checkOrg runs typ's CheckProperties, when it has one.
func checkOrg(ctx context.Context, tx *store.Tx, typ Type, orgID string, props map[string]any) error {
	if c, ok := typ.(orgChecked); ok {
		return c.CheckProperties(ctx, tx, orgID, props)
	}
	return nil
}

// typeOf returns the type named t, or a 422 at ["body","type"] for one paylink
// does not grant (discord, github_repository, meter_credit, …).
func typeOf(t string) (Type, error) {
	if typ, ok := types[t]; ok {
		return typ, nil
	}
	return nil, paylink.Invalid(paylink.FieldInvalid("benefits of type "+quote(t)+
		" are not supported by paylink: use custom, license_keys or downloadables", t, "body", "type"))
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

// decodeStrict reads raw into v, refusing unknown fields, as a 422 at loc.
func decodeStrict(raw json.RawMessage, v any, loc ...any) error {
	if len(raw) == 0 || string(raw) == "null" {
		return paylink.Invalid(paylink.FieldError{Loc: loc, Msg: "Field required", Type: "missing"})
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return paylink.Invalid(paylink.FieldInvalid("Input should be a valid object of this benefit type's properties: "+
			err.Error(), string(raw), loc...))
	}
	return nil
}
