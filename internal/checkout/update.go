package checkout

import (
	"context"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// Changes is an update of an open session. Nil fields are left alone.
type Changes struct {
	ProductID       *string
	PriceID         *string // product_price_id: selects the product of that price; naming the live price accepts a changed price
	Currency        *string // must be the selected product's (one price per product)
	Amount          *int64
	DiscountCode    *string // "" removes the discount; honoured only when codes are allowed
	CustomerEmail   *string
	CustomerName    *string
	BillingCountry  *string
	CustomFieldData map[string]any // merged into the session's data

	// Only for the merchant's API (never from the customer):
	DiscountID            *string // "" removes the discount
	Metadata              paylink.Metadata
	SuccessURL            *string
	ClearSuccessURL       bool
	ReturnURL             *string
	ClearReturnURL        bool
	AllowDiscountCodes    *bool // turning codes off keeps the applied discount (Polar): the customer just cannot change it
	RequireBillingAddress *bool
}

// customerOnly drops what only the merchant may change.
func (ch *Changes) customerOnly() {
	ch.DiscountID, ch.Metadata, ch.SuccessURL, ch.ClearSuccessURL = nil, nil, nil, false
	ch.ReturnURL, ch.ClearReturnURL, ch.AllowDiscountCodes, ch.RequireBillingAddress = nil, false, nil, nil
}

// Get returns a session by its client secret.
func (s *Service) Get(ctx context.Context, secret string) (*paylink.Checkout, error) {
	var c *paylink.Checkout
	err := s.Store.Read(ctx, func(tx *store.Tx) error {
		var err error
		c, err = tx.CheckoutBySecret(ctx, secret, false)
		return err
	})
	return c, err
}

// UpdateBySecret applies the customer's changes to an open session.
func (s *Service) UpdateBySecret(ctx context.Context, secret string, ch Changes) (*paylink.Checkout, error) {
	ch.customerOnly()
	return s.update(ctx, func(tx *store.Tx) (*paylink.Checkout, error) { return tx.CheckoutBySecret(ctx, secret, true) }, ch)
}

// UpdateByID applies the merchant's changes to one of their open sessions.
func (s *Service) UpdateByID(ctx context.Context, orgID, id string, ch Changes) (*paylink.Checkout, error) {
	return s.update(ctx, func(tx *store.Tx) (*paylink.Checkout, error) { return tx.CheckoutLock(ctx, orgID, id) }, ch)
}

func (s *Service) update(ctx context.Context, load func(tx *store.Tx) (*paylink.Checkout, error), ch Changes) (*paylink.Checkout, error) {
	var c *paylink.Checkout
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if c, err = load(tx); err != nil {
			return err
		}
		if err := c.CanChange(s.now()); err != nil {
			return err
		}
		if err := s.apply(ctx, tx, c, ch, false); err != nil {
			return err
		}
		if err := tx.CheckoutSave(ctx, c, paylink.CheckoutOpen); err != nil {
			return err
		}
		return s.recordCheckout(ctx, tx, "checkout.updated", c)
	})
	return c, err
}

// Expired reports whether c can no longer be paid because of time, by the
// service's clock (paylink.Checkout.Expired): the API's and the page's check.
func (s *Service) Expired(c *paylink.Checkout) bool { return c.Expired(s.now()) }

