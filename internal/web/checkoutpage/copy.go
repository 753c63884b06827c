package checkoutpage

// The sentences of the customer pages that say what paylink does with an
// order, a card or an email address live here, in one place: a feature that
// changes what is true (a way to cancel, receipts by email) changes its words
// here, and no page promises more than paylink does today.

// emailHint is the Email field's hint. paylink sends no email (no receipt, no
// access details): the address goes to the seller with the order.
const emailHint = "The seller gets this address with your order, to reach you about it."

// renewalTerms ends a subscription's renewal line. The seller can cancel a
// subscription (the dashboard, the API); the customer cannot yet do it
// themselves, so the line sends them to the seller.
const renewalTerms = "It renews automatically until it is canceled; the seller can cancel it for you."

// cardNote is the fine print under Pay: what becomes of the card. A
// subscription keeps a payment method for its renewals, in the sandbox too (a
// test one); a single payment keeps nothing.
func cardNote(stripe, recurring, free bool) string {
	switch {
	case free:
		return "No card needed."
	case stripe && recurring:
		return "Your card details go straight to Stripe, the payment processor, which keeps them for the renewals; this shop never sees them."
	case stripe:
		return "Your card details go straight to Stripe, the payment processor; this shop never sees them."
	case recurring:
		return "Your card is saved as a payment method, to charge the renewals; the card number itself is not stored."
	default:
		return "Your card details are used for this payment only and are never stored."
	}
}

// setupPayLabel is the Pay button of a subscription whose first period is free:
// the card is saved, nothing is charged now.
const setupPayLabel = "Start subscription, pay nothing today"

// setupNote is cardNote for a subscription whose first period is free: the
// card is saved for the renewals (the order summary says when and how much)
// and nothing is charged today.
func setupNote(stripe bool) string {
	if stripe {
		return "Nothing is charged today. Your card details go straight to Stripe, the payment processor, which keeps them to charge the renewals; this shop never sees them."
	}
	return "Nothing is charged today. Your card is saved as a payment method, to charge the renewals; the card number itself is not stored."
}

// pendingCopy is what the page says while a payment waits (status
// "requires_action": for the customer's bank, else for the processor), and
// what it says once the bank's step is done. setup: no payment, a card being
// saved for the renewals.
func pendingCopy(status string, setup bool) (now, next string) {
	next = "Processing your payment…"
	if setup {
		next = "Saving your card…"
	}
	switch {
	case status == "requires_action" && setup:
		return "Your bank asks you to confirm your card (nothing is charged today). Follow the steps in the window that opens.", next
	case status == "requires_action":
		return "Your bank asks you to confirm this payment. Follow the steps in the window that opens.", next
	}
	return next, next
}
