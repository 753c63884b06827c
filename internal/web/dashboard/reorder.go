package dashboard

import (
	"net/url"
	"slices"
	"strings"
)

// Ordered lists of a form (a link's products, a product's custom fields) are
// rows in display order, each with a hidden input naming its id and two plain
// submit buttons, "up" and "down" (name "move", value "up:ID" or "down:ID").
// Without JavaScript a button posts the form, which comes back unsaved with the
// row moved; dashboard.js moves the row in place instead. Either way the order
// saved is the order of the rows.

// moving reports whether the post only moves a row, rather than saving.
func moving(v url.Values) bool { return v.Get("move") != "" }

// rowOrder returns the ids of the hidden inputs named field, in the order posted,
// with the row the "move" button names (for this list) moved one place.
func rowOrder(v url.Values, field string) []string {
	ids := make([]string, 0, len(v[field]))
	for _, id := range v[field] {
		if id = strings.ToLower(strings.TrimSpace(id)); id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	dir, id, _ := strings.Cut(v.Get("move"), ":")
	i := slices.Index(ids, strings.ToLower(id))
	switch {
	case i < 0:
	case dir == "up" && i > 0:
		ids[i-1], ids[i] = ids[i], ids[i-1]
	case dir == "down" && i < len(ids)-1:
		ids[i+1], ids[i] = ids[i], ids[i+1]
	}
	return ids
}

// picked returns the ids of order that were checked (the checkboxes named
// field), in the order of the rows; checked ids without a row follow.
func picked(v url.Values, field string, order []string) []string {
	checked := map[string]bool{}
	var rest []string
	for _, id := range v[field] {
		id = strings.ToLower(strings.TrimSpace(id))
		if !checked[id] {
			checked[id] = true
			if !slices.Contains(order, id) {
				rest = append(rest, id)
			}
		}
	}
	out := []string{}
	for _, id := range order {
		if checked[id] {
			out = append(out, id)
		}
	}
	return append(out, rest...)
}

// byOrder sorts items so that those whose id is in order come first, in that
// order; the others keep their relative place after them.
func byOrder[T any](items []T, order []string, id func(T) string) {
	slices.SortStableFunc(items, func(a, b T) int {
		i, j := slices.Index(order, id(a)), slices.Index(order, id(b))
		switch {
		case i >= 0 && j >= 0:
			return i - j
		case i >= 0:
			return -1
		case j >= 0:
			return 1
		}
		return 0
	})
}
