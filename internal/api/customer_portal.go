package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/portal"
	"github.com/paylink/paylink/internal/store"
)

// customerHandler is a customer-portal API handler, called with the customer's
// session; a returned error is written by WriteError.
type customerHandler func(w http.ResponseWriter, r *http.Request, who *portal.Signed) error

// customerAuthed wraps h with customer-session authentication: the Bearer token
// must be a live customer session token (POST /v1/customer-sessions/). Anything
// else, an organization access token included, is 401, as Polar answers.
func (a *API) customerAuthed(h customerHandler) http.HandlerFunc {
	return a.limited(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		var err error
		if token = strings.TrimSpace(token); !ok || token == "" {
			err = paylink.Errorf(paylink.EUnauthorized, "missing bearer token")
		} else {
			var who *portal.Signed
			if who, err = a.Portal.Authenticate(r.Context(), token); err == nil {
				err = h(w, r, who)
			}
		}
		if err != nil {
			WriteError(w, r, a.Log, err)
		}
	})
}

// customerOrderSortColumns maps Polar's CustomerOrderSortProperty to columns.
var customerOrderSortColumns = map[string]string{"created_at": "created_at", "amount": "net_amount",
	"net_amount": "net_amount", "product": orderSortColumns["product"], "subscription": "subscription_id"}

func (a *API) customerOrderList(w http.ResponseWriter, r *http.Request, who *portal.Signed) error {
	var probs paylink.Problems
	q := r.URL.Query()
	page, list := parseList(r, &probs, customerOrderSortColumns, "")
	params := store.OrderListParams{OrganizationID: who.Org.ID, CustomerIDs: []string{who.Customer.ID},
		ProductQuery: strings.TrimSpace(q.Get("query")), ListParams: list}
	for name, dst := range map[string]*[]string{"product_id": &params.ProductIDs, "subscription_id": &params.SubscriptionIDs} {
		v, err := QueryIDs(r, name)
		mergeProblems(&probs, err)
		*dst = lowerAll(v)
	}
	for _, t := range queryList(q, "product_billing_type") {
		switch t {
		case "one_time":
			params.BillingReasons = append(params.BillingReasons, paylink.BillingPurchase)
		case "recurring":
			params.BillingReasons = append(params.BillingReasons, paylink.BillingSubscriptionCreate, paylink.BillingSubscriptionCycle)
		default:
			probs.Add("must be one_time or recurring", t, "query", "product_billing_type")
		}
	}
	if err := probs.Err(); err != nil {
		return err
	}
	return writeList(a, w, r, page, false,
		func(tx *store.Tx) ([]*paylink.Order, int, error) { return tx.OrderList(r.Context(), params) },
		func(l *loader, o *paylink.Order) (any, error) { return l.customerOrderJSON(o, who.Org) })
}

func (a *API) customerOrderGet(w http.ResponseWriter, r *http.Request, who *portal.Signed) error {
	id, err := pathID(r, "id", "order")
	if err != nil {
		return err
	}
	return writeOne(a, w, r,
		func(tx *store.Tx) (*paylink.Order, error) { return portal.CustomerOrder(r.Context(), tx, who, id) },
		func(l *loader, o *paylink.Order) (any, error) { return l.customerOrderJSON(o, who.Org) })
}

// customerOrderReceipt is GET /v1/customer-portal/orders/{id}/receipt: Polar's
// CustomerOrderReceipt, whose url is the order's printable receipt page.
func (a *API) customerOrderReceipt(w http.ResponseWriter, r *http.Request, who *portal.Signed) error {
	id, err := pathID(r, "id", "order")
	if err != nil {
		return err
	}
	var o *paylink.Order
	if err := a.read(r.Context(), func(tx *store.Tx) error {
		o, err = portal.CustomerOrder(r.Context(), tx, who, id)
		return err
	}); err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, map[string]string{"url": a.PublicURL + portal.ReceiptPath(o)})
	return nil
}

// customerSubscriptionSortColumns maps Polar's CustomerSubscriptionSortProperty
// to columns; a customer's subscriptions are all of one organization.
var customerSubscriptionSortColumns = map[string]string{"started_at": "started_at", "amount": "amount",
	"status": "status", "organization": "organization_id", "product": subscriptionSortColumns["product"]}

