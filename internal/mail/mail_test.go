package mail_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/jobs"
	"github.com/paylink/paylink/internal/mail"
	"github.com/paylink/paylink/internal/mailpit"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

func testLog() *slog.Logger {
	var w io.Writer = io.Discard
	if os.Getenv("PAYLINK_TEST_LOGS") != "" {
		w = os.Stderr
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// newMailer builds a mailer to smtpURL ("" for none) with retries after 200 ms,
// and runs a job queue with its worker until the test ends.
func newMailer(t *testing.T, s *store.Store, smtpURL string) *mail.Service {
	t.Helper()
	ctx := context.Background()
	if err := jobs.Migrate(ctx, s); err != nil {
		t.Fatal(err)
	}
	m, err := mail.New(s, mail.Options{SMTPURL: smtpURL, From: "Shop <shop@example.com>", PublicURL: "http://shop.test",
		Log: testLog(), RetryDelay: func(int) time.Duration { return 200 * time.Millisecond }})
	if err != nil {
		t.Fatal(err)
	}
	client, err := jobs.NewClient(s, testLog(), m.Register())
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		client.Stop(stopCtx) //nolint:errcheck
	})
	return m
}

func signInLink(orgID string) mail.Message {
	return mail.Message{Kind: mail.KindSignInLink, OrganizationID: orgID, To: "ann@example.com",
		Data: mail.SignInLinkData{Email: "ann@example.com", Link: "http://shop.test/dashboard/welcome/pl_si_secret", Valid: "72 hours"}}
}

func queue(t *testing.T, s *store.Store, m *mail.Service, msg mail.Message) *store.Email {
	t.Helper()
	var e *store.Email
	if err := s.InTx(context.Background(), func(tx *store.Tx) (err error) {
		e, err = m.Queue(context.Background(), tx, msg)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return e
}

func emailOf(t *testing.T, s *store.Store, orgID, id string) *store.Email {
	t.Helper()
	var e *store.Email
	if err := s.Read(context.Background(), func(tx *store.Tx) (err error) {
		e, err = tx.EmailGet(context.Background(), orgID, id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return e
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(25 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func jobCount(t *testing.T, s *store.Store) int {
	t.Helper()
	var n int
	if err := s.DB.QueryRow(`SELECT count(*) FROM river_job WHERE kind = 'email_send'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// An email queued while the SMTP server is down is not lost: its attempts fail
// and are logged, and once the server is up the next retry delivers it. A
// sign-in link's body is then no longer kept in the log.
func TestEmailWaitsForTheSMTPServer(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		org := storetest.Org(t, s, "Down Shop")
		addr := mailpit.FreeAddr(t)
		m := newMailer(t, s, "smtp://"+addr)
		e := queue(t, s, m, signInLink(org.ID))
		if e.Status != store.EmailQueued || !strings.Contains(e.Text, "pl_si_secret") {
			t.Fatalf("queued email: %+v", e)
		}
		waitFor(t, "a failed attempt", func() bool {
			got := emailOf(t, s, org.ID, e.ID)
			return got.Status == store.EmailFailed && got.Attempts >= 2 && got.LastError != nil
		})

		mp := mailpit.StartOn(t, addr)
		msgs := mp.WaitFor(t, 1)
		if msgs[0].Subject != "Your sign-in link for Down Shop on paylink" || !strings.Contains(msgs[0].Text, "pl_si_secret") ||
			!strings.Contains(msgs[0].HTML, "pl_si_secret") {
			t.Fatalf("received: %+v", msgs[0])
		}
		waitFor(t, "the email marked sent", func() bool { return emailOf(t, s, org.ID, e.ID).Status == store.EmailSent })
		got := emailOf(t, s, org.ID, e.ID)
		if got.SentAt == nil || got.Text != "" || got.HTML != "" || got.Subject == "" {
			t.Fatalf("sent email in the log: %+v", got)
		}
		time.Sleep(500 * time.Millisecond) // a second run of the job would send it again by now
		if n := len(mp.Messages(t)); n != 1 {
			t.Fatalf("%d messages, want 1", n)
		}
	})
}

// Without SMTP an email is kept in the log, readable, and no job is queued; a
// secret one is kept without its body.
func TestEmailKeptWithoutSMTP(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		org := storetest.Org(t, s, "Local Shop")
		m := newMailer(t, s, "")
		msg := signInLink(org.ID)
		msg.Kind = mail.KindReceipt
		msg.CustomerID = ptr(paylink.NewID())
		msg.Data = mail.ReceiptData{ProductName: "Guide <1>", Currency: "eur", Subtotal: 123456, Total: 123456, OrderID: "o1",
			Date: "3 December 2026", ReceiptURL: "http://shop.test/portal/local-shop"}
		kept := queue(t, s, m, msg)
		secret := queue(t, s, m, signInLink(org.ID))
		for _, e := range []*store.Email{kept, secret} {
			if got := emailOf(t, s, org.ID, e.ID); got.Status != store.EmailKept {
				t.Fatalf("status %q, want kept", got.Status)
			}
		}
		got := emailOf(t, s, org.ID, kept.ID)
		if !strings.Contains(got.Text, "Guide <1>") || !strings.Contains(got.Text, "Total:    €1,234.56") ||
			!strings.Contains(got.HTML, "Guide &lt;1&gt;") || got.Subject != "Your receipt from Local Shop: €1,234.56" {
			t.Fatalf("kept receipt: %q\n%s\n%s", got.Subject, got.Text, got.HTML)
		}
		if got := emailOf(t, s, org.ID, secret.ID); got.Text != "" || got.HTML != "" {
			t.Fatalf("a kept sign-in link keeps its body: %q", got.Text)
		}
		if n := jobCount(t, s); n != 0 {
			t.Fatalf("%d send jobs without SMTP", n)
		}
	})
}

// An email belongs to its transaction: when the change rolls back, neither the
// email nor its job exists.
func TestEmailRollsBackWithItsChange(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		org := storetest.Org(t, s, "Rollback Shop")
		m := newMailer(t, s, "smtp://"+mailpit.FreeAddr(t))
		boom := errors.New("the change failed")
		err := s.InTx(context.Background(), func(tx *store.Tx) error {
			if _, err := m.Queue(context.Background(), tx, signInLink(org.ID)); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		var list []*store.Email
		if err := s.Read(context.Background(), func(tx *store.Tx) (err error) {
			list, _, err = tx.EmailList(context.Background(), store.EmailListParams{OrganizationID: org.ID})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if len(list) != 0 || jobCount(t, s) != 0 {
			t.Fatalf("%d emails, %d jobs after a rollback", len(list), jobCount(t, s))
		}
	})
}

func ptr[T any](v T) *T { return &v }

// An address the server could never take is tried once: the job is canceled,
// and the log says why.
func TestEmailToAMalformedAddressIsNotRetried(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		org := storetest.Org(t, s, "Typo Shop")
		mp := mailpit.Start(t)
		m := newMailer(t, s, mp.SMTPURL())
		msg := signInLink(org.ID)
		msg.To = "ann@@example"
		e := queue(t, s, m, msg)
		waitFor(t, "the job canceled", func() bool {
			var state string
			s.DB.QueryRow(`SELECT state FROM river_job WHERE kind = 'email_send'`).Scan(&state) //nolint:errcheck
			return state == "cancelled"
		})
		got := emailOf(t, s, org.ID, e.ID)
		if got.Status != store.EmailFailed || got.Attempts != 1 || got.LastError == nil {
			t.Fatalf("email: %+v", got)
		}
	})
}
