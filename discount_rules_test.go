package paylink

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func dref[T any](v T) *T { return &v }

// pctBody and fixedBody are valid create bodies the cases below bend.
func pctBody() DiscountInput {
	return DiscountInput{Name: dref("Ten off"), Type: dref("percentage"), Duration: dref("once"), BasisPoints: dref(1000)}
}

func fixedBody() DiscountInput {
	return DiscountInput{Name: dref("Five off"), Type: dref("fixed"), Duration: dref("forever"), Amount: dref(int64(500))}
}

// discountLoc returns the first problem's location as "body.field.…" and its type.
func discountLoc(t *testing.T, err error) (string, string) {
	t.Helper()
	e, ok := err.(*Error)
	if !ok || e.Code != EInvalid || len(e.Fields) == 0 {
		t.Fatalf("want an EInvalid error with fields, got %v", err)
	}
	parts := make([]string, len(e.Fields[0].Loc))
	for i, l := range e.Fields[0].Loc {
		parts[i] = fmt.Sprint(l)
	}
	return strings.Join(parts, "."), e.Fields[0].Type
}

func TestNewDiscountValid(t *testing.T) {
	d, err := NewDiscount(fixedBody())
	if err != nil {
		t.Fatal(err)
	}
	if d.Type != DiscountFixed || d.Amount != 500 || d.Currency != "usd" || d.Duration != DurationForever || d.Code != nil {
		t.Fatalf("fixed: %+v", d)
	}
	in := pctBody()
	in.Duration, in.DurationInMonths = dref("repeating"), dref(3)
	in.Code, in.MaxRedemptions = dref("Summer24"), dref(5)
	in.StartsAt, in.EndsAt = dref("2030-01-01T00:00:00+02:00"), dref("2030-02-01T00:00:00Z")
	in.Metadata = map[string]any{"k": "v"}
	in.ProductIDs = []string{"0190C6A8-0000-7000-8000-000000000001"}
	d, err = NewDiscount(in)
	if err != nil {
		t.Fatal(err)
	}
	if d.BasisPoints != 1000 || *d.DurationInMonths != 3 || *d.Code != "Summer24" || *d.MaxRedemptions != 5 ||
		!d.StartsAt.Equal(time.Date(2029, 12, 31, 22, 0, 0, 0, time.UTC)) || d.StartsAt.Location() != time.UTC ||
		d.Metadata["k"] != "v" || d.ProductIDs[0] != "0190c6a8-0000-7000-8000-000000000001" {
		t.Fatalf("percentage: %+v", d)
	}
	in = fixedBody()
	in.Amount = nil
	in.Amounts = map[string]int64{"eur": 700}
	if d, err := NewDiscount(in); err != nil || d.Amount != 700 || d.Currency != "eur" {
		t.Fatalf("amounts: %+v %v", d, err)
	}
}

