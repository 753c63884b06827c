package analytics

import (
	"context"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/jobs"
	"github.com/paylink/paylink/internal/store"
)

// FoldArgs is the periodic job folding closed quarter hours into the breakdown
// rollups (store.BreakdownFold).
type FoldArgs struct{}

// Kind implements river.JobArgs.
func (FoldArgs) Kind() string { return "analytics_breakdown_fold" }

// FoldJobs registers the fold, run every interval (a minute in production: the
// link report then reads the raw sessions of the current quarter hour and of at
// most the one before it).
func FoldJobs(s *store.Store, interval time.Duration) jobs.Register {
	return jobs.Every[FoldArgs](interval, func(ctx context.Context) error {
		_, err := s.BreakdownFold(ctx, paylink.Now())
		return err
	})
}
