package api

import (
	"context"
	"fmt"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// Renderer renders objects exactly as the API returns them, so webhook payloads
// ("the full object") equal API responses. It implements checkout.Renderer.
type Renderer struct {
	PublicURL            string // e.g. https://pay.example.com, no trailing slash: checkout urls start with it
	StripePublishableKey string // in Stripe mode, given to the page in payment_processor_metadata
}

// Render returns the API representation of obj: a *paylink.CheckoutView (rendered
// from memory; tx may be nil), a *paylink.Refund, or a *paylink.Order, *paylink.Subscription or
// *paylink.Customer, whose embedded customer, product, discount and subscription
// are read in tx (the transaction of the change, so it sees what the change wrote).
func (r Renderer) Render(ctx context.Context, tx *store.Tx, obj any) (any, error) {
	switch o := obj.(type) {
	case *paylink.CheckoutView:
		return r.checkout(o), nil
	case *paylink.Customer:
		return CustomerJSON(o), nil
	case *paylink.Refund:
		return RefundJSON(o), nil
	case *paylink.Benefit:
		return BenefitJSON(o), nil
	case *paylink.BenefitGrant:
		if tx == nil {
			return nil, fmt.Errorf("render %T: needs a transaction", obj)
		}
		return newLoader(ctx, tx, r.PublicURL).grantJSON(o)
	case *paylink.Order, *paylink.Subscription:
		if tx == nil {
			return nil, fmt.Errorf("render %T: needs a transaction", obj)
		}
		l := newLoader(ctx, tx, r.PublicURL)
		if ord, ok := o.(*paylink.Order); ok {
			return l.orderJSON(ord)
		}
		return l.subscriptionJSON(o.(*paylink.Subscription))
	}
	return nil, fmt.Errorf("render: unsupported object %T", obj)
}

// renderer is the API's Renderer.
func (a *API) renderer() Renderer {
	return Renderer{PublicURL: a.PublicURL, StripePublishableKey: a.StripePublishableKey}
}

// loader reads what representations embed within one transaction, each object
// once: a page of 100 orders of one customer reads that customer once.
type loader struct {
	base      string // the public URL: product images are served under it
	ctx       context.Context
	tx        *store.Tx
	products  map[string]*paylink.Product
	customers map[string]*paylink.Customer
	discounts map[string]*paylink.Discount // nil value: deleted
	subs      map[string]*paylink.Subscription
	prices    map[string]*paylink.Price
}

func newLoader(ctx context.Context, tx *store.Tx, base string) *loader {
	return &loader{ctx: ctx, tx: tx, base: base, products: map[string]*paylink.Product{}, customers: map[string]*paylink.Customer{},
		discounts: map[string]*paylink.Discount{}, subs: map[string]*paylink.Subscription{}, prices: map[string]*paylink.Price{}}
}

// preload reads the organization's products with these ids in one query;
// unknown ids are left for product to report.
func (l *loader) preload(orgID string, ids []string) error {
	missing := []string{} // never nil: nil would list every product
	for _, id := range ids {
		if _, ok := l.products[id]; !ok {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	found, err := l.tx.ProductsFind(l.ctx, orgID, missing)
	for _, p := range found {
		l.products[p.ID] = p
	}
	return err
}

// product returns one of the organization's products, archived or not.
func (l *loader) product(orgID, id string) (*paylink.Product, error) {
	if p, ok := l.products[id]; ok {
		return p, nil
	}
	p, err := l.tx.ProductGet(l.ctx, orgID, id)
	if err == nil {
		l.products[id] = p
	}
	return p, err
}

// productsOf returns the products with ids, in order.
func (l *loader) productsOf(orgID string, ids []string) ([]*paylink.Product, error) {
	if err := l.preload(orgID, ids); err != nil {
		return nil, err
	}
	out := make([]*paylink.Product, 0, len(ids))
	for _, id := range ids {
		p, err := l.product(orgID, id)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// price returns a price of p by id, archived or not (orders keep theirs).
func (l *loader) price(orgID string, p *paylink.Product, id string) (*paylink.Price, error) {
	for _, pr := range p.Prices {
		if pr.ID == id {
			return pr, nil
		}
	}
	if pr, ok := l.prices[id]; ok {
		return pr, nil
	}
	pr, err := l.tx.PriceGet(l.ctx, orgID, id)
	if err == nil {
		l.prices[id] = pr
	}
	return pr, err
}

// discount returns the discount with id, or nil for none or a deleted one.
func (l *loader) discount(orgID string, id *string) (*paylink.Discount, error) {
	if id == nil {
		return nil, nil
	}
	if d, ok := l.discounts[*id]; ok {
		return d, nil
	}
	d, err := l.tx.DiscountGet(l.ctx, orgID, *id)
	if paylink.IsCode(err, paylink.ENotFound) {
		d, err = nil, nil
	}
	if err == nil {
		l.discounts[*id] = d
	}
	return d, err
}

func (l *loader) customer(orgID, id string) (*paylink.Customer, error) {
	if c, ok := l.customers[id]; ok {
		return c, nil
	}
	c, err := l.tx.CustomerGet(l.ctx, orgID, id)
	if err == nil {
		l.customers[id] = c
	}
	return c, err
}

// subscription returns the subscription with id, or nil for none.
func (l *loader) subscription(orgID string, id *string) (*paylink.Subscription, error) {
	if id == nil {
		return nil, nil
	}
	if s, ok := l.subs[*id]; ok {
		return s, nil
	}
	s, err := l.tx.SubscriptionGet(l.ctx, orgID, *id)
	if err == nil {
		l.subs[*id] = s
	}
	return s, err
}

// checkoutView loads what a checkout's representation embeds. A product that
// vanished is an internal error: checkouts keep references to live rows.
func (l *loader) checkoutView(c *paylink.Checkout) (*paylink.CheckoutView, error) {
	products, err := l.productsOf(c.OrganizationID, c.ProductIDs)
	if err != nil {
		if paylink.IsCode(err, paylink.ENotFound) {
			err = fmt.Errorf("checkout %s names a missing product: %v", c.ID, err) // a 500, not a 404
		}
		return nil, err
	}
	d, err := l.discount(c.OrganizationID, c.DiscountID)
	if err != nil {
		return nil, err
	}
	return &paylink.CheckoutView{Checkout: c, Products: products, Discount: d}, nil
}
