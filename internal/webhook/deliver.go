package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// ResponseExcerpt is how much of a response body the delivery log keeps.
const ResponseExcerpt = 2048

// DeliverArgs is one delivery job: send one webhook event to its endpoint.
type DeliverArgs struct {
	WebhookEventID string `json:"webhook_event_id"`
	OrganizationID string `json:"organization_id"`
}

// Kind is River's name for the delivery job.
func (DeliverArgs) Kind() string { return "webhook_deliver" }

// InsertOpts gives every delivery job the whole retry schedule, in the
// deliveries' own queue.
func (DeliverArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: MaxAttempts, Queue: DeliverQueue}
}

// DeliverQueue is the deliveries' own queue, with DeliverWorkers workers in each
// process on either engine. A delivery spends its time waiting on the merchant's
// endpoint (up to AttemptTimeout), not on the database, so the default queue's
// few workers (two on SQLite, sized for jobs that hold the database) made
// delivery the bottleneck: River fetches at most a free worker's worth of jobs
// per fetch, 100 ms apart, so two workers capped SQLite at about 20 deliveries
// a second and one slow endpoint held up everyone's. Jobs queued before this
// queue existed stay in the default queue and are worked there.
const DeliverQueue = "webhook_deliver"

// DeliverWorkers is how many deliveries one process runs at once.
const DeliverWorkers = 32

// deliverer sends webhook events; River retries it on error per NextRetry.
type deliverer struct {
	river.WorkerDefaults[DeliverArgs]
	store        *store.Store
	client       *http.Client
	allowPrivate bool
	now          func() time.Time
	log          *slog.Logger
}

// NextRetry is the retry schedule of schedule.go.
func (w *deliverer) NextRetry(job *river.Job[DeliverArgs]) time.Time {
	return NextRetry(job.Attempt, time.Now())
}

// Timeout leaves room for the attempt and the writes around it.
func (w *deliverer) Timeout(*river.Job[DeliverArgs]) time.Duration {
	return AttemptTimeout + 20*time.Second
}

// attempt is the outcome of one POST.
type attempt struct {
	code     *int
	response string
	duration time.Duration
}

func (a attempt) ok() bool { return a.code != nil && *a.code >= 200 && *a.code < 300 }

// Work makes one attempt and logs it. It returns an error, so that River retries,
// when the attempt failed; nil when it succeeded or when there is nothing left to
// send (the endpoint or event is gone, or the endpoint is disabled).
func (w *deliverer) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	args := job.Args
	var we *store.WebhookEvent
	var ep *store.WebhookEndpoint
	err := w.store.Read(ctx, func(tx *store.Tx) (err error) {
		if we, err = tx.WebhookEventGet(ctx, args.OrganizationID, args.WebhookEventID); err != nil {
			return err
		}
		ep, err = tx.WebhookEndpointGet(ctx, args.OrganizationID, we.EndpointID)
		return err
	})
	if paylink.IsCode(err, paylink.ENotFound) {
		return nil // deleted since: nothing to deliver
	}
	if err != nil {
		return err
	}
	if !ep.Enabled {
		return w.store.InTx(ctx, func(tx *store.Tx) error {
			return tx.WebhookEventMarkSkipped(ctx, args.OrganizationID, we.ID, w.now().UTC())
		})
	}

	res := w.send(ctx, ep, we)
	if ctx.Err() != nil {
		return ctx.Err() // shutting down: not the endpoint's fault, not logged
	}
	at := w.now().UTC()
	var disabled bool
	wctx := context.WithoutCancel(ctx) // the attempt is over: finish logging it
	err = w.store.InTx(wctx, func(tx *store.Tx) error {
		d := &store.WebhookDelivery{OrganizationID: args.OrganizationID, EndpointID: ep.ID, WebhookEventID: we.ID,
			Attempt: job.Attempt, HTTPCode: res.code, Succeeded: res.ok(), Response: &res.response,
			DurationMS: res.duration.Milliseconds(), CreatedAt: at}
		if err := tx.WebhookDeliveryRecord(wctx, d); err != nil {
			return err
		}
		reason := fmt.Sprintf("Every delivery failed for %d days; enable the endpoint again once it answers.", DisableAfter/(24*time.Hour))
		var err error
		disabled, err = tx.WebhookEndpointRecordOutcome(wctx, args.OrganizationID, ep.ID, res.ok(), at, DisableAfter, reason)
		return err
	})
	if paylink.IsCode(err, paylink.ENotFound) {
		return nil // the endpoint was deleted while we were sending
	}
	if err != nil {
		return err
	}
	if res.ok() {
		return nil
	}
	failure := fmt.Errorf("webhook %s to endpoint %s, attempt %d: %s", we.ID, ep.ID, job.Attempt, summary(res))
	if disabled {
		w.log.Warn("webhook endpoint disabled after failing for days", "endpoint", ep.ID, "organization", ep.OrganizationID)
		return river.JobCancel(failure)
	}
	return failure
}

// send POSTs the signed payload once.
func (w *deliverer) send(ctx context.Context, ep *store.WebhookEndpoint, we *store.WebhookEvent) attempt {
	start := time.Now()
	res := attempt{}
	fail := func(err error) attempt {
		res.response, res.duration = reason(err), time.Since(start)
		return res
	}
	u, err := url.Parse(ep.URL)
	if err != nil {
		return fail(err)
	}
	if _, _, err := checkHost(u, w.allowPrivate); err != nil {
		return fail(err)
	}
	body, err := Body(we.Type, we.EventCreatedAt, we.Payload)
	if err != nil {
		return fail(err)
	}
	headers, err := Headers(ep.Secret, we.ID, time.Now(), body) // receivers check it against their wall clock
	if err != nil {
		return fail(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err != nil {
		return fail(err)
	}
	req.Header = headers
	req.Header.Set("User-Agent", "paylink-webhooks")
	resp, err := w.client.Do(req)
	if err != nil {
		var re *RefusedError
		if errors.As(err, &re) {
			return fail(re)
		}
		return fail(err)
	}
	defer resp.Body.Close()
	excerpt, _ := io.ReadAll(io.LimitReader(resp.Body, ResponseExcerpt))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	res.code = &resp.StatusCode
	res.response = cleanText(excerpt)
	res.duration = time.Since(start)
	return res
}

// cleanText makes a response excerpt storable: valid UTF-8 (the cut may split a
// character) and no NUL bytes, which PostgreSQL text refuses.
func cleanText(b []byte) string {
	return strings.ReplaceAll(strings.ToValidUTF8(string(b), "\uFFFD"), "\x00", "\uFFFD")
}

func summary(a attempt) string {
	if a.code == nil {
		return a.response
	}
	return fmt.Sprintf("HTTP %d", *a.code)
}
