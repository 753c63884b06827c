package store

import (
	"context"
	"time"

	"github.com/paylink/paylink"
)

const refundColumns = `id, organization_id, order_id, subscription_id, customer_id, status, reason, amount, currency,
	comment, revoke_benefits, metadata, processor, processor_ref, failure_reason, created_at, modified_at`

func scanRefund(row scanner) (*paylink.Refund, error) {
	var r paylink.Refund
	var meta string
	if err := row.Scan(&r.ID, &r.OrganizationID, &r.OrderID, &r.SubscriptionID, &r.CustomerID, &r.Status, &r.Reason,
		&r.Amount, &r.Currency, &r.Comment, &r.RevokeBenefits, &meta, &r.Processor, &r.ProcessorRef, &r.FailureReason,
		&r.CreatedAt, &r.ModifiedAt); err != nil {
		return nil, err
	}
	var err error
	r.Metadata, err = parseMetadata(meta)
	return &r, err
}

// RefundCreate inserts a refund.
func (tx *Tx) RefundCreate(ctx context.Context, r *paylink.Refund) error {
	if r.ID == "" {
		r.ID = paylink.NewID()
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = paylink.Now()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO refunds (`+refundColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8,
		$9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		r.ID, r.OrganizationID, r.OrderID, r.SubscriptionID, r.CustomerID, r.Status, r.Reason, r.Amount, r.Currency,
		r.Comment, r.RevokeBenefits, metadataText(r.Metadata), r.Processor, r.ProcessorRef, r.FailureReason,
		r.CreatedAt, r.ModifiedAt)
	return err
}

// RefundGet returns one of an organization's refunds; ENotFound otherwise.
func (tx *Tx) RefundGet(ctx context.Context, orgID, id string) (*paylink.Refund, error) {
	r, err := scanRefund(tx.QueryRowContext(ctx, `SELECT `+refundColumns+` FROM refunds
		WHERE id = $1 AND organization_id = $2`, id, orgID))
	return r, notFound(err, "refund")
}

// RefundSave writes a refund's status, processor reference and failure reason,
// and sets its modified_at.
func (tx *Tx) RefundSave(ctx context.Context, r *paylink.Refund, now time.Time) error {
	r.ModifiedAt = &now
	res, err := tx.ExecContext(ctx, `UPDATE refunds SET status = $1, processor_ref = $2, failure_reason = $3,
		modified_at = $4 WHERE id = $5 AND organization_id = $6`,
		r.Status, r.ProcessorRef, r.FailureReason, now, r.ID, r.OrganizationID)
	return affectedOne(res, err, "refund")
}

// RefundListParams filters RefundList; a nil slice does not filter.
type RefundListParams struct {
	ListParams
	OrganizationID  string
	IDs             []string
	OrderIDs        []string
	SubscriptionIDs []string
	CustomerIDs     []string
	Succeeded       *bool // true: succeeded only; false: every other status
}

// RefundList returns one page of an organization's refunds and the total count.
func (tx *Tx) RefundList(ctx context.Context, p RefundListParams) ([]*paylink.Refund, int, error) {
	var args Args
	where := ` WHERE organization_id = ` + args.Add(p.OrganizationID)
	for _, f := range []struct {
		col  string
		vals []string
	}{{"id", p.IDs}, {"order_id", p.OrderIDs}, {"subscription_id", p.SubscriptionIDs}, {"customer_id", p.CustomerIDs}} {
		if f.vals != nil {
			where += ` AND ` + f.col + ` IN ` + args.In(f.vals)
		}
	}
	if p.Succeeded != nil {
		op := " = "
		if !*p.Succeeded {
			op = " <> "
		}
		where += ` AND status` + op + args.Add(paylink.RefundSucceeded)
	}
	out, total, err := listPage(ctx, tx, p.ListParams, refundColumns, ` FROM refunds`, where, "created_at DESC, id", args, scanRefund)
	return orNone(out), total, err
}

// RefundsUnanswered returns pending refunds the processor never answered about
// (no processor reference) that were made before before, oldest first, across
// organizations: the refunds whose request failed in transit.
func (tx *Tx) RefundsUnanswered(ctx context.Context, before time.Time, limit int) ([]*paylink.Refund, error) {
	return queryAll(ctx, tx, scanRefund, `SELECT `+refundColumns+` FROM refunds
		WHERE status = $1 AND processor_ref IS NULL AND created_at < $2 ORDER BY created_at, id LIMIT $3`,
		paylink.RefundPending, before, limit)
}
