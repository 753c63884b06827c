package store

import (
	"context"

	"github.com/paylink/paylink"
)

// CheckoutCreateWithEvents inserts sessions together with their events, atomically:
// on PostgreSQL as ONE statement (data-modifying CTE, a single round trip and an
// implicit transaction), on SQLite in one transaction of the single writer.
func (s *Store) CheckoutCreateWithEvents(ctx context.Context, cs []*paylink.Checkout, es []*Event) error {
	if s.Engine.Name() != "postgres" || len(cs) > 500 || len(es) > 500 {
		return s.InTx(ctx, func(tx *Tx) error {
			if err := tx.CheckoutCreateMany(ctx, cs); err != nil {
				return err
			}
			return tx.EventRecordMany(ctx, es)
		})
	}
	rows := make([][]any, 0, len(cs)+len(es))
	for _, c := range cs {
		checkoutDefaults(c)
		rows = append(rows, checkoutRow(c))
	}
	checkoutValues, args := valuesListFrom(0, rows, "$")
	erows := make([][]any, len(es))
	for i, e := range es {
		eventDefaults(e)
		erows[i] = eventRow(e)
	}
	eventValues, eargs := valuesListFrom(len(args), erows, "$")
	_, err := s.DB.ExecContext(ctx, `WITH c AS (INSERT INTO checkouts (`+checkoutColumns+`) VALUES `+checkoutValues+`)
		INSERT INTO events (id, organization_id, type, payload, created_at) VALUES `+eventValues, append(args, eargs...)...)
	return s.Engine.TranslateError(err)
}
