package paylink

import (
	"errors"
	"slices"
	"testing"
)

func TestParseOrigin(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"https://shop.example.com", "https://shop.example.com", true},
		{"https://Shop.Example.com/", "https://shop.example.com", true},
		{"https://shop.example.com:443", "https://shop.example.com", true},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", true},
		{"http://localhost:80", "http://localhost", true},
		{"http://[::1]:3000", "http://[::1]:3000", true},
		{" https://a.example ", "https://a.example", true},
		{"https://shop.example.com/buy", "", false},
		{"https://a.example;script-src", "", false}, // would end the CSP source
		{"https://a'b.example", "", false},
		{"https://a_b.example", "", false},
		{"https://shop.example.com?x=1", "", false},
		{"https://shop.example.com#top", "", false},
		{"https://user@shop.example.com", "", false},
		{"https://*.example.com", "", false},
		{"*", "", false},
		{"shop.example.com", "", false},
		{"javascript:alert(1)", "", false},
		{"ftp://shop.example.com", "", false},
		{"https://", "", false},
		{"https://a.example, https://b.example", "", false},
		{"", "", false},
	} {
		got, ok := ParseOrigin(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseOrigin(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestNormalizeEmbedHosts(t *testing.T) {
	got, err := NormalizeEmbedHosts([]string{"https://A.example/", "https://a.example", "http://127.0.0.1:9000"})
	if err != nil || !slices.Equal(got, []string{"https://a.example", "http://127.0.0.1:9000"}) {
		t.Fatalf("got %v, %v", got, err)
	}
	if got, err := NormalizeEmbedHosts(nil); err != nil || got == nil || len(got) != 0 {
		t.Fatalf("none: %v, %v", got, err)
	}
	_, err = NormalizeEmbedHosts([]string{"https://ok.example", "https://bad.example/path"})
	if fe := fieldErrors(t, err); len(fe) != 1 || !slices.Equal(fe[0].Loc, []any{"body", "embed_hosts", 1}) {
		t.Fatalf("a bad origin: %v", err)
	}
	many := make([]string, EmbedHostsMax+1)
	for i := range many {
		many[i] = "https://a.example"
	}
	if fe := fieldErrors(t, func() error { _, err := NormalizeEmbedHosts(many); return err }()); len(fe) != 1 ||
		!slices.Equal(fe[0].Loc, []any{"body", "embed_hosts"}) {
		t.Fatalf("too many: %v", fe)
	}
	org := &Organization{EmbedHosts: []string{"https://a.example"}}
	if o, ok := org.EmbedAllowed("https://A.example/"); !ok || o != "https://a.example" {
		t.Fatalf("allowed: %q %v", o, ok)
	}
	for _, other := range []string{"https://a.example.evil", "http://a.example", "https://b.example", "", "null"} {
		if _, ok := org.EmbedAllowed(other); ok {
			t.Errorf("%q is allowed", other)
		}
	}
}

func fieldErrors(t *testing.T, err error) []FieldError {
	t.Helper()
	var e *Error
	if err == nil || !errors.As(err, &e) || e.Code != EInvalid {
		t.Fatalf("want EInvalid, got %v", err)
	}
	return e.Fields
}
