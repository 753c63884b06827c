package portal

import (
	"context"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/store"
)

// The signed-in customer's saved payment methods: the one home of adding,
// confirming and deleting them, shared by the customer-portal API
// (/v1/customer-portal/customers/me/payment-methods) and the portal page's
// "Update payment method" form. A method saved as the default becomes what
// every billable subscription of the customer renews with, and a past-due one
// is tried again at the next renewal sweep.

// AddMethod is Polar's CustomerPaymentMethodCreate.
type AddMethod struct {
	ConfirmationTokenID string // the page's confirmation token: a test token (tok_visa) in the sandbox
	SetDefault          bool
	ReturnURL           string
}

// MethodAdded is Polar's CustomerPaymentMethodCreateResponse: Method when the
// method was saved; ClientSecret when the customer must confirm it first
// (3-D Secure), after which ConfirmPaymentMethod saves it.
type MethodAdded struct {
	Method       *store.PaymentMethod
	ClientSecret string
}

var errNoMethods = paylink.Errorf(paylink.ENotImplemented, "Payment methods cannot be changed here.")

// CanChangePaymentMethods reports whether the portal can save payment methods.
func (s *Service) CanChangePaymentMethods() bool { return s.Methods != nil }

// PaymentMethods returns one page of the signed-in customer's methods, newest first.
func (s *Service) PaymentMethods(ctx context.Context, who *Signed, p store.ListParams) ([]*store.PaymentMethod, int, error) {
	var items []*store.PaymentMethod
	var total int
	err := s.Store.Read(ctx, func(tx *store.Tx) error {
		var err error
		items, total, err = tx.PaymentMethodList(ctx, who.Org.ID, who.Customer.ID, p)
		return err
	})
	return items, total, err
}

// AddPaymentMethod saves a payment method for the signed-in customer through
// the processor, nothing charged. A card the processor refuses is
// PaymentMethodSetupFailed (400) with the processor's words; a missing token or
// a return URL that is no absolute http(s) URL is EInvalid at its field.
func (s *Service) AddPaymentMethod(ctx context.Context, who *Signed, in AddMethod) (*MethodAdded, error) {
	var probs paylink.Problems
	if in.ConfirmationTokenID == "" {
		probs.Add("Field required.", in.ConfirmationTokenID, "body", "confirmation_token_id")
	}
	if msg := paylink.ValidateRedirectURL(in.ReturnURL); msg != "" {
		probs.Add(msg, in.ReturnURL, "body", "return_url")
	}
	if err := probs.Err(); err != nil {
		return nil, err
	}
	if s.Methods == nil {
		return nil, errNoMethods
	}
	res, err := s.Methods.SaveMethod(ctx, payment.SaveMethod{OrganizationID: who.Org.ID, CustomerID: who.Customer.ID,
		CustomerEmail: who.Customer.Email, Token: in.ConfirmationTokenID, IdempotencyKey: "pm:" + paylink.NewID()})
	if err != nil {
		return nil, err
	}
	return s.methodSaved(ctx, who, res, in.SetDefault, "confirmation_token_id", in.ConfirmationTokenID)
}

// ConfirmPaymentMethod saves the method of a setup that required action, once
// the customer confirmed it (Polar's CustomerPaymentMethodConfirm). A setup that
// is not this customer's, or not confirmed, is EInvalid at
// ["body","setup_intent_id"], as Polar answers.
func (s *Service) ConfirmPaymentMethod(ctx context.Context, who *Signed, setupIntentID string, setDefault bool) (*MethodAdded, error) {
	if s.Methods == nil {
		return nil, errNoMethods
	}
	invalid := paylink.Invalid(paylink.FieldInvalid("Invalid setup_intent_id.", setupIntentID, "body", "setup_intent_id"))
	res, ok, err := s.Methods.ConfirmMethod(ctx, who.Org.ID, who.Customer.ID, setupIntentID)
	if err != nil {
		return nil, err
	}
	if !ok || !res.Succeeded && !res.RequiresAction {
		return nil, invalid
	}
	return s.methodSaved(ctx, who, res, setDefault, "setup_intent_id", setupIntentID)
}

