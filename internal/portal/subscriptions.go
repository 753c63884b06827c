package portal

import (
	"context"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// Subscriptions is what the portal needs of the subscriptions service
// (internal/subscriptions): each call is that service's one home of the change,
// with its transaction, row lock and events. Errors are *paylink.Error (for
// example EForbidden for a subscription that already ended).
type Subscriptions interface {
	// Cancel sets an active subscription of orgID to end when its current period
	// ends, with the customer's reason and comment.
	Cancel(ctx context.Context, orgID, subscriptionID string, c paylink.Cancellation) (*paylink.Subscription, error)
	// Uncancel makes a subscription set to cancel at period end renew again.
	Uncancel(ctx context.Context, orgID, subscriptionID string) (*paylink.Subscription, error)
}

// CanChangeSubscriptions reports whether the portal can cancel and resume
// subscriptions (the pages hide the buttons otherwise).
func (s *Service) CanChangeSubscriptions() bool { return s.Subscriptions != nil }

var errNoSubscriptions = paylink.Errorf(paylink.ENotImplemented, "Subscriptions cannot be changed here yet.")

// Cancel sets one of the signed-in customer's subscriptions to end at period
// end. Another customer's subscription is ENotFound; without Subscriptions,
// ENotImplemented (after the check, so it tells nothing about others').
func (s *Service) Cancel(ctx context.Context, who *Signed, subscriptionID string, reason, comment *string) (*paylink.Subscription, error) {
	if err := s.own(ctx, who, subscriptionID); err != nil {
		return nil, err
	}
	return s.Subscriptions.Cancel(ctx, who.Org.ID, subscriptionID, paylink.Cancellation{Reason: reason, Comment: comment})
}

// Uncancel resumes the renewals of one of the signed-in customer's
// subscriptions. Errors as Cancel.
func (s *Service) Uncancel(ctx context.Context, who *Signed, subscriptionID string) (*paylink.Subscription, error) {
	if err := s.own(ctx, who, subscriptionID); err != nil {
		return nil, err
	}
	return s.Subscriptions.Uncancel(ctx, who.Org.ID, subscriptionID)
}

// own checks that the subscription is the signed-in customer's and that the
// portal can change it.
func (s *Service) own(ctx context.Context, who *Signed, subscriptionID string) error {
	err := s.Store.Read(ctx, func(tx *store.Tx) error {
		_, err := CustomerSubscription(ctx, tx, who, subscriptionID)
		return err
	})
	if err == nil && s.Subscriptions == nil {
		return errNoSubscriptions
	}
	return err
}

// CustomerOrder returns one of the signed-in customer's orders; ENotFound for
// any other order, another customer's included.
func CustomerOrder(ctx context.Context, tx *store.Tx, who *Signed, id string) (*paylink.Order, error) {
	o, err := tx.OrderGet(ctx, who.Org.ID, id)
	if err == nil && o.CustomerID != who.Customer.ID {
		return nil, paylink.NotFound("order")
	}
	return o, err
}

// CustomerSubscription returns one of the signed-in customer's subscriptions;
// ENotFound for any other.
func CustomerSubscription(ctx context.Context, tx *store.Tx, who *Signed, id string) (*paylink.Subscription, error) {
	sub, err := tx.SubscriptionGet(ctx, who.Org.ID, id)
	if err == nil && sub.CustomerID != who.Customer.ID {
		return nil, paylink.NotFound("subscription")
	}
	return sub, err
}
