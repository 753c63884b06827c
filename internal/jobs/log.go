package jobs

import (
	"context"
	"log/slog"
	"strings"
)

// operatorLines are the River messages an operator acts on: a job that failed or
// panicked, work cut short by a stop, a queue that is not healthy. They keep
// River's level; River's other info lines (its start and stop, producer job
// counts every few seconds, maintenance runs) are library chatter and go to debug.
var operatorLines = []string{
	"Job errored", "Job panicked", "Job stopped due to client shutdown", "Job became unstuck",
	"Hard stop started", "Notifier unhealthy", "forced resignation",
}

// riverLogger returns the logger River gets: log, with River's routine info
// lines lowered to debug (PAYLINK_LOG_LEVEL=debug shows them again).
func riverLogger(log *slog.Logger) *slog.Logger {
	return slog.New(quietHandler{log.Handler()})
}

type quietHandler struct{ next slog.Handler }

// Enabled answers as the next handler does: a record that Handle lowers to debug
// is checked again there.
func (h quietHandler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

func (h quietHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Level == slog.LevelInfo && !isOperatorLine(r.Message) {
		r.Level = slog.LevelDebug
	}
	if !h.next.Enabled(ctx, r.Level) {
		return nil
	}
	return h.next.Handle(ctx, r)
}

func (h quietHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return quietHandler{h.next.WithAttrs(as)}
}
func (h quietHandler) WithGroup(name string) slog.Handler {
	return quietHandler{h.next.WithGroup(name)}
}

func isOperatorLine(msg string) bool {
	for _, l := range operatorLines {
		if strings.Contains(msg, l) {
			return true
		}
	}
	return false
}