func (a *API) customerSubscriptionList(w http.ResponseWriter, r *http.Request, who *portal.Signed) error {
	var probs paylink.Problems
	q := r.URL.Query()
	page, list := parseList(r, &probs, customerSubscriptionSortColumns, "started_at DESC, id")
	params := store.SubscriptionListParams{OrganizationID: who.Org.ID, CustomerIDs: []string{who.Customer.ID},
		Active: queryBool(q, "active", &probs), ProductQuery: strings.TrimSpace(q.Get("query")), ListParams: list}
	v, err := QueryIDs(r, "product_id")
	mergeProblems(&probs, err)
	params.ProductIDs = lowerAll(v)
	if err := probs.Err(); err != nil {
		return err
	}
	return writeList(a, w, r, page, false,
		func(tx *store.Tx) ([]*paylink.Subscription, int, error) {
			return tx.SubscriptionList(r.Context(), params)
		},
		func(l *loader, s *paylink.Subscription) (any, error) { return l.customerSubscriptionJSON(s, who.Org) })
}

func (a *API) customerSubscriptionGet(w http.ResponseWriter, r *http.Request, who *portal.Signed) error {
	id, err := pathID(r, "id", "subscription")
	if err != nil {
		return err
	}
	return a.writeCustomerSubscription(w, r, who, id)
}

func (a *API) writeCustomerSubscription(w http.ResponseWriter, r *http.Request, who *portal.Signed, id string) error {
	return writeOne(a, w, r,
		func(tx *store.Tx) (*paylink.Subscription, error) {
			return portal.CustomerSubscription(r.Context(), tx, who, id)
		},
		func(l *loader, s *paylink.Subscription) (any, error) { return l.customerSubscriptionJSON(s, who.Org) })
}

// customerSubscriptionCancel is DELETE /v1/customer-portal/subscriptions/{id}:
// cancel at the end of the period, as Polar does.
func (a *API) customerSubscriptionCancel(w http.ResponseWriter, r *http.Request, who *portal.Signed) error {
	id, err := pathID(r, "id", "subscription")
	if err != nil {
		return err
	}
	if _, err := a.Portal.Cancel(r.Context(), who, id, nil, nil); err != nil {
		return err
	}
	return a.writeCustomerSubscription(w, r, who, id)
}

// customerSubscriptionUpdateBody is Polar's CustomerSubscriptionCancel, the one
// CustomerSubscriptionUpdate paylink has; the other kinds' fields are refused.
type customerSubscriptionUpdateBody struct {
	CancelAtPeriodEnd   *bool   `json:"cancel_at_period_end"`
	CancellationReason  *string `json:"cancellation_reason"`
	CancellationComment *string `json:"cancellation_comment"`
	ProductID           any     `json:"product_id"`
	Seats               any     `json:"seats"`
	PauseAtPeriodEnd    any     `json:"pause_at_period_end"`
	Resume              any     `json:"resume"`
	ClearPendingUpdate  any     `json:"clear_pending_update"`
}

// customerSubscriptionUpdate is PATCH /v1/customer-portal/subscriptions/{id}:
// cancel_at_period_end true cancels at period end (with the customer's reason
// and comment), false resumes; without it nothing changes.
func (a *API) customerSubscriptionUpdate(w http.ResponseWriter, r *http.Request, who *portal.Signed) error {
	id, err := pathID(r, "id", "subscription")
	if err != nil {
		return err
	}
	var body customerSubscriptionUpdateBody
	if err := Decode(r, &body); err != nil {
		return err
	}
	var probs paylink.Problems
	for _, f := range []struct {
		name, msg string
		v         any
	}{
		{"product_id", "changing the product of a subscription is not supported", body.ProductID},
		{"seats", "seats are not supported", body.Seats},
		{"pause_at_period_end", "pausing a subscription is not supported", body.PauseAtPeriodEnd},
		{"resume", "pausing a subscription is not supported", body.Resume},
		{"clear_pending_update", "subscriptions have no pending updates", body.ClearPendingUpdate},
	} {
		if f.v != nil {
			probs.Add(f.msg, f.v, "body", f.name)
		}
	}
	if body.CancellationReason != nil && !slices.Contains(paylink.CancellationReasons, *body.CancellationReason) {
		probs.Add("must be one of "+strings.Join(paylink.CancellationReasons, ", "), *body.CancellationReason, "body", "cancellation_reason")
	}
	if err := probs.Err(); err != nil {
		return err
	}
	switch {
	case body.CancelAtPeriodEnd == nil:
	case *body.CancelAtPeriodEnd:
		_, err = a.Portal.Cancel(r.Context(), who, id, body.CancellationReason, body.CancellationComment)
	default:
		_, err = a.Portal.Uncancel(r.Context(), who, id)
	}
	if err != nil {
		return err
	}
	return a.writeCustomerSubscription(w, r, who, id)
}
