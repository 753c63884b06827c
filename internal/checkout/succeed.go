package checkout

import (
	"context"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/benefits"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/store"
)

// Succeed completes a confirmed session in one transaction (SPEC §6): it finds or
// creates the customer, creates the order and, for a recurring product, the
// subscription, copies metadata and custom field data, records the payment, marks
// the session succeeded and records every event. res is nil for free sessions.
// Succeeding twice is harmless: a succeeded session is returned as it is.
func (s *Service) Succeed(ctx context.Context, orgID, checkoutID string, res *payment.Result) (*paylink.Checkout, error) {
	v, err := s.succeed(ctx, orgID, checkoutID, res, nil, nil)
	if err != nil {
		return nil, err
	}
	return v.Checkout, nil
}

// succeed is Succeed; when still is not nil, a confirmed session it refuses is
// left as it is (the sweep's check that the session did not move on meanwhile).
// products are the session's products as Confirm read them when it confirmed
// the session, moments before (nil: read them): the order is of the products
// as confirmed, and the succeeding transaction does not read them again.
func (s *Service) succeed(ctx context.Context, orgID, checkoutID string, res *payment.Result,
	still func(*paylink.Checkout) bool, products []*paylink.Product) (*paylink.CheckoutView, error) {
	var v *paylink.CheckoutView
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		// The order, its events and its receipt read the same products, customer
		// and organization.
		tx.MemoReads(products...)
		c, err := tx.CheckoutLockWait(ctx, orgID, checkoutID)
		if err != nil {
			return err
		}
		if c.Status == paylink.CheckoutSucceeded || c.Status == paylink.CheckoutConfirmed && still != nil && !still(c) {
			v = &paylink.CheckoutView{Checkout: c}
			return nil
		}
		if c.Status != paylink.CheckoutConfirmed {
			return paylink.ErrCheckoutNotOpen
		}
		v, err = s.complete(ctx, tx, c, res, paylink.CheckoutConfirmed, nil, nil)
		return err
	})
	return v, err
}

