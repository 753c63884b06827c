package webhook

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// ResponseExcerpt is how much of a response body the delivery log keeps.
const ResponseExcerpt = 2048

// DeliverArgs is one delivery job: send a batch of webhook events, each in a
// request of its own, to their one endpoint. Batching is the job's, not the
// wire's: a job costs the queue a fetch, a completion and one transaction for
// its log rows whatever its size (issue 16, defect 4; BENCHMARKS.md's
// deliveries section says what else kept delivery behind the visit path).
type DeliverArgs struct {
	OrganizationID  string   `json:"organization_id"`
	EndpointID      string   `json:"endpoint_id,omitempty"`
	WebhookEventIDs []string `json:"webhook_event_ids,omitempty"`
	// WebhookEventID is the one event of a job queued before jobs had batches.
	WebhookEventID string `json:"webhook_event_id,omitempty"`
	// Attempted is how many attempts the events had before this job: the
	// failed part of a batch goes on in a job of its own (see Work).
	Attempted int `json:"attempted,omitempty"`
}

// Kind is River's name for the delivery job. It is not the name of the
// one-event job of earlier versions (deliverOneArgs): a process of such a
// version, still running beside this one, reads a batch as an event it cannot
// find and would complete it unsent; a kind it has no worker for fails the
// attempt, and River tries the job again later, until a process of this
// version takes it (which is why the README asks to stop every process for
// this upgrade).
func (DeliverArgs) Kind() string { return "webhook_deliver_batch" }

// InsertOpts gives every delivery job the whole retry schedule, in the
// deliveries' own queue.
func (DeliverArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: MaxAttempts, Queue: DeliverQueue}
}

// deliverOneArgs is the delivery job of versions before batches, one event
// (WebhookEventID) each: jobs still queued from them run as batches of one.
type deliverOneArgs DeliverArgs

func (deliverOneArgs) Kind() string { return "webhook_deliver" }

// oneDeliverer runs deliverOneArgs jobs with the deliverer's Work.
type oneDeliverer struct {
	river.WorkerDefaults[deliverOneArgs]
	d *deliverer
}

func (w oneDeliverer) batch(job *river.Job[deliverOneArgs]) *river.Job[DeliverArgs] {
	return &river.Job[DeliverArgs]{JobRow: job.JobRow, Args: DeliverArgs(job.Args)}
}

func (w oneDeliverer) NextRetry(job *river.Job[deliverOneArgs]) time.Time {
	return w.d.NextRetry(w.batch(job))
}

func (w oneDeliverer) Timeout(job *river.Job[deliverOneArgs]) time.Duration {
	return w.d.Timeout(w.batch(job))
}

func (w oneDeliverer) Work(ctx context.Context, job *river.Job[deliverOneArgs]) error {
	return w.d.Work(ctx, w.batch(job))
}

// DeliverBatch is the most webhook events one delivery job carries. They are
// sent at once, so a job takes one attempt's time (at most AttemptTimeout)
// whatever its size and stays well inside the lease after which a dead
// process's job is retried (jobs.NewClient's RescueStuckJobsAfter).
const DeliverBatch = 16

// DeliverQueue is the deliveries' own queue, with DeliverWorkers workers in each
// process on either engine. A delivery spends its time waiting on the merchant's
// endpoint (up to AttemptTimeout), not on the database, so the default queue's
// few workers (two on SQLite, sized for jobs that hold the database) made
// delivery the bottleneck: River fetches at most a free worker's worth of jobs
// per fetch, 100 ms apart, so two workers capped SQLite at about 20 deliveries
// a second and one slow endpoint held up everyone's. Jobs queued before this
// queue existed stay in the default queue and are worked there.
const DeliverQueue = "webhook_deliver"

// DeliverWorkers is how many delivery jobs one process runs at once.
const DeliverWorkers = 32

// deliverPoll is how often the delivery queue looks for jobs. The dispatcher
// inserts them in its own transaction, which River cannot see commit, so the
// queue finds them by polling, by default once a second: that was most of an
// event's wait for its delivery.
const deliverPoll = 100 * time.Millisecond

// deliveryJobs makes the delivery jobs of webhook events: per endpoint, in
// the order given, batches of up to DeliverBatch.
func deliveryJobs(refs []store.WebhookEventRef) []river.InsertManyParams {
	var jobs []river.InsertManyParams
	open := map[store.WebhookEventRef]int{} // endpoint (ID "") → its batch being filled in jobs
	for _, r := range refs {
		key := store.WebhookEventRef{OrganizationID: r.OrganizationID, EndpointID: r.EndpointID}
		i, ok := open[key]
		if !ok || len(jobs[i].Args.(DeliverArgs).WebhookEventIDs) == DeliverBatch {
			i = len(jobs)
			open[key] = i
			jobs = append(jobs, river.InsertManyParams{Args: DeliverArgs{OrganizationID: r.OrganizationID, EndpointID: r.EndpointID}})
		}
		args := jobs[i].Args.(DeliverArgs)
		args.WebhookEventIDs = append(args.WebhookEventIDs, r.ID)
		jobs[i].Args = args
	}
	return jobs
}

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
	return NextRetry(job.Args.Attempted+job.Attempt, time.Now())
}

