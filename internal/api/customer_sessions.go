package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/portal"
)

// customerSessionJSON is Polar's CustomerSession.
type customerSessionJSON struct {
	CreatedAt         time.Time    `json:"created_at"`
	ModifiedAt        *time.Time   `json:"modified_at"`
	ID                string       `json:"id"`
	Token             string       `json:"token"`
	ExpiresAt         time.Time    `json:"expires_at"`
	ReturnURL         *string      `json:"return_url"`
	CustomerPortalURL string       `json:"customer_portal_url"`
	CustomerID        string       `json:"customer_id"`
	Customer          customerJSON `json:"customer"`
}

// customerSessionCreate is Polar's CustomerSessionCustomerIDCreate or
// CustomerSessionCustomerExternalIDCreate.
type customerSessionCreate struct {
	CustomerID         *string `json:"customer_id"`
	ExternalCustomerID *string `json:"external_customer_id"`
	MemberID           *string `json:"member_id"`
	ExternalMemberID   *string `json:"external_member_id"`
	ReturnURL          *string `json:"return_url"`
}

// customerSessionCreate is POST /v1/customer-sessions/: a session token that
// lets the customer (and the SDK's customerPortal calls) see their own orders
// and subscriptions, and the portal URL that signs them in with it.
func (a *API) customerSessionCreate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var body customerSessionCreate
	if err := Decode(r, &body); err != nil {
		return err
	}
	var probs paylink.Problems
	// paylink's customers have no members.
	for _, f := range []struct {
		name string
		v    *string
	}{{"member_id", body.MemberID}, {"external_member_id", body.ExternalMemberID}} {
		if f.v != nil {
			probs.Add("customer members are not supported; create the session with customer_id", *f.v, "body", f.name)
		}
	}
	var who portal.Customer
	switch {
	case body.CustomerID != nil && !paylink.ValidID(*body.CustomerID):
		probs.Add("Customer does not exist.", *body.CustomerID, "body", "customer_id")
	case body.CustomerID != nil:
		who.ID = strings.ToLower(*body.CustomerID)
	case body.ExternalCustomerID != nil && *body.ExternalCustomerID != "":
		who.ExternalID = *body.ExternalCustomerID
	case body.ExternalCustomerID != nil:
		probs.Add("Customer does not exist.", *body.ExternalCustomerID, "body", "external_customer_id")
	default:
		probs.Add("Field required", nil, "body", "customer_id")
	}
	if err := probs.Err(); err != nil {
		return err
	}
	token, signed, err := a.Portal.CreateSession(r.Context(), p.OrgID, who, body.ReturnURL)
	if err != nil {
		return err
	}
	sess := signed.Session
	WriteJSON(w, http.StatusCreated, customerSessionJSON{CreatedAt: sess.CreatedAt, ID: sess.ID, Token: token,
		ExpiresAt: sess.ExpiresAt, ReturnURL: sess.ReturnURL, CustomerPortalURL: a.Portal.PortalURL(signed.Org.Slug, token),
		CustomerID: signed.Customer.ID, Customer: customerOf(signed.Customer)})
	return nil
}

// customerSessionIntrospect is GET /v1/customer-portal/customer-session/introspect:
// Polar's CustomerCustomerSession, when the caller's session ends.
func (a *API) customerSessionIntrospect(w http.ResponseWriter, _ *http.Request, who *portal.Signed) error {
	WriteJSON(w, http.StatusOK, map[string]any{"expires_at": who.Session.ExpiresAt, "return_url": who.Session.ReturnURL})
	return nil
}

// customerSessionUser is GET /v1/customer-portal/customer-session/user: Polar's
// PortalAuthenticatedUser, the customer the session is of.
func (a *API) customerSessionUser(w http.ResponseWriter, _ *http.Request, who *portal.Signed) error {
	WriteJSON(w, http.StatusOK, map[string]any{"type": "customer", "name": who.Customer.Name,
		"email": who.Customer.Email, "customer_id": who.Customer.ID})
	return nil
}
