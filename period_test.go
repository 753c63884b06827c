package paylink

import (
	"testing"
	"time"
)

func TestPeriodEnd(t *testing.T) {
	d := func(s string) time.Time {
		v, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		start, interval string
		count           int
		want            string
	}{
		{"2026-01-31", IntervalMonth, 1, "2026-02-28"},
		{"2028-01-31", IntervalMonth, 1, "2028-02-29"},
		{"2026-03-15", IntervalMonth, 3, "2026-06-15"},
		{"2026-12-31", IntervalMonth, 2, "2027-02-28"},
		{"2028-02-29", IntervalYear, 1, "2029-02-28"},
		{"2026-01-01", IntervalWeek, 2, "2026-01-15"},
		{"2026-01-01", IntervalDay, 45, "2026-02-15"},
		{"2026-01-01", IntervalMonth, 0, "2026-02-01"},
	} {
		if got := PeriodEnd(d(tc.start), tc.interval, tc.count); !got.Equal(d(tc.want)) {
			t.Errorf("PeriodEnd(%s, %s, %d) = %s, want %s", tc.start, tc.interval, tc.count, got.Format("2006-01-02"), tc.want)
		}
	}
}
