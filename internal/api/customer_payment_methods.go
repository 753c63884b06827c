package api

import (
	"net/http"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/portal"
	"github.com/paylink/paylink/internal/store"
)

// The signed-in customer's payment methods: Polar's
// /v1/customer-portal/customers/me/payment-methods. The writes are
// internal/portal's, as for the portal page.

// customerPaymentMethodJSON is Polar's CustomerPaymentMethodCard.
type customerPaymentMethodJSON struct {
	ID             string           `json:"id"`
	CreatedAt      time.Time        `json:"created_at"`
	ModifiedAt     *time.Time       `json:"modified_at"`
	Processor      string           `json:"processor"`
	CustomerID     string           `json:"customer_id"`
	Type           string           `json:"type"`
	MethodMetadata cardMetadataJSON `json:"method_metadata"`
	IsDefault      bool             `json:"is_default"`
}

// cardMetadataJSON is Polar's PaymentMethodCardMetadata.
type cardMetadataJSON struct {
	Brand    string  `json:"brand"`
	Last4    string  `json:"last4"`
	ExpMonth int     `json:"exp_month"`
	ExpYear  int     `json:"exp_year"`
	Wallet   *string `json:"wallet"`
}

func customerPaymentMethod(m *store.PaymentMethod) customerPaymentMethodJSON {
	return customerPaymentMethodJSON{ID: m.ID, CreatedAt: m.CreatedAt, ModifiedAt: m.ModifiedAt,
		Processor:  "stripe", // SPEC §2: always stripe on the wire
		CustomerID: m.CustomerID, Type: m.Type, IsDefault: m.IsDefault,
		MethodMetadata: cardMetadataJSON{Brand: m.Brand, Last4: m.Last4, ExpMonth: m.ExpMonth, ExpYear: m.ExpYear}}
}

func (a *API) customerPaymentMethodList(w http.ResponseWriter, r *http.Request, who *portal.Signed) error {
	page, err := ParsePage(r)
	if err != nil {
		return err
	}
	items, total, err := a.Portal.PaymentMethods(r.Context(), who, page.Params(""))
	if err != nil {
		return err
	}
	out := make([]any, len(items))
	for i, m := range items {
		out[i] = customerPaymentMethod(m)
	}
	WriteJSON(w, http.StatusOK, NewList(out, total, page))
	return nil
}

// writeMethodAdded answers Polar's CustomerPaymentMethodCreateResponse (201).
func writeMethodAdded(w http.ResponseWriter, res *portal.MethodAdded) {
	if res.Method == nil {
		WriteJSON(w, http.StatusCreated, map[string]string{"status": "requires_action", "client_secret": res.ClientSecret})
		return
	}
	WriteJSON(w, http.StatusCreated, map[string]any{"status": "succeeded", "payment_method": customerPaymentMethod(res.Method)})
}

func (a *API) customerPaymentMethodAdd(w http.ResponseWriter, r *http.Request, who *portal.Signed) error {
	var body struct {
		ConfirmationTokenID *string `json:"confirmation_token_id"`
		SetDefault          *bool   `json:"set_default"`
		ReturnURL           *string `json:"return_url"`
	}
	if err := Decode(r, &body); err != nil {
		return err
	}
	var probs paylink.Problems
	required(&probs, "confirmation_token_id", body.ConfirmationTokenID == nil)
	required(&probs, "set_default", body.SetDefault == nil)
	required(&probs, "return_url", body.ReturnURL == nil)
	if err := probs.Err(); err != nil {
		return err
	}
	res, err := a.Portal.AddPaymentMethod(r.Context(), who, portal.AddMethod{ConfirmationTokenID: *body.ConfirmationTokenID,
		SetDefault: *body.SetDefault, ReturnURL: *body.ReturnURL})
	if err != nil {
		return err
	}
	writeMethodAdded(w, res)
	return nil
}

func (a *API) customerPaymentMethodConfirm(w http.ResponseWriter, r *http.Request, who *portal.Signed) error {
	var body struct {
		SetupIntentID *string `json:"setup_intent_id"`
		SetDefault    *bool   `json:"set_default"`
	}
	if err := Decode(r, &body); err != nil {
		return err
	}
	var probs paylink.Problems
	required(&probs, "setup_intent_id", body.SetupIntentID == nil)
	required(&probs, "set_default", body.SetDefault == nil)
	if err := probs.Err(); err != nil {
		return err
	}
	res, err := a.Portal.ConfirmPaymentMethod(r.Context(), who, *body.SetupIntentID, *body.SetDefault)
	if err != nil {
		return err
	}
	writeMethodAdded(w, res)
	return nil
}

func (a *API) customerPaymentMethodDelete(w http.ResponseWriter, r *http.Request, who *portal.Signed) error {
	id, err := pathID(r, "id", "payment method")
	if err != nil {
		return err
	}
	if err := a.Portal.DeletePaymentMethod(r.Context(), who, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// required adds Pydantic's "Field required" at the body's field when missing.
func required(probs *paylink.Problems, field string, missing bool) {
	if missing {
		*probs = append(*probs, paylink.FieldError{Loc: []any{"body", field}, Msg: "Field required", Type: "missing"})
	}
}
