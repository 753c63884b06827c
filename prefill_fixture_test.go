package paylink

import (
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

var pfNow = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

// pfFixture is a link of org "o1" with products, in order: archived C, fixed A,
// pay-what-you-want B, pay-what-you-want-from-0 E, free D. Each call builds new values.
func pfFixture() PrefillInput {
	company := &CustomField{Type: FieldText, Slug: "company", Properties: CustomFieldProperties{MaxLength: new(10)}}
	seats := &CustomField{Type: FieldNumber, Slug: "seats", Properties: CustomFieldProperties{GE: new(int64(1)), LE: new(int64(10))}}
	terms := &CustomField{Type: FieldCheckbox, Slug: "terms"}
	size := &CustomField{Type: FieldSelect, Slug: "size", Properties: CustomFieldProperties{Options: []SelectOption{{Value: "s", Label: "S"}, {Value: "m", Label: "M"}}}}
	start := &CustomField{Type: FieldDate, Slug: "start"}
	products := []*Product{
		{ID: "C", IsArchived: true, Prices: []*Price{{AmountType: PriceFixed, Currency: "usd", PriceAmount: 700}}},
		{ID: "A", Prices: []*Price{{AmountType: PriceFixed, Currency: "usd", PriceAmount: 1000}}, CustomFields: []ProductCustomField{
			{CustomField: company}, {CustomField: seats}, {CustomField: terms, Required: true}}},
		{ID: "B", Prices: []*Price{{AmountType: PriceCustom, Currency: "usd", MinimumAmount: 500, MaximumAmount: new(int64(10_000)), PresetAmount: new(int64(1500))}},
			CustomFields: []ProductCustomField{{CustomField: size}, {CustomField: start}}},
		{ID: "E", Prices: []*Price{{AmountType: PriceCustom, Currency: "usd"}}},
		{ID: "D", Prices: []*Price{{AmountType: PriceFixed, Currency: "usd"}}},
	}
	codes := map[string]*Discount{
		"SPRING": {ID: "spring", OrganizationID: "o1", Type: DiscountPercentage, BasisPoints: 2000, Code: new("SPRING")},
		"OLD":    {ID: "old", OrganizationID: "o1", Type: DiscountPercentage, BasisPoints: 2000, EndsAt: new(pfNow.Add(-time.Hour))},
		"ALIEN":  {ID: "alien", OrganizationID: "o2", Type: DiscountPercentage, BasisPoints: 2000},
		"EURO":   {ID: "euro", OrganizationID: "o1", Type: DiscountFixed, Amount: 100, Currency: "eur"},
	}
	return PrefillInput{
		Link: &CheckoutLink{ID: "l1", OrganizationID: "o1", AllowDiscountCodes: true,
			Metadata: Metadata{"campaign_owner": "ann", "utm_source": "link"}},
		Products:   products,
		Preset:     &Discount{ID: "preset", OrganizationID: "o1", Type: DiscountPercentage, BasisPoints: 1000},
		LookupCode: func(code string) *Discount { return codes[strings.ToUpper(code)] },
		Now:        pfNow,
	}
}

type pfWant struct {
	product     string
	amount      int64
	discount    string // "" = none
	email, name string // "" = nil
	fields      map[string]any
	attribution Metadata
	metadata    Metadata // nil = the fixture link's metadata
	remaining   url.Values
	dropped     []string // "param: reason fragment"
}

func checkPrefill(t *testing.T, pf *Prefill, in PrefillInput, w pfWant) {
	t.Helper()
	if pf.Product.ID != w.product || pf.Price != pf.Product.Price() {
		t.Errorf("product = %s, want %s", pf.Product.ID, w.product)
	}
	if pf.Amount != w.amount {
		t.Errorf("amount = %d, want %d", pf.Amount, w.amount)
	}
	if got := pfID(pf.Discount); got != w.discount {
		t.Errorf("discount = %q, want %q", got, w.discount)
	}
	if got := pfStr(pf.CustomerEmail); got != w.email {
		t.Errorf("email = %q, want %q", got, w.email)
	}
	if got := pfStr(pf.CustomerName); got != w.name {
		t.Errorf("name = %q, want %q", got, w.name)
	}
	if w.fields == nil {
		w.fields = map[string]any{}
	}
	if !reflect.DeepEqual(pf.CustomFieldData, w.fields) {
		t.Errorf("custom fields = %#v, want %#v", pf.CustomFieldData, w.fields)
	}
	if w.attribution == nil {
		w.attribution = Metadata{}
	}
	if !reflect.DeepEqual(pf.Attribution, w.attribution) {
		t.Errorf("attribution = %v, want %v", pf.Attribution, w.attribution)
	}
	switch {
	case w.metadata == nil:
		w.metadata = in.Link.Metadata.Merge(w.attribution)
		fallthrough
	case len(w.metadata) > 0:
		if !reflect.DeepEqual(pf.Metadata, w.metadata) {
			t.Errorf("metadata = %v, want %v", pf.Metadata, w.metadata)
		}
	default:
		if !reflect.DeepEqual(pf.Metadata, in.Link.Metadata) || len(pf.Metadata) != MetadataMaxKeys {
			t.Errorf("metadata has %d keys, want the link's %d", len(pf.Metadata), MetadataMaxKeys)
		}
	}
	if w.remaining == nil {
		w.remaining = url.Values{}
	}
	if !reflect.DeepEqual(pf.Remaining, w.remaining) {
		t.Errorf("remaining = %v, want %v", pf.Remaining, w.remaining)
	}
	if len(pf.Dropped) != len(w.dropped) {
		t.Fatalf("dropped = %q, want %q", pf.Dropped, w.dropped)
	}
	for i := range w.dropped {
		if !strings.HasPrefix(pf.Dropped[i], w.dropped[i]) {
			t.Errorf("dropped[%d] = %q, want prefix %q", i, pf.Dropped[i], w.dropped[i])
		}
	}
}

func pfID(d *Discount) string {
	if d == nil {
		return ""
	}
	return d.ID
}

func pfStr(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func TestApplyPrefillNoProductLeft(t *testing.T) {
	in := pfFixture()
	for _, p := range in.Products {
		p.IsArchived = true
	}
	in.Products = append(in.Products, nil)
	pf, err := ApplyPrefill(url.Values{"product_id": {"A"}}, in)
	if pf != nil || !errors.Is(err, ErrNoProducts) || !IsCode(err, ENotFound) {
		t.Fatalf("ApplyPrefill = (%v, %v), want ErrNoProducts", pf, err)
	}
	if _, err := ApplyPrefill(nil, PrefillInput{}); !errors.Is(err, ErrNoProducts) {
		t.Fatalf("no products: err = %v, want ErrNoProducts", err)
	}
}

// TestApplyPrefillDoesNotMutate checks that the link's metadata and the query are
// left as they were: the store's objects are shared with other requests.
func TestApplyPrefillDoesNotMutate(t *testing.T) {
	in := pfFixture()
	q := url.Values{"reference_id": {"r"}, "theme": {"dark"}}
	pf, err := ApplyPrefill(q, in)
	if err != nil {
		t.Fatal(err)
	}
	pf.Remaining["theme"][0] = "light"
	pf.Metadata["x"] = "y"
	if q.Get("theme") != "dark" || len(in.Link.Metadata) != 2 {
		t.Fatalf("inputs changed: q=%v link metadata=%v", q, in.Link.Metadata)
	}
}

func TestValidEmail(t *testing.T) {
	for s, want := range map[string]bool{
		"ann@example.com":          true,
		"a.b-c_d+e@sub.example.io": true,
		"用户@例子.广告":                 true,
		"ann@example":              false,
		"ann@.example.com":         false,
		"ann@example.com.":         false,
		"ann@[192.168.0.1]":        false,
		"<ann@example.com>":        false,
		"ann@example.com (Ann)":    false,
		`"ann smith"@example.com`:  false,
		"ann smith@example.com":    false,
		"ann@@example.com":         false,
		"":                         false,
		"ann@exa\x00mple.com":      false,
		"ann@exam\xffple.com":      false,
	} {
		if got := ValidEmail(s); got != want {
			t.Errorf("ValidEmail(%q) = %v, want %v", s, got, want)
		}
	}
}
