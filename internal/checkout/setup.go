package checkout

import (
	"context"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/store"
)

// A subscription whose first period is free but whose renewals are not (a 100 %
// discount that lasts once, or some months) is confirmed without a charge, yet
// the renewals need a payment method: confirm saves one through the processor
// (Processor.Setup) instead of charging, and the subscription keeps it.

// PaymentSetupRequired is Polar's is_payment_setup_required: the selected
// product p is a subscription whose renewals cost money, so a payment method
// must be kept for them, whatever the first period costs. d is the checkout's
// discount (nil for none). A subscription that is free forever (a free price, a
// pay-what-you-want amount of 0, or a forever discount that takes the whole
// amount) needs none: its renewals charge nothing.
func PaymentSetupRequired(c *paylink.Checkout, p *paylink.Product, d *paylink.Discount) bool {
	if p == nil || p.ID != c.ProductID || !p.IsRecurring() || c.Amount == 0 {
		return false
	}
	if d == nil || c.DiscountID == nil || *c.DiscountID != d.ID {
		return true
	}
	// Renewals take a forever discount off the same amount (renewalAmount);
	// a repeating one without months never ends either.
	forever := d.Duration == paylink.DurationForever || d.Duration == paylink.DurationRepeating && d.DurationInMonths == nil
	return !forever || c.NetAmount > 0
}

// PaymentFormRequired is Polar's is_payment_form_required: the customer must
// give a payment method, to pay now or to keep for the renewals.
func PaymentFormRequired(c *paylink.Checkout, p *paylink.Product, d *paylink.Discount) bool {
	return PaymentRequired(c) || PaymentSetupRequired(c, p, d)
}

// PaymentSetupOnly reports whether confirming c saves a payment method without
// charging anything now: nothing is due today, but the renewals will be.
func PaymentSetupOnly(c *paylink.Checkout, p *paylink.Product, d *paylink.Discount) bool {
	return !PaymentRequired(c) && PaymentSetupRequired(c, p, d)
}

// setupOnly is PaymentSetupOnly of c as it is stored, read in tx.
func (s *Service) setupOnly(ctx context.Context, tx *store.Tx, c *paylink.Checkout) (bool, error) {
	if PaymentRequired(c) {
		return false, nil
	}
	p, err := tx.ProductGet(ctx, c.OrganizationID, c.ProductID)
	if err != nil {
		return false, err
	}
	d, err := s.currentDiscount(ctx, tx, c)
	if err != nil {
		return false, err
	}
	return PaymentSetupOnly(c, p, d), nil
}

// setUp saves the payment method of a confirm that charges nothing: it has
// Processor.Charge's shape, so Confirm handles its answer as a charge's (a
// decline reopens the session, 3-D Secure leaves it confirmed, a success
// completes it and the subscription keeps res.PaymentMethodRef).
func (s *Service) setUp(ctx context.Context, c payment.Charge) (*payment.Result, error) {
	return s.Processor.Setup(ctx, payment.Setup{OrganizationID: c.OrganizationID, CheckoutID: c.CheckoutID,
		CustomerEmail: c.CustomerEmail, Token: c.Token, IdempotencyKey: c.IdempotencyKey})
}
