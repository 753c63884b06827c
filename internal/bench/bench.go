// Package bench drives link visits over real HTTP and compares them with a bare
// 303 handler and a raw INSERT loop measured in the same run.
package bench

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/cli"
	"github.com/paylink/paylink/internal/store"
)

// Config says what to measure.
type Config struct {
	Duration    time.Duration
	Concurrency int
	PostgresURL string // also measure PostgreSQL when set
	SkipSQLite  bool
	VisitsOnly  bool // skip the baselines (for profiling the visit path)
	LicenseKeys bool // measure license key validations against link visits instead of the baselines
	Confirm     bool // measure confirm → order against the TPC-B-like ceiling instead of the baselines
	Pages       bool // measure the checkout page and its client JSON against the bare handler instead
	GOGC        int  // the GC target in force for the whole run (reported)
	Rounds      int  // repetitions of the whole set of measurements (medians reported when > 1)
	// Growth runs the growth matrix instead (growth.go): the merchant's lists
	// and counts at 10,000 sessions and at GrowthSessions (default 1,000,000).
	Growth         bool
	GrowthSessions int
	// Deliveries measures webhook deliveries of checkout.created under link
	// visits instead (deliveries.go).
	Deliveries bool
}

// Result is one measurement.
type Result struct {
	Name     string
	Count    int
	Errors   int
	Duration time.Duration
	P50, P99 time.Duration
	// CPU time used meanwhile by this process (load generator, paylink and, on
	// SQLite, the database) and by the rest of the machine (PostgreSQL's
	// processes, and the kernel's network work not charged to a process): a
	// measure that, unlike the rate, holds up on a machine busy with other work.
	CPUSelf, CPUOthers time.Duration
}

// Rate is operations per second.
func (r Result) Rate() float64 { return float64(r.Count) / r.Duration.Seconds() }

func (r Result) String() string {
	s := fmt.Sprintf("%-28s %9.0f/s   p50 %7.2f ms   p99 %7.2f ms   (%d ok, %d errors)",
		r.Name, r.Rate(), ms(r.P50), ms(r.P99), r.Count, r.Errors)
	if r.Count > 0 {
		s += fmt.Sprintf("\n%-28s cpu/op: this process %.0f µs, the rest of the machine (PostgreSQL…) %.0f µs", "",
			us(r.CPUSelf)/float64(r.Count), us(r.CPUOthers)/float64(r.Count))
	}
	return s
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func us(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1000 }

// Run measures and prints: cfg.Rounds rounds, each a bare 303 run and, per
// engine on a fresh database, a raw INSERT run and a visits run back to back, then
// the median ratios when there was more than one round.
func Run(ctx context.Context, cfg Config, out io.Writer) error {
	if cfg.Concurrency < 1 {
		cfg.Concurrency = 64
	}
	if cfg.Rounds < 1 {
		cfg.Rounds = 1
	}
	fmt.Fprintf(out, "paylink-bench: %d concurrent connections, %s per measurement, GOMAXPROCS from %d CPUs, GOGC %d\n\n",
		cfg.Concurrency, cfg.Duration, runtime.NumCPU(), cfg.GOGC)
	tmp, err := os.MkdirTemp("", "paylink-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if cfg.Growth {
		return runGrowth(ctx, cfg, out, tmp)
	}
	if cfg.Deliveries {
		return runDeliveries(ctx, cfg, out, tmp)
	}
	return eachRound(cfg, out, !cfg.VisitsOnly, 36, func(round int) ([]ratio, error) {
		return measureRound(ctx, cfg, out, filepath.Join(tmp, fmt.Sprintf("bench-%d.db", round)))
	})
}

// eachRound runs cfg.Rounds rounds of measure and, with more than one and
// medians, prints each ratio's median over them (names padded to width).
func eachRound(cfg Config, out io.Writer, medians bool, width int, measure func(round int) ([]ratio, error)) error {
	values := map[string][]float64{}
	units := map[string]string{}
	var names []string // in the order the rounds first gave them
	for round := 1; round <= cfg.Rounds; round++ {
		if cfg.Rounds > 1 {
			fmt.Fprintf(out, "round %d of %d\n", round, cfg.Rounds)
		}
		got, err := measure(round)
		if err != nil {
			return err
		}
		for _, r := range got {
			if _, ok := values[r.name]; !ok {
				names = append(names, r.name)
			}
			values[r.name] = append(values[r.name], r.value)
			units[r.name] = r.unit
		}
	}
	if cfg.Rounds > 1 && medians {
		fmt.Fprintln(out, "medians (the upper middle for an even number of rounds):")
		for _, n := range names {
			v := slices.Clone(values[n])
			slices.Sort(v)
			fmt.Fprintf(out, "  %-*s %.2f%s   (rounds: %s)\n", width, n, v[len(v)/2], units[n], joinRatios(values[n], units[n]))
		}
	}
	return nil
}

// ratio is one summarized number of a round: a ratio ("×") or a latency (" ms").
type ratio struct {
	name  string
	value float64
	unit  string
}

func joinRatios(v []float64, unit string) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprintf("%.2f%s", x, unit)
	}
	return strings.Join(s, " ")
}

