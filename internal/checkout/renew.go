package checkout

import (
	"context"
	"fmt"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/jobs"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/store"
)

// RenewDue charges every subscription whose period has ended (SPEC §6): a paid
// renewal creates an order (billing_reason subscription_cycle) carrying the
// subscription's metadata and starts the next period; a failed one makes the
// subscription past_due and schedules a retry, or ends it once the dunning
// schedule is used up. A subscription set to cancel at period end is not
// charged: it ends (internal/subscriptions). Each subscription is renewed in its
// own transaction holding its row (other processes skip it), and the charge's
// idempotency key names the period, so a crash and a retry never charge twice.
func (s *Service) RenewDue(ctx context.Context) (renewed, failed int, err error) {
	for {
		var done bool
		err := s.Store.InTx(ctx, func(tx *store.Tx) error {
			due, err := tx.SubscriptionsDue(ctx, s.now(), 1)
			if err != nil || len(due) == 0 {
				done = true
				return err
			}
			if due[0].CancelAtPeriodEnd { // neither renewed nor failed: it ends
				return s.subscriptions().EndScheduled(ctx, tx, due[0])
			}
			ok, err := s.renew(ctx, tx, due[0])
			if ok {
				renewed++
			} else {
				failed++
			}
			return err
		})
		if err != nil || done {
			return renewed, failed, err
		}
	}
}

func (s *Service) renew(ctx context.Context, tx *store.Tx, sub *paylink.Subscription) (bool, error) {
	now := s.now()
	amount, discountAmount, discountID, err := s.renewalAmount(ctx, tx, sub)
	if err != nil {
		return false, err
	}
	charge := payment.Charge{OrganizationID: sub.OrganizationID, Amount: amount - discountAmount, Currency: sub.Currency,
		IdempotencyKey: fmt.Sprintf("%s:%s:%d", sub.ID, sub.CurrentPeriodEnd.Format(time.RFC3339), sub.RenewalAttempts)}
	res := &payment.Result{Succeeded: true, Ref: "free"}
	if charge.Amount > 0 {
		if sub.PaymentMethodRef == nil {
			res = &payment.Result{DeclineCode: "no_payment_method", Message: "no saved payment method"}
		} else if res, err = s.Processor.ChargeSaved(ctx, *sub.PaymentMethodRef, charge); err != nil {
			// No answer is not a decline: the charge may have gone through. Nothing
			// is recorded, so the next sweep asks again with the same idempotency
			// key (the attempt count is part of it), which charges at most once.
			s.Log.ErrorContext(ctx, "renewal charge: no answer from the processor; asked again next sweep", "subscription_id", sub.ID, "err", err)
			return false, nil
		}
	}
	if !res.Succeeded {
		return false, s.renewalFailed(ctx, tx, sub, charge, res, now)
	}
	order := &paylink.Order{OrganizationID: sub.OrganizationID, Status: "paid", BillingReason: paylink.BillingSubscriptionCycle,
		CustomerID: sub.CustomerID, ProductID: sub.ProductID, PriceID: sub.PriceID, DiscountID: discountID,
		SubscriptionID: &sub.ID, CheckoutLinkID: sub.CheckoutLinkID, Amount: amount, DiscountAmount: discountAmount,
		NetAmount: amount - discountAmount, TotalAmount: amount - discountAmount, Currency: sub.Currency,
		Metadata: sub.Metadata.Clone(), CustomFieldData: sub.CustomFieldData, CreatedAt: now}
	if err := tx.OrderCreate(ctx, order); err != nil {
		return false, err
	}
	if charge.Amount > 0 {
		if err := tx.PaymentRecord(ctx, &store.Payment{OrganizationID: sub.OrganizationID, SubscriptionID: &sub.ID,
			OrderID: &order.ID, Processor: s.Processor.Name(), ProcessorRef: res.Ref, Amount: charge.Amount,
			Currency: sub.Currency, Status: "succeeded", CreatedAt: now}); err != nil {
			return false, err
		}
	}
	sub.CurrentPeriodStart = sub.CurrentPeriodEnd
	sub.CurrentPeriodEnd = paylink.PeriodEnd(sub.CurrentPeriodEnd, sub.RecurringInterval, sub.IntervalCount)
	sub.Status, sub.PastDueAt, sub.RenewalAttempts, sub.NextAttemptAt = paylink.SubscriptionActive, nil, 0, nil
	sub.DiscountID, sub.Amount = discountID, amount-discountAmount
	if err := tx.SubscriptionUpdate(ctx, sub); err != nil {
		return false, err
	}
	if err := s.recordAll(ctx, tx, sub.OrganizationID, []event{{"order.created", order}, {"order.paid", order}, {"subscription.updated", sub}}); err != nil {
		return false, err
	}
	return true, s.receipt(ctx, tx, order)
}

// renewalFailed records the declined charge and hands the subscription to the
// dunning rules: past_due with its next try scheduled, or ended once the tries
// are used up.
func (s *Service) renewalFailed(ctx context.Context, tx *store.Tx, sub *paylink.Subscription, charge payment.Charge, res *payment.Result, now time.Time) error {
	code := res.DeclineCode
	if err := tx.PaymentRecord(ctx, &store.Payment{OrganizationID: sub.OrganizationID, SubscriptionID: &sub.ID,
		Processor: s.Processor.Name(), ProcessorRef: res.Ref, Amount: charge.Amount, Currency: sub.Currency,
		Status: "failed", DeclineCode: &code, CreatedAt: now}); err != nil {
		return err
	}
	return s.subscriptions().RenewalDeclined(ctx, tx, sub)
}

// renewalAmount is the next period's amount before discount and the discount that
// still applies: forever, or repeating within its months; once-only discounts were
// already left out when the subscription started.
func (s *Service) renewalAmount(ctx context.Context, tx *store.Tx, sub *paylink.Subscription) (amount, discount int64, discountID *string, err error) {
	if sub.DiscountID == nil {
		return sub.Amount, 0, nil, nil
	}
	d, err := tx.DiscountGet(ctx, sub.OrganizationID, *sub.DiscountID)
	if err != nil && !paylink.IsCode(err, paylink.ENotFound) {
		return 0, 0, nil, err
	}
	base := sub.Amount
	if sub.CheckoutID != nil {
		if first, err := tx.OrderByCheckout(ctx, *sub.CheckoutID); err == nil {
			base = first.Amount
		}
	}
	if d == nil || d.Duration == paylink.DurationOnce ||
		d.Duration == paylink.DurationRepeating && d.DurationInMonths != nil &&
			!sub.CurrentPeriodEnd.Before(paylink.PeriodEnd(sub.StartedAt, paylink.IntervalMonth, *d.DurationInMonths)) {
		return base, 0, nil, nil
	}
	off, _ := d.AmountFor(base, sub.Currency)
	return base, off, &d.ID, nil
}

// RenewArgs is the periodic renewal sweep's job.
type RenewArgs struct{}

// Kind implements river.JobArgs.
func (RenewArgs) Kind() string { return "subscription_renew" }

// RenewJobs registers the renewal sweep, run every interval.
func (s *Service) RenewJobs(interval time.Duration) jobs.Register {
	return jobs.Every[RenewArgs](interval, func(ctx context.Context) error {
		ok, failed, err := s.RenewDue(ctx)
		if ok+failed > 0 {
			s.Log.InfoContext(ctx, "renewed subscriptions", "renewed", ok, "failed", failed)
		}
		return err
	})
}
