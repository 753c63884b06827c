package checkoutpage

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/web"
)

// add records a flow's field error under the form field it is about ("" when
// the page has no such field).
func (p fieldProblems) add(f paylink.FieldError) {
	name := checkoutFormName(f.Loc)
	if _, ok := p[name]; !ok {
		p[name] = f.Msg
	}
}

// checkoutFormName maps an error location of the flows to the checkout form's field.
func checkoutFormName(loc []any) string {
	if len(loc) > 0 && loc[0] == "body" {
		loc = loc[1:]
	}
	if len(loc) == 0 {
		return ""
	}
	switch loc[0] {
	case "product_id", "amount", "discount_code", "customer_email", "customer_name":
		return loc[0].(string)
	case "customer_billing_address":
		return "country"
	case "confirmation_token_id":
		return "card_number"
	case "custom_field_data":
		if len(loc) > 1 {
			return fmt.Sprint("custom_field_data.", loc[1])
		}
	}
	return ""
}

// formattedAmounts finds paylink.FormatAmount's "12.50 USD" in the flows'
// messages, to show them as customers read money ("$12.50").
var formattedAmounts = regexp.MustCompile(`\b\d+(\.\d+)? [A-Z]{3}\b`)

// checkoutMessage turns a flow's message into a sentence next to the field
// labelled label: "must be at most 5 characters" → "Company must be at most 5
// characters."
func checkoutMessage(label, msg string) string {
	msg = strings.TrimSpace(msg)
	switch {
	case msg == "":
		return ""
	case msg == "this field is required":
		msg = "Enter " + label
	case strings.HasPrefix(msg, "must "):
		msg = label + " " + msg
	}
	msg = formattedAmounts.ReplaceAllStringFunc(msg, func(m string) string {
		num, code, _ := strings.Cut(m, " ")
		if n, err := web.ParseAmount(num, code); err == nil {
			return web.DisplayMoney(n, code)
		}
		return m
	})
	r := []rune(msg)
	r[0] = unicode.ToUpper(r[0])
	msg = string(r)
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}

// testCardHint is what the page says about the sandbox's test cards.
const testCardHint = "use 4242 4242 4242 4242 with any future expiry date and any CVC"

// cardToken reads the sandbox card form into a test token, adding a problem per
// bad field. The card number goes no further than payment.CardToken: it is
// never stored, logged or shown again.
func (w *Page) cardToken(v url.Values, probs fieldProblems) string {
	number := strings.NewReplacer(" ", "", "-", "").Replace(v.Get("card_number"))
	token := ""
	switch {
	case !w.Sandbox:
		probs["card_number"] = "card payments are not available on this page yet"
	case number == "":
		probs["card_number"] = "enter your card number"
	case len(number) < 12 || len(number) > 19 || !web.AllDigits(number):
		probs["card_number"] = "enter the card number as printed on the card, 12 to 19 digits"
	default:
		t, ok := payment.CardToken(number)
		if !ok {
			probs["card_number"] = "this is test mode, so only test cards work: " + testCardHint
		}
		token = t
	}
	if msg := expiryProblem(v.Get("card_expiry"), w.Checkouts.Now.Read()); msg != "" {
		probs["card_expiry"] = msg
	}
	cvc := strings.TrimSpace(v.Get("card_cvc"))
	switch {
	case cvc == "":
		probs["card_cvc"] = "enter the security code (CVC) from the back of the card"
	case len(cvc) < 3 || len(cvc) > 4 || !web.AllDigits(cvc):
		probs["card_cvc"] = "the security code (CVC) is 3 or 4 digits"
	}
	return token
}

// expiryProblem checks an expiry date typed as "MM / YY", "MM/YYYY" or "MMYY".
func expiryProblem(s string, now time.Time) string {
	s = strings.NewReplacer(" ", "", "/", "", "-", "").Replace(s)
	if s == "" {
		return "enter the expiry date"
	}
	if !web.AllDigits(s) || (len(s) != 4 && len(s) != 6) {
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
