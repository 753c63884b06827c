package mail

import (
	"context"
	"fmt"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/portal"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/subscriptions"
)

// SubscriptionNotices queues the customer's emails about their subscription's
// life (subscriptions.Notifier): set to cancel, ended, a renewal declined. A
// subscription that renews again after an uncancel needs no email.
type SubscriptionNotices struct{ *Service }

// Queue implements subscriptions.Notifier, in tx: the transaction of the change.
func (s SubscriptionNotices) Queue(ctx context.Context, tx *store.Tx, n subscriptions.Notice, sub *paylink.Subscription, decline *subscriptions.Decline) error {
	var kind Kind
	switch n {
	case subscriptions.NoticeCanceled:
		kind = KindSubscriptionCanceled
	case subscriptions.NoticeRevoked:
		kind = KindSubscriptionEnded
	case subscriptions.NoticeRenewalFailed:
		kind = KindRenewalFailed
	default:
		return nil
	}
	customer, err := tx.CustomerGet(ctx, sub.OrganizationID, sub.CustomerID)
	if err != nil {
		return err
	}
	product, err := tx.ProductGet(ctx, sub.OrganizationID, sub.ProductID)
	if err != nil {
		return err
	}
	var data any
	switch kind {
	case KindRenewalFailed:
		org, err := tx.OrganizationGet(ctx, sub.OrganizationID)
		if err != nil {
			return err
		}
		d := RenewalFailedData{ProductName: product.Name, Currency: sub.Currency, Amount: sub.Amount,
			Reason: DeclineReason(decline), FixURL: s.PortalURL(org)}
		if sub.NextAttemptAt != nil {
			d.NextAttempt = day(*sub.NextAttemptAt)
		}
		data = d
	default:
		d := SubscriptionData{ProductName: product.Name}
		if sub.EndsAt != nil {
			d.EndsAt = day(*sub.EndsAt)
		}
		data = d
	}
	_, err = s.Service.Queue(ctx, tx, Message{Kind: kind, OrganizationID: sub.OrganizationID, To: customer.Email, Data: data,
		SubscriptionID: &sub.ID, CustomerID: &customer.ID})
	return err
}

// RefundNotice queues the customer's email about a refund of their order that
// succeeded, in tx: the transaction that counts it on the order.
func (s *Service) RefundNotice(ctx context.Context, tx *store.Tx, o *paylink.Order, r *paylink.Refund) error {
	customer, err := tx.CustomerGet(ctx, o.OrganizationID, o.CustomerID)
	if err != nil {
		return err
	}
	product, err := tx.ProductGet(ctx, o.OrganizationID, o.ProductID)
	if err != nil {
		return err
	}
	d := RefundData{ProductName: product.Name, OrderID: o.ID, Currency: r.Currency, Amount: r.Amount,
		Paid: o.TotalAmount, Full: o.RefundedAmount >= o.TotalAmount}
	_, err = s.Queue(ctx, tx, Message{Kind: KindRefund, OrganizationID: o.OrganizationID, To: customer.Email, Data: d,
		OrderID: &o.ID, SubscriptionID: o.SubscriptionID, CustomerID: &customer.ID})
	return err
}

// day is how the emails write a date: "3 December 2026".
func day(t time.Time) string { return t.UTC().Format("2 January 2006") }

// PortalCode queues the customer portal's one-time sign-in code to email, in tx:
// the transaction that stores the code (portal.Service.SendCode).
func (s *Service) PortalCode(ctx context.Context, tx *store.Tx, org *paylink.Organization, email, code string) error {
	_, err := s.Queue(ctx, tx, Message{Kind: KindPortalCode, OrganizationID: org.ID, To: email,
		Data: PortalCodeData{Code: code, Valid: fmt.Sprintf("%d minutes", int(portal.CodeTTL.Minutes()))}})
	return err
}
