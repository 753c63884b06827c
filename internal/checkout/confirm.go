package checkout

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/store"
)

// Confirm validates the session with the last changes, holds the discount
// redemption and the link completion (both capped atomically), charges through
// the processor, and on success creates the customer, order and subscription.
//
// The session moves open → confirmed once, under its row lock: a confirm of a
// session that is no longer open (a double click, a retried request, a late one)
// charges nothing and is ErrCheckoutNotOpen (403), or ErrCheckoutExpired (410)
// once it expired, as Polar answers; the first request alone carries the outcome
// (a caller that knows it sent one waits for it with AwaitOutcome). A decline
// returns the session to open, gives back what it held, and is an
// EPaymentFailed error.
func (s *Service) Confirm(ctx context.Context, secret string, ch Changes, token string) (*paylink.Checkout, error) {
	v, _, err := s.ConfirmView(ctx, secret, ch, token)
	if err != nil {
		return nil, err
	}
	return v.Checkout, nil
}

// ConfirmView is Confirm, handing back the session with what its
// representation embeds (its products and discount) and its organization as
// the confirm's transactions saw them, so that the caller's answer reads none
// of them again.
//
// A free session, and one charged by a processor that answers at once (the
// sandbox), completes in the transaction that confirms it:
// one transaction from open to succeeded. Any other processor is called
// between the confirming transaction and the completing one, never inside a
// transaction.
func (s *Service) ConfirmView(ctx context.Context, secret string, ch Changes, token string) (v *paylink.CheckoutView, org *paylink.Organization, _ error) {
	ch.customerOnly()
	var (
		c         *paylink.Checkout
		attempts  int
		recurring bool
		setup     bool // nothing to charge now, but a payment method to save (setup.go)
		products  []*paylink.Product
		done      bool // completed in the confirming transaction
		req       payment.Charge
		res       *payment.Result // the immediate processor's answer, when it did not succeed
	)
	early, org := s.catalogBeside(ctx, secret)
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		tx.MemoReads(early...) // the changes, the checks and the event read the same products
		tx.MemoOrganization(org)
		var err error
		if c, err = tx.CheckoutBySecretWait(ctx, secret); err != nil {
			return err
		}
		if early == nil {
			// One statement instead of a product load's five when the process
			// has them (ShownCatalog memoizes what it returns); any error is
			// the product load's to report.
			_, _, _ = tx.ShownCatalog(ctx, c.OrganizationID, c.ProductIDs)
		}
		if err := c.CanChange(s.now()); err != nil {
			return err
		}
		// Every problem at once: those of the changes, and what is still missing.
		applied := s.apply(ctx, tx, c, ch, true)
		if applied != nil && !paylink.IsCode(applied, paylink.EInvalid) {
			return applied
		}
		recurring, err = s.readyToConfirm(ctx, tx, c, token)
		if err != nil && !paylink.IsCode(err, paylink.EInvalid) {
			return err
		}
		if err := joinProblems(applied, err); err != nil {
			return err
		}
		if setup, err = s.setupOnly(ctx, tx, c); err != nil {
			return err
		}
		payments, err := tx.PaymentsByCheckout(ctx, c.ID)
		if err != nil {
			return err
		}
		attempts = len(payments)
		if products, err = loadProducts(ctx, tx, c.OrganizationID, c.ProductIDs); err != nil {
			return err
		}
		req = payment.Charge{
			OrganizationID: c.OrganizationID, CheckoutID: c.ID, Amount: c.TotalAmount, Currency: c.Currency,
			CustomerEmail: deref(c.CustomerEmail), Token: token, SaveForFuture: recurring,
			IdempotencyKey: fmt.Sprintf("%s:%d", c.ID, attempts),
		}
		c.Status = paylink.CheckoutConfirmed
		c.PaymentProcessorRef = nil // a new attempt: no earlier payment decides any more
		// What the session holds of the caps, as its row records it (hold takes them).
		c.DiscountRedeemed, c.CompletionReserved = c.DiscountID != nil, c.CheckoutLinkID != nil
		free := !PaymentRequired(c) && !setup
		var paid *payment.Result
		if !free && !setup && s.immediate() {
			// The processor decides in memory, and its answer counts only if this
			// transaction commits: nothing for it to remember by key.
			once := req
			once.IdempotencyKey = ""
			if paid, err = s.Processor.Charge(ctx, once); err != nil || !paid.Succeeded || paid.RequiresAction || paid.Pending {
				// Not a plain success: the session commits confirmed and the answer
				// is handled below as any processor's (asking again, pending, a decline).
				res, paid = paid, nil
			}
		}
		if free || paid != nil {
			// Open to succeeded in this transaction. The caps' rows are taken late,
			// with the organization's receipt counter (complete): on PostgreSQL
			// every other confirm of the link waits on them until commit.
			// The session as confirmed is an event of its own, written with
			// complete's first ones.
			_, e, err := s.checkoutEvent(ctx, tx, "checkout.updated", c)
			if err != nil {
				return err
			}
			done = true
			if v, err = s.complete(ctx, tx, c, paid, paylink.CheckoutOpen, func() error { return s.hold(ctx, tx, c) }, []*store.Event{e}); err != nil {
				return err
			}
		} else {
			if err := s.hold(ctx, tx, c); err != nil {
				return err
			}
			if err := tx.CheckoutSave(ctx, c, paylink.CheckoutOpen); err != nil {
				return err
			}
			if v, err = s.recordCheckoutView(ctx, tx, "checkout.updated", c); err != nil {
				return err
			}
		}
		org, err = tx.OrganizationGet(ctx, c.OrganizationID) // for the answer; memoized when tx read it already
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	if done {
		return v, org, nil
	}
	charge := s.Processor.Charge
	if setup {
		charge = s.setUp
	}
	if res == nil {
		res, err = charge(ctx, req)
	}
	for i := 0; err != nil && i < len(chargeRetries); i++ {
		// The answer was lost, not a decline: the processor may have charged. Ask
		// again with the same idempotency key, which charges at most once.
		s.Log.WarnContext(ctx, "payment processor error; asking again", "checkout_id", c.ID, "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(chargeRetries[i]):
		}
		res, err = charge(context.WithoutCancel(ctx), req)
	}
	if err != nil {
		// Still no answer: the outcome is unknown, so the session stays confirmed,
		// holding its caps (no second attempt with a new key can charge again), and
		// the settle sweep asks the processor after SettleGrace and completes or
		// releases it. The customer sees the payment as being processed.
		s.Log.ErrorContext(ctx, "payment processor error; the settle sweep will decide", "checkout_id", c.ID, "err", err)
		c.PaymentPending = true
		return v, org, nil
	}
	if res.RequiresAction || res.Pending {
		// 3-D Secure or a slow method: the session stays confirmed, holding its caps;
		// the page finishes the action and the processor's webhook calls Succeed or Fail.
		if v.Checkout, err = s.awaitPayment(ctx, c, res); err != nil {
			return nil, nil, err
		}
		return v, org, nil
	}
	if !res.Succeeded {
		if _, ferr := s.fail(ctx, c.OrganizationID, c.ID, res, true); ferr != nil {
			return nil, nil, ferr
		}
		return nil, nil, &paylink.Error{Code: paylink.EPaymentFailed, Name: "PaymentError", Message: res.Message}
	}
	after, err := s.succeed(ctx, c.OrganizationID, c.ID, res, nil, products)
	if err != nil {
		return nil, nil, err
	}
	v.Checkout = after.Checkout // the products and discount stay those confirmed
	return v, org, nil
}

