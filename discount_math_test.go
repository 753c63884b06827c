package paylink

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestDiscountAmountFor(t *testing.T) {
	pct := func(bp int) *Discount { return &Discount{Type: DiscountPercentage, BasisPoints: bp} }
	fixed := &Discount{Type: DiscountFixed, Amount: 500, Currency: "usd"}
	tests := []struct {
		name     string
		d        *Discount
		subtotal int64
		currency string
		want     int64
		wantOK   bool
	}{
		{"10% of 1000", pct(1000), 1000, "usd", 100, true},
		{"100%", pct(10_000), 4321, "usd", 4321, true},
		{"0.01% of 1", pct(1), 1, "usd", 0, true},
		{"exactly half rounds up", pct(5000), 1, "usd", 1, true},               // 0.5 → 1
		{"15% of 10 = 1.5 rounds up", pct(1500), 10, "usd", 2, true},           // 1.5 → 2
		{"15% of 30 = 4.5 rounds up", pct(1500), 30, "usd", 5, true},           // 4.5 → 5
		{"12.5% of 4 = 0.5 rounds up", pct(1250), 4, "usd", 1, true},           // 0.5 → 1
		{"33.33% of 100 = 33.33", pct(3333), 100, "usd", 33, true},             // 33.33 → 33
		{"33.35% of 10 = 3.335", pct(3335), 10, "usd", 3, true},                // 3.335 → 3
		{"0.49 rounds down", pct(49), 100, "usd", 0, true},                     // 0.49 → 0
		{"0.5 of a cent", pct(50), 100, "usd", 1, true},                        // 0.50 → 1
		{"99.99% of 99999999", pct(9999), 99_999_999, "usd", 99_989_999, true}, // 99989999.0001
		{"no overflow on huge", pct(10_000), math.MaxInt64, "usd", math.MaxInt64, true},
		{"half of huge", pct(5000), math.MaxInt64, "usd", math.MaxInt64/2 + 1, true},
		{"basis points clamped", pct(20_000), 1000, "usd", 1000, true},
		{"negative subtotal", pct(5000), -100, "usd", 0, true},
		{"fixed below subtotal", fixed, 1000, "usd", 500, true},
		{"fixed capped at subtotal", fixed, 300, "usd", 300, true},
		{"fixed currency case-insensitive", fixed, 1000, "USD", 500, true},
		{"fixed other currency", fixed, 1000, "eur", 0, false},
		{"fixed on zero", fixed, 0, "usd", 0, true},
		{"unknown type", &Discount{Type: "bogus"}, 1000, "usd", 0, false},
		{"nil discount", nil, 1000, "usd", 0, false},
	}
	for _, tt := range tests {
		got, ok := tt.d.AmountFor(tt.subtotal, tt.currency)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("%s: AmountFor(%d) = (%d, %v), want (%d, %v)", tt.name, tt.subtotal, got, ok, tt.want, tt.wantOK)
		}
	}
}

// TestBasisPointsMatchesExactRounding checks the split arithmetic against the
// direct formula where the direct one cannot overflow.
func TestBasisPointsMatchesExactRounding(t *testing.T) {
	for _, bp := range []int{1, 7, 333, 1250, 2500, 3333, 5000, 6667, 9999, 10_000} {
		for v := int64(0); v < 30_000; v += 7 {
			want := (v*int64(bp) + 5000) / 10_000
			if got := basisPointsOf(v, bp); got != want {
				t.Fatalf("basisPointsOf(%d, %d) = %d, want %d", v, bp, got, want)
			}
		}
	}
}

