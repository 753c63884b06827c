package webhook

import (
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/riverqueue/river"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/jobs"
	"github.com/paylink/paylink/internal/store"
)

// EventTypes are the event types an endpoint may subscribe to: Polar's whole
// list, so that any SDK request is accepted. paylink emits those in Emitted.
var EventTypes = []string{
	"checkout.created", "checkout.updated", "checkout.expired",
	"customer.created", "customer.updated", "customer.deleted", "customer.state_changed",
	"customer_seat.assigned", "customer_seat.claimed", "customer_seat.revoked",
	"member.created", "member.updated", "member.deleted",
	"order.created", "order.updated", "order.paid", "order.refunded",
	"subscription.created", "subscription.updated", "subscription.active", "subscription.canceled",
	"subscription.uncanceled", "subscription.revoked", "subscription.past_due", "subscription.paused",
	"subscription.resumed",
	"refund.created", "refund.updated", "product.created", "product.updated",
	"benefit.created", "benefit.updated",
	"benefit_grant.created", "benefit_grant.cycled", "benefit_grant.updated", "benefit_grant.revoked",
	"organization.updated",
}

// Emitted are the event types paylink records today (SPEC §8).
var Emitted = []string{
	"checkout.created", "checkout.updated", "checkout.expired", "order.created", "order.paid",
	"subscription.created", "subscription.active", "subscription.updated", "subscription.canceled",
	"subscription.uncanceled", "subscription.revoked", "subscription.past_due", "customer.created",
	"order.updated", "order.refunded", "refund.created", "refund.updated",
}

// ValidEventType reports whether an endpoint may subscribe to s.
func ValidEventType(s string) bool { return slices.Contains(EventTypes, s) }

// FormatRaw is the one payload format paylink delivers; Polar's "discord" and
// "slack" formats are refused when an endpoint is created.
const FormatRaw = "raw"

// Options configure webhook delivery.
type Options struct {
	// AllowPrivate lets endpoints resolve to loopback, private and link-local
	// addresses (PAYLINK_WEBHOOK_ALLOW_PRIVATE); metadata addresses stay refused.
	AllowPrivate bool
	Log          *slog.Logger     // default slog.Default()
	Now          func() time.Time // the clock of the log and the failure streak; default paylink.Now
	Client       *http.Client     // default NewClient(AllowPrivate)
}

// Register adds the dispatcher (a periodic job every DispatchInterval) and the
// delivery worker to the job queue. serve wires it in jobRegistrations.
func Register(s *store.Store, opts Options) jobs.Register {
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = paylink.Now
	}
	if opts.Client == nil {
		opts.Client = NewClient(opts.AllowPrivate)
	}
	return func(setup *jobs.Setup) {
		river.AddWorker(setup.Workers, &dispatcher{store: s, now: opts.Now})
		d := &deliverer{store: s, client: opts.Client, allowPrivate: opts.AllowPrivate, now: opts.Now, log: opts.Log}
		river.AddWorker(setup.Workers, d)
		river.AddWorker(setup.Workers, oneDeliverer{d: d})
		setup.Queues[DispatchQueue] = river.QueueConfig{MaxWorkers: 1}
		setup.Queues[DeliverQueue] = river.QueueConfig{MaxWorkers: DeliverWorkers, FetchPollInterval: deliverPoll}
		setup.Periodic = append(setup.Periodic, river.NewPeriodicJob(river.PeriodicInterval(DispatchInterval),
			func() (river.JobArgs, *river.InsertOpts) { return DispatchArgs{}, nil },
			&river.PeriodicJobOpts{ID: "webhook_dispatch", RunOnStart: true}))
	}
}
