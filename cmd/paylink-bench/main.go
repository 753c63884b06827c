// Command paylink-bench measures link visits over real HTTP: a running paylink on
// SQLite (and on PostgreSQL when PAYLINK_TEST_DATABASE_URL or --postgres is set),
// next to a bare 303 handler and a raw single-row INSERT loop measured in the same
// run at the same concurrency, and prints visits/s, p50/p99 and the ratios.
//
//	go run ./cmd/paylink-bench [--duration 10s] [--concurrency 64] [--postgres URL]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/paylink/paylink/internal/bench"
	"github.com/paylink/paylink/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var cfg bench.Config
	flag.DurationVar(&cfg.Duration, "duration", 10*time.Second, "how long each measurement runs")
	flag.IntVar(&cfg.Concurrency, "concurrency", 64, "concurrent connections")
	flag.StringVar(&cfg.PostgresURL, "postgres", os.Getenv("PAYLINK_TEST_DATABASE_URL"), "PostgreSQL URL to also measure (a scratch schema is used and dropped)")
	flag.IntVar(&cfg.Rounds, "rounds", 1, "repeat all measurements this many times and print the median ratios")
	flag.BoolVar(&cfg.SkipSQLite, "skip-sqlite", false, "measure PostgreSQL only")
	flag.BoolVar(&cfg.VisitsOnly, "visits-only", false, "measure link visits only (no baselines, no ratios)")
	flag.BoolVar(&cfg.LicenseKeys, "license-keys", false, "measure license key validations against link visits (instead of the baselines)")
	flag.BoolVar(&cfg.Growth, "growth", false, "measure the growth matrix: lists, counts and analytics at 10,000 sessions and at --growth-sessions")
	flag.IntVar(&cfg.GrowthSessions, "growth-sessions", 1_000_000, "the large size of the growth matrix")
	flag.BoolVar(&cfg.Confirm, "confirm", false, "measure confirm → order (sandbox) against an in-process TPC-B-like transaction on the same engine (instead of the baselines)")
	flag.BoolVar(&cfg.Deliveries, "deliveries", false, "measure webhook deliveries of checkout.created under link visits (does delivery keep up?)")
	flag.BoolVar(&cfg.Pages, "pages", false, "measure the checkout page and its client JSON against the bare 303 handler (instead of the visit baselines)")
	blockProfile := flag.String("blockprofile", "", "write a blocking profile (where goroutines wait) to this file")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	memProfile := flag.String("memprofile", "", "write an allocation profile of the whole run to this file")
	flag.Parse()
	// The GC target paylink serves with, for every measurement of the run alike.
	cfg.GOGC = cli.TuneGC(os.Getenv)
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "paylink-bench:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if *memProfile != "" {
		defer func() {
			if f, err := os.Create(*memProfile); err == nil {
				pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		}()
	}
	if *blockProfile != "" {
		runtime.SetBlockProfileRate(int(time.Microsecond))
		defer func() {
			if f, err := os.Create(*blockProfile); err == nil {
				pprof.Lookup("block").WriteTo(f, 0)
				f.Close()
			}
		}()
	}
	if err := bench.Run(ctx, cfg, os.Stdout); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "paylink-bench:", err)
		os.Exit(1)
	}
}
