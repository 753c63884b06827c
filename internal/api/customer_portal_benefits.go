package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/benefits"
	"github.com/paylink/paylink/internal/portal"
	"github.com/paylink/paylink/internal/store"
)

// What a customer has, through their customer session token: Polar's
// customerPortal.benefitGrants, .downloadables and .licenseKeys. Every query
// is of the session's organization and customer: a token sees one customer.

// customerGrantSortColumns maps Polar's CustomerBenefitGrantSortProperty to columns.
var customerGrantSortColumns = map[string]string{"granted_at": "granted_at", "type": store.GrantSortType,
	"organization": "organization_id", "product_benefit": store.GrantSortProductBenefit}

func (a *API) customerGrantList(w http.ResponseWriter, r *http.Request, who *portal.Signed) error {
	var probs paylink.Problems
	q := r.URL.Query()
	page, list := parseList(r, &probs, customerGrantSortColumns,
		store.GrantSortProductBenefit+", granted_at DESC, id")
	granted := true
	params := store.BenefitGrantListParams{ListParams: list, OrganizationID: who.Org.ID,
		CustomerIDs: []string{who.Customer.ID}, IsGranted: &granted, Query: strings.TrimSpace(q.Get("query"))}
	for name, dst := range map[string]*[]string{"benefit_id": &params.BenefitIDs, "order_id": &params.OrderIDs,
		"subscription_id": &params.SubscriptionIDs, "checkout_id": &params.CheckoutIDs} {
		v, err := QueryIDs(r, name)
		mergeProblems(&probs, err)
		*dst = lowerAll(v)
	}
	members, err := QueryIDs(r, "member_id")
	mergeProblems(&probs, err)
	for _, t := range queryList(q, "type") {
		if !benefits.BenefitTypes[t] {
			probs.Add("Input should be a benefit type such as custom, downloadables or license_keys", t, "query", "type")
		}
		params.Types = append(params.Types, t)
	}
	if err := probs.Err(); err != nil {
		return err
	}
	return writeList(a, w, r, page, len(members) > 0, // paylink has no members: a member's grants are none
		func(tx *store.Tx) ([]*paylink.BenefitGrant, int, error) {
			return tx.BenefitGrantList(r.Context(), params)
		},
		func(l *loader, g *paylink.BenefitGrant) (any, error) { return l.customerGrantJSON(g, who) })
}

func (a *API) customerGrantGet(w http.ResponseWriter, r *http.Request, who *portal.Signed) error {
	id, err := pathID(r, "id", "benefit grant")
	if err != nil {
		return err
	}
	return writeOne(a, w, r,
		func(tx *store.Tx) (*paylink.BenefitGrant, error) {
			return benefits.CustomerGrant(r.Context(), tx, who.Org.ID, who.Customer.ID, id)
		},
		func(l *loader, g *paylink.BenefitGrant) (any, error) { return l.customerGrantJSON(g, who) })
}

// customerGrantUpdate is PATCH /v1/customer-portal/benefit-grants/{id}:
// Polar's CustomerBenefitGrantUpdate, told apart by benefit_type.
func (a *API) customerGrantUpdate(w http.ResponseWriter, r *http.Request, who *portal.Signed) error {
	id, err := pathID(r, "id", "benefit grant")
	if err != nil {
		return err
	}
	var b struct {
		BenefitType *string        `json:"benefit_type"`
		Properties  map[string]any `json:"properties"`
	}
	if err := Decode(r, &b); err != nil {
		return err
	}
	switch {
	case b.BenefitType == nil:
		return paylink.Invalid(paylink.FieldError{Loc: []any{"body", "benefit_type"}, Msg: "Field required", Type: "missing"})
	case !benefits.BenefitTypes[*b.BenefitType]:
		return paylink.Invalid(paylink.FieldInvalid("Input tag does not match any of the expected tags: custom, "+
			"downloadables, license_keys, …", *b.BenefitType, "body", "benefit_type"))
	}
	g, err := a.Benefits.CustomerGrantUpdate(r.Context(), who.Org.ID, who.Customer.ID, id, *b.BenefitType)
	if err != nil {
		return err
	}
	return writeOne(a, w, r, func(*store.Tx) (*paylink.BenefitGrant, error) { return g, nil },
		func(l *loader, g *paylink.BenefitGrant) (any, error) { return l.customerGrantJSON(g, who) })
}

