package payment

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"

	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"

	"github.com/paylink/paylink"
)

// StripeWebhookPath is where Stripe delivers events; the merchant registers
// PUBLIC_URL + StripeWebhookPath as an endpoint in the Stripe dashboard.
const StripeWebhookPath = "/v1/integrations/stripe/webhook"

// Completer finishes checkout sessions; *checkout.Service implements it. Both
// methods are idempotent: Succeed on a succeeded session and Fail on a session
// that is not confirmed change nothing.
type Completer interface {
	Succeed(ctx context.Context, orgID, checkoutID string, res *Result) (*paylink.Checkout, error)
	Fail(ctx context.Context, orgID, checkoutID string, res *Result) (*paylink.Checkout, error)
}

// RefundSettler records a processor's answer about a refund; *refunds.Service
// implements it. Settling with the same answer twice changes nothing.
type RefundSettler interface {
	Settle(ctx context.Context, orgID, refundID string, res *RefundResult) (*paylink.Refund, error)
}

// maxEventBytes bounds an inbound event; Stripe's are a few kilobytes.
const maxEventBytes = 1 << 20

// NewStripeWebhook returns the handler of POST StripeWebhookPath: it verifies the
// Stripe-Signature header with secret (400 when it does not verify), then drives
// the session named by the PaymentIntent's metadata: payment_intent.succeeded →
// Succeed, payment_intent.payment_failed → Fail, and the same for a SetupIntent
// (setup_intent.succeeded, setup_intent.setup_failed); and the refunds named by a
// refund's metadata: charge.refunded, refund.created, refund.updated and
// refund.failed → rs.Settle (stripewebhook_refunds.go). Other event types, and
// objects paylink did not make, are acknowledged with 200 and ignored. A
// repeated event is harmless because Succeed, Fail and Settle are idempotent. A
// database failure is a 500, so Stripe delivers the event again later.
func NewStripeWebhook(secret string, c Completer, rs RefundSettler, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		payload, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxEventBytes))
		if err != nil {
			webhookReply(w, http.StatusRequestEntityTooLarge, "the event is too large")
			return
		}
		// The fields read here (id, status, metadata, last_payment_error) are the
		// same in every API version, so the endpoint's version need not match stripe-go's.
		ev, err := webhook.ConstructEventWithOptions(payload, r.Header.Get("Stripe-Signature"), secret,
			webhook.ConstructEventOptions{IgnoreAPIVersionMismatch: true})
		if err != nil {
			log.WarnContext(r.Context(), "stripe webhook: rejected", "err", err.Error())
			webhookReply(w, http.StatusBadRequest, "invalid Stripe-Signature: "+err.Error())
			return
		}
		status, msg := handleStripeEvent(r.Context(), ev, c, rs, log)
		webhookReply(w, status, msg)
	})
}

// Routes registers the Stripe webhook on mux; c is the checkout service, rs
// the refunds service. A succeeded intent's saved card is read from Stripe
// before c.Succeed: an event names the payment method by id only.
func (s *Stripe) Routes(mux *http.ServeMux, c Completer, rs RefundSettler, log *slog.Logger) {
	mux.Handle("POST "+StripeWebhookPath, NewStripeWebhook(s.cfg.WebhookSecret, withCard{c, s, log}, rs, log))
}

// withCard is a Completer that fills in the card of a saved payment method
// before succeeding.
type withCard struct {
	Completer
	s   *Stripe
	log *slog.Logger
}

// Succeed reads the card's brand, last four digits and expiry, then succeeds.
// The card is what the customer's saved method shows, not what the order
// needs: when Stripe does not answer, the checkout succeeds without it rather
// than waiting for Stripe's next delivery of the event.
func (w withCard) Succeed(ctx context.Context, orgID, checkoutID string, res *Result) (*paylink.Checkout, error) {
	if res.PaymentMethodRef != "" && res.Card == (Card{}) {
		pm, err := w.s.client.V1PaymentMethods.Retrieve(ctx, methodID(res.PaymentMethodRef), nil)
		if err != nil {
			w.log.WarnContext(ctx, "stripe webhook: the saved card's details could not be read; saving the method without them",
				"checkout_id", checkoutID, "err", err)
		} else {
			res.Card = cardOf(pm)
		}
	}
	return w.Completer.Succeed(ctx, orgID, checkoutID, res)
}

