package api

import (
	"net/http"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// refundJSON is Polar's Refund. paylink has no tax and no disputes: 0 and null.
type refundJSON struct {
	CreatedAt      time.Time        `json:"created_at"`
	ModifiedAt     *time.Time       `json:"modified_at"`
	ID             string           `json:"id"`
	Metadata       paylink.Metadata `json:"metadata"`
	Status         string           `json:"status"`
	Reason         string           `json:"reason"`
	Amount         int64            `json:"amount"`
	TaxAmount      int64            `json:"tax_amount"`
	Currency       string           `json:"currency"`
	OrganizationID string           `json:"organization_id"`
	OrderID        string           `json:"order_id"`
	SubscriptionID *string          `json:"subscription_id"`
	CustomerID     string           `json:"customer_id"`
	RevokeBenefits bool             `json:"revoke_benefits"`
	Dispute        any              `json:"dispute"`
}

// RefundJSON renders a refund as the API returns it.
func RefundJSON(r *paylink.Refund) refundJSON {
	out := refundJSON{CreatedAt: r.CreatedAt, ModifiedAt: r.ModifiedAt, ID: r.ID, Metadata: r.Metadata,
		Status: r.Status, Reason: r.Reason, Amount: r.Amount, Currency: r.Currency, OrganizationID: r.OrganizationID,
		OrderID: r.OrderID, SubscriptionID: r.SubscriptionID, CustomerID: r.CustomerID, RevokeBenefits: r.RevokeBenefits}
	if out.Metadata == nil {
		out.Metadata = paylink.Metadata{}
	}
	return out
}

// refundBody is Polar's RefundCreate.
type refundBody struct {
	OrderID        Opt[string]    `json:"order_id"`
	Reason         Opt[string]    `json:"reason"`
	Amount         Opt[int64]     `json:"amount"`
	Comment        Opt[string]    `json:"comment"`
	RevokeBenefits bool           `json:"revoke_benefits"`
	Metadata       map[string]any `json:"metadata"`
}

func (a *API) refundCreate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var b refundBody
	if err := Decode(r, &b); err != nil {
		return err
	}
	var probs paylink.Problems
	for _, f := range []struct {
		name string
		set  bool
	}{{"order_id", b.OrderID.Set}, {"reason", b.Reason.Set}, {"amount", b.Amount.Set}} {
		if !f.set {
			probs = append(probs, paylink.FieldError{Loc: []any{"body", f.name}, Msg: "Field required", Type: "missing"})
		}
	}
	if err := probs.Err(); err != nil {
		return err
	}
	ref, err := a.Refunds.Create(r.Context(), p.OrgID, paylink.RefundInput{OrderID: b.OrderID.Value,
		Reason: b.Reason.Value, Amount: b.Amount.Value, Comment: b.Comment.Ptr(), RevokeBenefits: b.RevokeBenefits,
		Metadata: b.Metadata})
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, RefundJSON(ref))
	return nil
}

// refundSortColumns maps Polar's RefundSortProperty to columns of refunds.
var refundSortColumns = map[string]string{"created_at": "created_at", "amount": "amount"}

func (a *API) refundList(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var probs paylink.Problems
	q := r.URL.Query()
	page, list := parseList(r, &probs, refundSortColumns, "")
	params := store.RefundListParams{OrganizationID: p.OrgID, ListParams: list,
		Succeeded: queryBool(q, "succeeded", &probs)}
	for name, dst := range map[string]*[]string{"id": &params.IDs, "order_id": &params.OrderIDs,
		"subscription_id": &params.SubscriptionIDs, "customer_id": &params.CustomerIDs} {
		v, err := QueryIDs(r, name)
		mergeProblems(&probs, err)
		if v != nil {
			*dst = lowerAll(v)
		}
	}
	orgIDs, err := QueryIDs(r, "organization_id")
	mergeProblems(&probs, err)
	if err := probs.Err(); err != nil {
		return err
	}
	// Another organization's refunds are never listed.
	return writeList(a, w, r, page, otherOrgsOnly(orgIDs, p),
		func(tx *store.Tx) ([]*paylink.Refund, int, error) {
			var none bool
			var err error
			if params.CustomerIDs, none, err = byExternalCustomer(r, tx, p.OrgID, params.CustomerIDs); none || err != nil {
				return nil, 0, err
			}
			return tx.RefundList(r.Context(), params)
		},
		func(_ *loader, ref *paylink.Refund) (any, error) { return RefundJSON(ref), nil })
}
