// Package checkout holds paylink's flows: a visit to a checkout link, creating and
// updating a session, confirming and paying it, success, and expiry. A flow does
// not know whether the API, the checkout page or a job calls it; every change of
// money or state happens in one transaction with the events it causes.
package checkout

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/events"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/subscriptions"
)

// Renderer turns objects into the JSON the API returns for them (events.Renderer).
// obj is a *paylink.CheckoutView (rendered from memory; tx may be nil),
// *paylink.Order, *paylink.Subscription or *paylink.Customer (which may load
// what they embed).
type Renderer = events.Renderer

// Service runs the flows.
type Service struct {
	Store     *store.Store
	Processor payment.Processor
	Log       *slog.Logger
	Render    Renderer      // nil renders {"id": …} only (tests of the flows alone)
	Now       paylink.Clock // the clock of every rule of time (expiry, events, periods); nil is paylink.Now
	TTL       time.Duration // how long a session stays open (PAYLINK_CHECKOUT_TTL)
	// Subscriptions ends subscriptions for the renewal sweep (a scheduled cancel,
	// the end of dunning); nil is one on Store with this service's clock and renderer.
	Subscriptions *subscriptions.Service
	Mail          Mailer // the customers' emails; nil sends none (tests of the flows alone)

	links      linkCache
	loads      singleflight.Group // concurrent snapshot loads of one link, by secret
	subsOnce   sync.Once
	writerOnce sync.Once
	writer     *visitWriter
}

// visits returns the batching writer of link visits.
func (s *Service) visits() *visitWriter {
	s.writerOnce.Do(func() { s.writer = &visitWriter{store: s.Store} })
	return s.writer
}

// subscriptions returns the service that changes a subscription's life.
func (s *Service) subscriptions() *subscriptions.Service {
	s.subsOnce.Do(func() {
		if s.Subscriptions == nil {
			s.Subscriptions = &subscriptions.Service{Store: s.Store, Render: s.Render, Now: s.Now}
		}
	})
	return s.Subscriptions
}

func (s *Service) now() time.Time { return s.Now.Read() }

// record writes an event about obj in tx, the transaction of the change.
func (s *Service) record(ctx context.Context, tx *store.Tx, orgID, typ string, obj any) error {
	return RecordEvent(ctx, tx, s.Render, orgID, typ, obj, s.now())
}

// event renders an event about obj; tx may be nil for a *paylink.CheckoutView.
func (s *Service) event(ctx context.Context, tx *store.Tx, orgID, typ string, obj any) (*store.Event, error) {
	return NewEvent(ctx, tx, s.Render, orgID, typ, obj, s.now())
}

// RecordEvent and NewEvent are internal/events' Record and New: the other
// services that change orders (refunds, benefits) record theirs the same way.
var (
	RecordEvent = events.Record
	NewEvent    = events.New
)

// view loads what a checkout's representation embeds.
func (s *Service) view(ctx context.Context, tx *store.Tx, c *paylink.Checkout) (*paylink.CheckoutView, error) {
	products, err := loadProducts(ctx, tx, c.OrganizationID, c.ProductIDs)
	if err != nil {
		return nil, err
	}
	d, err := s.currentDiscount(ctx, tx, c)
	if err != nil {
		return nil, err
	}
	return &paylink.CheckoutView{Checkout: c, Products: products, Discount: d}, nil
}

// recordCheckout records an event about a checkout with its full representation.
func (s *Service) recordCheckout(ctx context.Context, tx *store.Tx, typ string, c *paylink.Checkout) error {
	_, err := s.recordCheckoutView(ctx, tx, typ, c)
	return err
}

// recordCheckoutView is recordCheckout, handing back the view the event shows.
func (s *Service) recordCheckoutView(ctx context.Context, tx *store.Tx, typ string, c *paylink.Checkout) (*paylink.CheckoutView, error) {
	v, e, err := s.checkoutEvent(ctx, tx, typ, c)
	if err != nil {
		return nil, err
	}
	return v, tx.EventRecord(ctx, e)
}

// checkoutEvent renders an event about a checkout with its full
// representation, without writing it, and hands back the view it shows.
func (s *Service) checkoutEvent(ctx context.Context, tx *store.Tx, typ string, c *paylink.Checkout) (*paylink.CheckoutView, *store.Event, error) {
	v, err := s.view(ctx, tx, c)
	if err != nil {
		return nil, nil, err
	}
	e, err := s.event(ctx, tx, c.OrganizationID, typ, v)
	return v, e, err
}

// loadProducts returns the checkout's switchable products, in order.
func loadProducts(ctx context.Context, tx *store.Tx, orgID string, ids []string) ([]*paylink.Product, error) {
	return tx.ProductGetMany(ctx, orgID, ids)
}

// productIn returns the product with id among ps, or nil.
func productIn(ps []*paylink.Product, id string) *paylink.Product {
	for _, p := range ps {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// priceTotals sets the checkout's money from its amount and discount.
func priceTotals(c *paylink.Checkout, d *paylink.Discount) {
	c.DiscountAmount, c.NetAmount, c.TotalAmount = paylink.Totals(c.Amount, c.Currency, d)
	if d == nil || c.DiscountAmount == 0 && d.Type == paylink.DiscountFixed && d.Currency != c.Currency {
		c.DiscountID = nil
		c.DiscountAmount, c.NetAmount, c.TotalAmount = paylink.Totals(c.Amount, c.Currency, nil)
		return
	}
	c.DiscountID = &d.ID
}

// PaymentRequired reports whether confirming c needs a payment method: a total
// above zero (SPEC §7: free checkouts skip the processor).
func PaymentRequired(c *paylink.Checkout) bool { return c.TotalAmount > 0 }
