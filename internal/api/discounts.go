package api

import (
	"net/http"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// discountBody is the body of POST and PATCH /v1/discounts (Polar's DiscountCreate
// and DiscountUpdate). Timestamps arrive as strings so that a bad one is a 422 at
// its own field; the rules in paylink.NewDiscount and ApplyDiscountUpdate decide.
type discountBody struct {
	Name             Opt[string]           `json:"name"`
	Type             Opt[string]           `json:"type"`
	Duration         Opt[string]           `json:"duration"`
	DurationInMonths Opt[int]              `json:"duration_in_months"`
	BasisPoints      Opt[int]              `json:"basis_points"`
	Amount           Opt[int64]            `json:"amount"`
	Currency         Opt[string]           `json:"currency"`
	Amounts          Opt[map[string]int64] `json:"amounts"`
	Code             Opt[string]           `json:"code"`
	StartsAt         Opt[string]           `json:"starts_at"`
	EndsAt           Opt[string]           `json:"ends_at"`
	MaxRedemptions   Opt[int]              `json:"max_redemptions"`
	Metadata         map[string]any        `json:"metadata"`
	Products         Opt[[]string]         `json:"products"`
	OrganizationID   Opt[string]           `json:"organization_id"`
}

// input turns the body into the rules' input; an organization_id other than the
// caller's is a 422 (an organization token acts for its own organization only).
func (b *discountBody) input(p *Principal) (paylink.DiscountInput, error) {
	if o := b.OrganizationID; o.Set && !o.Null && !strings.EqualFold(o.Value, p.OrgID) {
		return paylink.DiscountInput{}, paylink.Invalid(paylink.FieldInvalid(
			"an organization token can only act on its own organization", o.Value, "body", "organization_id"))
	}
	in := paylink.DiscountInput{
		Name: b.Name.Ptr(), Type: b.Type.Ptr(), Duration: b.Duration.Ptr(), DurationInMonths: b.DurationInMonths.Ptr(),
		BasisPoints: b.BasisPoints.Ptr(), Amount: b.Amount.Ptr(), Currency: b.Currency.Ptr(), Code: b.Code.Ptr(),
		StartsAt: b.StartsAt.Ptr(), EndsAt: b.EndsAt.Ptr(), MaxRedemptions: b.MaxRedemptions.Ptr(),
		Metadata: b.Metadata,
		Null: map[string]bool{"code": b.Code.Null, "starts_at": b.StartsAt.Null, "ends_at": b.EndsAt.Null,
			"max_redemptions": b.MaxRedemptions.Null},
	}
	if m := b.Amounts.Ptr(); m != nil {
		in.Amounts = *m
		if in.Amounts == nil {
			in.Amounts = map[string]int64{}
		}
	}
	if ids := b.Products.Ptr(); ids != nil {
		in.ProductIDs = append([]string{}, *ids...)
	}
	return in, nil
}

func (a *API) discountCreate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var b discountBody
	if err := Decode(r, &b); err != nil {
		return err
	}
	in, err := b.input(p)
	if err != nil {
		return err
	}
	d, products, err := a.Catalog.DiscountCreate(r.Context(), p.OrgID, in)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, DiscountJSON(a.PublicURL, d, products))
	return nil
}

func (a *API) discountGet(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "discount")
	if err != nil {
		return err
	}
	var d *paylink.Discount
	var products []*paylink.Product
	err = a.read(r.Context(), func(tx *store.Tx) error {
		if d, err = tx.DiscountGet(r.Context(), p.OrgID, id); err != nil {
			return err
		}
		products, err = discountProducts(r.Context(), tx, p.OrgID, d.ProductIDs)
		return err
	})
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, DiscountJSON(a.PublicURL, d, products))
	return nil
}

func (a *API) discountUpdate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "discount")
	if err != nil {
		return err
	}
	var b discountBody
	if err := Decode(r, &b); err != nil {
		return err
	}
	in, err := b.input(p)
	if err != nil {
		return err
	}
	d, products, err := a.Catalog.DiscountUpdate(r.Context(), p.OrgID, id, in, "")
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, DiscountJSON(a.PublicURL, d, products))
	return nil
}

func (a *API) discountDelete(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "discount")
	if err != nil {
		return err
	}
	if err := a.Catalog.DiscountDelete(r.Context(), p.OrgID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// discountSorting maps Polar's DiscountSortProperty to SQL. Nullable columns sort
// their NULLs last on both engines.
var discountSorting = map[string]string{
	"created_at":        "created_at",
	"name":              "lower(name)",
	"code":              "code_lower IS NULL, code_lower",
	"redemptions_count": "redemptions_count",
	"ends_at":           "ends_at IS NULL, ends_at",
}

func (a *API) discountList(w http.ResponseWriter, r *http.Request, p *Principal) error {
	page, err := ParsePage(r)
	if err != nil {
		return err
	}
	orgIDs, err := QueryIDs(r, "organization_id")
	if err != nil {
		return err
	}
	order, err := ParseSorting(r, discountSorting, "")
	if err != nil {
		return err
	}
	params := store.DiscountListParams{OrganizationID: p.OrgID, Query: r.URL.Query().Get("query"),
		ListParams: page.Params(order)}
	return writePage(a, w, r, page, otherOrgsOnly(orgIDs, p),
		func(tx *store.Tx) ([]any, int, error) {
			ds, total, err := tx.DiscountList(r.Context(), params)
			if err != nil {
				return nil, 0, err
			}
			var ids []string
			seen := map[string]bool{}
			for _, d := range ds {
				for _, id := range d.ProductIDs {
					if !seen[id] {
						seen[id] = true
						ids = append(ids, id)
					}
				}
			}
			products, err := discountProducts(r.Context(), tx, p.OrgID, ids)
			if err != nil {
				return nil, 0, err
			}
			items := make([]any, 0, len(ds))
			for _, d := range ds {
				items = append(items, DiscountJSON(a.PublicURL, d, products))
			}
			return items, total, nil
		})
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
