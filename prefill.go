package paylink

import (
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// PrefillInput is what ApplyPrefill needs besides the query string: the link and
// everything the store has already loaded for it.
type PrefillInput struct {
	Link       *CheckoutLink
	Products   []*Product                  // the link's products in order, archived ones included
	Preset     *Discount                   // the link's preset discount, nil if none
	LookupCode func(code string) *Discount // a discount of the link's organization by NormalizeCode'd code; nil when unknown
	Now        time.Time
}

// Prefill is the starting state of a checkout session opened through a link
// (SPEC §4 rules 3–9). Every field is valid on its own; a caller only stores it.
type Prefill struct {
	Product         *Product // never archived, always with a live price
	Price           *Price   // Product.Price()
	Amount          int64    // before discount
	Discount        *Discount
	CustomerEmail   *string
	CustomerName    *string
	CustomFieldData map[string]any // only fields of Product, each validated; never nil
	Attribution     Metadata       // reference_id and utm_* from the URL; never nil
	Metadata        Metadata       // the link's metadata plus attribution, link keys winning; never nil
	Remaining       url.Values     // parameters not consumed, for the redirect's Location
	Dropped         []string       // "param: reason" for every value ignored, for logs
}

// ErrNoProducts is returned by ApplyPrefill when every product of the link is
// archived (SPEC §4.3): the visitor sees a page that says so.
var ErrNoProducts = &Error{Code: ENotFound, Name: "ResourceNotFound", Message: "none of this link's products is available"}

// attributionKeys are the URL parameters copied into metadata, in this order.
var attributionKeys = []string{"reference_id", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term"}

const customFieldParam = "custom_field_data."

// ApplyPrefill turns a link visit's query string into the session's starting state.
// Each parameter is checked on its own and, when bad, dropped alone (with its reason
// in Dropped); empty values count as absent; of a repeated parameter only the first
// value counts. The only error is ErrNoProducts, when no product is left.
func ApplyPrefill(q url.Values, in PrefillInput) (*Prefill, error) {
	var live []*Product
	for _, p := range in.Products {
		if p != nil && !p.IsArchived && p.Price() != nil {
			live = append(live, p)
		}
	}
	if len(live) == 0 {
		return nil, ErrNoProducts
	}
	link := in.Link
	if link == nil {
		link = &CheckoutLink{}
	}
	pf := &Prefill{Product: live[0], CustomFieldData: map[string]any{}, Attribution: Metadata{}}
	get := func(key string) string { return strings.TrimSpace(q.Get(key)) }
	drop := func(key, reason string) { pf.Dropped = append(pf.Dropped, key+": "+reason) }

	if id := get("product_id"); id != "" {
		if i := slices.IndexFunc(live, func(p *Product) bool { return strings.EqualFold(p.ID, id) }); i >= 0 {
			pf.Product = live[i]
		} else {
			drop("product_id", "not an available product of this link")
		}
	}
	pf.Price = pf.Product.Price()
	pf.Amount = prefillAmount(pf.Price, get("amount"), drop)

	if in.Preset != nil {
		if ok, why := in.Preset.Applies(pf.Product, in.Now); ok {
			pf.Discount = in.Preset
		} else {
			drop("discount_id", "preset discount skipped: "+why)
		}
	}
	if code := get("discount_code"); code != "" {
		if d, why := prefillCode(link, in, pf.Product, code); d != nil && SavesLess(d, pf.Discount, pf.Amount, pf.Price.Currency) {
			drop("discount_code", "the link's own discount saves more")
		} else if d != nil {
			pf.Discount = d
		} else {
			drop("discount_code", why)
		}
	}

	if email := get("customer_email"); email != "" {
		if ValidEmail(email) {
			pf.CustomerEmail = &email
		} else {
			drop("customer_email", "not a valid email address")
		}
	}
	if name := get("customer_name"); name != "" {
		if ValidCustomerName(name) {
			pf.CustomerName = &name
		} else {
			drop("customer_name", "must be at most 256 characters without control characters")
		}
	}

	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if slug, ok := strings.CutPrefix(k, customFieldParam); ok {
			prefillField(pf, slug, get(k), drop)
		}
	}

	for _, k := range attributionKeys {
		if v := get(k); v != "" {
			if MetadataString(v) {
				pf.Attribution[k] = v
			} else {
				drop(k, "must be 1 to 500 characters")
			}
		}
	}
	pf.Metadata = link.Metadata.Clone()
	for _, k := range attributionKeys {
		v, ok := pf.Attribution[k]
		if _, taken := pf.Metadata[k]; !ok || taken {
			continue // the link's own key wins
		}
		if len(pf.Metadata) >= MetadataMaxKeys {
			drop(k, "metadata already has the maximum number of keys")
			continue
		}
		pf.Metadata[k] = v
	}

	pf.Remaining = url.Values{}
	passed := 0
	for _, k := range keys {
		if prefillConsumes(k) {
			continue
		}
		for _, v := range q[k] {
			n := len(url.QueryEscape(k)) + len(url.QueryEscape(v)) + 2
			if passed+n > MaxPassedOnQuery {
				drop(k, "not passed on: the checkout URL would grow too long")
				continue
			}
			passed += n
			pf.Remaining[k] = append(pf.Remaining[k], v)
		}
	}
	return pf, nil
}

// MaxPassedOnQuery bounds the query string a visit passes on to the checkout
// page's URL, so the 303's Location stays a header every client and proxy takes.
const MaxPassedOnQuery = 2048

// prefillAmount applies rule 5: a valid amount for a pay-what-you-want price, else
// the price's default.
func prefillAmount(pr *Price, raw string, drop func(string, string)) int64 {
	def := DefaultAmount(pr)
	if raw == "" {
		return def
	}
	if !AmountChoosable(pr) {
		drop("amount", "the price is not pay-what-you-want")
		return def
	}
	if raw[0] < '0' || raw[0] > '9' {
		drop("amount", "not a whole number of minor units")
		return def
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		drop("amount", "not a whole number of minor units")
		return def
	}
	if msg := customAmountProblem(pr, n); msg != "" {
		drop("amount", msg)
		return def
	}
	return n
}

// prefillCode applies rule 7: the discount of a code, or nil and why not.
func prefillCode(link *CheckoutLink, in PrefillInput, p *Product, code string) (*Discount, string) {
	if !link.AllowDiscountCodes {
		return nil, "discount codes are not allowed on this link"
	}
	code = NormalizeCode(code)
	if !ValidDiscountCode(code) || in.LookupCode == nil {
		return nil, "unknown discount code"
	}
	d := in.LookupCode(code)
	if d == nil || (d.OrganizationID != "" && link.OrganizationID != "" && d.OrganizationID != link.OrganizationID) {
		return nil, "unknown discount code"
	}
	if ok, why := d.Applies(p, in.Now); !ok {
		return nil, why
	}
	return d, ""
}

// prefillField applies one custom_field_data.{slug} parameter (rule 8).
func prefillField(pf *Prefill, slug, raw string, drop func(string, string)) {
	if raw == "" {
		return
	}
	key := logSafeKey(customFieldParam + slug)
	i := slices.IndexFunc(pf.Product.CustomFields, func(a ProductCustomField) bool {
		return a.CustomField != nil && a.CustomField.Slug == slug
	})
	if i < 0 {
		drop(key, "not a field of the selected product")
		return
	}
	v, err := ValidateFieldValue(pf.Product.CustomFields[i].CustomField, raw)
	if err != nil {
		drop(key, err.Error())
		return
	}
	pf.CustomFieldData[slug] = v
}

// logSafeKey returns a query key as it can go into a log line: as is when it is
// short and plain, else quoted (escaping control and invalid bytes) and cut.
func logSafeKey(key string) string {
	plain := len(key) <= 80 && !strings.ContainsFunc(key, func(r rune) bool {
		return r >= utf8.RuneSelf || !(r == '.' || r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r))
	})
	if plain {
		return key
	}
	if len(key) > 80 {
		key = key[:80]
	}
	return strconv.Quote(key)
}

