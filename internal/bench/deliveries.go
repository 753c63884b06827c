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
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// runDeliveries measures whether webhook delivery keeps up with the visit path
// (issue 16, defect 4): the demo organization subscribes an endpoint that
// answers at once to checkout.created, link visits run for cfg.Duration (each
// creates a session, so an event), and the run waits for the last delivery.
// It prints visits/s, deliveries/s while the visits ran and from the first
// visit to the last delivery, and the backlog when the visits stopped; with
// cfg.Rounds > 1, the medians of the ratios.
func runDeliveries(ctx context.Context, cfg Config, out io.Writer, tmp string) error {
	return eachRound(cfg, out, true, 50, func(round int) ([]ratio, error) {
		engines, drop, err := benchEngines(ctx, cfg, filepath.Join(tmp, fmt.Sprintf("deliveries-%d.db", round)))
		if err != nil {
			return nil, err
		}
		defer drop()
		var all []ratio
		for _, e := range engines {
			rs, err := measureDeliveries(ctx, cfg, out, e)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", e.name, err)
			}
			all = append(all, rs...)
		}
		return all, nil
	})
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

// measureDeliveries is one engine's run. Every webhook-id must arrive exactly
// once: a duplicate or a missing event fails the run.
func measureDeliveries(ctx context.Context, cfg Config, out io.Writer, e dbEngine) ([]ratio, error) {
	visits, s, stop, err := startPaylink(ctx, cfg, e.url, e.name)
	if err != nil {
		return nil, err
	}
	defer stop()
	var mu sync.Mutex
	seen := map[string]bool{} // webhook-id → received
	var delivered, duplicates atomic.Int64
	var last atomic.Int64    // unix nanoseconds of the latest delivery
	var lags []time.Duration // from the event to its delivery, of the events of the visits timed
	var since atomic.Int64   // unix nanoseconds from which events are timed; 0 before
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Timestamp time.Time }
		json.NewDecoder(r.Body).Decode(&body)
		io.Copy(io.Discard, r.Body)
		mu.Lock()
		dup := seen[r.Header.Get("webhook-id")]
		seen[r.Header.Get("webhook-id")] = true
		if t := since.Load(); !dup && t > 0 && body.Timestamp.UnixNano() >= t {
			lags = append(lags, time.Since(body.Timestamp))
		}
		mu.Unlock()
		if dup {
			duplicates.Add(1)
			return
		}
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
		return nil, err
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("create the webhook endpoint: %d %s", resp.StatusCode, raw)
	}

	// One delivery before the clock starts: River starts its periodic jobs
	// (the dispatcher's among them) a few seconds after the process, and a
	// running server is long past that.
	if err := visits.op(ctx); err != nil {
		return nil, err
	}
	for warm := time.Now().Add(time.Minute); delivered.Load() == 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(warm) {
			return nil, fmt.Errorf("no delivery within a minute of the first visit")
		}
	}
	delivered.Store(0)

	start := time.Now()
	since.Store(start.UnixNano())
	r, _ := drive(ctx, cfg.Concurrency, cfg.Duration, visits.op)
	stopped := time.Now()
	during := delivered.Load()
	// A visit in flight when the clock ran out, and the warm-up visit, may
	// have made an event too: after the visits counted, wait for a quiet second.
	deadline := stopped.Add(max(2*cfg.Duration, time.Minute))
	for time.Now().Before(deadline) {
		if n := delivered.Load(); n >= int64(r.Count) && time.Since(time.Unix(0, last.Load())) > time.Second {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	got := delivered.Load()
	mu.Lock()
	slices.Sort(lags)
	lag := func(q float64) time.Duration {
		if len(lags) == 0 {
			return 0
		}
		return lags[int(q*float64(len(lags)-1))].Round(time.Millisecond)
	}
	lag50, lag99, lagMax := lag(0.5), lag(0.99), lag(1)
	mu.Unlock()
	took := time.Unix(0, last.Load()).Sub(start)
	ran := stopped.Sub(start)
	fmt.Fprintf(out, "%s: %d link visits in %s (%.0f/s); %d checkout.created delivered while they ran (%.0f/s), "+
		"backlog %d when they stopped; all %d delivered %s after the first visit (%.0f/s), %d duplicates\n",
		e.name, r.Count, ran.Round(time.Millisecond), r.Rate(), during, float64(during)/ran.Seconds(),
		max(int64(r.Count)-during, 0), got, took.Round(time.Millisecond), float64(got)/took.Seconds(), duplicates.Load())
	whileRan := float64(during) / ran.Seconds() / r.Rate()
	overall := float64(got) / took.Seconds() / r.Rate()
	fmt.Fprintf(out, "  %s: deliveries / visits = %.2f× while the visits ran, %.2f× to the last delivery; "+
		"event → delivery p50 %s, p99 %s, max %s\n\n", e.name, whileRan, overall, lag50, lag99, lagMax)
	if got < int64(r.Count) || duplicates.Load() > 0 {
		return nil, fmt.Errorf("%d of %d events delivered after waiting %s, %d duplicates", got, r.Count,
			time.Since(stopped).Round(time.Second), duplicates.Load())
	}
	return []ratio{{e.name + ": deliveries / visits while they ran", whileRan, "×"},
		{e.name + ": deliveries / visits to the last delivery", overall, "×"},
		{e.name + ": event → delivery p99", lag99.Seconds(), " s"}}, nil
}
