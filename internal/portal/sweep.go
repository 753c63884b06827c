package portal

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/paylink/paylink/internal/jobs"
	"github.com/paylink/paylink/internal/store"
)

// Sweep deletes expired customer sessions and sign-in codes, and the rate-limit
// windows that are over, so none of them piles up.
func (s *Service) Sweep(ctx context.Context) error {
	return s.Store.InTx(ctx, func(tx *store.Tx) error { return tx.CustomerSessionsSweep(ctx, s.now(), CodeWindow) })
}

// SweepArgs is the periodic Sweep's job.
type SweepArgs struct{}

// Kind implements river.JobArgs.
func (SweepArgs) Kind() string { return "customer_session_sweep" }

type sweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	s *Service
}

func (w *sweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error { return w.s.Sweep(ctx) }

// Jobs registers the sweep, run every interval.
func (s *Service) Jobs(interval time.Duration) jobs.Register {
	return func(setup *jobs.Setup) {
		river.AddWorker(setup.Workers, &sweepWorker{s: s})
		setup.Periodic = append(setup.Periodic, river.NewPeriodicJob(river.PeriodicInterval(interval),
			func() (river.JobArgs, *river.InsertOpts) { return SweepArgs{}, nil }, nil))
	}
}
