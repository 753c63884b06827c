package paylink

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzApplyPrefill feeds arbitrary query strings to a link visit. Whatever the
// query, ApplyPrefill must not panic and must return a coherent, valid state.
func FuzzApplyPrefill(f *testing.F) {
	for _, seed := range []string{
		"",
		"product_id=B&amount=2500",
		"product_id=E&amount=0&discount_code=spring",
		"product_id=C&amount=-1&amount=5",
		"discount_code=OLD&customer_email=a%40b.co&customer_name=%00",
		"custom_field_data.seats=3&custom_field_data.size=m&custom_field_data.terms=on",
		"product_id=B&custom_field_data.start=2026-02-30&custom_field_data.size=s",
		"utm_source=x&reference_id=" + strings.Repeat("r", 600) + "&theme=dark",
		"amount=99999999999999999999&product_id=E",
		"%zz=1&&=&a=%",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw) // a partly bad query still yields the good pairs
		in := pfFixture()
		pf, err := ApplyPrefill(q, in)
		if err != nil {
			t.Fatalf("ApplyPrefill(%q): %v", raw, err)
		}
		if pf.Product == nil || pf.Product.IsArchived || pf.Price == nil || pf.Price != pf.Product.Price() {
			t.Fatalf("bad product %+v", pf.Product)
		}
		if pf.Price.AmountType == PriceCustom {
			if err := ValidateCustomAmount(pf.Price, pf.Amount); err != nil {
				t.Fatalf("amount %d out of bounds: %v", pf.Amount, err)
			}
		} else if pf.Amount != DefaultAmount(pf.Price) {
			t.Fatalf("amount %d for a %s price", pf.Amount, pf.Price.AmountType)
		}
		if pf.Discount != nil {
			if ok, why := pf.Discount.Applies(pf.Product, in.Now); !ok {
				t.Fatalf("discount %s applied although %s", pf.Discount.ID, why)
			}
		}
		if pf.CustomerEmail != nil && !ValidEmail(*pf.CustomerEmail) {
			t.Fatalf("invalid email %q kept", *pf.CustomerEmail)
		}
		if pf.CustomerName != nil && !ValidCustomerName(*pf.CustomerName) {
			t.Fatalf("invalid name %q kept", *pf.CustomerName)
		}
		for slug, v := range pf.CustomFieldData {
			i := slices.IndexFunc(pf.Product.CustomFields, func(a ProductCustomField) bool { return a.CustomField.Slug == slug })
			if i < 0 {
				t.Fatalf("field %q is not of product %s", slug, pf.Product.ID)
			}
			if again, err := ValidateFieldValue(pf.Product.CustomFields[i].CustomField, v); err != nil || again != v {
				t.Fatalf("field %q value %#v does not validate again: %v", slug, v, err)
			}
		}
		if len(pf.Metadata) > MetadataMaxKeys {
			t.Fatalf("metadata has %d keys", len(pf.Metadata))
		}
		for k, v := range pf.Attribution {
			if !slices.Contains(attributionKeys, k) || !MetadataString(v.(string)) {
				t.Fatalf("attribution %q=%q", k, v)
			}
		}
		for k, v := range in.Link.Metadata {
			if pf.Metadata[k] != v {
				t.Fatalf("link metadata %q lost", k)
			}
		}
		for k := range pf.Remaining {
			if prefillConsumes(k) {
				t.Fatalf("consumed key %q left in Remaining", k)
			}
		}
		for k := range q {
			if _, ok := pf.Remaining[k]; !ok && !prefillConsumes(k) {
				t.Fatalf("key %q lost", k)
			}
		}
		for _, d := range pf.Dropped {
			if !utf8.ValidString(d) || !strings.Contains(d, ": ") {
				t.Fatalf("dropped entry %q", d)
			}
		}
	})
}
