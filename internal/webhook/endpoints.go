package webhook

import (
	"context"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// Endpoints is the one home of the writes to webhook endpoints: the API and the
// dashboard both call it, each use case in its own transaction.
type Endpoints struct {
	Store *store.Store
	Now   func() time.Time // the clock; paylink.Now when nil
}

func (s *Endpoints) now() time.Time { return paylink.Clock(s.Now).Read() }

// Create stores a new endpoint of orgID, enabled, with a new secret, in the
// format given; configure then sets what the request asked for (the change of
// EndpointInput.Change). It returns the endpoint, secret included.
func (s *Endpoints) Create(ctx context.Context, orgID, format string, configure func(*store.WebhookEndpoint)) (*store.WebhookEndpoint, error) {
	e := &store.WebhookEndpoint{OrganizationID: orgID, Enabled: true, Format: format,
		Secret: paylink.NewSecret(paylink.PrefixWebhookSecret), CreatedAt: s.now()}
	configure(e)
	if err := s.Store.InTx(ctx, func(tx *store.Tx) error { return tx.WebhookEndpointCreate(ctx, e) }); err != nil {
		return nil, err
	}
	return e, nil
}

// Change applies change to one of the organization's endpoints under a row lock,
// so that two changes cannot interleave, and returns it as stored. ENotFound for
// an unknown or other organization's endpoint.
func (s *Endpoints) Change(ctx context.Context, orgID, id string, change func(*store.WebhookEndpoint)) (*store.WebhookEndpoint, error) {
	var e *store.WebhookEndpoint
	err := s.Store.InTx(ctx, func(tx *store.Tx) (err error) {
		if e, err = tx.WebhookEndpointGetForUpdate(ctx, orgID, id); err != nil {
			return err
		}
		change(e)
		return tx.WebhookEndpointUpdate(ctx, e)
	})
	return e, err
}

// ResetSecret gives the endpoint a new signing secret and returns the endpoint
// with it; deliveries are signed with it from then on.
func (s *Endpoints) ResetSecret(ctx context.Context, orgID, id string) (*store.WebhookEndpoint, error) {
	secret := paylink.NewSecret(paylink.PrefixWebhookSecret)
	return s.Change(ctx, orgID, id, func(e *store.WebhookEndpoint) { e.Secret = secret })
}

// SetEnabled enables or disables the endpoint (see SetEnabled).
func (s *Endpoints) SetEnabled(ctx context.Context, orgID, id string, on bool) (*store.WebhookEndpoint, error) {
	return s.Change(ctx, orgID, id, func(e *store.WebhookEndpoint) { SetEnabled(e, on) })
}

// Delete removes one of the organization's endpoints. ENotFound otherwise.
func (s *Endpoints) Delete(ctx context.Context, orgID, id string) error {
	return s.Store.InTx(ctx, func(tx *store.Tx) error { return tx.WebhookEndpointDelete(ctx, orgID, id) })
}

// Redeliver asks for one of the organization's webhook events to be sent again
// (see Redeliver). endpointID, when not "", is the endpoint the event must
// belong to: an event of another endpoint is ENotFound.
func (s *Endpoints) Redeliver(ctx context.Context, orgID, endpointID, eventID string) error {
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		if endpointID != "" {
			we, err := tx.WebhookEventGet(ctx, orgID, eventID)
			if err != nil {
				return err
			}
			if we.EndpointID != endpointID {
				return paylink.NotFound("webhook event")
			}
		}
		return Redeliver(ctx, tx, orgID, eventID, s.now())
	})
}