func (a *API) customerDownloadableList(w http.ResponseWriter, r *http.Request, who *portal.Signed) error {
	var probs paylink.Problems
	page, list := parseList(r, &probs, map[string]string{}, "")
	ids, err := QueryIDs(r, "benefit_id")
	mergeProblems(&probs, err)
	if err := probs.Err(); err != nil {
		return err
	}
	fs, total, err := a.Benefits.CustomerDownloadables(r.Context(), benefits.CustomerDownloadablesParams{ListParams: list,
		OrganizationID: who.Org.ID, CustomerID: who.Customer.ID, BenefitIDs: lowerAll(ids)})
	if err != nil {
		return err
	}
	items := make([]any, len(fs))
	for i, f := range fs {
		items[i] = downloadableOf(a.PublicURL, f)
	}
	WriteJSON(w, http.StatusOK, NewList(items, total, page))
	return nil
}

// customerDownloadableGet is GET /v1/customer-portal/downloadables/{id}: a
// redirect (302) to a fresh download link of one of the customer's files.
func (a *API) customerDownloadableGet(w http.ResponseWriter, r *http.Request, who *portal.Signed) error {
	id, err := pathID(r, "id", "downloadable")
	if err != nil {
		return err
	}
	f, err := a.Benefits.CustomerDownload(r.Context(), who.Org.ID, who.Customer.ID, id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, f.URL, http.StatusFound)
	return nil
}

func (a *API) customerLicenseKeyList(w http.ResponseWriter, r *http.Request, who *portal.Signed) error {
	var probs paylink.Problems
	page, list := parseList(r, &probs, map[string]string{}, "created_at, id")
	benefitIDs, err := QueryIDs(r, "benefit_id")
	mergeProblems(&probs, err)
	if err := probs.Err(); err != nil {
		return err
	}
	params := store.LicenseKeyListParams{ListParams: list, OrganizationID: who.Org.ID, BenefitIDs: benefitIDs,
		CustomerIDs: []string{who.Customer.ID}}
	return writeList(a, w, r, page, false,
		func(tx *store.Tx) ([]*paylink.LicenseKey, int, error) { return tx.LicenseKeyList(r.Context(), params) },
		func(l *loader, k *paylink.LicenseKey) (any, error) { return l.licenseKeyJSON(k) })
}

func (a *API) customerLicenseKeyGet(w http.ResponseWriter, r *http.Request, who *portal.Signed) error {
	id, err := pathID(r, "id", "license key")
	if err != nil {
		return err
	}
	return writeOne(a, w, r, func(tx *store.Tx) (*paylink.LicenseKey, error) {
		k, err := tx.LicenseKeyGet(r.Context(), who.Org.ID, id, false)
		if err == nil && k.CustomerID != who.Customer.ID {
			return nil, paylink.NotFound("license key")
		}
		return k, err
	}, withActivations)
}

// downloadJSON is Polar's S3DownloadURL: paylink's own signed link.
type downloadJSON struct {
	URL       string            `json:"url"`
	Headers   map[string]string `json:"headers"`
	ExpiresAt time.Time         `json:"expires_at"`
}

// downloadableJSON is Polar's DownloadableRead: the file as FileDownload, with
// its link.
type downloadableJSON struct {
	ID        string `json:"id"`
	BenefitID string `json:"benefit_id"`
	File      struct {
		FileReadJSON
		Download downloadJSON `json:"download"`
	} `json:"file"`
}

func downloadableOf(base string, f benefits.DeliveredFile) downloadableJSON {
	out := downloadableJSON{ID: f.Downloadable.ID, BenefitID: f.Downloadable.BenefitID}
	out.File.FileReadJSON = FileJSON(base, f.File)
	out.File.Download = downloadJSON{URL: f.URL, Headers: map[string]string{}, ExpiresAt: f.ExpiresAt}
	return out
}