// immediate reports whether the processor answers a charge at once, from
// memory, with nothing to wait on: the sandbox itself (not a processor that
// wraps it, whose Charge may do anything). Confirm then charges inside its
// transaction; any other processor is called between transactions, since a
// transaction must not wait on the network.
func (s *Service) immediate() bool {
	_, ok := s.Processor.(*payment.Sandbox)
	return ok
}

// hold takes the caps the confirmed session c holds (c.DiscountRedeemed,
// c.CompletionReserved): a discount redemption and a completion of its link,
// each capped atomically by its row.
func (s *Service) hold(ctx context.Context, tx *store.Tx, c *paylink.Checkout) error {
	if c.DiscountRedeemed {
		if err := tx.DiscountRedeem(ctx, *c.DiscountID); err != nil {
			if paylink.IsCode(err, paylink.EForbidden) || paylink.IsCode(err, paylink.EInvalid) {
				return paylink.Invalid(paylink.FieldInvalid("this discount has reached its redemption limit; remove it to continue", nil, "body", "discount_code"))
			}
			return err
		}
	}
	if c.CompletionReserved {
		return tx.CheckoutLinkReserveCompletion(ctx, *c.CheckoutLinkID)
	}
	return nil
}

// catalogBeside reads the products and the organization of the session with
// secret before its write transaction, when write transactions take turns
// (SQLite): there a read would hold up every other write, here it runs beside
// them. Reading them a moment before the session is locked is as if a change
// to a product committed a moment after the confirm (a confirm writes no
// product, and a product's change reads no session). They come from the
// catalog the checkout page reads (store.Tx.ShownCatalog: one statement when
// the process has them loaded). Nil when there is nothing to gain or the read
// failed: the transaction then reads them.
func (s *Service) catalogBeside(ctx context.Context, secret string) ([]*paylink.Product, *paylink.Organization) {
	if !s.Store.Engine.Tuning().SingleWriter {
		return nil, nil
	}
	var (
		ps  []*paylink.Product
		org *paylink.Organization
	)
	if s.Store.Read(ctx, func(tx *store.Tx) error {
		c, err := tx.CheckoutBySecret(ctx, secret, false)
		if err == nil {
			org, ps, err = tx.ShownCatalog(ctx, c.OrganizationID, c.ProductIDs)
		}
		return err
	}) != nil {
		return nil, nil
	}
	return ps, org
}