// complete is the work of succeed on the session c, confirmed and locked in
// tx (its stored status is from): the customer, the order and its
// subscription, the payment res (nil for a free session), the session
// succeeded, every event and the receipt. hold, when not nil, runs right
// before the order takes the organization's receipt number, so that the rows
// every confirm of a link or an organization waits for are held together, for
// the end of the transaction only. pending are events rendered earlier in tx
// and not yet written: they are written with the session's, in one statement.
// It hands back the session as its checkout.updated event shows it.
func (s *Service) complete(ctx context.Context, tx *store.Tx, c *paylink.Checkout, res *payment.Result,
	from string, hold func() error, pending []*store.Event) (*paylink.CheckoutView, error) {
	orgID, now := c.OrganizationID, s.now()
	// All the session's products at once: its checkout.updated event embeds them.
	if _, err := loadProducts(ctx, tx, orgID, c.ProductIDs); err != nil {
		return nil, err
	}
	product, err := tx.ProductGet(ctx, orgID, c.ProductID)
	if err != nil {
		return nil, err
	}
	customer, created, err := tx.CustomerFindOrCreate(ctx, &paylink.Customer{OrganizationID: orgID,
		Email: deref(c.CustomerEmail), Name: c.CustomerName, BillingCountry: c.BillingCountry,
		ExternalID: c.ExternalCustomerID, CreatedAt: now})
	if err != nil {
		return nil, err
	}
	if created {
		e, err := s.event(ctx, tx, orgID, "customer.created", customer)
		if err != nil {
			return nil, err
		}
		pending = append(pending, e)
	}
	if err := s.keepMethod(ctx, tx, customer, res, now); err != nil {
		return nil, err
	}
	order := &paylink.Order{OrganizationID: orgID, Status: "paid", BillingReason: paylink.BillingPurchase,
		CustomerID: customer.ID, ProductID: c.ProductID, PriceID: c.PriceID, DiscountID: c.DiscountID,
		CheckoutID: &c.ID, CheckoutLinkID: c.CheckoutLinkID, Amount: c.Amount, DiscountAmount: c.DiscountAmount,
		NetAmount: c.NetAmount, TotalAmount: c.TotalAmount, Currency: c.Currency, Metadata: c.Metadata.Clone(),
		CustomFieldData: c.CustomFieldData, CreatedAt: now}
	var sub *paylink.Subscription
	if product.IsRecurring() {
		count := 1
		if product.RecurringIntervalCount != nil {
			count = *product.RecurringIntervalCount
		}
		sub = &paylink.Subscription{OrganizationID: orgID, Status: paylink.SubscriptionActive,
			CustomerID: customer.ID, ProductID: c.ProductID, PriceID: c.PriceID, DiscountID: c.DiscountID,
			CheckoutID: &c.ID, CheckoutLinkID: c.CheckoutLinkID, Amount: c.NetAmount, Currency: c.Currency,
			RecurringInterval: *product.RecurringInterval, IntervalCount: count, CurrentPeriodStart: now,
			CurrentPeriodEnd: paylink.PeriodEnd(now, *product.RecurringInterval, count), StartedAt: now,
			Metadata: c.Metadata.Clone(), CustomFieldData: c.CustomFieldData, CreatedAt: now}
		if c.DiscountID != nil {
			// A once-only discount covers the first period; renewals charge the full amount.
			d, err := tx.DiscountGet(ctx, orgID, *c.DiscountID)
			if err != nil && !paylink.IsCode(err, paylink.ENotFound) {
				return nil, err
			}
			if d == nil || d.Duration == paylink.DurationOnce {
				sub.Amount, sub.DiscountID = c.Amount, nil
			}
		}
		if res != nil && res.PaymentMethodRef != "" {
			sub.PaymentMethodRef = &res.PaymentMethodRef
		}
		if err := tx.SubscriptionCreate(ctx, sub); err != nil {
			return nil, err
		}
		order.BillingReason = paylink.BillingSubscriptionCreate
		order.SubscriptionID = &sub.ID
	}
	c.Status = paylink.CheckoutSucceeded
	c.CustomerID = &customer.ID
	if res != nil && res.Ref != "" {
		c.PaymentProcessorRef = &res.Ref
	}
	if err := tx.CheckoutSave(ctx, c, from); err != nil {
		return nil, err
	}
	v, e, err := s.checkoutEvent(ctx, tx, "checkout.updated", c)
	if err != nil {
		return nil, err
	}
	if err := tx.EventRecordMany(ctx, append(pending, e)); err != nil {
		return nil, err
	}
	// What refers to the order without needing its row (the payment, and the
	// receipt of a product without benefits, which lists no grants) is written
	// before it, under the id it will have: the order takes the organization's
	// next receipt number, whose row stays locked until commit
	// (store.OrderCreate), and on PostgreSQL every other order of the
	// organization waits meanwhile. After it comes only what needs its row or
	// its number.
	order.ID = paylink.NewID()
	if res != nil {
		if err := tx.PaymentRecord(ctx, &store.Payment{OrganizationID: orgID, CheckoutID: &c.ID, OrderID: &order.ID,
			Processor: s.Processor.Name(), ProcessorRef: res.Ref, Amount: c.TotalAmount, Currency: c.Currency,
			Status: "succeeded", CreatedAt: now}); err != nil {
			return nil, err
		}
	}
	receiptFirst := len(product.Benefits) == 0
	if receiptFirst {
		if err := s.receipt(ctx, tx, order); err != nil {
			return nil, err
		}
	}
	if hold != nil {
		if err := hold(); err != nil {
			return nil, err
		}
	}
	if err := tx.OrderCreate(ctx, order); err != nil {
		return nil, err
	}
	if err := benefits.GrantForOrder(ctx, tx, s.Render, order, sub); err != nil {
		return nil, err
	}
	events := []event{{"order.created", order}, {"order.paid", order}}
	if sub != nil {
		events = append(events, event{"subscription.created", sub}, event{"subscription.active", sub})
	}
	if err := s.recordAll(ctx, tx, orgID, events); err != nil {
		return nil, err
	}
	if !receiptFirst {
		if err := s.receipt(ctx, tx, order); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// keepMethod saves the payment method a checkout saved for later charges (a
// subscription's, a setup's) with its card, so the customer portal lists it:
// the customer's default when they have none, the same card saved once.
func (s *Service) keepMethod(ctx context.Context, tx *store.Tx, customer *paylink.Customer, res *payment.Result, now time.Time) error {
	if res == nil || res.PaymentMethodRef == "" {
		return nil
	}
	return tx.PaymentMethodKeep(ctx, &store.PaymentMethod{OrganizationID: customer.OrganizationID,
		CustomerID: customer.ID, Processor: s.Processor.Name(), ProcessorRef: res.PaymentMethodRef, Type: "card",
		Brand: res.Card.Brand, Last4: res.Card.Last4, ExpMonth: res.Card.ExpMonth, ExpYear: res.Card.ExpYear,
		CreatedAt: now})
}

// event is one event to record: its type and the object it is about.
type event struct {
	typ string
	obj any
}

// recordAll records the events in tx with one statement, each object rendered
// once however many of them it is about (order.created and order.paid carry
// the same order).
func (s *Service) recordAll(ctx context.Context, tx *store.Tx, orgID string, events []event) error {
	es := make([]*store.Event, len(events))
	for i, e := range events {
		for j := range i {
			if events[j].obj == e.obj {
				again := *es[j]
				again.ID, again.Type = paylink.NewID(), e.typ
				es[i] = &again
				break
			}
		}
		if es[i] == nil {
			var err error
			if es[i], err = s.event(ctx, tx, orgID, e.typ, e.obj); err != nil {
				return err
			}
		}
	}
	return tx.EventRecordMany(ctx, es)
}
