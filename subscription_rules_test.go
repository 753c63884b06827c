package paylink

import (
	"testing"
	"time"
)

func activeSubscription(now time.Time) *Subscription {
	return &Subscription{Status: SubscriptionActive, CurrentPeriodStart: now.AddDate(0, 0, -10),
		CurrentPeriodEnd: now.AddDate(0, 0, 20)}
}

// A past-due subscription's paid period is over: canceled at period end, it ends now.
func TestCancelAtEndOfPastDueEndsNow(t *testing.T) {
	now := Now()
	s := activeSubscription(now)
	s.Status, s.CurrentPeriodEnd = SubscriptionPastDue, now.AddDate(0, 0, -3)
	if err := s.CancelAtEnd(now, Cancellation{}); err != nil {
		t.Fatal(err)
	}
	if !s.EndsAt.Equal(now) || !s.CancelAtPeriodEnd || s.Ended() {
		t.Fatalf("%+v", s)
	}
}

// A reason given replaces the recorded one; an empty comment keeps the old one.
func TestCancellationKeepsWhatIsNotGiven(t *testing.T) {
	now := Now()
	s := activeSubscription(now)
	r1, r2, c1, empty := "unused", "other", "Bye", ""
	if err := s.CancelAtEnd(now, Cancellation{Reason: &r1, Comment: &c1}); err != nil {
		t.Fatal(err)
	}
	if err := s.Revoke(now, Cancellation{Reason: &r2, Comment: &empty}); err != nil {
		t.Fatal(err)
	}
	if *s.CustomerCancellationReason != "other" || *s.CustomerCancellationComment != "Bye" || !s.Ended() {
		t.Fatalf("%+v", s)
	}
	if err := s.Revoke(now, Cancellation{}); !IsCode(err, EForbidden) {
		t.Fatalf("revoke of an ended subscription: %v", err)
	}
}

// Each failure before the last schedules the next try DunningSchedule[i] later;
// the failure after the last wait ends the subscription.
func TestRenewalDeclinedFollowsTheSchedule(t *testing.T) {
	now := Now()
	s := activeSubscription(now)
	first := now
	for i, wait := range DunningSchedule {
		if s.RenewalDeclined(now) {
			t.Fatalf("ended at failure %d", i+1)
		}
		if s.Status != SubscriptionPastDue || !s.NextAttemptAt.Equal(now.Add(wait)) || !s.PastDueAt.Equal(first) {
			t.Fatalf("failure %d: %+v", i+1, s)
		}
		now = now.Add(wait)
	}
	if !s.RenewalDeclined(now) || s.Status != SubscriptionCanceled || !s.EndedAt.Equal(now) || s.NextAttemptAt != nil {
		t.Fatalf("after the schedule: %+v", s)
	}
	if total := now.Sub(first); total != 21*24*time.Hour {
		t.Fatalf("dunning lasts %v, the README says 21 days", total)
	}
}

func TestCancellationCheck(t *testing.T) {
	bad, long := "bored", string(make([]rune, MaxCancellationComment+1))
	var probs Problems
	Cancellation{Reason: &bad, Comment: &long}.Check(&probs, "body")
	if len(probs) != 2 || probs[0].Loc[1] != "customer_cancellation_reason" || probs[1].Loc[1] != "customer_cancellation_comment" {
		t.Fatalf("%+v", probs)
	}
}
