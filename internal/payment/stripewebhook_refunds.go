package payment

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/stripe/stripe-go/v82"

	"github.com/paylink/paylink"
)

// handleStripeRefundEvent settles the refunds an event tells of: refund.*
// carries one Refund; charge.refunded a Charge whose refunds list (when the
// endpoint's API version still embeds it) holds them. Only refunds paylink made
// (metadata refund_id and organization_id, set by Stripe.Refund) are settled; a
// refund made in Stripe's dashboard is acknowledged and left alone.
func handleStripeRefundEvent(ctx context.Context, ev stripe.Event, rs RefundSettler, log *slog.Logger) (int, string) {
	if rs == nil {
		return http.StatusOK, "ignored: refunds are not handled here"
	}
	if ev.Data == nil {
		return http.StatusBadRequest, "the event has no data.object"
	}
	var list []*stripe.Refund
	if ev.Type == stripe.EventTypeChargeRefunded {
		var ch stripe.Charge
		if err := json.Unmarshal(ev.Data.Raw, &ch); err != nil || ch.ID == "" {
			return http.StatusBadRequest, "data.object is not a charge"
		}
		if ch.Refunds != nil {
			list = ch.Refunds.Data
		}
	} else {
		var re stripe.Refund
		if err := json.Unmarshal(ev.Data.Raw, &re); err != nil || re.ID == "" {
			return http.StatusBadRequest, "data.object is not a refund"
		}
		list = []*stripe.Refund{&re}
	}
	settled := 0
	for _, re := range list {
		orgID, refundID := re.Metadata["organization_id"], re.Metadata["refund_id"]
		if orgID == "" || refundID == "" {
			continue
		}
		l := log.With("event_id", ev.ID, "event_type", string(ev.Type), "refund", re.ID, "refund_id", refundID)
		_, err := rs.Settle(ctx, orgID, refundID, RefundResultOf(re))
		switch {
		case err == nil:
			settled++
			l.InfoContext(ctx, "stripe webhook: refund settled", "status", string(re.Status))
		case paylink.IsCode(err, paylink.ENotFound):
			l.WarnContext(ctx, "stripe webhook: no such refund", "organization_id", orgID)
		case errors.Is(err, context.Canceled):
			return http.StatusServiceUnavailable, "shutting down"
		default:
			l.ErrorContext(ctx, "stripe webhook: refund failed; Stripe will retry", "err", err)
			return http.StatusInternalServerError, "internal error; retry"
		}
	}
	if settled == 0 {
		return http.StatusOK, "ignored: no refund of paylink's"
	}
	return http.StatusOK, "ok"
}
