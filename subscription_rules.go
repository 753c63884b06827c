package paylink

import (
	"slices"
	"strings"
	"time"
)

// CancellationReasons are the values of Polar's CustomerCancellationReason.
var CancellationReasons = []string{"customer_service", "low_quality", "missing_features", "switched_service",
	"too_complex", "too_expensive", "unused", "other"}

// MaxCancellationComment bounds a customer's cancellation comment (Polar sets
// no bound; a comment is a few sentences, not a document).
const MaxCancellationComment = 5000

// Cancellation is why a customer ends a subscription; both are optional.
type Cancellation struct {
	Reason  *string // one of CancellationReasons
	Comment *string
}

// Check reports a reason that is not one of CancellationReasons and a comment
// that is too long, located under loc ("body").
func (c Cancellation) Check(probs *Problems, loc ...any) {
	if c.Reason != nil && !slices.Contains(CancellationReasons, *c.Reason) {
		probs.Add("must be one of "+strings.Join(CancellationReasons, ", "), *c.Reason,
			append(loc, "customer_cancellation_reason")...)
	}
	if c.Comment != nil && len([]rune(*c.Comment)) > MaxCancellationComment {
		probs.Add("must be at most 5000 characters", nil, append(loc, "customer_cancellation_comment")...)
	}
}

// AlreadyCanceled is Polar's AlreadyCanceledSubscription (403): a cancel of a
// subscription that ended or is already set to end, or a revoke of one that ended.
func AlreadyCanceled() *Error {
	return &Error{Code: EForbidden, Name: "AlreadyCanceledSubscription",
		Message: "This subscription is already canceled or will be at the end of the period."}
}

// Ended reports whether the subscription has ended: it never renews again.
func (s *Subscription) Ended() bool { return s.EndedAt != nil }

// Billable reports whether the subscription still renews or is being dunned.
func (s *Subscription) Billable() bool {
	return !s.Ended() && (s.Status == SubscriptionActive || s.Status == SubscriptionPastDue)
}

// CancelAtEnd schedules the end of the subscription at the end of its current
// period, as Polar's cancel does: canceled_at now, ends_at the period end (now
// for a past-due subscription, whose paid period is over already). The status
// stays until the renewal sweep ends it. A reason or comment given replaces the
// one recorded.
func (s *Subscription) CancelAtEnd(now time.Time, c Cancellation) error {
	if !s.Billable() || s.CancelAtPeriodEnd || s.EndsAt != nil {
		return AlreadyCanceled()
	}
	ends := s.EndsIfCanceled(now)
	s.CanceledAt, s.CancelAtPeriodEnd, s.EndsAt = &now, true, &ends
	s.noteCancellation(c)
	return nil
}

// EndsIfCanceled is when the subscription would end if it were canceled at
// period end now: the end of its period, or now once that is past (a past-due
// subscription's paid period is over).
func (s *Subscription) EndsIfCanceled(now time.Time) time.Time {
	if s.CurrentPeriodEnd.Before(now) {
		return now
	}
	return s.CurrentPeriodEnd
}

// Uncancel takes back a scheduled cancellation: the subscription renews again
// and the cancellation's dates, reason and comment are cleared. An ended one is
// EGone (Polar's ResourceUnavailable); one not set to cancel is EBadRequest.
func (s *Subscription) Uncancel() error {
	if s.Ended() {
		return &Error{Code: EGone, Name: "ResourceUnavailable", Message: "This subscription has ended; it cannot be uncanceled."}
	}
	if !s.CancelAtPeriodEnd || !s.Billable() {
		return &Error{Code: EBadRequest, Name: "BadRequest", Message: "This subscription is not set to cancel at the end of the period."}
	}
	s.CanceledAt, s.CancelAtPeriodEnd, s.EndsAt = nil, false, nil
	s.CustomerCancellationReason, s.CustomerCancellationComment = nil, nil
	return nil
}

// Revoke ends the subscription now (Polar's revoke: canceled_at, ends_at and
// ended_at now, status canceled), also one already set to cancel at period end.
func (s *Subscription) Revoke(now time.Time, c Cancellation) error {
	if !s.Billable() {
		return AlreadyCanceled()
	}
	s.noteCancellation(c)
	s.revokeNow(now)
	return nil
}

// EndScheduled ends a subscription set to cancel at period end, once its period
// is over: status canceled and ended_at now; ends_at stays what was announced.
func (s *Subscription) EndScheduled(now time.Time) {
	s.end(now)
}

// revokeNow cancels and ends the subscription at now.
func (s *Subscription) revokeNow(now time.Time) {
	s.CanceledAt, s.EndsAt = &now, &now
	s.end(now)
}

func (s *Subscription) end(now time.Time) {
	s.Status, s.EndedAt, s.NextAttemptAt = SubscriptionCanceled, &now, nil
}

func (s *Subscription) noteCancellation(c Cancellation) {
	if c.Reason != nil {
		s.CustomerCancellationReason = c.Reason
	}
	if c.Comment != nil && *c.Comment != "" {
		s.CustomerCancellationComment = c.Comment
	}
}

// DunningSchedule are the waits after each failed renewal charge before the next
// try, Polar's DUNNING_RETRY_INTERVALS: tries on days 0, 2, 7, 14 and 21 after the
// period ended. When the try after the last wait fails too, the subscription ends.
var DunningSchedule = []time.Duration{2 * 24 * time.Hour, 5 * 24 * time.Hour, 7 * 24 * time.Hour, 7 * 24 * time.Hour}

// RenewalDeclined records one more failed renewal charge: the subscription is
// past_due with its next try scheduled, or, once DunningSchedule is used up,
// revoked (status canceled, ended now; Polar's end of dunning). It reports
// whether the subscription ended.
func (s *Subscription) RenewalDeclined(now time.Time) (ended bool) {
	if s.RenewalAttempts >= len(DunningSchedule) {
		s.RenewalAttempts++
		s.revokeNow(now)
		return true
	}
	next := now.Add(DunningSchedule[s.RenewalAttempts])
	s.Status, s.NextAttemptAt = SubscriptionPastDue, &next
	if s.PastDueAt == nil {
		s.PastDueAt = &now
	}
	s.RenewalAttempts++
	return false
}