// handleStripeEvent applies one verified event and says what to answer.
func handleStripeEvent(ctx context.Context, ev stripe.Event, c Completer, rs RefundSettler, log *slog.Logger) (int, string) {
	switch ev.Type {
	case stripe.EventTypeChargeRefunded, stripe.EventTypeRefundCreated, stripe.EventTypeRefundUpdated,
		stripe.EventTypeRefundFailed:
		return handleStripeRefundEvent(ctx, ev, rs, log)
	}
	in, ok, err := intentOf(ev)
	switch {
	case !ok:
		return http.StatusOK, "ignored: " + string(ev.Type)
	case err != nil:
		return http.StatusBadRequest, err.Error()
	case in.orgID == "" || in.checkoutID == "":
		return http.StatusOK, "ignored: the intent is not a paylink checkout's"
	}
	orgID, checkoutID, res := in.orgID, in.checkoutID, in.res
	log = log.With("event_id", ev.ID, "event_type", string(ev.Type), "intent", res.Ref, "checkout_id", checkoutID)
	if res.Succeeded {
		_, err = c.Succeed(ctx, orgID, checkoutID, res)
	} else {
		_, err = c.Fail(ctx, orgID, checkoutID, res)
	}
	switch {
	case err == nil:
		log.InfoContext(ctx, "stripe webhook: applied")
		return http.StatusOK, "ok"
	case paylink.IsCode(err, paylink.ENotFound):
		log.WarnContext(ctx, "stripe webhook: no such checkout", "organization_id", orgID)
		return http.StatusOK, "ignored: no such checkout"
	case paylink.IsCode(err, paylink.EForbidden), paylink.IsCode(err, paylink.EGone):
		// Paid, but the session is no longer confirmed (expired or reopened):
		// retrying cannot help; the operator must look at it (and refund).
		log.ErrorContext(ctx, "stripe webhook: payment succeeded for a checkout that is not confirmed; refund or complete it by hand", "err", err)
		return http.StatusOK, "ignored: the checkout is not confirmed"
	case errors.Is(err, context.Canceled):
		return http.StatusServiceUnavailable, "shutting down"
	default:
		log.ErrorContext(ctx, "stripe webhook: failed; Stripe will retry", "err", err)
		return http.StatusInternalServerError, "internal error; retry"
	}
}

// webhookReply answers Stripe with a small JSON body it shows in its dashboard.
func webhookReply(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	key := "received"
	if status >= 400 {
		key = "error"
	}
	json.NewEncoder(w).Encode(map[string]string{key: msg}) //nolint:errcheck
}

// intentEvent is what an event tells of an intent paylink made for a checkout:
// the session (from the metadata) and the outcome.
type intentEvent struct {
	orgID, checkoutID string
	res               *Result
}

// intentOf reads the PaymentIntent or SetupIntent of an event paylink acts on
// (ok false for other types): succeeded, or failed with the intent's error (a
// general one when it has none).
func intentOf(ev stripe.Event) (in intentEvent, ok bool, err error) {
	var raw []byte
	if ev.Data != nil {
		raw = ev.Data.Raw
	}
	switch ev.Type {
	case stripe.EventTypePaymentIntentSucceeded, stripe.EventTypePaymentIntentPaymentFailed:
		var pi stripe.PaymentIntent
		if err := json.Unmarshal(raw, &pi); err != nil || pi.ID == "" {
			return in, true, errors.New("data.object is not a payment intent")
		}
		in = intentEvent{orgID: pi.Metadata["organization_id"], checkoutID: pi.Metadata["checkout_id"]}
		if ev.Type == stripe.EventTypePaymentIntentSucceeded {
			in.res = &Result{Ref: pi.ID, Succeeded: true, PaymentMethodRef: savedMethodRef(&pi)}
		} else if in.res, err = resultOf(&pi); err != nil || in.res.DeclineCode == "" {
			in.res = &Result{Ref: pi.ID, DeclineCode: "payment_failed", Message: "The payment failed."}
		}
	case stripe.EventTypeSetupIntentSucceeded, stripe.EventTypeSetupIntentSetupFailed:
		var si stripe.SetupIntent
		if err := json.Unmarshal(raw, &si); err != nil || si.ID == "" {
			return in, true, errors.New("data.object is not a setup intent")
		}
		in = intentEvent{orgID: si.Metadata["organization_id"], checkoutID: si.Metadata["checkout_id"]}
		if ev.Type == stripe.EventTypeSetupIntentSucceeded {
			in.res = &Result{Ref: si.ID, Succeeded: true, PaymentMethodRef: setupMethodRef(&si)}
		} else if in.res, err = setupResultOf(&si); err != nil || in.res.DeclineCode == "" {
			in.res = &Result{Ref: si.ID, DeclineCode: "setup_failed", Message: "The card could not be saved."}
		}
	default:
		return in, false, nil
	}
	return in, true, nil
}
