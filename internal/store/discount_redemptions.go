package store

import (
	"context"

	"github.com/paylink/paylink"
)

// ErrDiscountExhausted is what DiscountRedeem returns when the discount has
// reached its max_redemptions: EForbidden, as Polar answers a spent discount (403).
var ErrDiscountExhausted = &paylink.Error{Code: paylink.EForbidden, Message: "this discount has reached its redemption limit"}

// DiscountRedeem counts one redemption of a live discount, atomically: one
// UPDATE whose WHERE clause checks the cap, so that under any concurrency the
// count never exceeds max_redemptions (SQLite serializes writers; PostgreSQL
// re-checks the row after waiting for its lock). It returns ErrDiscountExhausted
// (EForbidden) when the cap is reached and ENotFound for an unknown or deleted
// discount. Call it in the transaction that completes the purchase; dates and
// product rules are the caller's to check before.
func (tx *Tx) DiscountRedeem(ctx context.Context, id string) error {
	res, err := tx.ExecContext(ctx, `UPDATE discounts SET redemptions_count = redemptions_count + 1
		WHERE id = $1 AND deleted_at IS NULL AND (max_redemptions IS NULL OR redemptions_count < max_redemptions)`, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 1 {
		return nil
	}
	if err := tx.discountExists(ctx, id, true); err != nil {
		return err
	}
	return ErrDiscountExhausted
}

// DiscountUnredeem gives back one redemption (a payment failed after
// DiscountRedeem); the count never goes below zero. It works on deleted discounts
// too. ENotFound for an unknown discount.
func (tx *Tx) DiscountUnredeem(ctx context.Context, id string) error {
	res, err := tx.ExecContext(ctx, `UPDATE discounts SET redemptions_count = redemptions_count - 1
		WHERE id = $1 AND redemptions_count > 0`, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	return tx.discountExists(ctx, id, false)
}

// discountExists returns ENotFound unless the discount exists (and is live, when asked).
func (tx *Tx) discountExists(ctx context.Context, id string, live bool) error {
	query := `SELECT count(*) FROM discounts WHERE id = $1`
	if live {
		query += ` AND deleted_at IS NULL`
	}
	var n int
	err := tx.QueryRowContext(ctx, query, id).Scan(&n)
	if err == nil && n == 0 {
		err = paylink.NotFound("discount")
	}
	return err
}
