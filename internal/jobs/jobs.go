// Package jobs runs paylink's background work on River: one client type for both
// engines, because both River drivers used here speak database/sql, so a job is
// inserted with InsertTx in the very *sql.Tx of the change that causes it.
package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/paylink/paylink/internal/store"
)

// Client is River's client over database/sql transactions.
type Client = river.Client[*sql.Tx]

// driver returns River's driver for the store's engine.
func driver(s *store.Store) riverdriver.Driver[*sql.Tx] { return s.Engine.RiverDriver(s.DB) }

// Migrate creates or updates River's tables next to paylink's.
func Migrate(ctx context.Context, s *store.Store) error {
	m, err := rivermigrate.New(driver(s), nil)
	if err != nil {
		return err
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	return nil
}

// Setup lets each area register its workers and periodic jobs.
type Setup struct {
	Workers  *river.Workers
	Periodic []*river.PeriodicJob
	Queues   map[string]river.QueueConfig // an area's own queues, beside the default one
}

// Register is how an area adds its workers and periodic jobs.
type Register func(*Setup)

// NewClient builds a River client with the workers and periodic jobs added by the
// register functions. It runs as many workers as the engine's tuning says (two on
// SQLite, whose one connection more workers would only queue behind).
func NewClient(s *store.Store, log *slog.Logger, register ...Register) (*Client, error) {
	setup := &Setup{Workers: river.NewWorkers(), Queues: map[string]river.QueueConfig{}}
	for _, r := range register {
		r(setup)
	}
	setup.Queues[river.QueueDefault] = river.QueueConfig{MaxWorkers: s.Engine.Tuning().JobWorkers}
	cfg := &river.Config{
		Logger:       riverLogger(log),
		Workers:      setup.Workers,
		PeriodicJobs: setup.Periodic,
		Queues:       setup.Queues,
		PollOnly:     true,
		// A job still running after its timeout (River's one minute, or its
		// worker's own) belongs to a process that died: it is retried then, not
		// after River's default hour. River checks every 30 s.
		RescueStuckJobsAfter: river.JobTimeoutDefault,
	}
	return river.NewClient(driver(s), cfg)
}

// NewInserter builds an insert-only River client: no workers, no queues, so it
// can exist before the working client and be held by an area that enqueues jobs
// in its own transactions (internal/mail). The working client runs them.
func NewInserter(s *store.Store, log *slog.Logger) (*Client, error) {
	return river.NewClient(driver(s), &river.Config{Logger: riverLogger(log)})
}

// Every registers a periodic sweep: a job of type A (whose Kind names it) that
// runs work every interval, and once at start. work does its whole sweep; an
// error fails that run, and the next interval's run starts again.
func Every[A river.JobArgs](interval time.Duration, work func(ctx context.Context) error) Register {
	return func(setup *Setup) {
		river.AddWorker(setup.Workers, river.WorkFunc(func(ctx context.Context, _ *river.Job[A]) error { return work(ctx) }))
		setup.Periodic = append(setup.Periodic, river.NewPeriodicJob(river.PeriodicInterval(interval),
			func() (river.JobArgs, *river.InsertOpts) { var a A; return a, nil },
			&river.PeriodicJobOpts{RunOnStart: true}))
	}
}