// Timeout leaves room for the attempts (made at once) and the writes around them.
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

// Work sends each event of the batch once, all at once, and logs the attempts
// in one transaction. Every event keeps its own retry schedule: when all failed
// it returns an error and River retries the job; when only some did, those go
// on in a new job, inserted in the log's transaction, at the time River would
// have retried them, and this one is done. It returns nil when there is nothing
// left to send (the endpoint or events are gone, or the endpoint is disabled).
func (w *deliverer) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	args := job.Args
	n := args.Attempted + job.Attempt // the events' attempt number
	var batch []*store.WebhookEvent
	var ep *store.WebhookEndpoint
	err := w.store.Read(ctx, func(tx *store.Tx) (err error) {
		if args.WebhookEventID != "" { // queued before batches
			we, err := tx.WebhookEventGet(ctx, args.OrganizationID, args.WebhookEventID)
			if err != nil {
				return err
			}
			args.EndpointID, args.WebhookEventIDs = we.EndpointID, []string{we.ID}
		}
		if batch, err = tx.WebhookEventsOf(ctx, args.OrganizationID, args.EndpointID, args.WebhookEventIDs); err != nil {
			return err
		}
		ep, err = tx.WebhookEndpointGet(ctx, args.OrganizationID, args.EndpointID)
		return err
	})
	if paylink.IsCode(err, paylink.ENotFound) || err == nil && len(batch) == 0 {
		return nil // deleted since: nothing to deliver
	}
	if err != nil {
		return err
	}
	ids := make([]string, len(batch))
	for i, we := range batch {
		ids[i] = we.ID
	}
	if !ep.Enabled {
		return w.store.InTx(ctx, func(tx *store.Tx) error {
			return tx.WebhookEventsMarkSkipped(ctx, args.OrganizationID, ids, w.now().UTC())
		})
	}

	results := make([]attempt, len(batch))
	var wg sync.WaitGroup
	for i, we := range batch {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = w.send(ctx, ep, we)
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return ctx.Err() // shutting down: not the endpoint's fault, not logged
	}
	at := w.now().UTC()
	log := make([]*store.WebhookDelivery, len(batch))
	var failed []string
	var failure error
	for i, res := range results {
		log[i] = &store.WebhookDelivery{OrganizationID: args.OrganizationID, EndpointID: ep.ID, WebhookEventID: ids[i],
			Attempt: n, HTTPCode: res.code, Succeeded: res.ok(), Response: &res.response,
			DurationMS: res.duration.Milliseconds(), CreatedAt: at}
		if !res.ok() {
			failed = append(failed, ids[i])
			failure = fmt.Errorf("webhook %s to endpoint %s, attempt %d: %s", ids[i], ep.ID, n, summary(res))
		}
	}
	var disabled bool
	wctx := context.WithoutCancel(ctx) // the attempts are over: finish logging them
	err = w.store.InTx(wctx, func(tx *store.Tx) error {
		if err := tx.WebhookDeliveriesRecord(wctx, log); err != nil {
			return err
		}
		reason := fmt.Sprintf("Every delivery failed for %d days; enable the endpoint again once it answers.", DisableAfter/(24*time.Hour))
		var err error
		if disabled, err = tx.WebhookEndpointRecordOutcome(wctx, args.OrganizationID, ep.ID, len(failed) < len(batch), at,
			DisableAfter, reason); err != nil {
			return err
		}
		if len(failed) == 0 || len(failed) == len(batch) || n >= MaxAttempts {
			return nil
		}
		return w.retryLater(wctx, tx, DeliverArgs{OrganizationID: args.OrganizationID, EndpointID: ep.ID,
			WebhookEventIDs: failed, Attempted: n})
	})
	if paylink.IsCode(err, paylink.ENotFound) {
		return nil // the endpoint was deleted while we were sending
	}
	if err != nil || len(failed) < len(batch) {
		return err
	}
	if len(failed) > 1 {
		failure = fmt.Errorf("%d webhooks to endpoint %s failed, the last: %w", len(failed), ep.ID, failure)
	}
	if disabled {
		w.log.Warn("webhook endpoint disabled after failing for days", "endpoint", ep.ID, "organization", ep.OrganizationID)
		return river.JobCancel(failure)
	}
	return failure
}

// retryLater enqueues the failed part of a batch, in tx, when River would
// have retried it, with the attempts it has left.
func (w *deliverer) retryLater(ctx context.Context, tx *store.Tx, args DeliverArgs) error {
	client, err := river.ClientFromContextSafely[*sql.Tx](ctx)
	if err != nil {
		return err
	}
	_, err = client.InsertTx(ctx, tx.Tx, args, &river.InsertOpts{MaxAttempts: MaxAttempts - args.Attempted,
		Queue: DeliverQueue, ScheduledAt: NextRetry(args.Attempted, time.Now())})
	return err
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
