package benefits

import (
	"context"
	"sync"
	"time"

	"github.com/paylink/paylink/internal/store"
)

// A validation without increment_usage only reads the key (on SQLite from the
// read pool, beside the single writer), so it is as cheap as the lookup; its
// bookkeeping (validations, last_validated_at) is counted in memory and written
// for all keys at once every flushEvery. A process that dies loses at most that
// much of the counts, never a usage: increment_usage is written in the call's
// own transaction, under the key's row lock.
const flushEvery = 250 * time.Millisecond

// counts batches the validation counts of keys between flushes.
type counts struct {
	mu      sync.Mutex
	pending map[string]countOf // by key id
	once    sync.Once
	stop    chan struct{}
	done    chan struct{}
}

type countOf struct {
	n    int
	last time.Time
}

// countValidation counts one validation of key id at now, starting the flusher on first use.
func (s *Service) countValidation(id string, now time.Time) {
	c := &s.counts
	c.once.Do(func() {
		c.stop, c.done = make(chan struct{}), make(chan struct{})
		go s.flushLoop()
	})
	c.mu.Lock()
	if c.pending == nil {
		c.pending = map[string]countOf{}
	}
	p := c.pending[id]
	p.n++
	p.last = now
	c.pending[id] = p
	c.mu.Unlock()
}

func (s *Service) flushLoop() {
	c := &s.counts
	defer close(c.done)
	t := time.NewTicker(flushEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			s.flush()
		case <-c.stop:
			s.flush()
			return
		}
	}
}

// flush writes the pending counts in one transaction; on an error they are
// kept for the next flush.
func (s *Service) flush() {
	c := &s.counts
	c.mu.Lock()
	batch := c.pending
	c.pending = nil
	c.mu.Unlock()
	if len(batch) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		for id, p := range batch {
			if err := tx.LicenseKeyValidated(ctx, id, p.n, 0, p.last); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		return
	}
	if s.Log != nil {
		s.Log.Warn("license key validation counts not written; retrying", "err", err, "keys", len(batch))
	}
	c.mu.Lock()
	if c.pending == nil {
		c.pending = map[string]countOf{}
	}
	for id, p := range batch {
		q := c.pending[id]
		q.n += p.n
		if p.last.After(q.last) {
			q.last = p.last
		}
		c.pending[id] = q
	}
	c.mu.Unlock()
}

// Close writes the validation counts still pending and stops the flusher.
// Call it once, when the service is no longer used.
func (s *Service) Close() {
	c := &s.counts
	c.once.Do(func() {}) // a service never used has nothing to stop, and starts nothing now
	if c.stop != nil {
		close(c.stop)
		<-c.done
	}
}
