package api

import (
	"net/http"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/customers"
	"github.com/paylink/paylink/internal/store"
)

// customerBody is Polar's CustomerCreate and CustomerUpdate: the fields paylink
// keeps (tax ids, locales and owners of team customers are not paylink features
// and are ignored, as Polar ignores fields it does not know).
type customerBody struct {
	Email          Opt[string]         `json:"email"`
	Name           Opt[string]         `json:"name"`
	ExternalID     Opt[string]         `json:"external_id"`
	BillingAddress Opt[addressBody]    `json:"billing_address"`
	Metadata       Opt[map[string]any] `json:"metadata"`
}

func (b customerBody) input() paylink.CustomerInput {
	in := paylink.CustomerInput{Name: b.Name.Ptr(), NameSet: b.Name.Set, ExternalID: b.ExternalID.Ptr(),
		ExternalIDSet: b.ExternalID.Set, BillingCountrySet: b.BillingAddress.Set}
	if b.Email.Set && !b.Email.Null {
		email := strings.TrimSpace(b.Email.Value)
		in.Email = &email
	}
	if a := b.BillingAddress.Ptr(); a != nil {
		in.BillingCountry = a.Country
	}
	if b.Metadata.Set {
		in.Metadata = b.Metadata.Value
		if in.Metadata == nil {
			in.Metadata = map[string]any{}
		}
	}
	return in
}

// customerRef reads the customer a path names: {id}, or {external_id} under
// /v1/customers/external/.
func customerRef(r *http.Request) (customers.Ref, error) {
	if ext := r.PathValue("external_id"); ext != "" || strings.HasPrefix(r.URL.Path, "/v1/customers/external/") {
		if ext == "" {
			return customers.Ref{}, paylink.NotFound("customer")
		}
		return customers.Ref{ExternalID: ext}, nil
	}
	id, err := pathID(r, "id", "customer")
	return customers.Ref{ID: id}, err
}

// loadCustomer reads the live customer ref names; ENotFound otherwise.
func loadCustomer(r *http.Request, tx *store.Tx, orgID string, ref customers.Ref) (*paylink.Customer, error) {
	id := ref.ID
	if ref.ExternalID != "" {
		var err error
		if id, err = tx.CustomerIDByExternalID(r.Context(), orgID, ref.ExternalID); err != nil {
			return nil, err
		}
	}
	c, err := tx.CustomerGet(r.Context(), orgID, id)
	if err == nil && c.DeletedAt != nil {
		return nil, paylink.NotFound("customer")
	}
	return c, err
}

func (a *API) customerCreate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var b customerBody
	if err := Decode(r, &b); err != nil {
		return err
	}
	c, err := a.Customers.Create(r.Context(), p.OrgID, b.input())
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, CustomerJSON(c))
	return nil
}

func (a *API) customerUpdate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	ref, err := customerRef(r)
	if err != nil {
		return err
	}
	var b customerBody
	if err := Decode(r, &b); err != nil {
		return err
	}
	if b.Email.Set && b.Email.Null {
		return paylink.Invalid(paylink.FieldInvalid("a customer's email address cannot be removed", nil, "body", "email"))
	}
	c, err := a.Customers.Update(r.Context(), p.OrgID, ref, b.input())
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, CustomerJSON(c))
	return nil
}

func (a *API) customerDelete(w http.ResponseWriter, r *http.Request, p *Principal) error {
	ref, err := customerRef(r)
	if err != nil {
		return err
	}
	if err := a.Customers.Delete(r.Context(), p.OrgID, ref); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
