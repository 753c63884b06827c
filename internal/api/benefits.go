package api

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// benefitBody is the body of POST and PATCH /v1/benefits (Polar's BenefitCreate
// and BenefitUpdate, told apart by type).
type benefitBody struct {
	Type           *string         `json:"type"`
	Description    *string         `json:"description"`
	Properties     json.RawMessage `json:"properties"`
	Metadata       map[string]any  `json:"metadata"`
	OrganizationID Opt[string]     `json:"organization_id"`
}

// check answers 422 for missing required fields and for another organization.
func (b *benefitBody) check(p *Principal, create bool) error {
	var probs paylink.Problems
	if o := b.OrganizationID; o.Set && !o.Null && !strings.EqualFold(o.Value, p.OrgID) {
		probs.Add("an organization token can only act on its own organization", o.Value, "body", "organization_id")
	}
	missing := func(f string) {
		probs = append(probs, paylink.FieldError{Loc: []any{"body", f}, Msg: "Field required", Type: "missing"})
	}
	if b.Type == nil {
		missing("type")
	}
	if create && b.Description == nil {
		missing("description")
	}
	if create && b.Properties == nil {
		missing("properties")
	}
	return probs.Err()
}

func (a *API) benefitCreate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var b benefitBody
	if err := Decode(r, &b); err != nil {
		return err
	}
	if err := b.check(p, true); err != nil {
		return err
	}
	out, err := a.Benefits.Create(r.Context(), p.OrgID, paylink.BenefitParams{Type: *b.Type, Description: *b.Description,
		Properties: b.Properties, Metadata: b.Metadata})
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, BenefitJSON(out))
	return nil
}

func (a *API) benefitGet(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "benefit")
	if err != nil {
		return err
	}
	return writeOne(a, w, r, func(tx *store.Tx) (*paylink.Benefit, error) { return tx.BenefitGet(r.Context(), p.OrgID, id, false) },
		func(_ *loader, b *paylink.Benefit) (any, error) { return BenefitJSON(b), nil })
}

func (a *API) benefitUpdate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "benefit")
	if err != nil {
		return err
	}
	var b benefitBody
	if err := Decode(r, &b); err != nil {
		return err
	}
	if err := b.check(p, false); err != nil {
		return err
	}
	props := b.Properties
	if string(props) == "null" {
		props = nil
	}
	out, err := a.Benefits.Update(r.Context(), p.OrgID, id, *b.Type, paylink.BenefitPatch{Description: b.Description,
		Properties: props, Metadata: b.Metadata})
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, BenefitJSON(out))
	return nil
}

func (a *API) benefitDelete(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "benefit")
	if err != nil {
		return err
	}
	if err := a.Benefits.Delete(r.Context(), p.OrgID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) benefitList(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var probs paylink.Problems
	page, list := parseList(r, &probs, store.BenefitSortColumns, "")
	orgIDs, err := QueryIDs(r, "organization_id")
	mergeProblems(&probs, err)
	ids, err := QueryIDs(r, "id")
	mergeProblems(&probs, err)
	if err := probs.Err(); err != nil {
		return err
	}
	params := store.BenefitListParams{ListParams: list, OrganizationID: p.OrgID, Types: queryList(r.URL.Query(), "type"),
		Query: r.URL.Query().Get("query"), IDs: ids}
	return writeList(a, w, r, page, otherOrgsOnly(orgIDs, p),
		func(tx *store.Tx) ([]*paylink.Benefit, int, error) { return tx.BenefitList(r.Context(), params) },
		func(_ *loader, b *paylink.Benefit) (any, error) { return BenefitJSON(b), nil })
}

// benefitGrants is GET /v1/benefits/{id}/grants: the benefit's grants, filtered
// by is_granted and customer_id.
func (a *API) benefitGrants(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "benefit")
	if err != nil {
		return err
	}
	var probs paylink.Problems
	page, list := parseList(r, &probs, map[string]string{"created_at": "created_at"}, "")
	customers, err := QueryIDs(r, "customer_id")
	mergeProblems(&probs, err)
	granted := queryBool(r.URL.Query(), "is_granted", &probs)
	if err := probs.Err(); err != nil {
		return err
	}
	if err := a.read(r.Context(), func(tx *store.Tx) error {
		_, err := tx.BenefitGet(r.Context(), p.OrgID, id, false)
		return err
	}); err != nil {
		return err
	}
	params := store.BenefitGrantListParams{ListParams: list, OrganizationID: p.OrgID, BenefitIDs: []string{id},
		CustomerIDs: customers, IsGranted: granted}
	return writeList(a, w, r, page, false,
		func(tx *store.Tx) ([]*paylink.BenefitGrant, int, error) {
			return tx.BenefitGrantList(r.Context(), params)
		},
		func(l *loader, g *paylink.BenefitGrant) (any, error) { return l.grantJSON(g) })
}

// productUpdateBenefits is POST /v1/products/{id}/benefits (Polar's
// ProductBenefitsUpdate): the product's benefits become these, in order.
func (a *API) productUpdateBenefits(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "product")
	if err != nil {
		return err
	}
	var b struct {
		Benefits *[]string `json:"benefits"`
	}
	if err := Decode(r, &b); err != nil {
		return err
	}
	if b.Benefits == nil {
		return paylink.Invalid(paylink.FieldError{Loc: []any{"body", "benefits"}, Msg: "Field required", Type: "missing"})
	}
	prod, err := a.Benefits.SetProductBenefits(r.Context(), p.OrgID, id, *b.Benefits)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, ProductJSON(a.PublicURL, prod))
	return nil
}
