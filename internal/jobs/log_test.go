package jobs_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/paylink/paylink/internal/jobs"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type failArgs struct{}

func (failArgs) Kind() string { return "test_fail" }

// TestRiverQuietAtInfo runs the job queue at info level for longer than River's
// producer reports its job counts (every 5 s): that report and River's other
// chatter stay out of the log, while a failed job, which an operator acts on,
// is still there. At debug the chatter is back.
func TestRiverQuietAtInfo(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		if err := jobs.Migrate(context.Background(), s); err != nil {
			t.Fatal(err)
		}
		var info, debug lockedBuffer
		both := slog.New(fanout{slog.NewTextHandler(&info, nil), slog.NewTextHandler(&debug, &slog.HandlerOptions{Level: slog.LevelDebug})})
		c, err := jobs.NewClient(s, both, func(su *jobs.Setup) {
			river.AddWorker(su.Workers, river.WorkFunc(func(context.Context, *river.Job[failArgs]) error {
				return errors.New("the endpoint said no")
			}))
		})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		if err := c.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer c.Stop(ctx)
		if _, err := c.Insert(ctx, failArgs{}, &river.InsertOpts{MaxAttempts: 1}); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for !strings.Contains(debug.String(), "Producer job counts") && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
		if !strings.Contains(debug.String(), "Producer job counts") || !strings.Contains(debug.String(), "level=DEBUG") {
			t.Fatalf("no producer report at debug within 20 s:\n%s", debug.String())
		}
		got := info.String()
		for _, chatter := range []string{"Producer job counts", "River client started", "level=DEBUG"} {
			if strings.Contains(got, chatter) {
				t.Errorf("%q at info:\n%s", chatter, got)
			}
		}
		if !strings.Contains(got, "level=INFO") || !strings.Contains(got, "Job errored") || !strings.Contains(got, "the endpoint said no") {
			t.Errorf("the failed job is missing at info:\n%s", got)
		}
	})
}

// fanout sends each record to two handlers, each with its own level.
type fanout [2]slog.Handler

func (f fanout) Enabled(ctx context.Context, l slog.Level) bool {
	return f[0].Enabled(ctx, l) || f[1].Enabled(ctx, l)
}

func (f fanout) Handle(ctx context.Context, r slog.Record) error {
	for _, h := range f {
		if h.Enabled(ctx, r.Level) {
			if err := h.Handle(ctx, r.Clone()); err != nil {
				return err
			}
		}
	}
	return nil
}

func (f fanout) WithAttrs(as []slog.Attr) slog.Handler {
	return fanout{f[0].WithAttrs(as), f[1].WithAttrs(as)}
}
func (f fanout) WithGroup(n string) slog.Handler { return fanout{f[0].WithGroup(n), f[1].WithGroup(n)} }
