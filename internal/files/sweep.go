package files

import (
	"context"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/jobs"
	"github.com/paylink/paylink/internal/store"
)

// DefaultAbandonAfter is how long an upload may stay uncompleted before the
// sweep deletes it (PAYLINK_UPLOAD_ABANDON_AFTER). MinAbandonAfter keeps it
// beyond every part URL's life, so no upload still under way is swept.
const (
	DefaultAbandonAfter = 24 * time.Hour
	MinAbandonAfter     = 2 * PartURLTTL
)

// sweepBatch is how many abandoned uploads one pass reads at a time.
const sweepBatch = 100

// SweepAbandoned deletes the uploads created more than after ago and never
// completed: their rows (and parts) from the database, then their parts and
// any assembled content from the storage, and returns how many it deleted. An
// upload completed meanwhile is left alone: the row goes only while it is
// still uploading, so a completion and the sweep never both win.
func (s *Service) SweepAbandoned(ctx context.Context, after time.Duration) (int, error) {
	cutoff := s.now().Add(-after)
	n := 0
	for {
		var batch []*paylink.File
		if err := s.Store.Read(ctx, func(tx *store.Tx) error {
			var err error
			batch, err = tx.FilesAbandoned(ctx, cutoff, sweepBatch)
			return err
		}); err != nil {
			return n, err
		}
		for _, f := range batch {
			err := s.Store.InTx(ctx, func(tx *store.Tx) error { return tx.FileDiscard(ctx, f.ID) })
			if paylink.IsCode(err, paylink.ENotFound) {
				continue // completed or deleted meanwhile
			}
			if err != nil {
				return n, err
			}
			s.removeBlobs(ctx, f)
			n++
		}
		if len(batch) < sweepBatch {
			return n, nil
		}
	}
}

// SweepArgs is the periodic SweepAbandoned's job.
type SweepArgs struct{}

// Kind implements river.JobArgs.
func (SweepArgs) Kind() string { return "abandoned_upload_sweep" }

// Jobs registers SweepAbandoned(after), run every interval.
func (s *Service) Jobs(interval, after time.Duration) jobs.Register {
	return jobs.Every[SweepArgs](interval, func(ctx context.Context) error {
		n, err := s.SweepAbandoned(ctx, after)
		if n > 0 {
			s.Log.InfoContext(ctx, "deleted abandoned uploads", "files", n)
		}
		return err
	})
}
