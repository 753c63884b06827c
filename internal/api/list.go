package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// Page is a parsed ?page=&limit= pair.
type Page struct {
	Page  int // 1-based
	Limit int // 1..100, default 10
}

// Offset is the row offset of the page.
func (p Page) Offset() int { return (p.Page - 1) * p.Limit }

// Params is the page as the store's list parameters, sorted by orderBy
// (ParseSorting's result; "" for the store method's default).
func (p Page) Params(orderBy string) store.ListParams {
	return store.ListParams{Limit: p.Limit, Offset: p.Offset(), OrderBy: orderBy}
}

// ParsePage reads page and limit; out-of-range values are a 422 at the query.
func ParsePage(r *http.Request) (Page, error) {
	p := Page{Page: 1, Limit: 10}
	var probs paylink.Problems
	q := r.URL.Query()
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			probs.Add("page must be an integer ≥ 1", s, "query", "page")
		} else {
			p.Page = n
		}
	}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100 {
			probs.Add("limit must be an integer from 1 to 100", s, "query", "limit")
		} else {
			p.Limit = n
		}
	}
	return p, probs.Err()
}

// otherOrgsOnly reports whether a list's organization_id filter names only
// organizations other than the token's: no row can match, so the page is empty
// without a query.
func otherOrgsOnly(orgIDs []string, p *Principal) bool {
	return len(orgIDs) > 0 && !containsFold(orgIDs, p.OrgID)
}

// parseList reads a list's page, limit and sorting (by the allowed columns; def
// when none is asked), adding what is wrong to probs, and returns the page and
// the store's parameters for it.
func parseList(r *http.Request, probs *paylink.Problems, sorting map[string]string, def string) (Page, store.ListParams) {
	page, err := ParsePage(r)
	mergeProblems(probs, err)
	order, err := ParseSorting(r, sorting, def)
	mergeProblems(probs, err)
	return page, page.Params(order)
}

// ListResource is Polar's list envelope.
type ListResource[T any] struct {
	Items      []T        `json:"items"`
	Pagination Pagination `json:"pagination"`
}

// Pagination is Polar's pagination block.
type Pagination struct {
	TotalCount int `json:"total_count"`
	MaxPage    int `json:"max_page"`
}

// NewList wraps one page of items with the total count.
func NewList[T any](items []T, total int, p Page) ListResource[T] {
	if items == nil {
		items = []T{}
	}
	maxPage := (total + p.Limit - 1) / p.Limit
	return ListResource[T]{Items: items, Pagination: Pagination{TotalCount: total, MaxPage: maxPage}}
}

// ParseSorting reads the repeatable ?sorting= parameter. allowed maps each API
// field name to its SQL column; the result is a safe ORDER BY list (with "id" as
// the last tie-breaker), or def when nothing was asked.
func ParseSorting(r *http.Request, allowed map[string]string, def string) (string, error) {
	var probs paylink.Problems
	var parts []string
	for _, v := range r.URL.Query()["sorting"] {
		for _, s := range strings.Split(v, ",") {
			if s == "" {
				continue
			}
			desc := strings.HasPrefix(s, "-")
			col, ok := allowed[strings.TrimPrefix(s, "-")]
			if !ok {
				probs.Add("unknown sorting field", s, "query", "sorting")
				continue
			}
			if desc {
				col += " DESC"
			}
			parts = append(parts, col)
		}
	}
	if err := probs.Err(); err != nil {
		return "", err
	}
	if len(parts) == 0 {
		return def, nil
	}
	return strings.Join(parts, ", ") + ", id", nil
}

// QueryIDs returns the repeatable UUID query parameter name; a malformed one is a 422.
func QueryIDs(r *http.Request, name string) ([]string, error) {
	var probs paylink.Problems
	var out []string
	for _, v := range r.URL.Query()[name] {
		for _, s := range strings.Split(v, ",") {
			if s == "" {
				continue
			}
			if !paylink.ValidID(s) {
				probs.Add("must be a UUID", s, "query", name)
				continue
			}
			out = append(out, s)
		}
	}
	return out, probs.Err()
}
