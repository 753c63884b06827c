package checkout

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/paylink/paylink/internal/store"
)

// maxVisitBatch bounds how many sessions one commit writes.
const maxVisitBatch = 256

// gathering says how long a writer lets concurrent visits join a batch before
// writing it, unless at least enough visits are waiting already. A commit costs
// about the same for one session as for dozens (the pages at the right edge of
// every index, the WAL frames, the round trip), so under load a short wait makes
// each visit cheaper; a lone visit waits that much more.
//
//   - SQLite: 250 µs took the CPU per visit from about 105 to 90 µs (p99 15 →
//     11 ms), and 600 µs beat 250 µs in four of four paired runs of
//     paylink-bench (visits / bare 303: 0.50 0.51 0.53 0.47 against 0.44 0.50
//     0.45 0.46); 1 ms was no better. The wait is always taken.
//   - PostgreSQL: a commit waits for the disk, milliseconds under load, and the
//     visits that arrive meanwhile make the next batch without any wait: a
//     writer that finds 8 or more waiting starts at once (visits / raw INSERT in
//     three paired runs: 1.34 1.34 1.20 against 1.22 1.15 1.15). 600 µs raised
//     the p99 (41–47 → 65–70 ms on a slow day) for no gain.
func gathering(engine string) (delay time.Duration, enough int) {
	if engine == "sqlite" {
		return 600 * time.Microsecond, maxVisitBatch
	}
	return 250 * time.Microsecond, 8
}

// visitWriter commits the sessions of concurrent link visits together: each
// visit waits until the transaction holding its session and its checkout.created
// event has committed, so every 303 points at a durable session, but a thousand
// visits cost tens of commits instead of a thousand.
//
// It also remembers, per organization, whether an endpoint subscribed to
// checkout.created when the last batch committed: visits render the event's
// payload (the full Checkout, kilobytes of JSON) only when one did. The write
// itself decides from the database; when the guess was wrong the writer renders
// the missing payloads and writes the batch again.
type visitWriter struct {
	store *store.Store
	in    chan *pendingVisit
	start sync.Once

	mu   sync.RWMutex
	subs map[string]bool // organization → subscribes to checkout.created
}

type pendingVisit struct {
	v       *store.Visit
	payload func() ([]byte, error) // renders the checkout.created payload
	done    chan error
}

// subscribed guesses whether the organization's checkout.created events need a payload.
func (w *visitWriter) subscribed(orgID string) bool {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.subs[orgID]
}

// write queues a visit and waits for its commit. It returns errLinkChanged when
// the link's row no longer matched the visit.
func (w *visitWriter) write(ctx context.Context, p *pendingVisit) error {
	w.start.Do(func() {
		w.in = make(chan *pendingVisit, 4096)
		// SQLite: one writer, as more would only queue behind its single
		// connection. PostgreSQL: two, so one batch executes while the other
		// waits for its commit to reach the disk. More make smaller batches,
		// whose cost is mostly per statement (PostgreSQL's CPU per visit with
		// 1, 2, 3 writers: 26–30, 33, 40–44 µs; visits/s: 13,700–15,500,
		// 16,400, 13,600–15,300; paylink-bench, paired runs).
		writers := 2
		if w.store.Engine.Name() == "sqlite" {
			writers = 1
		}
		for range writers {
			go w.loop()
		}
	})
	p.done = make(chan error, 1)
	select {
	case w.in <- p:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-p.done:
		return err
	case <-ctx.Done():
		// The session may still commit; the visitor is gone either way.
		return ctx.Err()
	}
}

func (w *visitWriter) loop() {
	delay, enough := gathering(w.store.Engine.Name())
	for first := range w.in {
		batch := []*pendingVisit{first}
		if 1+len(w.in) < enough {
			time.Sleep(delay)
		}
	drain:
		for len(batch) < maxVisitBatch {
			select {
			case p := <-w.in:
				batch = append(batch, p)
			default:
				break drain
			}
		}
		if err := w.commit(batch); err != nil {
			// One bad row must not fail its neighbours: write them one by one.
			for _, p := range batch {
				w.commit([]*pendingVisit{p}) //nolint:errcheck // a single visit is always answered
			}
		}
	}
}

// commit writes a batch and answers each visit, or, when the batch as a whole
// failed and holds more than one visit, answers none and returns the error.
func (w *visitWriter) commit(batch []*pendingVisit) error {
	vs := make([]*store.Visit, len(batch))
	for i, p := range batch {
		vs[i] = p.v
	}
	res, err := w.store.VisitsCreate(context.Background(), vs)
	var need *store.NeedPayloadsError
	if errors.As(err, &need) {
		if err = w.render(batch, need.Organizations); err == nil {
			res, err = w.store.VisitsCreate(context.Background(), vs)
		}
	}
	if err != nil {
		if len(batch) > 1 {
			return err
		}
		batch[0].done <- err
		return nil
	}
	w.mu.Lock()
	if w.subs == nil {
		w.subs = map[string]bool{}
	}
	for org, sub := range res.Subscribed {
		w.subs[org] = sub
	}
	w.mu.Unlock()
	for i, p := range batch {
		if res.Written[i] {
			p.done <- nil
		} else {
			p.done <- errLinkChanged
		}
	}
	return nil
}

// render fills in the payloads the organizations' visits lack.
func (w *visitWriter) render(batch []*pendingVisit, orgs []string) error {
	for _, p := range batch {
		if p.v.Payload == nil && slices.Contains(orgs, p.v.Checkout.OrganizationID) {
			b, err := p.payload()
			if err != nil {
				return err
			}
			p.v.Payload = b
		}
	}
	return nil
}
