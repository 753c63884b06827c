package api

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// subscriptionBaseJSON is Polar's OrderSubscription, the subscription embedded in
// an order; Subscription adds what it embeds. Trials, meters, seats and pausing
// are not paylink features: null or false.
type subscriptionBaseJSON struct {
	Metadata                    paylink.Metadata `json:"metadata"`
	CreatedAt                   time.Time        `json:"created_at"`
	ModifiedAt                  *time.Time       `json:"modified_at"`
	ID                          string           `json:"id"`
	Amount                      int64            `json:"amount"`
	Currency                    string           `json:"currency"`
	RecurringInterval           string           `json:"recurring_interval"`
	RecurringIntervalCount      int              `json:"recurring_interval_count"`
	Status                      string           `json:"status"`
	CurrentPeriodStart          time.Time        `json:"current_period_start"`
	CurrentPeriodEnd            time.Time        `json:"current_period_end"`
	CurrentMeterPeriodStart     *time.Time       `json:"current_meter_period_start"`
	CurrentMeterPeriodEnd       *time.Time       `json:"current_meter_period_end"`
	TrialStart                  *time.Time       `json:"trial_start"`
	TrialEnd                    *time.Time       `json:"trial_end"`
	CancelAtPeriodEnd           bool             `json:"cancel_at_period_end"`
	CanceledAt                  *time.Time       `json:"canceled_at"`
	StartedAt                   *time.Time       `json:"started_at"`
	EndsAt                      *time.Time       `json:"ends_at"`
	EndedAt                     *time.Time       `json:"ended_at"`
	PastDueAt                   *time.Time       `json:"past_due_at"`
	PauseAtPeriodEnd            bool             `json:"pause_at_period_end"`
	PausedAt                    *time.Time       `json:"paused_at"`
	ResumesAt                   *time.Time       `json:"resumes_at"`
	CustomerID                  string           `json:"customer_id"`
	ProductID                   string           `json:"product_id"`
	DiscountID                  *string          `json:"discount_id"`
	CheckoutID                  *string          `json:"checkout_id"`
	CustomerCancellationReason  *string          `json:"customer_cancellation_reason"`
	CustomerCancellationComment *string          `json:"customer_cancellation_comment"`
	CustomFieldData             map[string]any   `json:"custom_field_data"`
	CheckoutLinkID              *string          `json:"checkout_link_id"` // ours: attribution
	Units                       *int64           `json:"units"`            // SDK 1.x; no unit pricing
}

// subscriptionJSON is Polar's Subscription.
type subscriptionJSON struct {
	subscriptionBaseJSON
	Customer      customerJSON `json:"customer"`
	Product       any          `json:"product"`
	Discount      any          `json:"discount"`
	Prices        []any        `json:"prices"`
	Meters        []any        `json:"meters"`
	PendingUpdate any          `json:"pending_update"`
}

func subscriptionBase(s *paylink.Subscription) subscriptionBaseJSON {
	started := s.StartedAt
	out := subscriptionBaseJSON{Metadata: s.Metadata, CreatedAt: s.CreatedAt, ModifiedAt: s.ModifiedAt, ID: s.ID,
		Amount: s.Amount, Currency: s.Currency, RecurringInterval: s.RecurringInterval,
		RecurringIntervalCount: s.IntervalCount, Status: s.Status, CurrentPeriodStart: s.CurrentPeriodStart,
		CurrentPeriodEnd: s.CurrentPeriodEnd, CanceledAt: s.CanceledAt, StartedAt: &started, PastDueAt: s.PastDueAt,
		CustomerID: s.CustomerID, ProductID: s.ProductID, DiscountID: s.DiscountID, CheckoutID: s.CheckoutID,
		CustomFieldData: s.CustomFieldData, CheckoutLinkID: s.CheckoutLinkID, CancelAtPeriodEnd: s.CancelAtPeriodEnd,
		EndsAt: s.EndsAt, EndedAt: s.EndedAt, CustomerCancellationReason: s.CustomerCancellationReason,
		CustomerCancellationComment: s.CustomerCancellationComment}
	if out.Metadata == nil {
		out.Metadata = paylink.Metadata{}
	}
	if out.CustomFieldData == nil {
		out.CustomFieldData = map[string]any{}
	}
	return out
}

