package paylink

import (
	"time"
)

// Analytics intervals (GET /v1/checkout-links/{id}/analytics).
const (
	AnalyticsHour  = "hour"
	AnalyticsDay   = "day"
	AnalyticsWeek  = "week"
	AnalyticsMonth = "month"
	AnalyticsYear  = "year"
)

// MaxAnalyticsPeriods bounds the periods of one analytics answer.
const MaxAnalyticsPeriods = 1000

// AnalyticsRange is a checked analytics query: the periods from the start of
// start_date to the end of end_date (both days in Location, end included), each
// one interval long in Location's wall clock, so a day is 23 or 25 hours across
// a DST change. Weeks start on Monday, months on the 1st, years on January 1.
type AnalyticsRange struct {
	Interval string
	Location *time.Location
	Starts   []time.Time // each period's start, in Location
	End      time.Time   // the end of the last period
}

// ParseAnalyticsRange checks the query's values (dates as YYYY-MM-DD, an IANA
// zone, "" meaning UTC) and builds the periods. Errors: EInvalid at
// ["query", name] for a missing or malformed value, an end before the start or
// more than MaxAnalyticsPeriods periods.
func ParseAnalyticsRange(startDate, endDate, interval, timezone string) (*AnalyticsRange, error) {
	loc := time.UTC
	if timezone != "" {
		l, err := time.LoadLocation(timezone)
		if err != nil || timezone == "Local" {
			return nil, Invalid(FieldInvalid("Input should be a valid IANA time zone", timezone, "query", "timezone"))
		}
		loc = l
	}
	date := func(name, v string) (time.Time, error) {
		if v == "" {
			return time.Time{}, Invalid(FieldError{Loc: []any{"query", name}, Msg: "Field required", Type: "missing"})
		}
		d, err := time.ParseInLocation(time.DateOnly, v, loc)
		if err != nil || d.Year() < 1970 {
			return time.Time{}, Invalid(FieldInvalid("Input should be a valid date (YYYY-MM-DD)", v, "query", name))
		}
		return d, nil
	}
	start, err := date("start_date", startDate)
	if err != nil {
		return nil, err
	}
	end, err := date("end_date", endDate)
	if err != nil {
		return nil, err
	}
	if end.Before(start) {
		return nil, Invalid(FieldInvalid("end_date must not be before start_date", endDate, "query", "end_date"))
	}
	end = end.AddDate(0, 0, 1)
	r := &AnalyticsRange{Interval: interval, Location: loc}
	var next func(t time.Time) time.Time
	switch interval {
	case AnalyticsHour:
		next = func(t time.Time) time.Time { return t.Add(time.Hour) }
	case AnalyticsDay:
		next = func(t time.Time) time.Time { return wallDate(t, 0, 1) }
	case AnalyticsWeek:
		start = wallDate(start, 0, -((int(start.Weekday()) + 6) % 7))
		next = func(t time.Time) time.Time { return wallDate(t, 0, 7) }
	case AnalyticsMonth:
		start = time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, loc)
		next = func(t time.Time) time.Time { return wallDate(t, 1, 0) }
	case AnalyticsYear:
		start = time.Date(start.Year(), 1, 1, 0, 0, 0, 0, loc)
		next = func(t time.Time) time.Time { return wallDate(t, 12, 0) }
	default:
		return nil, Invalid(FieldInvalid("Input should be 'hour', 'day', 'week', 'month' or 'year'", interval, "query", "interval"))
	}
	for t := start; t.Before(end); t = next(t) {
		if len(r.Starts) == MaxAnalyticsPeriods {
			return nil, Invalid(FieldInvalid("The range holds more than 1000 periods of this interval", endDate, "query", "end_date"))
		}
		r.Starts = append(r.Starts, t)
		r.End = next(t)
	}
	return r, nil
}

// wallDate is the local midnight months and days after t's date.
func wallDate(t time.Time, months, days int) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m+time.Month(months), d+days, 0, 0, 0, 0, t.Location())
}
