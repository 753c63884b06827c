package checkout

import (
	"context"
	"time"

	"github.com/paylink/paylink/internal/jobs"
	"github.com/paylink/paylink/internal/store"
)

// ExpireBatch is how many sessions one sweep transaction expires at most.
const ExpireBatch = 500

// ExpireDue moves open sessions past their expiry to expired and records
// checkout.expired for each, batch by batch; it returns how many it expired.
func (s *Service) ExpireDue(ctx context.Context) (int, error) {
	total := 0
	for {
		n := 0
		err := s.Store.InTx(ctx, func(tx *store.Tx) error {
			due, err := tx.CheckoutExpireDue(ctx, s.now(), ExpireBatch)
			if err != nil {
				return err
			}
			n = len(due)
			for _, c := range due {
				if err := s.recordCheckout(ctx, tx, "checkout.expired", c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return total, err
		}
		total += n
		if n < ExpireBatch {
			return total, nil
		}
	}
}

// ExpireArgs is the periodic expiry sweep's job.
type ExpireArgs struct{}

// Kind implements river.JobArgs.
func (ExpireArgs) Kind() string { return "checkout_expire" }

// Jobs registers the expiry sweep, run every interval (a minute in production).
func (s *Service) Jobs(interval time.Duration) jobs.Register {
	return jobs.Every[ExpireArgs](interval, func(ctx context.Context) error {
		n, err := s.ExpireDue(ctx)
		if n > 0 {
			s.Log.InfoContext(ctx, "expired checkout sessions", "count", n)
		}
		return err
	})
}
