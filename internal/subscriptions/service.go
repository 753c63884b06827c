// Package subscriptions is the one home of the changes to a subscription's life:
// cancel at period end, uncancel, revoke, the end of a canceled subscription at
// its period end and the end of dunning. The API, the dashboard and the renewal
// sweep (internal/checkout) call it; each change locks the subscription's row and
// records its events (Polar's, in Polar's order) in the same transaction, so a
// webhook exists exactly when the change does. The rules themselves are the root
// package's (subscription_rules.go).
package subscriptions

import (
	"context"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/events"
	"github.com/paylink/paylink/internal/store"
)

// Renderer turns a subscription into the JSON the API returns for it, the
// payload of its events; api.Renderer implements it (as checkout.Renderer).
type Renderer = events.Renderer

// Notice names a customer email that a change of a subscription calls for.
type Notice string

// The notices, after Polar's customer emails of a subscription.
const (
	NoticeCanceled      Notice = "subscription_canceled"       // set to end at period end
	NoticeUncanceled    Notice = "subscription_uncanceled"     // renews again
	NoticeRevoked       Notice = "subscription_revoked"        // ended now, or at its period end
	NoticeRenewalFailed Notice = "subscription_renewal_failed" // a renewal charge failed; the next try is scheduled
)

// Notifier queues a customer email in tx, the transaction of the change that
// calls for it, so the email exists exactly when the change does. internal/mail
// implements it; nil queues nothing. d is the declined charge of a
// NoticeRenewalFailed, nil for the other notices.
type Notifier interface {
	Queue(ctx context.Context, tx *store.Tx, n Notice, sub *paylink.Subscription, d *Decline) error
}

// Decline is what the processor said of a declined renewal charge, as the
// payment recorded it.
type Decline struct {
	Code    string // "insufficient_funds", "expired_card", …
	Message string // the processor's message, safe to show the customer ("" when it gave none)
}

// Service runs the changes.
type Service struct {
	Store  *store.Store
	Render Renderer         // nil records the subscription as it is (tests of the rules alone)
	Now    func() time.Time // the clock; paylink.Now when nil
	Notify Notifier         // the customer emails; nil sends none
	// Benefits revokes what the subscription granted when it ends, in the
	// transaction that ends it (internal/benefits); nil revokes nothing.
	Benefits interface {
		RevokeSubscription(ctx context.Context, tx *store.Tx, orgID, subscriptionID string) error
	}
}

func (s *Service) now() time.Time { return paylink.Clock(s.Now).Read() }

// Cancel sets one of the organization's subscriptions to end at the end of its
// period (Polar's SubscriptionCancel with cancel_at_period_end true), with the
// customer's reason and comment. An ended subscription, or one already set to
// end, is AlreadyCanceledSubscription (403).
func (s *Service) Cancel(ctx context.Context, orgID, id string, c paylink.Cancellation) (*paylink.Subscription, error) {
	if err := checkCancellation(c); err != nil {
		return nil, err
	}
	return s.change(ctx, orgID, id, func(sub *paylink.Subscription, now time.Time) error {
		return sub.CancelAtEnd(now, c)
	})
}

// Uncancel takes back a scheduled cancellation (cancel_at_period_end false): the
// subscription renews again.
func (s *Service) Uncancel(ctx context.Context, orgID, id string) (*paylink.Subscription, error) {
	return s.change(ctx, orgID, id, func(sub *paylink.Subscription, _ time.Time) error { return sub.Uncancel() })
}

// Revoke ends one of the organization's subscriptions now (Polar's
// SubscriptionRevoke and DELETE); no further renewal is charged.
func (s *Service) Revoke(ctx context.Context, orgID, id string, c paylink.Cancellation) (*paylink.Subscription, error) {
	if err := checkCancellation(c); err != nil {
		return nil, err
	}
	return s.change(ctx, orgID, id, func(sub *paylink.Subscription, now time.Time) error {
		return sub.Revoke(now, c)
	})
}

// RevokeCustomer ends every billable subscription of a customer now, in tx (the
// customer's deletion, which Polar answers by revoking them), with their events.
func (s *Service) RevokeCustomer(ctx context.Context, tx *store.Tx, orgID, customerID string) error {
	subs, err := tx.SubscriptionsOfCustomerForUpdate(ctx, orgID, customerID)
	if err != nil {
		return err
	}
	for _, sub := range subs {
		if !sub.Billable() {
			continue
		}
		before := *sub
		if err := sub.Revoke(s.now(), paylink.Cancellation{}); err != nil {
			return err
		}
		if err := s.save(ctx, tx, &before, sub); err != nil {
			return err
		}
	}
	return nil
}

