package paylink

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestApplyPrefill(t *testing.T) {
	noPreset := func(in *PrefillInput) { in.Preset = nil }
	preset := func(mod func(*Discount)) func(*PrefillInput) {
		return func(in *PrefillInput) { mod(in.Preset) }
	}
	base := pfWant{product: "A", amount: 1000, discount: "preset"}
	with := func(mod func(*pfWant)) pfWant {
		w := base
		mod(&w)
		return w
	}
	tests := []struct {
		name  string
		query string
		mod   func(*PrefillInput)
		want  pfWant
	}{
		// Rules 3–4: products.
		{"no query: first live product", "", nil, base},
		{"product_id selects", "product_id=B", nil, with(func(w *pfWant) { w.product, w.amount = "B", 1500 })},
		{"product_id archived", "product_id=C", nil, with(func(w *pfWant) { w.dropped = []string{"product_id: not an available"} })},
		{"product_id not on link", "product_id=Z", nil, with(func(w *pfWant) { w.dropped = []string{"product_id: not an available"} })},
		{"product_id case-insensitive like a UUID", "product_id=b", nil, with(func(w *pfWant) { w.product, w.amount = "B", 1500 })},
		{"product_id empty is absent", "product_id=", nil, base},
		{"product_id first of repeated", "product_id=B&product_id=A", nil, with(func(w *pfWant) { w.product, w.amount = "B", 1500 })},
		{"product without live price skipped", "product_id=A", func(in *PrefillInput) { in.Products[1].Prices[0].IsArchived = true },
			with(func(w *pfWant) { w.product, w.amount = "B", 1500; w.dropped = []string{"product_id: not an available"} })},
		// Rule 5: amount.
		{"amount within bounds", "product_id=B&amount=2500", nil, with(func(w *pfWant) { w.product, w.amount = "B", 2500 })},
		{"amount at minimum", "product_id=B&amount=500", nil, with(func(w *pfWant) { w.product, w.amount = "B", 500 })},
		{"amount below minimum", "product_id=B&amount=499", nil, with(func(w *pfWant) {
			w.product, w.amount, w.dropped = "B", 1500, []string{"amount: the amount must be at least 5.00 USD"}
		})},
		{"amount above maximum", "product_id=B&amount=10001", nil, with(func(w *pfWant) {
			w.product, w.amount, w.dropped = "B", 1500, []string{"amount: the amount must be at most 100.00 USD"}
		})},
		{"amount above MaxAmount", "product_id=E&amount=100000000", nil, with(func(w *pfWant) {
			w.product, w.amount, w.dropped = "E", 0, []string{"amount: the amount must be at most 999999.99 USD"}
		})},
		{"amount below currency floor", "product_id=E&amount=30", nil, with(func(w *pfWant) {
			w.product, w.amount, w.dropped = "E", 0, []string{"amount: the amount must be 0 or at least 0.50 USD"}
		})},
		{"amount zero allowed from zero minimum", "product_id=E&amount=0", nil, with(func(w *pfWant) { w.product, w.amount = "E", 0 })},
		{"amount zero below minimum", "product_id=B&amount=0", nil, with(func(w *pfWant) {
			w.product, w.amount, w.dropped = "B", 1500, []string{"amount: the amount must be at least"}
		})},
		{"amount without preset falls back to minimum", "product_id=B&amount=x", func(in *PrefillInput) { in.Products[2].Prices[0].PresetAmount = nil },
			with(func(w *pfWant) { w.product, w.amount, w.dropped = "B", 500, []string{"amount: not a whole number"} })},
		{"amount fraction", "product_id=B&amount=12.5", nil, with(func(w *pfWant) { w.product, w.amount, w.dropped = "B", 1500, []string{"amount: not a whole number"} })},
		{"amount negative", "product_id=B&amount=-600", nil, with(func(w *pfWant) { w.product, w.amount, w.dropped = "B", 1500, []string{"amount: not a whole number"} })},
		{"amount plus sign", "product_id=B&amount=%2B600", nil, with(func(w *pfWant) { w.product, w.amount, w.dropped = "B", 1500, []string{"amount: not a whole number"} })},
		{"amount exponent", "product_id=B&amount=1e3", nil, with(func(w *pfWant) { w.product, w.amount, w.dropped = "B", 1500, []string{"amount: not a whole number"} })},
		{"amount overflow", "product_id=B&amount=99999999999999999999", nil, with(func(w *pfWant) { w.product, w.amount, w.dropped = "B", 1500, []string{"amount: not a whole number"} })},
		{"amount on fixed price", "amount=5000", nil, with(func(w *pfWant) { w.dropped = []string{"amount: the price is not pay-what-you-want"} })},
		{"amount empty is absent", "product_id=B&amount=", nil, with(func(w *pfWant) { w.product, w.amount = "B", 1500 })},
		{"amount first of repeated", "product_id=B&amount=2000&amount=3000", nil, with(func(w *pfWant) { w.product, w.amount = "B", 2000 })},
		// Rule 6: preset discount.
		{"no preset", "", noPreset, with(func(w *pfWant) { w.discount = "" })},
		{"preset not started", "", preset(func(d *Discount) { d.StartsAt = new(pfNow.Add(time.Hour)) }),
			with(func(w *pfWant) {
				w.discount, w.dropped = "", []string{"discount_id: preset discount skipped: the discount has not started yet"}
			})},
		{"preset ended", "", preset(func(d *Discount) { d.EndsAt = new(pfNow) }),
			with(func(w *pfWant) {
				w.discount, w.dropped = "", []string{"discount_id: preset discount skipped: the discount has ended"}
			})},
		{"preset cap reached", "", preset(func(d *Discount) { d.MaxRedemptions = new(5); d.RedemptionsCount = 5 }),
			with(func(w *pfWant) {
				w.discount, w.dropped = "", []string{"discount_id: preset discount skipped: the discount has reached"}
			})},
		{"preset for another product", "", preset(func(d *Discount) { d.ProductIDs = []string{"B"} }),
			with(func(w *pfWant) {
				w.discount, w.dropped = "", []string{"discount_id: preset discount skipped: the discount is not valid for this product"}
			})},
		{"preset restricted to the selected product", "product_id=B", preset(func(d *Discount) { d.ProductIDs = []string{"B"} }),
			with(func(w *pfWant) { w.product, w.amount = "B", 1500 })},
		{"preset on a free product", "product_id=D", nil,
			with(func(w *pfWant) {
				w.product, w.amount, w.discount, w.dropped = "D", 0, "", []string{"discount_id: preset discount skipped: the product is free"}
			})},
		{"preset in another currency", "", preset(func(d *Discount) { d.Type, d.Amount, d.Currency = DiscountFixed, 100, "eur" }),
			with(func(w *pfWant) {
				w.discount, w.dropped = "", []string{"discount_id: preset discount skipped: the discount is not available in USD"}
			})},
		// Rule 7: discount_code.
		{"code replaces preset", "discount_code=SPRING", nil, with(func(w *pfWant) { w.discount = "spring" })},
		{"code worth less keeps the preset", "discount_code=SPRING", preset(func(d *Discount) { d.BasisPoints = 3000 }),
			with(func(w *pfWant) { w.dropped = []string{"discount_code: the link's own discount saves more"} })},
		{"code case and spaces", "discount_code=+spring+", nil, with(func(w *pfWant) { w.discount = "spring" })},
		{"code without preset", "discount_code=SPRING", noPreset, with(func(w *pfWant) { w.discount = "spring" })},
		{"code not allowed", "discount_code=SPRING", func(in *PrefillInput) { in.Link.AllowDiscountCodes = false },
			with(func(w *pfWant) { w.dropped = []string{"discount_code: discount codes are not allowed on this link"} })},
		{"code unknown", "discount_code=NOPE", nil, with(func(w *pfWant) { w.dropped = []string{"discount_code: unknown discount code"} })},
		{"code malformed", "discount_code=a%21b%21c", nil, with(func(w *pfWant) { w.dropped = []string{"discount_code: unknown discount code"} })},
		{"code too short", "discount_code=ab", nil, with(func(w *pfWant) { w.dropped = []string{"discount_code: unknown discount code"} })},
		{"code without lookup", "discount_code=SPRING", func(in *PrefillInput) { in.LookupCode = nil },
			with(func(w *pfWant) { w.dropped = []string{"discount_code: unknown discount code"} })},
		{"code of another organization", "discount_code=ALIEN", nil, with(func(w *pfWant) { w.dropped = []string{"discount_code: unknown discount code"} })},
		{"code ended keeps preset", "discount_code=OLD", nil, with(func(w *pfWant) { w.dropped = []string{"discount_code: the discount has ended"} })},
		{"code in another currency", "discount_code=EURO", nil, with(func(w *pfWant) { w.dropped = []string{"discount_code: the discount is not available in USD"} })},
		{"code empty is absent", "discount_code=", nil, base},
		// Rule 8: customer.
		{"email", "customer_email=ann%40example.com", nil, with(func(w *pfWant) { w.email = "ann@example.com" })},
		{"email trimmed", "customer_email=+ann%40example.com+", nil, with(func(w *pfWant) { w.email = "ann@example.com" })},
		{"email plus alias", "customer_email=ann%2Bshop%40example.co.uk", nil, with(func(w *pfWant) { w.email = "ann+shop@example.co.uk" })},
		{"email not an address", "customer_email=ann", nil, with(func(w *pfWant) { w.dropped = []string{"customer_email: not a valid email address"} })},
		{"email with display name", "customer_email=Ann+%3Cann%40example.com%3E", nil, with(func(w *pfWant) { w.dropped = []string{"customer_email: not a valid"} })},
		{"email without dotted domain", "customer_email=ann%40localhost", nil, with(func(w *pfWant) { w.dropped = []string{"customer_email: not a valid"} })},
		{"email too long", "customer_email=" + strings.Repeat("a", 64) + "%40" + strings.Repeat("b", 186) + ".com", nil, with(func(w *pfWant) { w.dropped = []string{"customer_email: not a valid"} })},
		{"name", "customer_name=Zo%C3%AB+O%27Brien", nil, with(func(w *pfWant) { w.name = "Zoë O'Brien" })},
		{"name at 256", "customer_name=" + strings.Repeat("%C3%A9", 256), nil, with(func(w *pfWant) { w.name = strings.Repeat("é", 256) })},
		{"name too long", "customer_name=" + strings.Repeat("a", 257), nil, with(func(w *pfWant) { w.dropped = []string{"customer_name: must be at most 256"} })},
		{"name control character", "customer_name=Ann%07", nil, with(func(w *pfWant) { w.dropped = []string{"customer_name: must be"} })},
		{"name newline", "customer_name=Ann%0ABob", nil, with(func(w *pfWant) { w.dropped = []string{"customer_name: must be"} })},
		{"name invalid utf-8", "customer_name=Ann%FF", nil, with(func(w *pfWant) { w.dropped = []string{"customer_name: must be"} })},
		{"email and name are independent", "customer_email=bad&customer_name=Ann", nil, with(func(w *pfWant) {
			w.name, w.dropped = "Ann", []string{"customer_email: not a valid"}
		})},
		// Rule 8: custom fields.
		{"fields of the selected product", "custom_field_data.company=Acme&custom_field_data.seats=3&custom_field_data.terms=on", nil,
			with(func(w *pfWant) { w.fields = map[string]any{"company": "Acme", "seats": int64(3), "terms": true} })},
		{"field of another product", "custom_field_data.size=m", nil,
			with(func(w *pfWant) { w.dropped = []string{"custom_field_data.size: not a field of the selected product"} })},
		{"field unknown", "custom_field_data.nope=1", nil,
			with(func(w *pfWant) { w.dropped = []string{"custom_field_data.nope: not a field"} })},
		{"bad field dropped alone", "custom_field_data.company=Acme&custom_field_data.seats=99", nil, with(func(w *pfWant) {
			w.fields, w.dropped = map[string]any{"company": "Acme"}, []string{"custom_field_data.seats: must be at most 10"}
		})},
		{"field follows the product switch", "product_id=B&custom_field_data.size=s&custom_field_data.start=2026-06-01&custom_field_data.company=Acme", nil, with(func(w *pfWant) {
			w.product, w.amount = "B", 1500
			w.fields = map[string]any{"size": "s", "start": "2026-06-01"}
			w.dropped = []string{"custom_field_data.company: not a field"}
		})},
		{"required checkbox false is kept unchecked", "custom_field_data.terms=0", nil, with(func(w *pfWant) { w.fields = map[string]any{"terms": false} })},
		{"field empty is absent", "custom_field_data.company=", nil, base},
		// Rule 9: attribution.
		{"attribution", "reference_id=r1&utm_medium=email&utm_campaign=spring&utm_content=hero&utm_term=shoes", nil, with(func(w *pfWant) {
			w.attribution = Metadata{"reference_id": "r1", "utm_medium": "email", "utm_campaign": "spring", "utm_content": "hero", "utm_term": "shoes"}
			w.metadata = Metadata{"campaign_owner": "ann", "utm_source": "link", "reference_id": "r1", "utm_medium": "email", "utm_campaign": "spring", "utm_content": "hero", "utm_term": "shoes"}
		})},
		{"link metadata wins", "utm_source=newsletter", nil, with(func(w *pfWant) { w.attribution = Metadata{"utm_source": "newsletter"} })},
		{"attribution too long", "reference_id=" + strings.Repeat("x", 501), nil, with(func(w *pfWant) { w.dropped = []string{"reference_id: must be 1 to 500"} })},
		{"attribution at 500", "utm_term=" + strings.Repeat("x", 500), nil, with(func(w *pfWant) {
			w.attribution = Metadata{"utm_term": strings.Repeat("x", 500)}
			w.metadata = Metadata{"campaign_owner": "ann", "utm_source": "link", "utm_term": strings.Repeat("x", 500)}
		})},
		{"attribution invalid utf-8", "utm_campaign=%FF", nil, with(func(w *pfWant) { w.dropped = []string{"utm_campaign: must be 1 to 500"} })},
		{"metadata full", "reference_id=r1", func(in *PrefillInput) {
			for i := len(in.Link.Metadata); i < MetadataMaxKeys; i++ {
				in.Link.Metadata[fmt.Sprintf("k%d", i)] = "v"
			}
		}, with(func(w *pfWant) {
			w.attribution = Metadata{"reference_id": "r1"}
			w.metadata = Metadata{} // checked by size below
			w.dropped = []string{"reference_id: metadata already has the maximum"}
		})},
		// Rule 10: what is left over.
		{"remaining parameters", "theme=dark&embed=1&embed=2&utm_id=x&customer_email=ann%40example.com&x=", nil, with(func(w *pfWant) {
			w.email = "ann@example.com"
			w.remaining = url.Values{"theme": {"dark"}, "embed": {"1", "2"}, "utm_id": {"x"}, "x": {""}}
		})},
		{"keys are case-sensitive", "Product_ID=B", nil, with(func(w *pfWant) { w.remaining = url.Values{"Product_ID": {"B"}} })},
		{"everything at once is independent", "product_id=B&amount=9&discount_code=NOPE&customer_email=x&customer_name=Ann&custom_field_data.size=xl&utm_source=ig", nil, with(func(w *pfWant) {
			w.product, w.amount, w.name = "B", 1500, "Ann"
			w.attribution = Metadata{"utm_source": "ig"}
			w.dropped = []string{"amount: ", "discount_code: unknown", "customer_email: ", "custom_field_data.size: must be one of"}
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := pfFixture()
			if tt.mod != nil {
				tt.mod(&in)
			}
			q, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatalf("bad test query: %v", err)
			}
			pf, err := ApplyPrefill(q, in)
			if err != nil {
				t.Fatalf("ApplyPrefill: %v", err)
			}
			checkPrefill(t, pf, in, tt.want)
		})
	}
}
