package web

import "testing"

func TestParseMoney(t *testing.T) {
	for _, tc := range []struct {
		in, currency string
		want         int64
		ok, err      bool
	}{
		{"29", "usd", 2900, true, false}, {"29.5", "usd", 2950, true, false}, {"1,299.00", "usd", 129900, true, false},
		{"$5", "usd", 500, true, false}, {"", "usd", 0, false, false}, {"1.234", "usd", 0, false, true},
		{"500", "jpy", 500, true, false}, {"5.5", "jpy", 0, false, true}, {"1e3", "usd", 0, false, true},
		{"abc", "usd", 0, false, true}, {"99999999999999999999", "usd", 0, false, true},
	} {
		got, ok, err := parseMoney(tc.in, tc.currency)
		if got != tc.want || ok != tc.ok || (err != nil) != tc.err {
			t.Errorf("parseMoney(%q, %s) = %d %v %v", tc.in, tc.currency, got, ok, err)
		}
	}
}
