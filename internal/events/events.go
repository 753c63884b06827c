// Package events writes the events of paylink's changes (the webhooks' outbox):
// an object rendered as the API returns it, recorded in the transaction of the
// change. Every service records its events through it, so a payload is the same
// whoever records it.
package events

import (
	"context"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// Renderer turns objects into the JSON the API returns for them; event payloads
// carry exactly that ("the full object"). internal/api implements it.
type Renderer interface {
	Render(ctx context.Context, tx *store.Tx, obj any) (any, error)
}

// New renders an event about obj with r (nil renders obj as it is, for tests of
// a service alone); tx may be nil for objects rendered from memory.
func New(ctx context.Context, tx *store.Tx, r Renderer, orgID, typ string, obj any, now time.Time) (*store.Event, error) {
	var data any = obj
	if r != nil {
		var err error
		if data, err = r.Render(ctx, tx, obj); err != nil {
			return nil, err
		}
	}
	b, err := paylink.MarshalJSON(data)
	if err != nil {
		return nil, err
	}
	return &store.Event{ID: paylink.NewID(), OrganizationID: orgID, Type: typ, Payload: b, CreatedAt: now}, nil
}

// Record writes an event about obj in tx, the transaction of the change.
func Record(ctx context.Context, tx *store.Tx, r Renderer, orgID, typ string, obj any, now time.Time) error {
	e, err := New(ctx, tx, r, orgID, typ, obj, now)
	if err != nil {
		return err
	}
	return tx.EventRecord(ctx, e)
}