// subscriptionJSON renders a subscription with its customer, product, discount and price.
func (l *loader) subscriptionJSON(s *paylink.Subscription) (any, error) {
	cust, err := l.customer(s.OrganizationID, s.CustomerID)
	if err != nil {
		return nil, err
	}
	prod, err := l.product(s.OrganizationID, s.ProductID)
	if err != nil {
		return nil, err
	}
	pr, err := l.price(s.OrganizationID, prod, s.PriceID)
	if err != nil {
		return nil, err
	}
	d, err := l.discount(s.OrganizationID, s.DiscountID)
	if err != nil {
		return nil, err
	}
	out := subscriptionJSON{subscriptionBaseJSON: subscriptionBase(s), Customer: customerOf(cust),
		Product: ProductJSON(l.base, prod), Prices: []any{PriceJSON(prod, pr)}, Meters: []any{}}
	if d != nil {
		out.Discount = DiscountBaseJSON(d)
	}
	return out, nil
}

// subscriptionSortColumns maps Polar's SubscriptionSortProperty to columns.
var subscriptionSortColumns = map[string]string{
	"customer": "(SELECT c.email_lower FROM customers c WHERE c.id = subscriptions.customer_id)",
	"product":  "(SELECT p.name FROM products p WHERE p.id = subscriptions.product_id)",
	"discount": "(SELECT d.name FROM discounts d WHERE d.id = subscriptions.discount_id)",
	"status":   "status", "started_at": "started_at", "current_period_end": "current_period_end",
	"ended_at": "ended_at", "ends_at": "ends_at", "amount": "amount",
}

// subscriptionStatuses are the values of Polar's SubscriptionStatus; paylink's
// subscriptions are active, past_due or canceled, so the others match nothing.
var subscriptionStatuses = []string{"incomplete", "incomplete_expired", "trialing", paylink.SubscriptionActive,
	paylink.SubscriptionPastDue, paylink.SubscriptionCanceled, "unpaid", "paused"}

// queryTime reads an optional date-time query parameter (RFC 3339, or a date for
// its midnight UTC); a malformed one is a 422.
func queryTime(q url.Values, name string, probs *paylink.Problems) *time.Time {
	s := strings.TrimSpace(q.Get(name))
	if s == "" {
		return nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			t = t.UTC()
			return &t
		}
	}
	probs.Add("must be a date-time (RFC 3339, e.g. 2025-01-31T12:00:00Z) or a date", s, "query", name)
	return nil
}

func (a *API) subscriptionList(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var probs paylink.Problems
	q := r.URL.Query()
	page, list := parseList(r, &probs, subscriptionSortColumns, "started_at DESC, id")
	params := store.SubscriptionListParams{OrganizationID: p.OrgID, Active: queryBool(q, "active", &probs),
		ListParams: list}
	for name, dst := range map[string]*[]string{"product_id": &params.ProductIDs, "customer_id": &params.CustomerIDs,
		"discount_id": &params.DiscountIDs} {
		v, err := QueryIDs(r, name)
		mergeProblems(&probs, err)
		*dst = lowerAll(v)
	}
	orgIDs, err := QueryIDs(r, "organization_id")
	mergeProblems(&probs, err)
	for _, st := range queryList(q, "status") {
		if !slices.Contains(subscriptionStatuses, st) {
			probs.Add("must be one of "+strings.Join(subscriptionStatuses, ", "), st, "query", "status")
		}
		params.Statuses = append(params.Statuses, st)
	}
	params.CanceledAfter = queryTime(q, "canceled_at_after", &probs)
	params.CanceledBefore = queryTime(q, "canceled_at_before", &probs)
	params.CancelAtPeriodEnd = queryBool(q, "cancel_at_period_end", &probs)
	for _, reason := range queryList(q, "customer_cancellation_reason") {
		if !slices.Contains(paylink.CancellationReasons, reason) {
			probs.Add("must be one of "+strings.Join(paylink.CancellationReasons, ", "), reason, "query", "customer_cancellation_reason")
		}
		params.Reasons = append(params.Reasons, reason)
	}
	params.Metadata = metadataQuery(q, &probs)
	if err := probs.Err(); err != nil {
		return err
	}
	return writeList(a, w, r, page, otherOrgsOnly(orgIDs, p),
		func(tx *store.Tx) ([]*paylink.Subscription, int, error) {
			var none bool
			var err error
			if params.CustomerIDs, none, err = byExternalCustomer(r, tx, p.OrgID, params.CustomerIDs); none || err != nil {
				return nil, 0, err
			}
			return tx.SubscriptionList(r.Context(), params)
		},
		(*loader).subscriptionJSON)
}

func (a *API) subscriptionGet(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "subscription")
	if err != nil {
		return err
	}
	return writeOne(a, w, r,
		func(tx *store.Tx) (*paylink.Subscription, error) { return tx.SubscriptionGet(r.Context(), p.OrgID, id) },
		(*loader).subscriptionJSON)
}
