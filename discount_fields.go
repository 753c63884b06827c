package paylink

import (
	"regexp"
	"strings"
	"time"
)

// discountMissing records a required body field that was absent.
func discountMissing(p *Problems, field string) {
	*p = append(*p, FieldError{Loc: []any{"body", field}, Msg: "Field required", Type: "missing"})
}

// discountTime parses a body timestamp; null clears it, absent keeps cur.
func discountTime(cur *time.Time, s *string, null bool, field string, p *Problems) *time.Time {
	if s == nil {
		if null {
			return nil
		}
		return cur
	}
	t, err := time.Parse(time.RFC3339Nano, *s)
	if err != nil {
		p.Add(field+" must be an RFC 3339 date-time with a time zone", *s, "body", field)
		return cur
	}
	t = t.UTC().Truncate(time.Microsecond)
	return &t
}

// discountProductIDs returns the ids lower-cased; malformed or repeated ids are
// problems located by index.
func discountProductIDs(ids []string, p *Problems) []string {
	out := make([]string, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for i, id := range ids {
		id = strings.ToLower(id)
		switch {
		case !ValidID(id):
			p.Add("must be a UUID", ids[i], "body", "products", i)
		case seen[id]:
			p.Add("product listed twice", ids[i], "body", "products", i)
		default:
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

var discountCodeRe = regexp.MustCompile(`^[A-Za-z0-9]{3,256}$`)

// ValidDiscountCode reports whether code is 3 to 256 ASCII letters or digits.
func ValidDiscountCode(code string) bool { return discountCodeRe.MatchString(code) }

// DiscountCodeKey is the form in which codes are compared: codes are
// case-insensitive, so "SUMMER24" and "summer24" are the same code.
func DiscountCodeKey(code string) string { return strings.ToLower(code) }

func discountDurationOK(s string) bool {
	return s == DurationOnce || s == DurationForever || s == DurationRepeating
}

func discountSameInt(a, b *int) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
