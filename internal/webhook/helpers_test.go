package webhook

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/jobs"
	"github.com/paylink/paylink/internal/store"
)

// received is one request a receiver got.
type received struct {
	header http.Header
	body   []byte
}

// receiver is a merchant's endpoint: it answers failStatus to the first
// failFirst requests (with failBody), then 200.
type receiver struct {
	mu         sync.Mutex
	failFirst  int
	failStatus int
	failBody   string
	got        []received
	srv        *httptest.Server
}

func newReceiver(t *testing.T, failFirst int) *receiver {
	r := &receiver{failFirst: failFirst, failStatus: 500, failBody: "down for maintenance"}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, received{req.Header.Clone(), b})
		n := len(r.got)
		r.mu.Unlock()
		if n <= r.failFirst {
			w.WriteHeader(r.failStatus)
			io.WriteString(w, r.failBody)
			return
		}
		io.WriteString(w, "ok")
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// waitFor polls cond until it holds; it fails the test after 30 s. It waits for
// an outcome, it does not time one.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// startQueue migrates River's tables and runs a job queue with the webhook
// workers until the test ends; retries are shortened to milliseconds.
func startQueue(t testing.TB, s *store.Store, opts Options) {
	t.Helper()
	ctx := context.Background()
	old := RetryBase
	RetryBase = 10 * time.Millisecond
	t.Cleanup(func() { RetryBase = old })
	if err := jobs.Migrate(ctx, s); err != nil {
		t.Fatal(err)
	}
	var w io.Writer = io.Discard
	if os.Getenv("PAYLINK_TEST_LOGS") != "" {
		w = os.Stderr
	}
	log := slog.New(slog.NewTextHandler(w, nil))
	opts.Log = log
	client, err := jobs.NewClient(s, log, Register(s, opts))
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
}

func endpointFor(t testing.TB, s *store.Store, orgID, url string, enabled bool, events ...string) *store.WebhookEndpoint {
	t.Helper()
	e := &store.WebhookEndpoint{OrganizationID: orgID, URL: url, Secret: paylink.NewSecret(paylink.PrefixWebhookSecret),
		Format: FormatRaw, Events: events, Enabled: enabled}
	if err := s.InTx(context.Background(), func(tx *store.Tx) error { return tx.WebhookEndpointCreate(context.Background(), e) }); err != nil {
		t.Fatal(err)
	}
	return e
}

func record(t testing.TB, s *store.Store, orgID, typ, payload string) *store.Event {
	t.Helper()
	e := &store.Event{OrganizationID: orgID, Type: typ, Payload: []byte(payload)}
	if err := s.InTx(context.Background(), func(tx *store.Tx) error { return tx.EventRecord(context.Background(), e) }); err != nil {
		t.Fatal(err)
	}
	return e
}

func deliveries(t testing.TB, s *store.Store, orgID string) []*store.WebhookDelivery {
	t.Helper()
	var out []*store.WebhookDelivery
	err := s.Read(context.Background(), func(tx *store.Tx) (err error) {
		out, _, err = tx.WebhookDeliveryList(context.Background(), store.WebhookDeliveryListParams{
			OrganizationID: orgID, ListParams: store.ListParams{OrderBy: "d.created_at, d.id"}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func jobStates(t *testing.T, s *store.Store, kind string) string {
	t.Helper()
	var states []string
	rows, err := s.DB.Query(`SELECT state FROM river_job WHERE kind = $1 ORDER BY id`, kind)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		rows.Scan(&st)
		states = append(states, st)
	}
	return strings.Join(states, ",")
}
