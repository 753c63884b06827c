package mail

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"

	"github.com/paylink/paylink/internal/jobs"
	"github.com/paylink/paylink/internal/store"
)

// SendArgs is the job that sends one email of the log.
type SendArgs struct {
	EmailID        string `json:"email_id"`
	OrganizationID string `json:"organization_id"`
}

// Kind is River's name for the send job.
func (SendArgs) Kind() string { return "email_send" }

// sender is the worker of the send jobs.
type sender struct {
	river.WorkerDefaults[SendArgs]
	s *Service
}

// Register adds the send worker to the job queue; serve wires it in
// jobRegistrations.
func (s *Service) Register() jobs.Register {
	return func(setup *jobs.Setup) { river.AddWorker(setup.Workers, &sender{s: s}) }
}

// NextRetry is River's backoff unless Options.RetryDelay replaces it.
func (w *sender) NextRetry(j *river.Job[SendArgs]) time.Time {
	if w.s.retry == nil {
		return time.Time{}
	}
	return time.Now().Add(w.s.retry(j.Attempt))
}

// Work sends the email once: an email already sent (a job run twice) is left
// alone. A failed attempt is logged on the email and returned, so River tries
// again later; the email stays "failed" until an attempt succeeds.
func (w *sender) Work(ctx context.Context, j *river.Job[SendArgs]) error {
	s := w.s
	var e *store.Email
	if err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		e, err = tx.EmailGet(ctx, j.Args.OrganizationID, j.Args.EmailID)
		return err
	}); err != nil {
		return err
	}
	if e.Status == store.EmailSent {
		return nil
	}
	sendErr := errors.New("this paylink process has no PAYLINK_SMTP_URL")
	if s.smtp != nil {
		sendErr = s.smtp.send(ctx, e)
	}
	var errText *string
	if sendErr != nil {
		msg := sendErr.Error()
		errText = &msg
		s.log.InfoContext(ctx, "email not sent", "email_id", e.ID, "kind", e.Kind, "attempt", j.Attempt, "err", msg)
	}
	// The outcome is recorded even when shutdown cancels ctx: a sent email must not look unsent.
	ctx = context.WithoutCancel(ctx)
	err := s.store.InTx(ctx, func(tx *store.Tx) error {
		return tx.EmailAttempt(ctx, e.OrganizationID, e.ID, s.now().UTC(), errText, secretKinds[Kind(e.Kind)])
	})
	if sendErr != nil {
		return sendErr
	}
	return err
}
