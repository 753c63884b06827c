package api

import (
	"net/http"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// customFieldBody is the body of POST and PATCH /v1/custom-fields (Polar's
// CustomFieldCreate and CustomFieldUpdate, both told apart by type).
type customFieldBody struct {
	Type           *string                        `json:"type"`
	Slug           *string                        `json:"slug"`
	Name           *string                        `json:"name"`
	Properties     *paylink.CustomFieldProperties `json:"properties"`
	Metadata       map[string]any                 `json:"metadata"`
	OrganizationID Opt[string]                    `json:"organization_id"`
}

// check answers 422 for missing required fields and for another organization.
func (b *customFieldBody) check(p *Principal, required ...string) error {
	var probs paylink.Problems
	if o := b.OrganizationID; o.Set && !o.Null && !strings.EqualFold(o.Value, p.OrgID) {
		probs.Add("an organization token can only act on its own organization", o.Value, "body", "organization_id")
	}
	present := map[string]bool{"type": b.Type != nil, "slug": b.Slug != nil, "name": b.Name != nil, "properties": b.Properties != nil}
	for _, f := range required {
		if !present[f] {
			probs = append(probs, paylink.FieldError{Loc: []any{"body", f}, Msg: "Field required", Type: "missing"})
		}
	}
	return probs.Err()
}

func (a *API) customFieldCreate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var b customFieldBody
	if err := Decode(r, &b); err != nil {
		return err
	}
	if err := b.check(p, "type", "slug", "name", "properties"); err != nil {
		return err
	}
	f, err := a.Catalog.CustomFieldCreate(r.Context(), p.OrgID, paylink.CustomFieldParams{
		Type: *b.Type, Slug: *b.Slug, Name: *b.Name, Properties: *b.Properties, Metadata: b.Metadata})
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, CustomFieldJSON(f))
	return nil
}

func (a *API) customFieldGet(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "custom field")
	if err != nil {
		return err
	}
	var f *paylink.CustomField
	if err := a.read(r.Context(), func(tx *store.Tx) error {
		f, err = tx.CustomFieldGet(r.Context(), p.OrgID, id)
		return err
	}); err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, CustomFieldJSON(f))
	return nil
}

func (a *API) customFieldUpdate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "custom field")
	if err != nil {
		return err
	}
	var b customFieldBody
	if err := Decode(r, &b); err != nil {
		return err
	}
	if err := b.check(p, "type"); err != nil {
		return err
	}
	patch := paylink.CustomFieldPatch{Type: *b.Type, Slug: b.Slug, Name: b.Name, Properties: b.Properties, Metadata: b.Metadata}
	f, err := a.Catalog.CustomFieldUpdate(r.Context(), p.OrgID, id, patch, "")
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, CustomFieldJSON(f))
	return nil
}

func (a *API) customFieldDelete(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "custom field")
	if err != nil {
		return err
	}
	if err := a.Catalog.CustomFieldDelete(r.Context(), p.OrgID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) customFieldList(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var probs paylink.Problems
	page, list := parseList(r, &probs, store.CustomFieldSortColumns, "")
	orgIDs, err := QueryIDs(r, "organization_id")
	mergeProblems(&probs, err)
	types := queryList(r.URL.Query(), "type")
	for _, t := range types {
		switch t {
		case paylink.FieldText, paylink.FieldNumber, paylink.FieldDate, paylink.FieldCheckbox, paylink.FieldSelect:
		default:
			probs.Add("must be one of text, number, date, checkbox or select", t, "query", "type")
		}
	}
	if err := probs.Err(); err != nil {
		return err
	}
	params := store.CustomFieldListParams{OrganizationID: p.OrgID, Query: r.URL.Query().Get("query"), Types: types,
		ListParams: list}
	return writeList(a, w, r, page, otherOrgsOnly(orgIDs, p),
		func(tx *store.Tx) ([]*paylink.CustomField, int, error) {
			return tx.CustomFieldList(r.Context(), params)
		},
		func(_ *loader, f *paylink.CustomField) (any, error) { return CustomFieldJSON(f), nil })
}