// turn is how long one measurement runs before the next takes over: the bare
// 303 handler, the raw INSERT loop and the link visits of an engine run in turns
// until each has run cfg.Duration, so that a change in the machine's speed (on a
// shared VM, rates drift by 20% within a minute) weighs on all three alike
// instead of on whichever ran at the time.
const turn = time.Second

// target is one thing measured: op is one operation.
type target struct {
	name   string
	op     func(ctx context.Context) error
	before func(ctx context.Context) error // untimed, before each of its turns; may be nil
}

// measureRound is one round of Run; sqliteFile is a fresh database file.
func measureRound(ctx context.Context, cfg Config, out io.Writer, sqliteFile string) ([]ratio, error) {
	type engine struct{ name, url, rawURL string }
	var engines []engine
	if !cfg.SkipSQLite {
		engines = append(engines, engine{"sqlite", "sqlite:" + sqliteFile, "sqlite:" + sqliteFile + "-raw"})
	}
	if cfg.PostgresURL != "" {
		u, drop, err := scratchSchema(ctx, cfg.PostgresURL)
		if err != nil {
			return nil, err
		}
		defer drop()
		engines = append(engines, engine{"postgres", u, u})
	}
	var got []ratio
	for _, e := range engines {
		rs, err := measureEngine(ctx, cfg, e.url, e.rawURL, e.name)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(out, "%s: each measured for %s in turns of %s\n", e.name, cfg.Duration, min(turn, cfg.Duration))
		for _, r := range rs {
			fmt.Fprintln(out, r)
		}
		if cfg.VisitsOnly {
			fmt.Fprintln(out)
			continue
		}
		if cfg.Confirm {
			ceil, c := rs[0], rs[1]
			fmt.Fprintf(out, "  %s: confirms / TPC-B-like ceiling = %.2f×   confirm p99 %.2f ms\n\n", e.name, c.Rate()/ceil.Rate(), ms(c.P99))
			got = append(got, ratio{e.name + ": confirms / TPC-B-like", c.Rate() / ceil.Rate(), "×"},
				ratio{e.name + ": confirm p99", ms(c.P99), " ms"})
			continue
		}
		if cfg.Pages {
			bare, page, api := rs[0], rs[1], rs[2]
			fmt.Fprintf(out, "  %s: page / bare 303 = %.2f×   JSON / bare 303 = %.2f×   p99 %.2f / %.2f ms\n\n",
				e.name, page.Rate()/bare.Rate(), api.Rate()/bare.Rate(), ms(page.P99), ms(api.P99))
			got = append(got, ratio{e.name + ": page / bare 303", page.Rate() / bare.Rate(), "×"},
				ratio{e.name + ": JSON / bare 303", api.Rate() / bare.Rate(), "×"},
				ratio{e.name + ": page p99", ms(page.P99), " ms"}, ratio{e.name + ": JSON p99", ms(api.P99), " ms"})
			continue
		}
		if cfg.LicenseKeys {
			v, k := rs[0], rs[1]
			fmt.Fprintf(out, "  %s: validations / visits = %.2f×   validation p99 %.2f ms\n\n", e.name, k.Rate()/v.Rate(), ms(k.P99))
			got = append(got, ratio{e.name + ": validations / visits", k.Rate() / v.Rate(), "×"},
				ratio{e.name + ": validation p99", ms(k.P99), " ms"})
			continue
		}
		bare, raw, v := rs[0], rs[1], rs[2]
		fmt.Fprintf(out, "  %s: visits / bare 303 = %.2f×   visits / raw INSERT = %.2f×   p99 %.2f ms\n\n",
			e.name, v.Rate()/bare.Rate(), v.Rate()/raw.Rate(), ms(v.P99))
		got = append(got, ratio{e.name + ": visits / bare 303", v.Rate() / bare.Rate(), "×"},
			ratio{e.name + ": visits / raw INSERT", v.Rate() / raw.Rate(), "×"},
			ratio{e.name + ": visit p99", ms(v.P99), " ms"})
	}
	return got, nil
}

