package payment

import (
	"context"
	"strings"
	"sync"

	"github.com/paylink/paylink"
)

// Sandbox is the default processor: it needs no account and decides by test token.
// It remembers results by idempotency key, like a real processor does.
type Sandbox struct {
	mu      sync.Mutex
	seen    map[string]*Result
	refunds map[string]*RefundResult // by idempotency key
}

// NewSandbox returns a sandbox processor.
func NewSandbox() *Sandbox {
	return &Sandbox{seen: map[string]*Result{}, refunds: map[string]*RefundResult{}}
}

// Name implements Processor.
func (*Sandbox) Name() string { return "sandbox" }

// sandbox outcomes by test token; unknown tokens are declined as invalid.
var sandboxOutcomes = map[string]struct{ code, msg string }{
	"tok_visa":                            {},
	"tok_visa_debit":                      {},
	"tok_mastercard":                      {},
	"tok_amex":                            {},
	"pm_card_visa":                        {},
	"tok_chargeDeclined":                  {"card_declined", "Your card was declined."},
	"tok_chargeDeclinedInsufficientFunds": {"insufficient_funds", "Your card has insufficient funds."},
	"tok_chargeDeclinedExpiredCard":       {"expired_card", "Your card has expired."},
	"tok_chargeDeclinedIncorrectCvc":      {"incorrect_cvc", "Your card's security code is incorrect."},
	"tok_chargeDeclinedProcessingError":   {"processing_error", "An error occurred while processing your card. Try again."},
}

// Charge implements Processor.
func (s *Sandbox) Charge(ctx context.Context, c Charge) (*Result, error) {
	return s.decide("pi_sandbox_", c.Token, c.SaveForFuture, c.IdempotencyKey), nil
}

// ChargeSaved implements Processor: the saved method is the test token itself.
func (s *Sandbox) ChargeSaved(ctx context.Context, paymentMethodRef string, c Charge) (*Result, error) {
	return s.decide("pi_sandbox_", paymentMethodRef, c.SaveForFuture, c.IdempotencyKey), nil
}

// Setup implements Processor: a test card that a charge would take is saved (its
// test token is the saved method); one a charge would decline is declined alike.
func (s *Sandbox) Setup(ctx context.Context, st Setup) (*Result, error) {
	key := st.IdempotencyKey
	if key != "" {
		key = "setup:" + key // a setup and a charge never share an answer
	}
	return s.decide("seti_sandbox_", st.Token, true, key), nil
}

// decide answers for token, remembered by idempotency key; refPrefix names
// what was made (a payment or a setup), save whether the method is kept.
func (s *Sandbox) decide(refPrefix, token string, save bool, key string) *Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	if key != "" {
		if r, ok := s.seen[key]; ok {
			return r
		}
	}
	out, known := sandboxOutcomes[token]
	r := &Result{Ref: refPrefix + paylink.NewID()}
	switch {
	case !known:
		r.DeclineCode, r.Message = "invalid_token", "This payment method is not a sandbox test card. Use 4242 4242 4242 4242."
	case out.code != "":
		r.DeclineCode, r.Message = out.code, out.msg
	default:
		r.Succeeded = true
		if save {
			r.PaymentMethodRef, r.Card = token, sandboxCard(token)
		}
	}
	if key != "" {
		s.seen[key] = r
	}
	return r
}

// Refund implements Processor: a sandbox payment (pi_sandbox_…) is refunded at
// once; any other reference is refused, as a real processor refuses a payment
// it does not know. The amount is not checked against the charge: the sandbox
// keeps no ledger, internal/refunds holds the cap.
func (s *Sandbox) Refund(ctx context.Context, r Refund) (*RefundResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.IdempotencyKey != "" {
		if res, ok := s.refunds[r.IdempotencyKey]; ok {
			return res, nil
		}
	}
	res := &RefundResult{Ref: "re_sandbox_" + paylink.NewID(), Status: paylink.RefundSucceeded}
	if !strings.HasPrefix(r.PaymentRef, "pi_sandbox_") {
		res = &RefundResult{Status: paylink.RefundFailed, FailureReason: "unknown_payment",
			Message: "The sandbox did not make this payment, so it cannot refund it."}
	}
	if r.IdempotencyKey != "" {
		s.refunds[r.IdempotencyKey] = res
	}
	return res, nil
}
