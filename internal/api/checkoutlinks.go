package api

import (
	"net/http"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/catalog"
	"github.com/paylink/paylink/internal/store"
)

// linkBody is the body of POST and PATCH /v1/checkout-links (Polar's
// CheckoutLinkCreateProducts, the legacy CheckoutLinkCreateProduct and
// CheckoutLinkCreateProductPrice, and CheckoutLinkUpdate) plus our link controls.
// The rules in paylink.NewCheckoutLink and ApplyCheckoutLinkUpdate decide.
type linkBody struct {
	PaymentProcessor      Opt[string]    `json:"payment_processor"`
	Label                 Opt[string]    `json:"label"`
	Products              Opt[[]string]  `json:"products"`
	ProductID             Opt[string]    `json:"product_id"`       // legacy create
	ProductPriceID        Opt[string]    `json:"product_price_id"` // legacy create
	AllowDiscountCodes    Opt[bool]      `json:"allow_discount_codes"`
	RequireBillingAddress Opt[bool]      `json:"require_billing_address"`
	DiscountID            Opt[string]    `json:"discount_id"`
	SuccessURL            Opt[string]    `json:"success_url"`
	ReturnURL             Opt[string]    `json:"return_url"`
	Metadata              map[string]any `json:"metadata"`
	Active                Opt[bool]      `json:"active"`
	InactiveMessage       Opt[string]    `json:"inactive_message"`
	ExpiresAt             Opt[string]    `json:"expires_at"`
	MaxCompletions        Opt[int]       `json:"max_completions"`
	// Polar features paylink leaves out (SPEC §2): null or absent only.
	TrialInterval      Opt[any] `json:"trial_interval"`
	TrialIntervalCount Opt[any] `json:"trial_interval_count"`
	Seats              Opt[any] `json:"seats"`
	Units              Opt[any] `json:"units"`
}

// input turns the body into the rules' input. A products list sent as null is
// the same as an absent one, as in Polar.
func (b *linkBody) input() paylink.LinkInput {
	in := paylink.LinkInput{
		Label: b.Label.Ptr(), AllowDiscountCodes: b.AllowDiscountCodes.Ptr(),
		RequireBillingAddress: b.RequireBillingAddress.Ptr(), DiscountID: b.DiscountID.Ptr(),
		SuccessURL: b.SuccessURL.Ptr(), ReturnURL: b.ReturnURL.Ptr(), Metadata: b.Metadata, Active: b.Active.Ptr(),
		InactiveMessage: b.InactiveMessage.Ptr(), ExpiresAt: b.ExpiresAt.Ptr(), MaxCompletions: b.MaxCompletions.Ptr(),
		Null: map[string]bool{"label": b.Label.Null, "discount_id": b.DiscountID.Null, "success_url": b.SuccessURL.Null,
			"return_url": b.ReturnURL.Null, "inactive_message": b.InactiveMessage.Null, "expires_at": b.ExpiresAt.Null,
			"max_completions": b.MaxCompletions.Null},
	}
	if ids := b.Products.Ptr(); ids != nil {
		in.ProductIDs = append([]string{}, *ids...)
	}
	for _, f := range []struct {
		name string
		o    Opt[any]
	}{{"trial_interval", b.TrialInterval}, {"trial_interval_count", b.TrialIntervalCount}, {"seats", b.Seats}, {"units", b.Units}} {
		if f.o.Set && !f.o.Null {
			in.Unsupported = append(in.Unsupported, f.name)
		}
	}
	return in
}

func (a *API) checkoutLinkCreate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var b linkBody
	if err := Decode(r, &b); err != nil {
		return err
	}
	var probs paylink.Problems
	if pp := b.PaymentProcessor; pp.Set && !pp.Null && pp.Value != "stripe" {
		probs.Add("payment_processor must be stripe", pp.Value, "body", "payment_processor")
	}
	in := b.input()
	priceID := legacyProducts(&b, &in, &probs)
	l, err := a.Catalog.LinkCreate(r.Context(), p.OrgID, catalog.LinkCreate{Input: in, PriceID: priceID, Problems: probs})
	if err != nil {
		return err
	}
	out, err := a.linkRead(r.Context(), p.OrgID, l)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, out)
	return nil
}

func (a *API) checkoutLinkGet(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "checkout link")
	if err != nil {
		return err
	}
	var out any
	err = a.read(r.Context(), func(tx *store.Tx) error {
		l, err := tx.CheckoutLinkGet(r.Context(), p.OrgID, id)
		if err != nil {
			return err
		}
		out, err = a.linkJSON(r.Context(), tx, p.OrgID, l)
		return err
	})
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) checkoutLinkUpdate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "checkout link")
	if err != nil {
		return err
	}
	var b linkBody
	if err := Decode(r, &b); err != nil {
		return err
	}
	l, err := a.Catalog.LinkUpdate(r.Context(), p.OrgID, id, b.input(), "")
	if err != nil {
		return err
	}
	out, err := a.linkRead(r.Context(), p.OrgID, l)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) checkoutLinkDelete(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "checkout link")
	if err != nil {
		return err
	}
	if err := a.Catalog.LinkDelete(r.Context(), p.OrgID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// checkoutLinkRotateSecret gives the link a new client secret (ours): the old URL
// stops working at once, and the answer is the link with its new secret and url.
func (a *API) checkoutLinkRotateSecret(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "checkout link")
	if err != nil {
		return err
	}
	l, err := a.Catalog.LinkRotateSecret(r.Context(), p.OrgID, id)
	if err != nil {
		return err
	}
	out, err := a.linkRead(r.Context(), p.OrgID, l)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, out)
	return nil
}

// checkoutLinkSorting maps Polar's CheckoutLinkSortProperty to SQL. Nullable
// columns sort their NULLs last on both engines.
var checkoutLinkSorting = map[string]string{
	"created_at":           "created_at",
	"label":                "label IS NULL, lower(label)",
	"success_url":          "success_url IS NULL, success_url",
	"allow_discount_codes": "allow_discount_codes",
}

func (a *API) checkoutLinkList(w http.ResponseWriter, r *http.Request, p *Principal) error {
	page, err := ParsePage(r)
	if err != nil {
		return err
	}
	orgIDs, err := QueryIDs(r, "organization_id")
	if err != nil {
		return err
	}
	productIDs, err := QueryIDs(r, "product_id")
	if err != nil {
		return err
	}
	order, err := ParseSorting(r, checkoutLinkSorting, "")
	if err != nil {
		return err
	}
	params := store.CheckoutLinkListParams{OrganizationID: p.OrgID, ProductIDs: lowerAll(productIDs),
		ListParams: page.Params(order)}
	return writePage(a, w, r, page, otherOrgsOnly(orgIDs, p),
		func(tx *store.Tx) ([]any, int, error) {
			links, n, err := tx.CheckoutLinkList(r.Context(), params)
			if err != nil {
				return nil, 0, err
			}
			items, err := a.linksJSON(r.Context(), tx, p.OrgID, links)
			return items, n, err
		})
}
