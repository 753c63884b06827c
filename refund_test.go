package paylink

import (
	"fmt"
	"strings"
	"testing"
)

func TestCheckRefundInput(t *testing.T) {
	id := NewID()
	long := strings.Repeat("é", RefundCommentMax+1)
	for _, tc := range []struct {
		name string
		in   RefundInput
		locs []string // fmt.Sprint of each error's location, in order; none: valid
	}{
		{"valid", RefundInput{OrderID: id, Reason: "duplicate", Amount: 1}, nil},
		{"everything wrong", RefundInput{OrderID: "x", Reason: "dispute_prevention", Amount: 0, Comment: &long,
			Metadata: map[string]any{"k": []any{}}},
			[]string{"[body order_id]", "[body reason]", "[body amount]", "[body comment]", "[body metadata k]"}},
		{"negative amount", RefundInput{OrderID: id, Reason: "other", Amount: -5}, []string{"[body amount]"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := CheckRefundInput(tc.in)
			var got []string
			if e, ok := err.(*Error); ok {
				for _, f := range e.Fields {
					got = append(got, fmt.Sprint(f.Loc))
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.locs) {
				t.Fatalf("locations %v, want %v", got, tc.locs)
			}
		})
	}
}

func TestRefundAmounts(t *testing.T) {
	for _, tc := range []struct {
		total, refunded, held, left int64
		status                      string
	}{
		{2000, 0, 0, 2000, OrderPaid},
		{2000, 0, 500, 1500, OrderPaid},
		{2000, 500, 0, 1500, OrderPartiallyRefunded},
		{2000, 1500, 500, 0, OrderPartiallyRefunded},
		{2000, 2000, 0, 0, OrderRefunded},
		{0, 0, 0, 0, OrderPaid},
	} {
		o := &Order{TotalAmount: tc.total, RefundedAmount: tc.refunded, RefundHeldAmount: tc.held}
		if left, status := RefundableAmount(o), OrderStatusAfterRefunds(o); left != tc.left || status != tc.status {
			t.Errorf("%+v: left %d %s, want %d %s", tc, left, status, tc.left, tc.status)
		}
	}
}
