package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"time"
)

// runDeliveries measures whether webhook delivery keeps up with the visit path
// (issue 16, defect 4): the demo organization subscribes an endpoint that
// answers at once to checkout.created, link visits run for cfg.Duration (each
// creates a session, so an event), and the run waits for the last delivery.
// It prints visits/s, deliveries/s from the first visit to the last delivery,
// and the backlog when the visits stopped.
func runDeliveries(ctx context.Context, cfg Config, out io.Writer, tmp string) error {
	engines, drop, err := benchEngines(ctx, cfg, filepath.Join(tmp, "deliveries.db"))
	if err != nil {
		return err
	}
	defer drop()
	for _, e := range engines {
		if err := measureDeliveries(ctx, cfg, out, e); err != nil {
			return fmt.Errorf("%s: %w", e.name, err)
		}
	}
	return nil
}

// dbEngine is a database to measure on.
type dbEngine struct{ name, url string }

// benchEngines are the databases a run measures: SQLite in sqliteFile (unless
// --skip-sqlite) and a scratch schema of --postgres (when given), which drop
// removes.
func benchEngines(ctx context.Context, cfg Config, sqliteFile string) (engines []dbEngine, drop func(), err error) {
	drop = func() {}
	if !cfg.SkipSQLite {
		engines = append(engines, dbEngine{"sqlite", "sqlite:" + sqliteFile})
	}
	if cfg.PostgresURL != "" {
		u, dropSchema, err := scratchSchema(ctx, cfg.PostgresURL)
		if err != nil {
			return nil, nil, err
		}
		drop = dropSchema
		engines = append(engines, dbEngine{"postgres", u})
	}
	return engines, drop, nil
}

func measureDeliveries(ctx context.Context, cfg Config, out io.Writer, e dbEngine) error {
	visits, s, stop, err := startPaylink(ctx, cfg, e.url, e.name)
	if err != nil {
		return err
	}
	defer stop()
	var delivered atomic.Int64
	var last atomic.Int64 // unix nanoseconds of the latest delivery
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		delivered.Add(1)
		last.Store(time.Now().UnixNano())
	}))
	defer hook.Close()
	body, _ := json.Marshal(map[string]any{"url": hook.URL, "format": "raw", "name": "bench", "events": []string{"checkout.created"}})
	req, _ := http.NewRequestWithContext(ctx, "POST", s.base+"/v1/webhooks/endpoints", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.token)
	resp, err := newClient(cfg).Do(req)
	if err != nil {
		return err
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		return fmt.Errorf("create the webhook endpoint: %d %s", resp.StatusCode, raw)
	}

	start := time.Now()
	r, _ := drive(ctx, cfg.Concurrency, cfg.Duration, visits.op)
	stopped := time.Now()
	backlog := int64(r.Count) - delivered.Load()
	deadline := stopped.Add(max(2*cfg.Duration, time.Minute))
	for delivered.Load() < int64(r.Count) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	got := delivered.Load()
	took := time.Unix(0, last.Load()).Sub(start)
	fmt.Fprintf(out, "%s: %d link visits in %s (%.0f/s), %d checkout.created delivered in %s from the first visit (%.0f/s), backlog %d when the visits stopped\n",
		e.name, r.Count, stopped.Sub(start).Round(time.Millisecond), r.Rate(), got, took.Round(time.Millisecond),
		float64(got)/took.Seconds(), max(backlog, 0))
	fmt.Fprintf(out, "  %s: deliveries / visits = %.2f×\n\n", e.name, float64(got)/took.Seconds()/r.Rate())
	if got < int64(r.Count) {
		return fmt.Errorf("%d of %d events delivered after waiting %s", got, r.Count, time.Since(stopped).Round(time.Second))
	}
	return nil
}