// methodSaved records the processor's answer: a declined setup is
// PaymentMethodSetupFailed, one requiring action is handed back, a succeeded
// one is stored (and made the default, with the subscriptions, when setDefault).
func (s *Service) methodSaved(ctx context.Context, who *Signed, res *payment.SavedMethod, setDefault bool, field, input string) (*MethodAdded, error) {
	switch {
	case res.RequiresAction:
		return &MethodAdded{ClientSecret: res.ClientSecret}, nil
	case res.Pending:
		return nil, &paylink.Error{Code: paylink.EBadRequest, Name: "PaymentMethodSetupFailed",
			Message: "Your card is still being checked. Try again in a moment."}
	case !res.Succeeded || res.PaymentMethodRef == "":
		msg := res.Message
		if msg == "" {
			msg = "The card could not be saved. Try another payment method."
		}
		return nil, &paylink.Error{Code: paylink.EBadRequest, Name: "PaymentMethodSetupFailed", Message: msg}
	}
	m := &store.PaymentMethod{OrganizationID: who.Org.ID, CustomerID: who.Customer.ID, Processor: s.processorName(),
		ProcessorRef: res.PaymentMethodRef, Type: "card", Brand: res.Card.Brand, Last4: res.Card.Last4,
		ExpMonth: res.Card.ExpMonth, ExpYear: res.Card.ExpYear, CreatedAt: s.now()}
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.PaymentMethodSave(ctx, m); err != nil {
			return err
		}
		if !setDefault {
			return nil
		}
		m.IsDefault = true
		if err := tx.PaymentMethodSetDefault(ctx, who.Org.ID, who.Customer.ID, m.ID); err != nil {
			return err
		}
		return s.renewWith(ctx, tx, who, m.ProcessorRef, "")
	})
	if err != nil {
		return nil, err
	}
	return &MethodAdded{Method: m}, nil
}

// renewWith makes every billable subscription of the customer renew with ref,
// those that renewed with only (all of them when only is ""); a past-due one is
// tried again at the next renewal sweep.
func (s *Service) renewWith(ctx context.Context, tx *store.Tx, who *Signed, ref, only string) error {
	subs, err := tx.SubscriptionsOfCustomerForUpdate(ctx, who.Org.ID, who.Customer.ID)
	if err != nil {
		return err
	}
	now := s.now()
	for _, sub := range subs {
		if !sub.Billable() || only != "" && (sub.PaymentMethodRef == nil || *sub.PaymentMethodRef != only) {
			continue
		}
		sub.PaymentMethodRef = &ref
		if sub.Status == paylink.SubscriptionPastDue {
			sub.NextAttemptAt = &now
		}
		if err := tx.SubscriptionSetPaymentMethod(ctx, sub); err != nil {
			return err
		}
	}
	return nil
}

// DeletePaymentMethod removes one of the signed-in customer's methods and
// detaches it at the processor. Subscriptions that renew with it move to the
// default method (or another saved one); with no other method it is
// PaymentMethodInUseByActiveSubscription (400), as Polar answers. Another
// customer's method is ENotFound.
func (s *Service) DeletePaymentMethod(ctx context.Context, who *Signed, id string) error {
	var ref string
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		m, err := tx.PaymentMethodGet(ctx, who.Org.ID, who.Customer.ID, id)
		if err != nil {
			return err
		}
		if s.Methods == nil {
			return errNoMethods
		}
		ref = m.ProcessorRef
		inUse, err := s.renewsWith(ctx, tx, who, ref)
		if err != nil || !inUse {
			return errOr(err, tx.PaymentMethodDelete(ctx, who.Org.ID, who.Customer.ID, id))
		}
		others, _, err := tx.PaymentMethodList(ctx, who.Org.ID, who.Customer.ID, store.ListParams{OrderBy: "is_default DESC, created_at DESC, id DESC"})
		if err != nil {
			return err
		}
		var next *store.PaymentMethod
		for _, o := range others {
			if o.ID != id && o.ProcessorRef != ref {
				next = o
				break
			}
		}
		if next == nil {
			return &paylink.Error{Code: paylink.EBadRequest, Name: "PaymentMethodInUseByActiveSubscription",
				Message: "This payment method is still needed to bill a subscription. Add another one or cancel the subscription first."}
		}
		if err := s.renewWith(ctx, tx, who, next.ProcessorRef, ref); err != nil {
			return err
		}
		if m.IsDefault {
			if err := tx.PaymentMethodSetDefault(ctx, who.Org.ID, who.Customer.ID, next.ID); err != nil {
				return err
			}
		}
		return tx.PaymentMethodDelete(ctx, who.Org.ID, who.Customer.ID, id)
	})
	if err != nil {
		return err
	}
	// After the commit: a detach that fails leaves a card the processor keeps but
	// paylink never charges again, which is safe; logged by the caller.
	return s.Methods.ForgetMethod(ctx, ref)
}

// renewsWith reports whether a billable subscription of the customer renews with ref.
func (s *Service) renewsWith(ctx context.Context, tx *store.Tx, who *Signed, ref string) (bool, error) {
	subs, err := tx.SubscriptionsOfCustomerForUpdate(ctx, who.Org.ID, who.Customer.ID)
	if err != nil {
		return false, err
	}
	for _, sub := range subs {
		if sub.Billable() && sub.PaymentMethodRef != nil && *sub.PaymentMethodRef == ref {
			return true, nil
		}
	}
	return false, nil
}

func (s *Service) processorName() string {
	if p, ok := s.Methods.(interface{ Name() string }); ok {
		return p.Name()
	}
	return "sandbox"
}

func errOr(err, other error) error {
	if err != nil {
		return err
	}
	return other
}
