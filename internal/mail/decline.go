package mail

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/paylink/paylink/internal/subscriptions"
)

// declineWords say the common decline codes (Stripe's, which the sandbox uses
// too) as a customer reads them, after "did not go through: ".
var declineWords = map[string]string{
	"card_declined":                   "your bank declined the card",
	"generic_decline":                 "your bank declined the card",
	"do_not_honor":                    "your bank declined the card",
	"lost_card":                       "your bank declined the card",
	"stolen_card":                     "your bank declined the card",
	"fraudulent":                      "your bank declined the card",
	"insufficient_funds":              "the card has insufficient funds",
	"expired_card":                    "the card has expired",
	"incorrect_cvc":                   "the card's security code is incorrect",
	"incorrect_number":                "the card number is incorrect",
	"processing_error":                "an error occurred while processing the card",
	"authentication_required":         "your bank asks you to confirm the payment, which cannot be done while you are away",
	"card_velocity_exceeded":          "the card's limit has been reached",
	"withdrawal_count_limit_exceeded": "the card's limit has been reached",
	"no_payment_method":               "there is no saved payment method to charge",
	"invalid_token":                   "the saved payment method cannot be charged",
	"payment_failed":                  "the payment was not completed",
}

// DeclineReason says why a renewal charge was declined in plain words, from
// its decline code, or else the processor's own message; nil (or nothing
// known) is "the payment was declined".
func DeclineReason(d *subscriptions.Decline) string {
	if d == nil {
		return "the payment was declined"
	}
	if w, ok := declineWords[strings.ToLower(d.Code)]; ok {
		return w
	}
	msg := strings.TrimRight(strings.TrimSpace(d.Message), ".")
	if msg == "" {
		return "the payment was declined"
	}
	r, n := utf8.DecodeRuneInString(msg)
	return string(unicode.ToLower(r)) + msg[n:]
}