func TestNewDiscountInvalid(t *testing.T) {
	cases := []struct {
		name string
		in   func() DiscountInput
		loc  string
		typ  string // "" means value_error
	}{
		{"no name", func() DiscountInput { in := pctBody(); in.Name = nil; return in }, "body.name", "missing"},
		{"blank name", func() DiscountInput { in := pctBody(); in.Name = dref("  "); return in }, "body.name", ""},
		{"long name", func() DiscountInput { in := pctBody(); in.Name = dref(strings.Repeat("é", 257)); return in }, "body.name", ""},
		{"bad type", func() DiscountInput { in := pctBody(); in.Type = dref("bogus"); return in }, "body.type", ""},
		{"no type", func() DiscountInput { in := pctBody(); in.Type = nil; return in }, "body.type", "missing"},
		{"no duration", func() DiscountInput { in := pctBody(); in.Duration = nil; return in }, "body.duration", "missing"},
		{"bad duration", func() DiscountInput { in := pctBody(); in.Duration = dref("weekly"); return in }, "body.duration", ""},
		{"no basis points", func() DiscountInput { in := pctBody(); in.BasisPoints = nil; return in }, "body.basis_points", "missing"},
		{"zero basis points", func() DiscountInput { in := pctBody(); in.BasisPoints = dref(0); return in }, "body.basis_points", ""},
		{"basis points > 10000", func() DiscountInput { in := pctBody(); in.BasisPoints = dref(10001); return in }, "body.basis_points", ""},
		{"amount on percentage", func() DiscountInput { in := pctBody(); in.Amount = dref(int64(5)); return in }, "body.amount", ""},
		{"basis points on fixed", func() DiscountInput { in := fixedBody(); in.BasisPoints = dref(5); return in }, "body.basis_points", ""},
		{"no amount", func() DiscountInput { in := fixedBody(); in.Amount = nil; return in }, "body.amount", "missing"},
		{"zero amount", func() DiscountInput { in := fixedBody(); in.Amount = dref(int64(0)); return in }, "body.amount", ""},
		{"huge amount", func() DiscountInput { in := fixedBody(); in.Amount = dref(int64(100_000_000)); return in }, "body.amount", ""},
		{"upper currency", func() DiscountInput { in := fixedBody(); in.Currency = dref("USD"); return in }, "body.currency", ""},
		{"long currency", func() DiscountInput { in := fixedBody(); in.Currency = dref("usdx"); return in }, "body.currency", ""},
		{"unknown currency", func() DiscountInput { in := fixedBody(); in.Currency = dref("xyz"); return in }, "body.currency", ""},
		{"two amounts", func() DiscountInput {
			in := fixedBody()
			in.Amount, in.Amounts = nil, map[string]int64{"usd": 1, "eur": 2}
			return in
		}, "body.amounts", ""},
		{"amounts and amount", func() DiscountInput { in := fixedBody(); in.Amounts = map[string]int64{"usd": 1}; return in }, "body.amounts", ""},
		{"bad amounts currency", func() DiscountInput {
			in := fixedBody()
			in.Amount, in.Amounts = nil, map[string]int64{"US": 1}
			return in
		}, "body.amounts.US", ""},
		{"bad amounts value", func() DiscountInput {
			in := fixedBody()
			in.Amount, in.Amounts = nil, map[string]int64{"usd": -1}
			return in
		}, "body.amounts.usd", ""},
		{"repeating without months", func() DiscountInput { in := pctBody(); in.Duration = dref("repeating"); return in }, "body.duration_in_months", "missing"},
		{"months on once", func() DiscountInput { in := pctBody(); in.DurationInMonths = dref(2); return in }, "body.duration_in_months", ""},
		{"months 0", func() DiscountInput {
			in := pctBody()
			in.Duration, in.DurationInMonths = dref("repeating"), dref(0)
			return in
		}, "body.duration_in_months", ""},
		{"months 1000", func() DiscountInput {
			in := pctBody()
			in.Duration, in.DurationInMonths = dref("repeating"), dref(1000)
			return in
		}, "body.duration_in_months", ""},
		{"short code", func() DiscountInput { in := pctBody(); in.Code = dref("AB"); return in }, "body.code", ""},
		{"code with dash", func() DiscountInput { in := pctBody(); in.Code = dref("SUMMER-24"); return in }, "body.code", ""},
		{"code non-ascii", func() DiscountInput { in := pctBody(); in.Code = dref("ÉTÉ24"); return in }, "body.code", ""},
		{"long code", func() DiscountInput { in := pctBody(); in.Code = dref(strings.Repeat("a", 257)); return in }, "body.code", ""},
		{"bad starts_at", func() DiscountInput { in := pctBody(); in.StartsAt = dref("2030-01-01"); return in }, "body.starts_at", ""},
		{"naive ends_at", func() DiscountInput { in := pctBody(); in.EndsAt = dref("2030-01-01T00:00:00"); return in }, "body.ends_at", ""},
		{"ends before starts", func() DiscountInput {
			in := pctBody()
			in.StartsAt, in.EndsAt = dref("2030-02-01T00:00:00Z"), dref("2030-01-01T00:00:00Z")
			return in
		}, "body.ends_at", ""},
		{"ends equals starts", func() DiscountInput {
			in := pctBody()
			in.StartsAt, in.EndsAt = dref("2030-01-01T00:00:00Z"), dref("2030-01-01T00:00:00Z")
			return in
		}, "body.ends_at", ""},
		{"max redemptions 0", func() DiscountInput { in := pctBody(); in.MaxRedemptions = dref(0); return in }, "body.max_redemptions", ""},
		{"metadata value", func() DiscountInput { in := pctBody(); in.Metadata = map[string]any{"k": ""}; return in }, "body.metadata.k", ""},
		{"product not uuid", func() DiscountInput { in := pctBody(); in.ProductIDs = []string{"nope"}; return in }, "body.products.0", ""},
		{"product twice", func() DiscountInput {
			in := pctBody()
			id := NewID()
			in.ProductIDs = []string{id, strings.ToUpper(id)}
			return in
		}, "body.products.1", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewDiscount(c.in())
			loc, typ := discountLoc(t, err)
			if loc != c.loc {
				t.Errorf("loc %s, want %s (%v)", loc, c.loc, err)
			}
			want := c.typ
			if want == "" {
				want = "value_error"
			}
			if typ != want {
				t.Errorf("type %s, want %s", typ, want)
			}
		})
	}
}