// prefillConsumes reports whether a query parameter is one ApplyPrefill reads.
func prefillConsumes(key string) bool {
	switch key {
	case "product_id", "amount", "discount_code", "customer_email", "customer_name":
		return true
	}
	return slices.Contains(attributionKeys, key) || strings.HasPrefix(key, customFieldParam)
}

// Customer limits (SPEC §4.8).
const (
	MaxEmailLen        = 254
	MaxCustomerNameLen = 256
)

// ValidEmail reports whether s is a bare email address a customer could receive mail
// at: RFC 5322 addr-spec as net/mail parses it (no display name, no angle brackets,
// no comments, no quoted local part), at most 254 bytes, with a dotted domain name.
func ValidEmail(s string) bool {
	if s == "" || len(s) > MaxEmailLen || !utf8.ValidString(s) {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	domain := s[strings.LastIndexByte(s, '@')+1:]
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") &&
		!strings.HasSuffix(domain, ".") && !strings.ContainsAny(domain, "[]")
}

// ValidCustomerName reports whether s is an acceptable customer name: 1–256
// characters of valid UTF-8 with no control characters or line separators.
func ValidCustomerName(s string) bool {
	n := utf8.RuneCountInString(s)
	return n >= 1 && n <= MaxCustomerNameLen && utf8.ValidString(s) &&
		!strings.ContainsFunc(s, func(r rune) bool {
			return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
		})
}
