package paylink

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Checkout link limits (SPEC §3).
const (
	LinkLabelMaxLen           = 256
	LinkMaxProducts           = 20
	LinkInactiveMessageMaxLen = 500
	RedirectURLMaxLen         = 2048
	LinkMaxCompletionsMax     = math.MaxInt32
)

// LinkInput is a create or update body of the checkout links API, decoded but not
// validated. A nil field was absent (or null). Null names the fields sent as an
// explicit null: on update, "label", "discount_id", "success_url", "return_url",
// "inactive_message", "expires_at" and "max_completions" are then cleared; null is
// the same as absent everywhere else.
type LinkInput struct {
	Label                 *string
	ProductIDs            []string // nil: absent; on update, keeps the products
	ProductsField         string   // the body field the products came from: "products" ("" too), "product_id" or "product_price_id"
	AllowDiscountCodes    *bool
	RequireBillingAddress *bool
	DiscountID            *string
	SuccessURL            *string
	ReturnURL             *string
	Metadata              map[string]any // nil: absent
	Active                *bool
	InactiveMessage       *string
	ExpiresAt             *string // RFC 3339 with a time zone
	MaxCompletions        *int
	Null                  map[string]bool
	Unsupported           []string // out-of-scope Polar fields (trials, seats) sent with a value
}

// ProductLoc locates the i-th product of the input in a 422: ["body","products",i],
// or the legacy single-product field.
func (in LinkInput) ProductLoc(i int) []any {
	if in.ProductsField != "" && in.ProductsField != "products" {
		return []any{"body", in.ProductsField}
	}
	return []any{"body", "products", i}
}