// chargeRetries are the waits before Confirm asks the processor again, with the
// same idempotency key, after an error that left the charge's outcome unknown.
var chargeRetries = []time.Duration{200 * time.Millisecond, time.Second}

// awaitPayment remembers the processor's pending payment on the confirmed session
// and hands the customer's next step (ActionSecret) back to the caller.
func (s *Service) awaitPayment(ctx context.Context, c *paylink.Checkout, res *payment.Result) (*paylink.Checkout, error) {
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		cur, err := tx.CheckoutLockWait(ctx, c.OrganizationID, c.ID)
		if err != nil || cur.Status != paylink.CheckoutConfirmed {
			return err
		}
		cur.PaymentProcessorRef = &res.Ref
		if err := tx.CheckoutSave(ctx, cur, paylink.CheckoutConfirmed); err != nil {
			return err
		}
		c = cur
		return nil
	})
	if err != nil {
		return nil, err
	}
	c.PaymentActionSecret = res.ClientSecret
	c.PaymentPending = true
	return c, nil
}

// readyToConfirm checks what only confirm requires (SPEC §5): what the session
// is missing (paylink.CheckoutView.Missing) and a payment method when a payment
// form is required: money is due, or a subscription free today but not later
// needs a payment method saved (setup.go). It reports whether the product is
// recurring (its payment method is then kept).
func (s *Service) readyToConfirm(ctx context.Context, tx *store.Tx, c *paylink.Checkout, token string) (recurring bool, _ error) {
	p, err := tx.ProductGet(ctx, c.OrganizationID, c.ProductID)
	if err != nil {
		return false, err
	}
	if p.IsArchived {
		return false, paylink.Errorf(paylink.EForbidden, "this product is no longer available")
	}
	d, err := s.currentDiscount(ctx, tx, c)
	if err != nil {
		return false, err
	}
	form := PaymentFormRequired(c, p, d)
	v := &paylink.CheckoutView{Checkout: c, Products: []*paylink.Product{p}, Discount: d}
	probs := v.Missing(form)
	if form && strings.TrimSpace(token) == "" {
		probs = append(probs, paylink.FieldError{Loc: []any{"body", "confirmation_token_id"}, Msg: "enter your payment details", Type: "missing"})
	}
	return p.IsRecurring(), probs.Err()
}

