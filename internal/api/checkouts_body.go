package api

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/checkout"
)

// checkoutBody is every checkout body of Polar's in one: CheckoutCreate,
// CheckoutUpdate, CheckoutUpdatePublic and CheckoutConfirmStripe. Each endpoint
// reads the fields its schema has. allow_trial, locale and customer_ip_address
// are accepted and ignored (the SDK sends allow_trial always); embed_origin is
// kept on a created session.
type checkoutBody struct {
	Products               []string            `json:"products"`
	ProductID              Opt[string]         `json:"product_id"`
	ProductPriceID         Opt[string]         `json:"product_price_id"`
	Amount                 Opt[int64]          `json:"amount"`
	Currency               Opt[string]         `json:"currency"`
	CustomerEmail          Opt[string]         `json:"customer_email"`
	CustomerName           Opt[string]         `json:"customer_name"`
	CustomerBillingAddress Opt[addressBody]    `json:"customer_billing_address"`
	DiscountID             Opt[string]         `json:"discount_id"`
	DiscountCode           Opt[string]         `json:"discount_code"`
	AllowDiscountCodes     Opt[bool]           `json:"allow_discount_codes"`
	RequireBillingAddress  Opt[bool]           `json:"require_billing_address"`
	Metadata               map[string]any      `json:"metadata"`
	CustomFieldData        map[string]any      `json:"custom_field_data"`
	SuccessURL             Opt[string]         `json:"success_url"`
	ReturnURL              Opt[string]         `json:"return_url"`
	ConfirmationTokenID    Opt[string]         `json:"confirmation_token_id"`
	IsBusinessCustomer     Opt[bool]           `json:"is_business_customer"`
	ExternalCustomerID     Opt[string]         `json:"external_customer_id"`
	EmbedOrigin            Opt[string]         `json:"embed_origin"`
	Unsupported            map[string]rawField `json:"-"`
}

// rawField is a body field kept as JSON, to tell null and {} from a real value.
type rawField = json.RawMessage

// unsupportedFields are Polar features paylink does not have: any value other
// than null (or {} and [] for the maps and lists) is a 422 at the field.
var unsupportedFields = []string{"customer_id", "subscription_id", "customer_tax_id",
	"customer_billing_name", "trial_interval", "trial_interval_count", "seats", "min_seats", "max_seats", "prices",
	"customer_metadata"}

// addressBody is Polar's AddressInput; paylink keeps only the country.
type addressBody struct {
	Country *string `json:"country"`
}

// UnmarshalJSON reads the body and, apart, the unsupported fields.
func (b *checkoutBody) UnmarshalJSON(data []byte) error {
	type plain checkoutBody
	if err := decodeNumbers(data, (*plain)(b)); err != nil {
		return err
	}
	var all map[string]rawField
	if err := json.Unmarshal(data, &all); err != nil {
		return err
	}
	b.Unsupported = map[string]rawField{}
	for _, f := range unsupportedFields {
		if v, ok := all[f]; ok {
			b.Unsupported[f] = v
		}
	}
	return nil
}

func decodeNumbers(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}

// check reports the unsupported fields that carry a value, and a business customer.
func (b *checkoutBody) check(probs *paylink.Problems) {
	for _, f := range unsupportedFields {
		v := strings.TrimSpace(string(b.Unsupported[f]))
		if v != "" && v != "null" && v != "{}" && v != "[]" {
			probs.Add(f+" is not supported by paylink; send null or leave it out", json.RawMessage(v), "body", f)
		}
	}
	if b.IsBusinessCustomer.Value {
		probs.Add("business customers (tax ids, billing names) are not supported by paylink", true, "body", "is_business_customer")
	}
}

// country returns the billing country change: nil when absent, "" to clear.
func (b *checkoutBody) country(probs *paylink.Problems) *string {
	a := b.CustomerBillingAddress
	switch {
	case !a.Set:
		return nil
	case a.Null:
		empty := ""
		return &empty
	case a.Value.Country == nil:
		*probs = append(*probs, paylink.FieldError{Loc: []any{"body", "customer_billing_address", "country"},
			Msg: "Field required", Type: "missing"})
		return nil
	}
	return a.Value.Country
}

// clearable returns an Opt's change: nil when absent, "" for an explicit null.
func clearable(o Opt[string]) *string {
	if o.Null {
		empty := ""
		return &empty
	}
	return o.Ptr()
}

// customerChanges returns what customers and merchants may both change.
func (b *checkoutBody) customerChanges(probs *paylink.Problems) checkout.Changes {
	b.check(probs)
	return checkout.Changes{ProductID: b.ProductID.Ptr(), PriceID: b.ProductPriceID.Ptr(), Currency: b.Currency.Ptr(), Amount: b.Amount.Ptr(),
		CustomerEmail: clearable(b.CustomerEmail), CustomerName: clearable(b.CustomerName),
		BillingCountry: b.country(probs), CustomFieldData: b.CustomFieldData}
}