func TestValidDiscountCode(t *testing.T) {
	for code, want := range map[string]bool{"abc": true, "ABC123": true, "ab": false, "a b c": false, "": false,
		strings.Repeat("Z", 256): true, strings.Repeat("Z", 257): false, "abc_": false} {
		if ValidDiscountCode(code) != want {
			t.Errorf("ValidDiscountCode(%q) = %v", code, !want)
		}
	}
	if DiscountCodeKey("SuMmEr24") != "summer24" {
		t.Error("DiscountCodeKey does not lower-case")
	}
}

func TestApplyDiscountUpdate(t *testing.T) {
	months := 3
	base := func(redeemed int) *Discount {
		start := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		return &Discount{ID: "d", Name: "Old", Type: DiscountFixed, Amount: 500, Currency: "usd",
			Duration: DurationRepeating, DurationInMonths: &months, Code: dref("OLD123"), StartsAt: &start,
			MaxRedemptions: dref(9), RedemptionsCount: redeemed, Metadata: Metadata{"a": "b"}, ProductIDs: []string{NewID()}}
	}
	old := base(0)
	d, err := ApplyDiscountUpdate(old, DiscountInput{Name: dref("New"), Amount: dref(int64(700)), Currency: dref("eur"),
		DurationInMonths: dref(6), Metadata: map[string]any{"x": "y"}, Type: dref("fixed"), Duration: dref("repeating"),
		Null: map[string]bool{"code": true, "starts_at": true, "max_redemptions": true}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "New" || d.Amount != 700 || d.Currency != "eur" || *d.DurationInMonths != 6 || d.Code != nil ||
		d.StartsAt != nil || d.MaxRedemptions != nil || d.Metadata["x"] != "y" || d.Metadata["a"] != nil || len(d.ProductIDs) != 1 {
		t.Fatalf("updated: %+v", d)
	}
	if old.Name != "Old" || old.Code == nil || *old.DurationInMonths != 3 || old.Metadata["a"] != "b" {
		t.Fatalf("the original changed: %+v", old)
	}
	if d, err := ApplyDiscountUpdate(old, DiscountInput{}); err != nil || d.Name != "Old" || *d.Code != "OLD123" || d.StartsAt == nil {
		t.Fatalf("empty update: %+v %v", d, err)
	}
	// Once redeemed, sending the same values is fine; other fields still change.
	if d, err := ApplyDiscountUpdate(base(1), DiscountInput{Amount: dref(int64(500)), DurationInMonths: dref(3), Name: dref("Renamed")}); err != nil || d.Name != "Renamed" {
		t.Fatalf("same values after redemption: %v", err)
	}
	pctOld := &Discount{Name: "P", Type: DiscountPercentage, BasisPoints: 100, Duration: DurationOnce, RedemptionsCount: 2}
	cases := []struct {
		name string
		old  *Discount
		in   DiscountInput
		loc  string
	}{
		{"type changes", old, DiscountInput{Type: dref("percentage")}, "body.type"},
		{"duration changes", old, DiscountInput{Duration: dref("forever")}, "body.duration"},
		{"amount after redemption", base(1), DiscountInput{Amount: dref(int64(600))}, "body.amount"},
		{"currency after redemption", base(1), DiscountInput{Currency: dref("eur")}, "body.currency"},
		{"amounts after redemption", base(1), DiscountInput{Amounts: map[string]int64{"usd": 1}}, "body.amounts"},
		{"months after redemption", base(1), DiscountInput{DurationInMonths: dref(4)}, "body.duration_in_months"},
		{"basis points after redemption", pctOld, DiscountInput{BasisPoints: dref(200)}, "body.basis_points"},
		{"basis points on fixed", old, DiscountInput{BasisPoints: dref(200)}, "body.basis_points"},
		{"amount on percentage", pctOld, DiscountInput{Amount: dref(int64(1))}, "body.amount"},
		{"months on once", pctOld, DiscountInput{DurationInMonths: dref(2)}, "body.duration_in_months"},
		{"ends before the stored start", old, DiscountInput{EndsAt: dref("2029-01-01T00:00:00Z")}, "body.ends_at"},
		{"bad code", old, DiscountInput{Code: dref("no spaces")}, "body.code"},
		{"blank name", old, DiscountInput{Name: dref("")}, "body.name"},
		{"max 0", old, DiscountInput{MaxRedemptions: dref(0)}, "body.max_redemptions"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ApplyDiscountUpdate(c.old, c.in)
			if loc, _ := discountLoc(t, err); loc != c.loc {
				t.Errorf("loc %s, want %s (%v)", loc, c.loc, err)
			}
		})
	}
}
