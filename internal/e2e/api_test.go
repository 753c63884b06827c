package e2e_test

import "testing"

// ok takes a client call's answer and returns a function that fails the test on
// its error and returns its value: ok(api.Orders(ctx, nil))(t).
func ok[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// deref is *p, or the zero value for nil.
func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
