package checkoutpage

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"

	"github.com/paylink/paylink"
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
const testCardHint = web.TestCardHint

// cardToken reads the sandbox card form into a test token, adding a problem per
// bad field (web.ReadTestCard).
func (w *Page) cardToken(v url.Values, probs fieldProblems) string {
	if !w.Sandbox {
		probs["card_number"] = "card payments are not available on this page yet"
		return ""
	}
	return web.ReadTestCard(v, w.Checkouts.Now.Read(), probs)
}
