package payment

import (
	"context"
	"strings"
	"time"
)

// Card is what a customer is shown of a saved card.
type Card struct {
	Brand    string // "visa", "mastercard", "amex", …
	Last4    string
	ExpMonth int
	ExpYear  int
}

// SaveMethod asks a processor to save a payment method for one of an
// organization's customers outside a checkout (the customer portal's "update
// payment method"), without charging it.
type SaveMethod struct {
	OrganizationID string
	CustomerID     string // paylink's customer: recorded with the setup, checked on confirm
	CustomerEmail  string // finds the processor's customer, as for a charge
	Token          string // confirmation token (a test token in the sandbox)
	IdempotencyKey string
}

// SavedMethod is a processor's answer to a SaveMethod or a confirmation: a
// Result (succeeded with its PaymentMethodRef and Card, declined, or requiring
// action with a client secret).
type SavedMethod struct {
	Result
}

// Methods is a processor that saves payment methods outside a checkout; the
// sandbox and Stripe are. Errors are technical failures, as for Charge; a card
// the processor refuses is a SavedMethod whose DeclineCode is set.
type Methods interface {
	// SaveMethod saves the method of s.Token for the customer.
	SaveMethod(ctx context.Context, s SaveMethod) (*SavedMethod, error)
	// ConfirmMethod reads a setup that required action (3-D Secure) after the
	// customer finished it on the page. ok is false when setupRef is no setup
	// of this organization's customer (nothing else is said about it).
	ConfirmMethod(ctx context.Context, orgID, customerID, setupRef string) (res *SavedMethod, ok bool, err error)
	// ForgetMethod detaches a saved method from the processor's customer, so it
	// can never be charged again; one that is already gone is not an error.
	ForgetMethod(ctx context.Context, ref string) error
}

// sandboxCards are the sandbox's test tokens as cards.
var sandboxCards = map[string]Card{
	"tok_visa":       {Brand: "visa", Last4: "4242"},
	"tok_visa_debit": {Brand: "visa", Last4: "5556"},
	"tok_mastercard": {Brand: "mastercard", Last4: "4444"},
	"tok_amex":       {Brand: "amex", Last4: "0005"},
	"pm_card_visa":   {Brand: "visa", Last4: "4242"},
}

// sandboxCard is the card of a saved test token, with an expiry at the end of
// next year.
func sandboxCard(token string) Card {
	c := sandboxCards[token]
	c.ExpMonth, c.ExpYear = 12, time.Now().UTC().Year()+1
	return c
}

// SaveMethod implements Methods: a test card that a charge would take is saved
// (its test token is the method), as Setup saves it.
func (s *Sandbox) SaveMethod(ctx context.Context, sm SaveMethod) (*SavedMethod, error) {
	key := sm.IdempotencyKey
	if key != "" {
		key = "method:" + key
	}
	return &SavedMethod{Result: *s.decide("seti_sandbox_", sm.Token, true, key)}, nil
}

// ConfirmMethod implements Methods: no sandbox card requires action, so there
// is never a setup to confirm.
func (*Sandbox) ConfirmMethod(ctx context.Context, orgID, customerID, setupRef string) (*SavedMethod, bool, error) {
	return nil, false, nil
}

// ForgetMethod implements Methods: the sandbox keeps nothing to forget.
func (*Sandbox) ForgetMethod(ctx context.Context, ref string) error { return nil }

// CardBrand is a card brand as a customer reads it ("visa" → "Visa").
func CardBrand(brand string) string {
	switch strings.ToLower(brand) {
	case "amex", "american_express":
		return "American Express"
	case "mastercard":
		return "Mastercard"
	case "visa":
		return "Visa"
	case "discover":
		return "Discover"
	case "":
		return "Card"
	}
	return strings.ToUpper(brand[:1]) + brand[1:]
}
