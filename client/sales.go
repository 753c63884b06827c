package client

import (
	"context"
	"net/http"
	"time"
)

// Customer is Polar's Customer. ExternalID is the merchant's own id of the
// customer (its user id), when set.
type Customer struct {
	ID             string     `json:"id"`
	CreatedAt      time.Time  `json:"created_at"`
	ModifiedAt     *time.Time `json:"modified_at"`
	OrganizationID string     `json:"organization_id"`
	Email          string     `json:"email"`
	Name           *string    `json:"name"`
	ExternalID     *string    `json:"external_id"`
	BillingAddress *Address   `json:"billing_address"`
	AvatarURL      string     `json:"avatar_url"`
	Metadata       Metadata   `json:"metadata"`
	DeletedAt      *time.Time `json:"deleted_at"`
}

// CustomerCreate is POST /v1/customers/.
type CustomerCreate struct {
	Email          string   `json:"email"`
	Name           *string  `json:"name,omitempty"`
	ExternalID     *string  `json:"external_id,omitempty"`
	BillingAddress *Address `json:"billing_address,omitempty"`
	Metadata       Metadata `json:"metadata,omitempty"`
}

// CustomerUpdate is PATCH /v1/customers/{id}: nil fields stay as they are; an
// external id once set cannot change.
type CustomerUpdate struct {
	Email          *string  `json:"email,omitempty"`
	Name           *string  `json:"name,omitempty"`
	ExternalID     *string  `json:"external_id,omitempty"`
	BillingAddress *Address `json:"billing_address,omitempty"`
	Metadata       Metadata `json:"metadata,omitempty"`
}

// CustomerState is the customer with what they have now.
type CustomerState struct {
	Customer
	ActiveSubscriptions []Subscription `json:"active_subscriptions"`
}

// Customers lists the organization's live customers (filters: "email", "query").
func (c *Client) Customers(ctx context.Context, o *ListOptions) (*List[Customer], error) {
	return list[Customer](ctx, c, "/v1/customers/", o)
}

// Customer gets a customer by paylink's id.
func (c *Client) Customer(ctx context.Context, id string) (*Customer, error) {
	return get[Customer](ctx, c, "/v1/customers/"+esc(id), nil)
}

// CustomerByExternalID gets the customer holding the merchant's externalID.
func (c *Client) CustomerByExternalID(ctx context.Context, externalID string) (*Customer, error) {
	return get[Customer](ctx, c, "/v1/customers/external/"+esc(externalID), nil)
}

// CreateCustomer creates a customer.
func (c *Client) CreateCustomer(ctx context.Context, in *CustomerCreate) (*Customer, error) {
	return send[Customer](ctx, c, http.MethodPost, "/v1/customers/", in)
}

// UpdateCustomer changes a customer.
func (c *Client) UpdateCustomer(ctx context.Context, id string, in *CustomerUpdate) (*Customer, error) {
	return send[Customer](ctx, c, http.MethodPatch, "/v1/customers/"+esc(id), in)
}

// DeleteCustomer deletes a customer: its active subscriptions are revoked and
// its orders keep it.
func (c *Client) DeleteCustomer(ctx context.Context, id string) error {
	return c.Do(ctx, http.MethodDelete, "/v1/customers/"+esc(id), nil, nil, nil)
}

// CustomerState is the customer with its active subscriptions.
func (c *Client) CustomerState(ctx context.Context, id string) (*CustomerState, error) {
	return get[CustomerState](ctx, c, "/v1/customers/"+esc(id)+"/state", nil)
}

// CustomerStateByExternalID is CustomerState of the customer holding externalID.
func (c *Client) CustomerStateByExternalID(ctx context.Context, externalID string) (*CustomerState, error) {
	return get[CustomerState](ctx, c, "/v1/customers/external/"+esc(externalID)+"/state", nil)
}

// CustomerSession is a customer's portal session: Token authenticates the
// customer-portal API, CustomerPortalURL signs them in to the portal page.
type CustomerSession struct {
	ID                string    `json:"id"`
	Token             string    `json:"token"`
	ExpiresAt         time.Time `json:"expires_at"`
	ReturnURL         *string   `json:"return_url"`
	CustomerPortalURL string    `json:"customer_portal_url"`
	CustomerID        string    `json:"customer_id"`
	Customer          Customer  `json:"customer"`
}

// CustomerSessionCreate names the customer by CustomerID or ExternalCustomerID.
type CustomerSessionCreate struct {
	CustomerID         *string `json:"customer_id,omitempty"`
	ExternalCustomerID *string `json:"external_customer_id,omitempty"`
	ReturnURL          *string `json:"return_url,omitempty"`
}

// CreateCustomerSession opens a portal session for a customer.
func (c *Client) CreateCustomerSession(ctx context.Context, in *CustomerSessionCreate) (*CustomerSession, error) {
	return send[CustomerSession](ctx, c, http.MethodPost, "/v1/customer-sessions/", in)
}

// Order is Polar's Order: a paid purchase or renewal. Amounts are minor units
// of Currency.
type Order struct {
	ID               string         `json:"id"`
	CreatedAt        time.Time      `json:"created_at"`
	Status           string         `json:"status"` // "paid", "partially_refunded" or "refunded"
	Paid             bool           `json:"paid"`
	BillingReason    string         `json:"billing_reason"`
	SubtotalAmount   int64          `json:"subtotal_amount"`
	DiscountAmount   int64          `json:"discount_amount"`
	NetAmount        int64          `json:"net_amount"`
	TaxAmount        int64          `json:"tax_amount"`
	TotalAmount      int64          `json:"total_amount"`
	RefundedAmount   int64          `json:"refunded_amount"`
	RefundableAmount int64          `json:"refundable_amount"`
	Currency         string         `json:"currency"`
	ReceiptNumber    *string        `json:"receipt_number"`
	CustomerID       string         `json:"customer_id"`
	Customer         Customer       `json:"customer"`
	ProductID        string         `json:"product_id"`
	Product          *Product       `json:"product"`
	DiscountID       *string        `json:"discount_id"`
	SubscriptionID   *string        `json:"subscription_id"`
	CheckoutID       *string        `json:"checkout_id"`
	CheckoutLinkID   *string        `json:"checkout_link_id"`
	Metadata         Metadata       `json:"metadata"`
	CustomFieldData  map[string]any `json:"custom_field_data"`
}

