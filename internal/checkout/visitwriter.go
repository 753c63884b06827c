package checkout

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/paylink/paylink/internal/store"
)

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

// pendingVisit is a visit with its session (v), or, for a visit that opens
// none (a bot's, a blocked one), only its count.
type pendingVisit struct {
	v       *store.Visit
	count   *store.VisitCount
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
		// As many writers as the engine's tuning says: one on SQLite, two on
		// PostgreSQL (store's sqlite.go and postgres.go say why).
		for range w.store.Engine.Tuning().VisitWriters {
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
	// Under load a short wait lets concurrent visits share a commit (Tuning).
	t := w.store.Engine.Tuning()
	for first := range w.in {
		batch := []*pendingVisit{first}
		if 1+len(w.in) < t.VisitGatherUnless {
			time.Sleep(t.VisitGather)
		}
	drain:
		for len(batch) < t.VisitBatch {
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
	vs := make([]*store.Visit, 0, len(batch))
	var counts []store.VisitCount
	for _, p := range batch {
		if p.v != nil {
			vs = append(vs, p.v)
		} else {
			counts = append(counts, *p.count)
		}
	}
	res, err := w.store.VisitsCreate(context.Background(), vs, counts...)
	var need *store.NeedPayloadsError
	if errors.As(err, &need) {
		if err = w.render(batch, need.Organizations); err == nil {
			res, err = w.store.VisitsCreate(context.Background(), vs, counts...)
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
	i := 0
	for _, p := range batch {
		switch {
		case p.v == nil:
			p.done <- nil
		case res.Written[i]:
			p.done <- nil
		default:
			p.done <- errLinkChanged
		}
		if p.v != nil {
			i++
		}
	}
	return nil
}

// render fills in the payloads the organizations' visits lack.
func (w *visitWriter) render(batch []*pendingVisit, orgs []string) error {
	for _, p := range batch {
		if p.v != nil && p.v.Payload == nil && slices.Contains(orgs, p.v.Checkout.OrganizationID) {
			b, err := p.payload()
			if err != nil {
				return err
			}
			p.v.Payload = b
		}
	}
	return nil
}
