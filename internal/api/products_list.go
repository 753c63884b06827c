package api

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

func (a *API) productList(w http.ResponseWriter, r *http.Request, p *Principal) error {
	params, page, none, err := productListParams(r, p)
	if err != nil {
		return err
	}
	return writeList(a, w, r, page, none,
		func(tx *store.Tx) ([]*paylink.Product, int, error) { return tx.ProductList(r.Context(), params) },
		func(_ *loader, prod *paylink.Product) (any, error) { return ProductJSON(a.PublicURL, prod), nil })
}

// productListParams reads Polar's products:list query. none reports a filter no
// paylink product can match (another organization, a benefit, a visibility other
// than public).
func productListParams(r *http.Request, p *Principal) (params store.ProductListParams, page Page, none bool, err error) {
	var probs paylink.Problems
	q := r.URL.Query()
	page, list := parseList(r, &probs, store.ProductSortColumns, "")
	orgIDs, err := QueryIDs(r, "organization_id")
	mergeProblems(&probs, err)
	ids, err := QueryIDs(r, "id")
	mergeProblems(&probs, err)
	benefits, err := QueryIDs(r, "benefit_id")
	mergeProblems(&probs, err)
	params = store.ProductListParams{OrganizationID: p.OrgID, Query: q.Get("query"),
		ListParams: list}
	if ids != nil {
		params.IDs = lowerAll(ids)
	}
	params.IsArchived = queryBool(q, "is_archived", &probs)
	params.IsRecurring = queryBool(q, "is_recurring", &probs)
	public := true
	if vs := queryList(q, "visibility"); len(vs) > 0 {
		public = false
		for _, v := range vs {
			switch v {
			case "public":
				public = true
			case "draft", "private":
			default:
				probs.Add("must be one of draft, private or public", v, "query", "visibility")
			}
		}
	}
	for k := range q {
		if strings.HasPrefix(k, "metadata[") {
			probs.Add("filtering products by metadata is not supported by paylink", q.Get(k), "query", "metadata")
			break
		}
	}
	none = otherOrgsOnly(orgIDs, p) || len(benefits) > 0 || !public
	return params, page, none, probs.Err()
}

// mergeProblems adds the field errors of an EInvalid err to probs; other errors
// (never returned by the query parsers) become one entry at the query.
func mergeProblems(probs *paylink.Problems, err error) {
	var e *paylink.Error
	switch {
	case err == nil:
	case errors.As(err, &e) && len(e.Fields) > 0:
		*probs = append(*probs, e.Fields...)
	default:
		probs.Add(err.Error(), nil, "query")
	}
}

// queryBool reads an optional boolean query parameter; a malformed one is a 422.
func queryBool(q url.Values, name string, probs *paylink.Problems) *bool {
	s := q.Get(name)
	if s == "" {
		return nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		probs.Add("must be true or false", s, "query", name)
		return nil
	}
	return &b
}

// queryList reads a repeatable query parameter, also accepting comma-separated values.
func queryList(q url.Values, name string) []string {
	var out []string
	for _, v := range q[name] {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func lowerAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToLower(s)
	}
	return out
}
