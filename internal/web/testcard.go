package web

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/paylink/paylink/internal/payment"
)

// TestCardHint is what the pages say about the sandbox's test cards.
const TestCardHint = "use 4242 4242 4242 4242 with any future expiry date and any CVC"

// ReadTestCard reads a sandbox card form (card_number, card_expiry, card_cvc)
// into its test token, adding a problem per bad field to probs (keyed by the
// field's name). The card number goes no further than payment.CardToken: it is
// never stored, logged or shown again. The checkout page and the portal's
// "Update payment method" form both read their card with it.
func ReadTestCard(v url.Values, now time.Time, probs map[string]string) string {
	number := strings.NewReplacer(" ", "", "-", "").Replace(v.Get("card_number"))
	token := ""
	switch {
	case number == "":
		probs["card_number"] = "enter your card number"
	case len(number) < 12 || len(number) > 19 || !AllDigits(number):
		probs["card_number"] = "enter the card number as printed on the card, 12 to 19 digits"
	default:
		t, ok := payment.CardToken(number)
		if !ok {
			probs["card_number"] = "this is test mode, so only test cards work: " + TestCardHint
		}
		token = t
	}
	if msg := ExpiryProblem(v.Get("card_expiry"), now); msg != "" {
		probs["card_expiry"] = msg
	}
	cvc := strings.TrimSpace(v.Get("card_cvc"))
	switch {
	case cvc == "":
		probs["card_cvc"] = "enter the security code (CVC) from the back of the card"
	case len(cvc) < 3 || len(cvc) > 4 || !AllDigits(cvc):
		probs["card_cvc"] = "the security code (CVC) is 3 or 4 digits"
	}
	return token
}

// ExpiryProblem checks an expiry date typed as "MM / YY", "MM/YYYY" or "MMYY".
func ExpiryProblem(s string, now time.Time) string {
	s = strings.NewReplacer(" ", "", "/", "", "-", "").Replace(s)
	if s == "" {
		return "enter the expiry date"
	}
	if !AllDigits(s) || (len(s) != 4 && len(s) != 6) {
		return "enter the expiry date as MM / YY"
	}
	month, _ := strconv.Atoi(s[:2])
	year, _ := strconv.Atoi(s[2:])
	if len(s) == 4 {
		year += 2000
	}
	if month < 1 || month > 12 {
		return "enter the expiry date as MM / YY, with a month from 01 to 12"
	}
	if year < now.Year() || year == now.Year() && time.Month(month) < now.Month() {
		return "this card has expired"
	}
	return ""
}