// measureEngine measures link visits on the database at dbURL and, unless
// cfg.VisitsOnly, the bare 303 handler and the raw INSERT loop (on rawURL), in turns.
func measureEngine(ctx context.Context, cfg Config, dbURL, rawURL, engine string) ([]Result, error) {
	visits, srv, stop, err := startPaylink(ctx, cfg, dbURL, engine)
	if err != nil {
		return nil, err
	}
	defer stop()
	if cfg.LicenseKeys {
		keys, err := licenseKeyValidations(ctx, cfg, srv.base, srv.token, engine)
		if err != nil {
			return nil, err
		}
		return interleave(ctx, cfg, []target{visits, keys}), nil
	}
	if cfg.VisitsOnly {
		return interleave(ctx, cfg, []target{visits}), nil
	}
	if cfg.Confirm {
		ceil, stopCeil, err := tpcbTarget(ctx, rawURL, engine)
		if err != nil {
			return nil, err
		}
		defer stopCeil()
		return interleave(ctx, cfg, []target{ceil, confirmTarget(cfg, srv, engine).target}), nil
	}
	bare, stopBare, err := bareRedirect(cfg)
	if err != nil {
		return nil, err
	}
	defer stopBare()
	if cfg.Pages {
		pages, err := pageTargets(ctx, cfg, srv, engine)
		if err != nil {
			return nil, err
		}
		return interleave(ctx, cfg, append([]target{bare}, pages...)), nil
	}
	raw, stopRaw, err := rawInsert(ctx, rawURL, engine)
	if err != nil {
		return nil, err
	}
	defer stopRaw()
	return interleave(ctx, cfg, []target{bare, raw, visits}), nil
}

// interleave runs the targets in turns until each has run cfg.Duration and
// returns their results in the same order. With the three of an engine (bare
// 303, raw INSERT, visits) a cycle is half a turn of the bare handler, a turn of
// the raw loop, the other half of the bare handler, a turn of visits: each
// database measurement starts after half a second without database work, not
// in the wake of the other's (on PostgreSQL, WAL and dirty pages still being
// written out; that doubled the visits' p99 when they followed the raw loop).
func interleave(ctx context.Context, cfg Config, targets []target) []Result {
	rs := make([]Result, len(targets))
	lats := make([][]time.Duration, len(targets))
	for i, t := range targets {
		rs[i].Name = t.name
	}
	type slot struct {
		target int
		share  time.Duration // of a turn, in halves
	}
	cycle := []slot{{0, 2}}
	if len(targets) == 2 {
		cycle = []slot{{0, 2}, {1, 2}}
	}
	if len(targets) == 3 {
		cycle = []slot{{0, 1}, {1, 2}, {0, 1}, {2, 2}}
	}
	for left := cfg.Duration; left > 0 && ctx.Err() == nil; left -= turn {
		for _, sl := range cycle {
			if b := targets[sl.target].before; b != nil {
				if err := b(ctx); err != nil {
					fmt.Fprintf(os.Stderr, "%s: %v\n", targets[sl.target].name, err)
				}
			}
			r, lat := drive(ctx, cfg.Concurrency, min(turn, left)*sl.share/2, targets[sl.target].op)
			i := sl.target
			rs[i].Count += r.Count
			rs[i].Errors += r.Errors
			rs[i].Duration += r.Duration
			rs[i].CPUSelf += r.CPUSelf
			rs[i].CPUOthers += r.CPUOthers
			lats[i] = append(lats[i], lat...)
		}
	}
	for i := range rs {
		slices.Sort(lats[i])
		if n := len(lats[i]); n > 0 {
			rs[i].P50, rs[i].P99 = lats[i][n/2], lats[i][n*99/100]
		}
	}
	return rs
}

// drive runs op from concurrency goroutines for d and returns the result and
// the latencies of the operations that succeeded.
func drive(ctx context.Context, concurrency int, d time.Duration, op func(ctx context.Context) error) (Result, []time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		mu       sync.Mutex
		lat      []time.Duration
		errs     atomic.Int64
		firstErr atomic.Value
		wg       sync.WaitGroup
	)
	self0, all0 := cpuSelf(), cpuMachine()
	start := time.Now()
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]time.Duration, 0, 4096)
			for ctx.Err() == nil {
				t := time.Now()
				if err := op(ctx); err != nil {
					if ctx.Err() == nil {
						errs.Add(1)
						firstErr.CompareAndSwap(nil, err.Error())
					}
					continue
				}
				local = append(local, time.Since(t))
			}
			mu.Lock()
			lat = append(lat, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	r := Result{Count: len(lat), Errors: int(errs.Load()), Duration: time.Since(start),
		CPUSelf: cpuSelf() - self0}
	r.CPUOthers = max(0, cpuMachine()-all0-r.CPUSelf)
	if e := firstErr.Load(); e != nil {
		fmt.Fprintf(os.Stderr, "first error: %s\n", e)
	}
	return r, lat
}

func newClient(cfg Config) *http.Client {
	return &http.Client{
		Transport: &http.Transport{MaxIdleConns: cfg.Concurrency * 2, MaxIdleConnsPerHost: cfg.Concurrency * 2,
			MaxConnsPerHost: cfg.Concurrency, IdleConnTimeout: time.Minute},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       10 * time.Second,
	}
}

