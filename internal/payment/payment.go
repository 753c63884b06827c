// Package payment charges customers through a PaymentProcessor: the sandbox (no
// account needed, test cards) or Stripe. No raw card number is ever stored or
// logged: the checkout page turns a sandbox card into a test token at once.
package payment

import (
	"context"
	"strings"
)

// Charge asks a processor to take money once. IdempotencyKey makes a retried
// charge return the first result instead of charging again.
type Charge struct {
	OrganizationID string
	CheckoutID     string
	Amount         int64 // minor units
	Currency       string
	CustomerEmail  string
	Token          string // confirmation token: a test token (tok_visa…) in the sandbox
	SaveForFuture  bool   // recurring products keep the payment method for renewals
	IdempotencyKey string
}

// Setup asks a processor to save a payment method for later charges without
// charging it now (a subscription whose first period is free). Its fields mean
// what Charge's do; the processor's customer is found or created as Charge's.
type Setup struct {
	OrganizationID string
	CheckoutID     string
	CustomerEmail  string
	Token          string
	IdempotencyKey string
}

// Result is a processor's answer.
type Result struct {
	Ref              string // the processor's id of the payment (or of the setup)
	PaymentMethodRef string // the saved payment method, for renewals ("" when not saved)
	// Card is the saved payment method's card, what the customer is shown of it
	// (zero when nothing was saved, or when the processor's answer did not say).
	Card        Card
	Succeeded   bool
	DeclineCode string // e.g. "card_declined", "insufficient_funds"
	Message     string // safe to show the customer
	// RequiresAction: the customer must act on the page (3-D Secure) before the
	// payment can finish; neither succeeded nor failed. ClientSecret is what the
	// page passes to Stripe.js handleNextAction. The processor's webhook reports
	// the outcome later.
	RequiresAction bool
	ClientSecret   string
	// Pending: the processor is still working on it (neither succeeded nor failed);
	// its webhook reports the outcome later.
	Pending bool
}

// Processor is a payment processor.
type Processor interface {
	// Name is "sandbox" or "stripe".
	Name() string
	// Charge takes the money now. A decline is a Result with Succeeded false, not an
	// error; errors are technical failures (the customer may retry).
	Charge(ctx context.Context, c Charge) (*Result, error)
	// ChargeSaved charges a saved payment method (subscription renewals).
	ChargeSaved(ctx context.Context, paymentMethodRef string, c Charge) (*Result, error)
	// Setup saves a payment method without charging it: a succeeded Result carries
	// the PaymentMethodRef that ChargeSaved takes. A card the processor refuses is
	// a declined Result, as for Charge; RequiresAction and Pending mean the same.
	Setup(ctx context.Context, s Setup) (*Result, error)
	// Refund gives back part or all of a payment. A refusal (already refunded,
	// more than was charged) is a RefundResult with Status "failed", not an
	// error; an error is a technical failure whose outcome is unknown, and a
	// retry with the same IdempotencyKey never refunds twice.
	Refund(ctx context.Context, r Refund) (*RefundResult, error)
}

// Refund asks a processor to give back money of one payment.
type Refund struct {
	OrganizationID string
	OrderID        string
	RefundID       string // paylink's id: the processor's webhook names it back
	PaymentRef     string // the processor's id of the payment (Result.Ref of the charge)
	Amount         int64  // minor units
	Currency       string
	Reason         string // one of paylink.RefundReasons
	IdempotencyKey string
}

// RefundResult is a processor's answer to a Refund.
type RefundResult struct {
	Ref           string // the processor's id of the refund ("" when it refused)
	Status        string // paylink.RefundSucceeded, RefundPending, RefundFailed or RefundCanceled
	FailureReason string // when failed: the processor's reason, e.g. "charge_already_refunded"
	Message       string // when failed: safe to show the merchant
}

// Test cards of the sandbox and the test tokens they stand for (SPEC §7).
var testCards = map[string]string{
	"4242424242424242": "tok_visa",
	"4000056655665556": "tok_visa_debit",
	"5555555555554444": "tok_mastercard",
	"378282246310005":  "tok_amex",
	"4000000000000002": "tok_chargeDeclined",
	"4000000000009995": "tok_chargeDeclinedInsufficientFunds",
	"4000000000000069": "tok_chargeDeclinedExpiredCard",
	"4000000000000127": "tok_chargeDeclinedIncorrectCvc",
}

// CardToken maps a sandbox card number (spaces and dashes allowed) to its test
// token; ok is false for a number that is not a test card. The number itself goes
// no further than this function.
func CardToken(number string) (token string, ok bool) {
	n := strings.NewReplacer(" ", "", "-", "").Replace(number)
	token, ok = testCards[n]
	return token, ok
}