// NewCheckoutLink validates a create body and returns the link it describes,
// without ID, organization, secret or timestamps. Whether the products and the
// discount exist is for the caller to check. Missing products are reported unless
// ProductsField names a legacy field (the caller that resolves it reports its own
// failure). Every problem comes back in one EInvalid error, located at its body field.
func NewCheckoutLink(in LinkInput, now time.Time) (*CheckoutLink, error) {
	var p Problems
	l := &CheckoutLink{AllowDiscountCodes: true, Active: true, Metadata: Metadata{}}
	if in.ProductIDs == nil && (in.ProductsField == "" || in.ProductsField == "products") {
		p = append(p, FieldError{Loc: []any{"body", "products"}, Msg: "Field required", Type: "missing"})
	}
	in.apply(l, &p)
	if l.ExpiresAt != nil && !l.ExpiresAt.After(now) {
		p.Add("expires_at must be in the future", *in.ExpiresAt, "body", "expires_at")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return l, nil
}

// ApplyCheckoutLinkUpdate returns a copy of old with an update body applied, or an
// EInvalid error. products replaces the list; explicit nulls clear nullable fields.
// An expires_at in the past is allowed here: it ends the link at once.
func ApplyCheckoutLinkUpdate(old *CheckoutLink, in LinkInput) (*CheckoutLink, error) {
	var p Problems
	l := *old
	l.Metadata = old.Metadata.Clone()
	l.ProductIDs = append([]string(nil), old.ProductIDs...)
	clearers := map[string]func(){
		"label":            func() { l.Label = nil },
		"discount_id":      func() { l.DiscountID = nil },
		"success_url":      func() { l.SuccessURL = nil },
		"return_url":       func() { l.ReturnURL = nil },
		"inactive_message": func() { l.InactiveMessage = nil },
		"expires_at":       func() { l.ExpiresAt = nil },
		"max_completions":  func() { l.MaxCompletions = nil },
	}
	for field, fn := range clearers {
		if in.Null[field] {
			fn()
		}
	}
	in.apply(&l, &p)
	if err := p.Err(); err != nil {
		return nil, err
	}
	return &l, nil
}

// apply checks each present field of in on its own and copies it onto l.
func (in LinkInput) apply(l *CheckoutLink, p *Problems) {
	for _, f := range in.Unsupported {
		p.Add(f+" is not supported by paylink; send null or leave it out", nil, "body", f)
	}
	if in.ProductIDs != nil {
		if ids, ok := in.checkProducts(p); ok {
			l.ProductIDs = ids
		}
	}
	if in.Label != nil {
		if utf8.RuneCountInString(*in.Label) > LinkLabelMaxLen {
			p.Add(fmt.Sprintf("label must be at most %d characters", LinkLabelMaxLen), *in.Label, "body", "label")
		} else {
			l.Label = in.Label
		}
	}
	if in.AllowDiscountCodes != nil {
		l.AllowDiscountCodes = *in.AllowDiscountCodes
	}
	if in.RequireBillingAddress != nil {
		l.RequireBillingAddress = *in.RequireBillingAddress
	}
	if in.Active != nil {
		l.Active = *in.Active
	}
	if in.DiscountID != nil {
		if !ValidID(*in.DiscountID) {
			p.Add("discount_id must be a UUID", *in.DiscountID, "body", "discount_id")
		} else {
			id := strings.ToLower(*in.DiscountID)
			l.DiscountID = &id
		}
	}
	for _, u := range []struct {
		field string
		in    *string
		out   **string
	}{{"success_url", in.SuccessURL, &l.SuccessURL}, {"return_url", in.ReturnURL, &l.ReturnURL}} {
		if u.in == nil {
			continue
		}
		if msg := ValidateRedirectURL(*u.in); msg != "" {
			p.Add(msg, *u.in, "body", u.field)
		} else {
			s := *u.in // kept as given: {CHECKOUT_ID} stays un-escaped (Polar #6300)
			*u.out = &s
		}
	}
	if in.Metadata != nil {
		if m, err := ParseMetadata(in.Metadata, "body", "metadata"); err != nil {
			*p = append(*p, fieldsOf(err, "body", "metadata")...)
		} else {
			l.Metadata = m
		}
	}
	if in.InactiveMessage != nil {
		msg := *in.InactiveMessage
		switch {
		case utf8.RuneCountInString(msg) > LinkInactiveMessageMaxLen:
			p.Add(fmt.Sprintf("inactive_message must be at most %d characters", LinkInactiveMessageMaxLen), msg, "body", "inactive_message")
		case strings.TrimSpace(msg) == "":
			l.InactiveMessage = nil // an empty message means "none": the page shows its default text
		default:
			l.InactiveMessage = &msg
		}
	}
	if in.ExpiresAt != nil {
		if t, ok := linkTime(p, *in.ExpiresAt); ok {
			l.ExpiresAt = &t
		}
	}
	if in.MaxCompletions != nil {
		if n := *in.MaxCompletions; n < 1 || n > LinkMaxCompletionsMax {
			p.Add(fmt.Sprintf("max_completions must be from 1 to %d", LinkMaxCompletionsMax), n, "body", "max_completions")
		} else {
			l.MaxCompletions = &n
		}
	}
}

// checkProducts checks the count, the form and the uniqueness of the product ids
// and returns them lower-cased.
func (in LinkInput) checkProducts(p *Problems) ([]string, bool) {
	ok := true
	if n := len(in.ProductIDs); n < 1 || n > LinkMaxProducts {
		p.Add(fmt.Sprintf("a checkout link has 1 to %d products", LinkMaxProducts), n, "body", "products")
		ok = false
	}
	seen := make(map[string]bool, len(in.ProductIDs))
	ids := make([]string, len(in.ProductIDs))
	for i, id := range in.ProductIDs {
		ids[i] = strings.ToLower(id)
		switch {
		case !ValidID(id):
			p.Add("must be a UUID", id, in.ProductLoc(i)...)
			ok = false
		case seen[ids[i]]:
			p.Add("this product is already on the link", id, in.ProductLoc(i)...)
			ok = false
		}
		seen[ids[i]] = true
	}
	return ids, ok
}

// linkTime parses an RFC 3339 timestamp into UTC microseconds; a bad one is
// reported on p at expires_at.
func linkTime(p *Problems, s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		p.Add("expires_at must be an RFC 3339 date-time with a time zone", s, "body", "expires_at")
		return time.Time{}, false
	}
	return t.UTC().Truncate(time.Microsecond), true
}

// ValidateRedirectURL checks a success or return URL: absolute http or https with a
// host, at most RedirectURLMaxLen characters. It returns "" when s is fine, else
// a message for a 422. "{CHECKOUT_ID}" is allowed anywhere.
func ValidateRedirectURL(s string) string {
	if len(s) > RedirectURLMaxLen {
		return fmt.Sprintf("URL must be at most %d characters", RedirectURLMaxLen)
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7f {
			return "URL must not contain spaces or control characters"
		}
	}
	u, err := url.Parse(strings.ReplaceAll(s, "{CHECKOUT_ID}", "CHECKOUT_ID"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return "must be an absolute http or https URL"
	}
	return ""
}

// DiscountCovers reports whether d can apply to every product: a discount without
// product restrictions covers everything.
func DiscountCovers(d *Discount, productIDs []string) bool {
	if len(d.ProductIDs) == 0 {
		return true
	}
	allowed := make(map[string]bool, len(d.ProductIDs))
	for _, id := range d.ProductIDs {
		allowed[strings.ToLower(id)] = true
	}
	for _, id := range productIDs {
		if !allowed[strings.ToLower(id)] {
			return false
		}
	}
	return true
}

// fieldsOf returns the field errors of an EInvalid error, or one generic field
// error at loc for any other error.
func fieldsOf(err error, loc ...any) []FieldError {
	var e *Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		return e.Fields
	}
	return []FieldError{FieldInvalid(err.Error(), nil, loc...)}
}
