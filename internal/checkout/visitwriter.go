package checkout

import (
	"context"
	"sync"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// maxVisitBatch bounds how many sessions one commit writes.
const maxVisitBatch = 128

// visitWriter commits the sessions of concurrent link visits together: each
// visit waits until the transaction holding its session and its checkout.created
// event has committed, so every 303 points at a durable session, but a thousand
// visits cost tens of commits instead of a thousand.
type visitWriter struct {
	store *store.Store
	in    chan *pendingVisit
	start sync.Once
}

type pendingVisit struct {
	c    *paylink.Checkout
	ev   *store.Event
	done chan error
}

// write queues a session and its event and waits for their commit.
func (w *visitWriter) write(ctx context.Context, c *paylink.Checkout, ev *store.Event) error {
	w.start.Do(func() {
		w.in = make(chan *pendingVisit, 4096)
		n := 4
		if w.store.Engine.Name() == "sqlite" {
			n = 1 // one connection: more writers would only queue behind it
		}
		for i := 0; i < n; i++ {
			go w.loop()
		}
	})
	p := &pendingVisit{c: c, ev: ev, done: make(chan error, 1)}
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
	for first := range w.in {
		batch := []*pendingVisit{first}
	drain:
		for len(batch) < maxVisitBatch {
			select {
			case p := <-w.in:
				batch = append(batch, p)
			default:
				break drain
			}
		}
		err := w.commit(batch)
		if err != nil && len(batch) > 1 {
			// One bad row must not fail its neighbours: write them one by one.
			for _, p := range batch {
				p.done <- w.commit([]*pendingVisit{p})
			}
			continue
		}
		for _, p := range batch {
			p.done <- err
		}
	}
}

func (w *visitWriter) commit(batch []*pendingVisit) error {
	cs := make([]*paylink.Checkout, len(batch))
	es := make([]*store.Event, len(batch))
	for i, p := range batch {
		cs[i], es[i] = p.c, p.ev
	}
	return w.store.CheckoutCreateWithEvents(context.Background(), cs, es)
}