// joinProblems joins the field errors of EInvalid errors (or nils) into one,
// an entry per location: the first error's entry wins.
func joinProblems(errs ...error) error {
	var all paylink.Problems
	seen := map[string]bool{}
	for _, err := range errs {
		if err == nil {
			continue
		}
		for _, f := range fieldErrors(err) {
			if k := fmt.Sprint(f.Loc); !seen[k] {
				seen[k] = true
				all = append(all, f)
			}
		}
	}
	return all.Err()
}

// Fail returns a confirmed session to open after its pending payment failed (the
// processor's webhook, or a lookup by the page): the discount redemption and the
// link completion it held are given back, and the attempt is recorded. It acts
// only when res names the payment the session is waiting for, so a late failure
// of an earlier attempt never reopens a session whose retry is being charged; it
// is a no-op for a session that is not confirmed.
func (s *Service) Fail(ctx context.Context, orgID, checkoutID string, res *payment.Result) (*paylink.Checkout, error) {
	return s.fail(ctx, orgID, checkoutID, res, false)
}

// fail is Fail; sync says the caller is Confirm with the answer of its own charge,
// which has not been recorded as pending.
func (s *Service) fail(ctx context.Context, orgID, checkoutID string, res *payment.Result, sync bool) (*paylink.Checkout, error) {
	var c *paylink.Checkout
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if c, err = tx.CheckoutLockWait(ctx, orgID, checkoutID); err != nil {
			return err
		}
		if c.Status != paylink.CheckoutConfirmed {
			return nil
		}
		if !sync {
			current, err := s.waitingFor(ctx, tx, c, res.Ref)
			if err != nil || !current {
				// A late failure of an earlier attempt: the current one decides.
				s.Log.InfoContext(ctx, "ignored the failure of a superseded payment", "checkout_id", c.ID, "ref", res.Ref)
				return err
			}
		}
		if err := s.giveBack(ctx, tx, c, res); err != nil {
			return err
		}
		c.Status = paylink.CheckoutOpen
		if err := tx.CheckoutSave(ctx, c, paylink.CheckoutConfirmed); err != nil {
			return err
		}
		return s.recordCheckout(ctx, tx, "checkout.updated", c)
	})
	return c, err
}

// giveBack records the failed payment res (none when res is nil: no payment was
// made) and gives back what the confirmed session c held: the discount
// redemption and the link completion. The caller sets the new status and saves c.
func (s *Service) giveBack(ctx context.Context, tx *store.Tx, c *paylink.Checkout, res *payment.Result) error {
	if res != nil {
		code := res.DeclineCode
		if err := tx.PaymentRecord(ctx, &store.Payment{OrganizationID: c.OrganizationID, CheckoutID: &c.ID,
			Processor: s.Processor.Name(), ProcessorRef: res.Ref, Amount: c.TotalAmount, Currency: c.Currency,
			Status: "failed", DeclineCode: &code, CreatedAt: s.now()}); err != nil {
			return err
		}
	}
	if c.DiscountRedeemed && c.DiscountID != nil {
		if err := tx.DiscountUnredeem(ctx, *c.DiscountID); err != nil {
			return err
		}
	}
	if c.CompletionReserved && c.CheckoutLinkID != nil {
		if err := tx.CheckoutLinkReleaseCompletion(ctx, *c.CheckoutLinkID); err != nil {
			return err
		}
	}
	c.DiscountRedeemed, c.CompletionReserved = false, false
	return nil
}

// waitingFor reports whether ref can be the payment a confirmed session waits for:
// the pending payment it recorded, or, before the processor's answer recorded one,
// any payment that is not an earlier attempt already settled.
func (s *Service) waitingFor(ctx context.Context, tx *store.Tx, c *paylink.Checkout, ref string) (bool, error) {
	if c.PaymentProcessorRef != nil {
		return *c.PaymentProcessorRef == ref, nil
	}
	earlier, err := tx.PaymentsByCheckout(ctx, c.ID)
	if err != nil {
		return false, err
	}
	for _, p := range earlier {
		if p.ProcessorRef == ref {
			return false, nil
		}
	}
	return true, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