func TestDiscountApplies(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	product := &Product{ID: "p1", Prices: []*Price{{AmountType: PriceFixed, Currency: "usd", PriceAmount: 1000}}}
	pwywZero := &Product{ID: "p1", Prices: []*Price{{AmountType: PriceCustom, Currency: "usd"}}}
	freeFixed := &Product{ID: "p1", Prices: []*Price{{AmountType: PriceFixed, Currency: "usd"}}}
	freeType := &Product{ID: "p1", Prices: []*Price{{AmountType: PriceFree, Currency: "usd"}}}
	onlyArchived := &Product{ID: "p1", Prices: []*Price{{AmountType: PriceFixed, Currency: "usd", PriceAmount: 1000, IsArchived: true}}}
	base := func(mod func(*Discount)) *Discount {
		d := &Discount{Type: DiscountPercentage, BasisPoints: 1000}
		if mod != nil {
			mod(d)
		}
		return d
	}
	tests := []struct {
		name    string
		d       *Discount
		p       *Product
		wantWhy string // "" = applies
	}{
		{"plain", base(nil), product, ""},
		{"started", base(func(d *Discount) { d.StartsAt = new(now) }), product, ""},
		{"not started", base(func(d *Discount) { d.StartsAt = new(now.Add(time.Second)) }), product, "not started"},
		{"ends later", base(func(d *Discount) { d.EndsAt = new(now.Add(time.Second)) }), product, ""},
		{"ended at now", base(func(d *Discount) { d.EndsAt = new(now) }), product, "ended"},
		{"under cap", base(func(d *Discount) { d.MaxRedemptions = new(3); d.RedemptionsCount = 2 }), product, ""},
		{"cap reached", base(func(d *Discount) { d.MaxRedemptions = new(3); d.RedemptionsCount = 3 }), product, "redemption limit"},
		{"restricted to it", base(func(d *Discount) { d.ProductIDs = []string{"p0", "p1"} }), product, ""},
		{"restricted elsewhere", base(func(d *Discount) { d.ProductIDs = []string{"p2"} }), product, "not valid for this product"},
		{"pwyw with zero minimum is not free", base(nil), pwywZero, ""},
		{"fixed 0 is free", base(nil), freeFixed, "free"},
		{"free type", base(nil), freeType, "free"},
		{"no live price", base(nil), onlyArchived, "free"},
		{"fixed same currency", &Discount{Type: DiscountFixed, Amount: 100, Currency: "usd"}, product, ""},
		{"fixed other currency", &Discount{Type: DiscountFixed, Amount: 100, Currency: "eur"}, product, "not available in USD"},
		{"nil product", base(nil), nil, "no product"},
		{"nil discount", nil, product, "no discount"},
	}
	for _, tt := range tests {
		ok, why := tt.d.Applies(tt.p, now)
		if tt.wantWhy == "" {
			if !ok || why != "" {
				t.Errorf("%s: Applies = (%v, %q), want (true, \"\")", tt.name, ok, why)
			}
			continue
		}
		if ok || !strings.Contains(why, tt.wantWhy) {
			t.Errorf("%s: Applies = (%v, %q), want (false, …%s…)", tt.name, ok, why, tt.wantWhy)
		}
	}
}

func TestNormalizeCode(t *testing.T) {
	for in, want := range map[string]string{
		"SUMMER24":     DiscountCodeKey("SUMMER24"),
		" summer24 \t": DiscountCodeKey("SUMMER24"),
		"Summer24":     DiscountCodeKey("summer24"),
		"":             "",
	} {
		if got := NormalizeCode(in); got != want {
			t.Errorf("NormalizeCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSavesLess(t *testing.T) {
	pct := func(bp int) *Discount { return &Discount{Type: DiscountPercentage, BasisPoints: bp} }
	fixed := &Discount{Type: DiscountFixed, Amount: 500, Currency: "usd"}
	tests := []struct {
		name   string
		d, cur *Discount
		amount int64
		want   bool
	}{
		{"no discount applied", pct(500), nil, 2000, false},
		{"worth less", pct(500), pct(3000), 2000, true},
		{"worth more", pct(5000), pct(3000), 2000, false},
		{"worth as much", pct(2500), fixed, 2000, false},
		{"fixed against percentage", fixed, pct(3000), 2000, true},
		{"another currency takes nothing off", &Discount{Type: DiscountFixed, Amount: 500, Currency: "eur"}, pct(100), 2000, true},
	}
	for _, tt := range tests {
		if got := SavesLess(tt.d, tt.cur, tt.amount, "usd"); got != tt.want {
			t.Errorf("%s: SavesLess = %v, want %v", tt.name, got, tt.want)
		}
	}
}
