// Package benefits is the one home of benefits (Polar's benefits of the types
// custom, license_keys and downloadables), their grants, license keys and
// downloadables: creating and changing benefits, setting a product's benefits,
// granting them in the transaction of a paid order, revoking them, the public
// license key calls and the check of every file download.
// The API, the dashboard, the checkout flows and jobs all call it.
package benefits

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// Renderer renders objects as the API does, for event payloads ("the full
// object"): *paylink.Benefit, *paylink.BenefitGrant. internal/api implements it
// (checkout.Renderer is the same interface).
type Renderer interface {
	Render(ctx context.Context, tx *store.Tx, obj any) (any, error)
}

// Service runs the benefit use cases on a store.
type Service struct {
	Store  *store.Store
	Render Renderer         // nil records {"id": …}-less raw objects (tests of the service alone)
	Now    func() time.Time // the clock; paylink.Now when nil
	Log    *slog.Logger     // may be nil
	// AddressRate is how many public license key calls a second one client
	// address may make (PAYLINK_LICENSE_KEY_RATE); 0 means DefaultAddressRate.
	AddressRate int
	// KeyRate is how many a second one key may get, from any address
	// (PAYLINK_LICENSE_KEY_KEY_RATE); 0 means DefaultKeyRate.
	KeyRate int
	// Links signs the download links of downloadables (the files service);
	// nil lists files without links.
	Links Links

	limits limiter
	counts counts
}

func (s *Service) now() time.Time { return paylink.Clock(s.Now).Read() }

// record writes an event about obj in tx, the transaction of the change.
func record(ctx context.Context, tx *store.Tx, r Renderer, orgID, typ string, obj any, now time.Time) error {
	var data any = obj
	if r != nil {
		var err error
		if data, err = r.Render(ctx, tx, obj); err != nil {
			return err
		}
	}
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	return tx.EventRecord(ctx, &store.Event{ID: paylink.NewID(), OrganizationID: orgID, Type: typ, Payload: b,
		CreatedAt: now})
}
