package mail

// The data of the notices other areas queue (refunds, subscriptions, the
// customer portal). Each is given to its kind's templates as .Data; amounts are
// minor units of Currency. Set CustomerID on the Message: it adds the portal
// link to the email.

// RefundData is a refund notice (KindRefund).
type RefundData struct {
	ProductName string
	OrderID     string
	Currency    string
	Amount      int64 // this refund
	Paid        int64 // what the order cost
	Full        bool  // the whole order is refunded now
}

// SubscriptionData is a notice about a subscription that ends
// (KindSubscriptionCanceled: it ends at EndsAt; KindSubscriptionEnded: it has
// ended, on EndsAt).
type SubscriptionData struct {
	ProductName string
	EndsAt      string // "3 January 2027"
}

// RenewalFailedData is a failed renewal's notice (KindRenewalFailed).
type RenewalFailedData struct {
	ProductName string
	Currency    string
	Amount      int64
	Reason      string // the processor's message, for people
	NextAttempt string // "6 December 2026"; "" when there is no next try and the subscription ends
	FixURL      string // where the customer updates the payment method (the portal)
}

// PortalCodeData is the customer portal's one-time sign-in code (KindPortalCode).
type PortalCodeData struct {
	Code  string
	Valid string // "15 minutes"
}