// Orders lists the organization's orders (filters: "product_id",
// "customer_id", "external_customer_id", "checkout_id", "discount_id").
func (c *Client) Orders(ctx context.Context, o *ListOptions) (*List[Order], error) {
	return list[Order](ctx, c, "/v1/orders/", o)
}

// Order gets one order.
func (c *Client) Order(ctx context.Context, id string) (*Order, error) {
	return get[Order](ctx, c, "/v1/orders/"+esc(id), nil)
}

// Subscription is Polar's Subscription.
type Subscription struct {
	ID                 string     `json:"id"`
	CreatedAt          time.Time  `json:"created_at"`
	Status             string     `json:"status"` // "active", "canceled", …
	Amount             int64      `json:"amount"`
	Currency           string     `json:"currency"`
	RecurringInterval  string     `json:"recurring_interval"`
	CurrentPeriodStart time.Time  `json:"current_period_start"`
	CurrentPeriodEnd   *time.Time `json:"current_period_end"`
	CancelAtPeriodEnd  bool       `json:"cancel_at_period_end"`
	CanceledAt         *time.Time `json:"canceled_at"`
	StartedAt          *time.Time `json:"started_at"`
	EndsAt             *time.Time `json:"ends_at"`
	EndedAt            *time.Time `json:"ended_at"`
	CustomerID         string     `json:"customer_id"`
	ProductID          string     `json:"product_id"`
	DiscountID         *string    `json:"discount_id"`
	CheckoutID         *string    `json:"checkout_id"`
	CheckoutLinkID     *string    `json:"checkout_link_id"`
	Metadata           Metadata   `json:"metadata"`
}

// SubscriptionCancel is PATCH /v1/subscriptions/{id} without revoking: cancel
// at the period's end (true) or take the cancellation back (false).
type SubscriptionCancel struct {
	CancelAtPeriodEnd           bool    `json:"cancel_at_period_end"`
	CustomerCancellationReason  *string `json:"customer_cancellation_reason,omitempty"`
	CustomerCancellationComment *string `json:"customer_cancellation_comment,omitempty"`
}

// Subscriptions lists the organization's subscriptions (filters: "product_id",
// "customer_id", "external_customer_id", "active").
func (c *Client) Subscriptions(ctx context.Context, o *ListOptions) (*List[Subscription], error) {
	return list[Subscription](ctx, c, "/v1/subscriptions/", o)
}

// Subscription gets one subscription.
func (c *Client) Subscription(ctx context.Context, id string) (*Subscription, error) {
	return get[Subscription](ctx, c, "/v1/subscriptions/"+esc(id), nil)
}

// CancelSubscription cancels a subscription at its period's end, or takes that back.
func (c *Client) CancelSubscription(ctx context.Context, id string, in *SubscriptionCancel) (*Subscription, error) {
	return send[Subscription](ctx, c, http.MethodPatch, "/v1/subscriptions/"+esc(id), in)
}

// RevokeSubscription ends a subscription now (DELETE /v1/subscriptions/{id}).
func (c *Client) RevokeSubscription(ctx context.Context, id string) (*Subscription, error) {
	return send[Subscription](ctx, c, http.MethodDelete, "/v1/subscriptions/"+esc(id), nil)
}

// Refund is Polar's Refund.
type Refund struct {
	ID             string    `json:"id"`
	CreatedAt      time.Time `json:"created_at"`
	OrganizationID string    `json:"organization_id"`
	Status         string    `json:"status"` // "pending", "succeeded", "failed" or "canceled"
	Reason         string    `json:"reason"`
	Amount         int64     `json:"amount"`
	TaxAmount      int64     `json:"tax_amount"`
	Currency       string    `json:"currency"`
	OrderID        string    `json:"order_id"`
	SubscriptionID *string   `json:"subscription_id"`
	CustomerID     string    `json:"customer_id"`
	RevokeBenefits bool      `json:"revoke_benefits"`
	Metadata       Metadata  `json:"metadata"`
}

// RefundCreate is POST /v1/refunds/: Amount (minor units) of the order's
// refundable amount back to the customer.
type RefundCreate struct {
	OrderID        string   `json:"order_id"`
	Reason         string   `json:"reason"` // "customer_request", "duplicate", "fraudulent", …
	Amount         int64    `json:"amount"`
	Comment        *string  `json:"comment,omitempty"`
	RevokeBenefits bool     `json:"revoke_benefits,omitempty"`
	Metadata       Metadata `json:"metadata,omitempty"`
}

// Refunds lists the organization's refunds (filters: "order_id", "customer_id").
func (c *Client) Refunds(ctx context.Context, o *ListOptions) (*List[Refund], error) {
	return list[Refund](ctx, c, "/v1/refunds/", o)
}

// CreateRefund refunds (part of) an order.
func (c *Client) CreateRefund(ctx context.Context, in *RefundCreate) (*Refund, error) {
	return send[Refund](ctx, c, http.MethodPost, "/v1/refunds/", in)
}
