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
// Succeed, payment_intent.payment_failed → Fail; and the refunds named by a
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
// the refunds service.
func (s *Stripe) Routes(mux *http.ServeMux, c Completer, rs RefundSettler, log *slog.Logger) {
	mux.Handle("POST "+StripeWebhookPath, NewStripeWebhook(s.cfg.WebhookSecret, c, rs, log))
}

// handleStripeEvent applies one verified event and says what to answer.
func handleStripeEvent(ctx context.Context, ev stripe.Event, c Completer, rs RefundSettler, log *slog.Logger) (int, string) {
	var succeeded bool
	switch ev.Type {
	case stripe.EventTypePaymentIntentSucceeded:
		succeeded = true
	case stripe.EventTypePaymentIntentPaymentFailed:
	case stripe.EventTypeChargeRefunded, stripe.EventTypeRefundCreated, stripe.EventTypeRefundUpdated,
		stripe.EventTypeRefundFailed:
		return handleStripeRefundEvent(ctx, ev, rs, log)
	default:
		return http.StatusOK, "ignored: " + string(ev.Type)
	}
	if ev.Data == nil {
		return http.StatusBadRequest, "the event has no data.object"
	}
	var pi stripe.PaymentIntent
	if err := json.Unmarshal(ev.Data.Raw, &pi); err != nil || pi.ID == "" {
		return http.StatusBadRequest, "data.object is not a payment intent"
	}
	orgID, checkoutID := pi.Metadata["organization_id"], pi.Metadata["checkout_id"]
	if orgID == "" || checkoutID == "" {
		return http.StatusOK, "ignored: the payment intent is not a paylink checkout's"
	}
	log = log.With("event_id", ev.ID, "event_type", string(ev.Type), "payment_intent", pi.ID, "checkout_id", checkoutID)
	var err error
	if succeeded {
		res := &Result{Ref: pi.ID, Succeeded: true, PaymentMethodRef: savedMethodRef(&pi)}
		_, err = c.Succeed(ctx, orgID, checkoutID, res)
	} else {
		res, rerr := resultOf(&pi)
		if rerr != nil || res.Succeeded || res.RequiresAction || res.Pending {
			res = &Result{Ref: pi.ID, DeclineCode: "payment_failed", Message: "The payment failed."}
		}
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