// apply validates ch against c and the catalog and applies it to c in memory.
// Every problem is collected, each located at its field. A discount that stopped
// applying is dropped on an update (the new total is in the answer), but when
// confirming it is an error: the customer never pays more than they were shown.
func (s *Service) apply(ctx context.Context, tx *store.Tx, c *paylink.Checkout, ch Changes, confirming bool) error {
	var probs paylink.Problems
	if ch.AllowDiscountCodes != nil {
		c.AllowDiscountCodes = *ch.AllowDiscountCodes
	}
	if ch.RequireBillingAddress != nil {
		c.RequireBillingAddress = *ch.RequireBillingAddress
	}
	products, err := loadProducts(ctx, tx, c.OrganizationID, c.ProductIDs)
	if err != nil {
		return err
	}
	v := &paylink.CheckoutView{Checkout: c, Products: products}
	product := v.Product()
	accepted := false // the request names the product's live price: the customer takes it
	if ch.PriceID != nil {
		pr, ok := priceIn(products, ch, &probs)
		if ok {
			ch.ProductID, accepted = &pr.ProductID, true
		}
	}
	if ch.ProductID != nil && *ch.ProductID != c.ProductID {
		p := productIn(products, strings.ToLower(*ch.ProductID))
		switch {
		case p == nil:
			probs.Add("this product is not offered in this checkout", *ch.ProductID, "body", "product_id")
		case p.IsArchived || p.Price() == nil:
			probs.Add("this product is no longer available", *ch.ProductID, "body", "product_id")
		default:
			product = p
			c.ProductID, c.PriceID, c.Currency = p.ID, p.Price().ID, p.Price().Currency
			c.Amount = paylink.DefaultAmount(p.Price())
		}
	}
	if product == nil || product.Price() == nil {
		return paylink.Errorf(paylink.EForbidden, "the product of this checkout is no longer available")
	}
	price := product.Price()
	if !v.PriceCurrent() {
		// The merchant changed the price since the session opened. An update moves
		// to it (its answer shows the new total); a confirm does not charge a total
		// the customer was not shown: it asks them to look again (Polar: "Price is
		// archived"), unless the confirm itself names the new price.
		if confirming && !accepted {
			probs.Add(priceChanged(product), c.PriceID, "body", "product_price_id")
		}
		c.PriceID, c.Currency, c.Amount = price.ID, price.Currency, paylink.DefaultAmount(price)
	}
	if ch.Currency != nil && !strings.EqualFold(*ch.Currency, price.Currency) {
		probs.Add("the product is priced in "+strings.ToUpper(price.Currency)+" only", *ch.Currency, "body", "currency")
	}
	if ch.Amount != nil && paylink.AmountChoosable(price) { // ignored for a fixed or free price
		if err := paylink.ValidateCustomAmount(price, *ch.Amount); err != nil {
			probs = append(probs, fieldErrors(err)...)
		} else {
			c.Amount = *ch.Amount
		}
	}

	discount, err := s.currentDiscount(ctx, tx, c)
	if err != nil {
		return err
	}
	switch {
	case ch.DiscountID != nil && *ch.DiscountID == "":
		discount = nil
	case ch.DiscountID != nil:
		d, err := tx.DiscountGet(ctx, c.OrganizationID, *ch.DiscountID)
		if err != nil {
			probs.Add("discount not found", *ch.DiscountID, "body", "discount_id")
		} else if ok, why := d.Applies(product, s.now()); !ok {
			probs.Add(why, *ch.DiscountID, "body", "discount_id")
		} else {
			discount = d
		}
	case ch.DiscountCode != nil && !c.AllowDiscountCodes:
		s.Log.InfoContext(ctx, "checkout update: discount code ignored, the link does not allow codes", "checkout_id", c.ID)
	case ch.DiscountCode != nil && strings.TrimSpace(*ch.DiscountCode) == "":
		discount = nil
	case ch.DiscountCode != nil:
		d, err := tx.DiscountGetByCode(ctx, c.OrganizationID, paylink.NormalizeCode(*ch.DiscountCode))
		if err != nil {
			probs.Add("this discount code is not valid", *ch.DiscountCode, "body", "discount_code")
		} else if ok, why := d.Applies(product, s.now()); !ok {
			probs.Add("this discount code cannot be used: "+why, *ch.DiscountCode, "body", "discount_code")
		} else if keep := stillApplies(discount, product, s.now()); paylink.SavesLess(d, keep, c.Amount, c.Currency) {
			// Never a silent rise of the total: the better discount stays, and the
			// customer is told so at the field (Polar would replace it).
			probs.Add(savesMore(d, keep, c), *ch.DiscountCode, "body", "discount_code")
		} else {
			discount = d
		}
	}
	if discount != nil {
		if ok, why := discount.Applies(product, s.now()); !ok {
			if confirming {
				probs.Add("this discount can no longer be used ("+why+"); remove it to continue", discount.Code, "body", "discount_code")
			}
			s.Log.InfoContext(ctx, "checkout update: discount dropped", "checkout_id", c.ID, "reason", why)
			discount = nil
		}
	}

	if ch.CustomerEmail != nil {
		e := strings.TrimSpace(*ch.CustomerEmail)
		if e == "" {
			c.CustomerEmail = nil
		} else if !paylink.ValidEmail(e) {
			probs.Add("enter a valid email address", *ch.CustomerEmail, "body", "customer_email")
		} else {
			c.CustomerEmail = &e
		}
	}
	if ch.CustomerName != nil {
		n := strings.TrimSpace(*ch.CustomerName)
		if n == "" {
			c.CustomerName = nil
		} else if !paylink.ValidCustomerName(n) {
			probs.Add("the name must be at most 256 characters, without control characters", *ch.CustomerName, "body", "customer_name")
		} else {
			c.CustomerName = &n
		}
	}
	if ch.BillingCountry != nil {
		cc := strings.ToUpper(strings.TrimSpace(*ch.BillingCountry))
		if cc == "" {
			c.BillingCountry = nil
		} else if !paylink.ValidCountry(cc) {
			probs.Add("choose a country (ISO 3166-1 alpha-2 code)", *ch.BillingCountry, "body", "customer_billing_address", "country")
		} else {
			c.BillingCountry = &cc
		}
	}
	merged := map[string]any{}
	for k, v := range c.CustomFieldData {
		merged[k] = v
	}
	for k, v := range ch.CustomFieldData {
		if v == nil {
			delete(merged, k)
		} else {
			merged[k] = v
		}
	}
	data, err := paylink.ValidateCustomFieldData(product.CustomFields, merged, false)
	if err != nil {
		if pe, ok := err.(*paylink.Error); ok {
			probs = append(probs, pe.Fields...)
		} else {
			return err
		}
	} else {
		c.CustomFieldData = data
	}
	if ch.Metadata != nil {
		c.Metadata = ch.Metadata
	}
	if ch.ClearSuccessURL {
		c.SuccessURL = nil
	} else if ch.SuccessURL != nil {
		c.SuccessURL = ch.SuccessURL
	}
	if ch.ClearReturnURL {
		c.ReturnURL = nil
	} else if ch.ReturnURL != nil {
		c.ReturnURL = ch.ReturnURL
	}
	if err := probs.Err(); err != nil {
		return err
	}
	priceTotals(c, discount)
	return nil
}

// currentDiscount loads the session's discount, nil when it has none or it was deleted.
func (s *Service) currentDiscount(ctx context.Context, tx *store.Tx, c *paylink.Checkout) (*paylink.Discount, error) {
	if c.DiscountID == nil {
		return nil, nil
	}
	d, err := tx.DiscountGet(ctx, c.OrganizationID, *c.DiscountID)
	if paylink.IsCode(err, paylink.ENotFound) {
		return nil, nil
	}
	return d, err
}
