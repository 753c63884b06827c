package paylink

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func linkLocs(err error) []string {
	var out []string
	if e, ok := err.(*Error); ok {
		for _, f := range e.Fields {
			out = append(out, fmt.Sprint(f.Loc))
		}
	}
	return out
}

func TestNewCheckoutLink(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	a, b := NewID(), NewID()
	str := func(s string) *string { return &s }
	num := func(n int) *int { return &n }

	l, err := NewCheckoutLink(LinkInput{ProductIDs: []string{strings.ToUpper(b), a},
		SuccessURL: str("https://shop.example/thanks?c={CHECKOUT_ID}"), InactiveMessage: str("  "),
		ExpiresAt: str("2026-05-02T14:00:00+02:00"), MaxCompletions: num(3)}, now)
	if err != nil {
		t.Fatal(err)
	}
	if !l.AllowDiscountCodes || !l.Active || l.Metadata == nil || l.InactiveMessage != nil ||
		l.ProductIDs[0] != b || l.ProductIDs[1] != a || *l.SuccessURL != "https://shop.example/thanks?c={CHECKOUT_ID}" ||
		!l.ExpiresAt.Equal(now.Add(24*time.Hour)) || l.ExpiresAt.Location() != time.UTC || *l.MaxCompletions != 3 {
		t.Fatalf("defaults and values: %+v", l)
	}

	ok := LinkInput{ProductIDs: []string{a}}
	with := func(f func(*LinkInput)) LinkInput { in := ok; f(&in); return in }
	twentyOne := make([]string, 21)
	for i := range twentyOne {
		twentyOne[i] = NewID()
	}
	cases := []struct {
		in   LinkInput
		locs string
	}{
		{LinkInput{}, "[[body products]]"},
		{with(func(in *LinkInput) { in.ProductIDs = []string{} }), "[[body products]]"},
		{with(func(in *LinkInput) { in.ProductIDs = twentyOne }), "[[body products]]"},
		{with(func(in *LinkInput) { in.ProductIDs = []string{a, "nope", strings.ToUpper(a)} }), "[[body products 1] [body products 2]]"},
		{with(func(in *LinkInput) { in.ProductIDs = []string{"nope"}; in.ProductsField = "product_id" }), "[[body product_id]]"},
		{with(func(in *LinkInput) { in.Label = str(strings.Repeat("é", 257)) }), "[[body label]]"},
		{with(func(in *LinkInput) { in.DiscountID = str("SAVE5") }), "[[body discount_id]]"},
		{with(func(in *LinkInput) { in.SuccessURL = str("ftp://x.example/") }), "[[body success_url]]"},
		{with(func(in *LinkInput) { in.ReturnURL = str("/relative") }), "[[body return_url]]"},
		{with(func(in *LinkInput) { in.ReturnURL = str("https://x.example/" + strings.Repeat("a", 2048)) }), "[[body return_url]]"},
		{with(func(in *LinkInput) { in.Metadata = map[string]any{"": "x", "ok": []any{}} }), "[[body metadata ] [body metadata ok]]"},
		{with(func(in *LinkInput) { in.InactiveMessage = str(strings.Repeat("x", 501)) }), "[[body inactive_message]]"},
		{with(func(in *LinkInput) { in.ExpiresAt = str("2026-05-01T11:00:00Z") }), "[[body expires_at]]"},
		{with(func(in *LinkInput) { in.ExpiresAt = str("tomorrow") }), "[[body expires_at]]"},
		{with(func(in *LinkInput) { in.MaxCompletions = num(0) }), "[[body max_completions]]"},
		{with(func(in *LinkInput) { in.Unsupported = []string{"seats", "trial_interval"} }), "[[body seats] [body trial_interval]]"},
		{LinkInput{Label: str(strings.Repeat("x", 300)), MaxCompletions: num(-1)}, "[[body products] [body label] [body max_completions]]"},
	}
	for i, c := range cases {
		_, err := NewCheckoutLink(c.in, now)
		if !IsCode(err, EInvalid) || fmt.Sprint(linkLocs(err)) != c.locs {
			t.Errorf("case %d: got %v (%v), want locs %s", i, linkLocs(err), err, c.locs)
		}
	}
}

func TestApplyCheckoutLinkUpdate(t *testing.T) {
	a, b, d := NewID(), NewID(), NewID()
	label, msg, succ := "Spring", "Back soon", "https://shop.example/ok"
	maxN := 5
	exp := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	old := &CheckoutLink{ProductIDs: []string{a}, Label: &label, DiscountID: &d, SuccessURL: &succ, InactiveMessage: &msg,
		ExpiresAt: &exp, MaxCompletions: &maxN, AllowDiscountCodes: true, Active: true, Metadata: Metadata{"k": "v"}}
	f := false
	past := "2020-01-01T00:00:00Z"
	l, err := ApplyCheckoutLinkUpdate(old, LinkInput{ProductIDs: []string{b, a}, Active: &f, ExpiresAt: &past,
		Metadata: map[string]any{"n": 1}, Null: map[string]bool{"label": true, "discount_id": true, "max_completions": true}})
	if err != nil {
		t.Fatal(err)
	}
	if l.Label != nil || l.DiscountID != nil || l.MaxCompletions != nil || l.Active || *l.SuccessURL != succ ||
		*l.InactiveMessage != msg || l.ProductIDs[0] != b || len(l.ProductIDs) != 2 || l.Metadata["n"] != int64(1) ||
		l.Metadata["k"] != nil || l.ExpiresAt.Year() != 2020 {
		t.Fatalf("update: %+v", l)
	}
	if old.Label == nil || len(old.ProductIDs) != 1 || !old.Active || old.Metadata["k"] != "v" {
		t.Fatalf("old was changed: %+v", old)
	}
	same, err := ApplyCheckoutLinkUpdate(old, LinkInput{})
	if err != nil || *same.Label != label || *same.DiscountID != d || same.ProductIDs[0] != a {
		t.Fatalf("empty update: %+v %v", same, err)
	}
	_, err = ApplyCheckoutLinkUpdate(old, LinkInput{ProductIDs: []string{a, a}, SuccessURL: &label})
	if got := fmt.Sprint(linkLocs(err)); got != "[[body products 1] [body success_url]]" {
		t.Fatalf("bad update: %s", got)
	}
}

func TestValidateRedirectURL(t *testing.T) {
	for s, ok := range map[string]bool{
		"https://shop.example/thanks?checkout={CHECKOUT_ID}": true,
		"http://localhost:3000/{CHECKOUT_ID}/done":           true,
		"https://shop.example":                               true,
		"":                                                   false,
		"shop.example/thanks":                                false,
		"javascript:alert(1)":                                false,
		"https:///path":                                      false,
		"https://shop.example/a b":                           false,
		"https://shop.example/\n":                            false,
		"mailto:a@b.example":                                 false,
		"https://shop.example/" + strings.Repeat("x", 2030): false,
	} {
		if got := ValidateRedirectURL(s) == ""; got != ok {
			t.Errorf("%q: ok = %v, want %v", s, got, ok)
		}
	}
}

func TestDiscountCovers(t *testing.T) {
	a, b := NewID(), NewID()
	if !DiscountCovers(&Discount{}, []string{a, b}) {
		t.Fatal("unrestricted discount covers everything")
	}
	if !DiscountCovers(&Discount{ProductIDs: []string{b, a}}, []string{strings.ToUpper(a)}) {
		t.Fatal("restriction holding the product covers it")
	}
	if DiscountCovers(&Discount{ProductIDs: []string{a}}, []string{a, b}) {
		t.Fatal("restriction missing a product does not cover the link")
	}
}