func get303(ctx context.Context, c *http.Client, u string) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) paylink-bench")
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// bareRedirect serves a handler that only answers 303, over the same HTTP stack.
func bareRedirect(cfg Config) (target, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return target{}, nil, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/checkout/pl_c_x", http.StatusSeeOther)
	})}
	go srv.Serve(ln)
	c := newClient(cfg)
	u := "http://" + ln.Addr().String() + "/buy/x?utm_source=bench"
	return target{name: "bare 303 handler", op: func(ctx context.Context) error { return get303(ctx, c, u) }}, func() { srv.Close() }, nil
}

// rawInsert prepares single-row INSERTs, each its own transaction, on the engine
// with paylink's own connection settings (on SQLite, in a file of its own).
func rawInsert(ctx context.Context, dbURL, engine string) (target, func(), error) {
	s, err := store.Open(ctx, dbURL)
	if err != nil {
		return target{}, nil, err
	}
	if _, err := s.DB.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS bench_raw (id TEXT PRIMARY KEY, payload TEXT NOT NULL, created_at TIMESTAMP NOT NULL)`); err != nil {
		s.Close()
		return target{}, nil, err
	}
	payload := strings.Repeat("x", 200)
	return target{name: engine + ": raw INSERT loop", op: func(ctx context.Context) error {
		_, err := s.DB.ExecContext(ctx, `INSERT INTO bench_raw (id, payload, created_at) VALUES ($1, $2, $3)`, paylink.NewID(), payload, paylink.Now())
		return err
	}}, func() { s.Close() }, nil
}

// linkVisits runs paylink on the database and returns visits of its demo link,
// and the function that stops paylink.
func linkVisits(ctx context.Context, cfg Config, dbURL, engine string) (target, func(), error) {
	t, _, stop, err := startPaylink(ctx, cfg, dbURL, engine)
	return t, stop, err
}

// served is what a running paylink offers a measurement: its address and the
// demo organization's token.
type served struct{ base, token, link string }

// startPaylink runs paylink on the database and returns visits of its demo link,
// its address and token, and the function that stops paylink.
func startPaylink(ctx context.Context, cfg Config, dbURL, engine string) (target, served, func(), error) {
	runCtx, cancel := context.WithCancel(ctx)
	var stdout syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- cli.Run(runCtx, []string{"serve", "--addr", "127.0.0.1:0", "--database", dbURL},
			func(k string) string {
				switch k {
				case "PAYLINK_LOG_LEVEL":
					return "warn"
				case "PAYLINK_WEBHOOK_ALLOW_PRIVATE":
					return "true" // --deliveries posts to an endpoint on loopback
				case "PAYLINK_LICENSE_KEY_RATE", "PAYLINK_LICENSE_KEY_KEY_RATE", "PAYLINK_PUBLIC_API_RATE":
					// One address makes every call: measure the calls, not the limits.
					return "100000000"
				}
				return ""
			}, &stdout, io.Discard)
	}()
	stop := func() {
		cancel()
		<-done
	}
	link, token := "", ""
	for deadline := time.Now().Add(60 * time.Second); link == "" || token == ""; {
		select {
		case err := <-done:
			cancel()
			return target{}, served{}, nil, fmt.Errorf("paylink exited: %v", err)
		default:
		}
		for _, line := range strings.Split(stdout.String(), "\n") {
			if _, v, ok := strings.Cut(line, "Demo link:"); ok {
				link = strings.TrimSpace(v)
			}
			if _, v, ok := strings.Cut(line, "API token:"); ok {
				token = strings.TrimSpace(v)
			}
		}
		if time.Now().After(deadline) {
			stop()
			return target{}, served{}, nil, fmt.Errorf("paylink did not print a demo link; stdout:\n%s", stdout.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	c := newClient(cfg)
	u := link + "?utm_source=bench&utm_campaign=load&reference_id=r1&customer_email=" + url.QueryEscape("bench@example.com")
	if err := get303(ctx, c, u); err != nil { // warm up and check
		stop()
		return target{}, served{}, nil, fmt.Errorf("first visit: %w", err)
	}
	base := link[:strings.Index(link, "/buy/")]
	return target{name: engine + ": link visits", op: func(ctx context.Context) error { return get303(ctx, c, u) }},
		served{base, token, link}, stop, nil
}

// scratchSchema creates a fresh schema on a PostgreSQL URL and returns a URL that uses it.
func scratchSchema(ctx context.Context, base string) (string, func(), error) {
	db, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	schema := "bench_" + strings.ReplaceAll(paylink.NewID(), "-", "")
	if _, err := db.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		db.Close()
		return "", nil, fmt.Errorf("create schema: %w", err)
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() {
		db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		db.Close()
	}, nil
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
