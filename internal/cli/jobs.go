package cli

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/paylink/paylink/internal/analytics"
	"github.com/paylink/paylink/internal/checkout"
	"github.com/paylink/paylink/internal/files"
	"github.com/paylink/paylink/internal/jobs"
	"github.com/paylink/paylink/internal/mail"
	"github.com/paylink/paylink/internal/portal"
	"github.com/paylink/paylink/internal/refunds"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/webhook"
)

// jobRegistrations lists every area's background work: one place to see it all.
func jobRegistrations(s *store.Store, log *slog.Logger, cfg *Config, flows *checkout.Service, refunder *refunds.Service, mailer *mail.Service, portals *portal.Service, uploads *files.Service) []jobs.Register {
	return []jobs.Register{
		heartbeat(),
		analytics.FoldJobs(s, time.Minute), // fold closed quarter hours into the link report's breakdown rollups
		flows.Jobs(time.Minute),            // expire open sessions past their expiry
		flows.RenewJobs(time.Minute),       // renew subscriptions whose period ended
		// settle sessions left confirmed longer than the grace period (abandoned 3-D Secure, a crash)
		flows.SettleJobs(time.Minute, checkout.SettleGrace),
		refunder.Jobs(time.Minute),                                                            // ask the processor again about refunds it never answered
		webhook.Register(s, webhook.Options{AllowPrivate: cfg.WebhookAllowPrivate, Log: log}), // deliver events
		mailer.Register(),                               // send the emails queued in the log
		portals.Jobs(time.Hour),                         // delete expired customer sessions, sign-in codes and rate-limit windows
		uploads.Jobs(time.Hour, cfg.UploadAbandonAfter), // delete uploads never completed, from the database and the storage
	}
}

// heartbeat is a no-op periodic job: it keeps the queue's leader election and
// maintenance running even before any area registers work.
func heartbeat() jobs.Register {
	return func(s *jobs.Setup) {
		river.AddWorker(s.Workers, river.WorkFunc(func(ctx context.Context, j *river.Job[heartbeatArgs]) error { return nil }))
		s.Periodic = append(s.Periodic, river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return heartbeatArgs{}, nil }, nil))
	}
}

type heartbeatArgs struct{}

func (heartbeatArgs) Kind() string { return "heartbeat" }
