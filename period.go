package paylink

import (
	"strconv"
	"time"
)

// PeriodEnd returns the end of a billing period that starts at start and lasts
// count intervals. Months and years follow the calendar (Jan 31 + 1 month is
// Feb 28/29, never Mar 3), as customers expect from their bank statement.
func PeriodEnd(start time.Time, interval string, count int) time.Time {
	if count < 1 {
		count = 1
	}
	switch interval {
	case IntervalDay:
		return start.AddDate(0, 0, count)
	case IntervalWeek:
		return start.AddDate(0, 0, 7*count)
	case IntervalYear:
		return addMonths(start, 12*count)
	default:
		return addMonths(start, count)
	}
}

func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	last := first.AddDate(0, 1, -1).Day()
	if d > last {
		d = last
	}
	return first.AddDate(0, 0, d-1)
}

// IntervalText says how often count intervals bill, for people: "month",
// "3 months".
func IntervalText(interval string, count int) string {
	if count <= 1 {
		return interval
	}
	return strconv.Itoa(count) + " " + interval + "s"
}
