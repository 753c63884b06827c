// Package portal is the one home of the customer's own access to paylink: it
// issues and checks customer sessions (the merchant API's POST
// /v1/customer-sessions/ and the portal's emailed sign-in codes) and lets a
// signed-in customer act on their own subscriptions. The customer-portal API and
// the portal pages both call it; a session sees only its customer's data of its
// organization.
package portal

import (
	"context"
	"net/url"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/store"
)

// Lifetimes of customer sessions.
const (
	// APISessionTTL is how long a session made by the merchant's API lives, as
	// Polar's CUSTOMER_SESSION_TTL.
	APISessionTTL = time.Hour
	// PortalSessionTTL is how long a portal sign-in (the cookie) lives.
	PortalSessionTTL = 24 * time.Hour
)

// Service issues and checks customer sessions and sign-in codes.
type Service struct {
	Store     *store.Store
	PublicURL string        // the portal URLs' base, no trailing slash
	Now       paylink.Clock // nil: paylink.Now

	// SendCode delivers a sign-in code to a customer, inside the transaction
	// that stores the code (so an email job commits with it, or neither does).
	// It is called only for an email that is one of the organization's
	// customers. Until it is set, RequestCode answers ENotImplemented. The lead
	// wires it to internal/mail's Queue; tests capture the code with it.
	SendCode func(ctx context.Context, tx *store.Tx, org *paylink.Organization, email, code string) error

	// Subscriptions cancels and resumes subscriptions; nil until internal/subscriptions
	// is wired in, and then the portal offers no cancel or resume (ENotImplemented).
	Subscriptions Subscriptions

	// Methods saves the customers' payment methods (the processor: the sandbox
	// or Stripe); nil, and the portal offers no "Update payment method".
	Methods payment.Methods
}

func (s *Service) now() time.Time { return s.Now.Read() }

// Signed is a customer's live session with what it grants access to.
type Signed struct {
	Session  *store.CustomerSession
	Customer *paylink.Customer
	Org      *paylink.Organization
}

// CreateSession is POST /v1/customer-sessions/: a session of one of orgID's
// customers for the API (APISessionTTL), with the token in plain text (shown
// once; the store keeps its hash). An unknown customer, or another
// organization's, is EInvalid at ["body","customer_id"] (at
// ["body","external_customer_id"] when named by its external id), as Polar
// answers; a return URL that is no absolute http(s) URL at ["body","return_url"].
func (s *Service) CreateSession(ctx context.Context, orgID string, who Customer, returnURL *string) (string, *Signed, error) {
	if returnURL != nil {
		if msg := paylink.ValidateRedirectURL(*returnURL); msg != "" {
			return "", nil, paylink.Invalid(paylink.FieldInvalid(msg, *returnURL, "body", "return_url"))
		}
	}
	var out *Signed
	token := paylink.NewSecret(paylink.PrefixCustomerToken)
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		id, field, value := who.ID, "customer_id", who.ID
		if who.ID == "" {
			field, value = "external_customer_id", who.ExternalID
			var err error
			if id, err = tx.CustomerIDByExternalID(ctx, orgID, who.ExternalID); paylink.IsCode(err, paylink.ENotFound) {
				return paylink.Invalid(paylink.FieldInvalid("Customer does not exist.", value, "body", field))
			} else if err != nil {
				return err
			}
		}
		cust, err := tx.CustomerGet(ctx, orgID, id)
		if paylink.IsCode(err, paylink.ENotFound) {
			return paylink.Invalid(paylink.FieldInvalid("Customer does not exist.", value, "body", field))
		}
		if err != nil {
			return err
		}
		out, err = s.startSession(ctx, tx, cust, token, APISessionTTL, returnURL)
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return token, out, nil
}

// Customer names the customer of a session: by paylink's ID or, when ID is
// empty, by the merchant's ExternalID (as better-auth opens its portal).
type Customer struct {
	ID         string
	ExternalID string
}

// startSession stores a session of cust under token, living ttl.
func (s *Service) startSession(ctx context.Context, tx *store.Tx, cust *paylink.Customer, token string, ttl time.Duration, returnURL *string) (*Signed, error) {
	org, err := tx.OrganizationGet(ctx, cust.OrganizationID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	sess := &store.CustomerSession{OrganizationID: cust.OrganizationID, CustomerID: cust.ID,
		CSRF: paylink.NewSecret(""), ReturnURL: returnURL, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := tx.CustomerSessionCreate(ctx, sess, token); err != nil {
		return nil, err
	}
	return &Signed{Session: sess, Customer: cust, Org: org}, nil
}

// Authenticate returns the live session of token with its customer and
// organization; EUnauthorized for an unknown or expired token.
func (s *Service) Authenticate(ctx context.Context, token string) (*Signed, error) {
	out := &Signed{}
	err := s.Store.Read(ctx, func(tx *store.Tx) error {
		var err error
		if out.Session, err = tx.CustomerSessionByToken(ctx, token, s.now()); err != nil {
			return err
		}
		if out.Customer, err = tx.CustomerGet(ctx, out.Session.OrganizationID, out.Session.CustomerID); err != nil {
			return err
		}
		out.Org, err = tx.OrganizationGet(ctx, out.Session.OrganizationID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Exchange signs a browser in with a session token of the API (the
// customer_portal_url's customer_session_token): a new portal session of the
// same customer, so the API's token need not live in a cookie or the address
// bar. EUnauthorized for an unknown or expired token, or one of another
// organization than orgID.
func (s *Service) Exchange(ctx context.Context, orgID, apiToken string) (string, *Signed, error) {
	token := paylink.NewSecret(paylink.PrefixCustomerToken)
	var out *Signed
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		sess, err := tx.CustomerSessionByToken(ctx, apiToken, s.now())
		if err != nil {
			return err
		}
		if sess.OrganizationID != orgID {
			return paylink.Errorf(paylink.EUnauthorized, "invalid or expired customer session token")
		}
		cust, err := tx.CustomerGet(ctx, orgID, sess.CustomerID)
		if err != nil {
			return err
		}
		out, err = s.startSession(ctx, tx, cust, token, PortalSessionTTL, sess.ReturnURL)
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return token, out, nil
}

// SignOut ends the session of token; ending an unknown one is not an error.
func (s *Service) SignOut(ctx context.Context, token string) error {
	return s.Store.InTx(ctx, func(tx *store.Tx) error { return tx.CustomerSessionDelete(ctx, token, s.now()) })
}

// PortalPath is the path of an organization's portal.
func PortalPath(slug string) string { return "/portal/" + url.PathEscape(slug) }

// PortalURL is the customer_portal_url of a session made by the API: the
// organization's portal, signing the browser in with token.
func (s *Service) PortalURL(slug, token string) string {
	return s.PublicURL + PortalPath(slug) + "?" + url.Values{"customer_session_token": {token}}.Encode()
}

// ReceiptPath is the address of an order's receipt page: its receipt token is
// the only key, so the success page, an email, the portal and the API can all
// link to it.
func ReceiptPath(o *paylink.Order) string { return "/receipts/" + o.ReceiptToken }