// EndScheduled ends sub, set to cancel at period end and past its period end,
// instead of renewing it; tx holds sub's row (the renewal sweep's transaction).
func (s *Service) EndScheduled(ctx context.Context, tx *store.Tx, sub *paylink.Subscription) error {
	before := *sub
	sub.EndScheduled(s.now())
	return s.save(ctx, tx, &before, sub)
}

// RenewalDeclined records a failed renewal charge of sub under the dunning
// schedule (paylink.DunningSchedule): past_due with the next try set, or ended
// once the tries are used up; tx holds sub's row. The customer's notice says
// why, from d.
func (s *Service) RenewalDeclined(ctx context.Context, tx *store.Tx, sub *paylink.Subscription, d Decline) error {
	before := *sub
	ended := sub.RenewalDeclined(s.now())
	if err := s.save(ctx, tx, &before, sub); err != nil || ended {
		return err
	}
	if s.Notify == nil {
		return nil
	}
	return s.Notify.Queue(ctx, tx, NoticeRenewalFailed, sub, &d)
}

// checkCancellation validates a reason and comment, located in the body.
func checkCancellation(c paylink.Cancellation) error {
	var probs paylink.Problems
	c.Check(&probs, "body")
	return probs.Err()
}

// change applies fn to the locked subscription and saves it with its events.
func (s *Service) change(ctx context.Context, orgID, id string, fn func(sub *paylink.Subscription, now time.Time) error) (*paylink.Subscription, error) {
	var out *paylink.Subscription
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		sub, err := tx.SubscriptionGetForUpdate(ctx, orgID, id)
		if err != nil {
			return err
		}
		before := *sub
		if err := fn(sub, s.now()); err != nil {
			return err
		}
		out = sub
		return s.save(ctx, tx, &before, sub)
	})
	return out, err
}

// save writes sub and records the events of its change from before, as Polar's
// _after_subscription_updated decides them: subscription.updated always, then
// subscription.uncanceled, subscription.past_due, subscription.canceled (when it
// became canceled, or was revoked after a scheduled cancel) and
// subscription.revoked (when it ended), with the customer's notices.
func (s *Service) save(ctx context.Context, tx *store.Tx, before, sub *paylink.Subscription) error {
	if err := tx.SubscriptionUpdate(ctx, sub); err != nil {
		return err
	}
	wasCanceled, isCanceled := before.CanceledAt != nil, sub.CanceledAt != nil
	revoked := sub.Ended() && !before.Ended()
	types := []string{"subscription.updated"}
	var notices []Notice
	if wasCanceled && !isCanceled {
		types = append(types, "subscription.uncanceled")
		notices = append(notices, NoticeUncanceled)
	}
	if sub.Status == paylink.SubscriptionPastDue && before.Status != paylink.SubscriptionPastDue {
		types = append(types, "subscription.past_due")
	}
	if isCanceled && !wasCanceled || revoked && wasCanceled {
		types = append(types, "subscription.canceled")
		if !revoked {
			notices = append(notices, NoticeCanceled)
		}
	}
	if revoked {
		types = append(types, "subscription.revoked")
		notices = append(notices, NoticeRevoked)
		if s.Benefits != nil {
			if err := s.Benefits.RevokeSubscription(ctx, tx, sub.OrganizationID, sub.ID); err != nil {
				return err
			}
		}
	}
	for _, typ := range types {
		if err := s.record(ctx, tx, sub, typ); err != nil {
			return err
		}
	}
	for _, n := range notices {
		if err := s.notify(ctx, tx, n, sub); err != nil {
			return err
		}
	}
	return nil
}

// notify is the one place a customer email about a subscription is queued.
func (s *Service) notify(ctx context.Context, tx *store.Tx, n Notice, sub *paylink.Subscription) error {
	if s.Notify == nil {
		return nil
	}
	return s.Notify.Queue(ctx, tx, n, sub, nil)
}

// record writes an event about sub, rendered as the API returns it, in tx.
func (s *Service) record(ctx context.Context, tx *store.Tx, sub *paylink.Subscription, typ string) error {
	return events.Record(ctx, tx, s.Render, sub.OrganizationID, typ, sub, s.now())
}
