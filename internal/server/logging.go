package server

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// WithRequestID wraps a log handler so that every record logged with the
// context of a request (log.InfoContext(r.Context(), …)) carries that request's
// id as request_id: an operator finds all lines of one request, and the id a
// client quotes from its X-Request-Id header.
func WithRequestID(h slog.Handler) slog.Handler { return requestIDHandler{h} }

type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, rec slog.Record) error {
	if id := RequestID(ctx); id != "" {
		rec.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, rec)
}

func (h requestIDHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(attrs)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

// accessLog logs one line per request at info once it is answered: method,
// path (secrets cut out, see logPath), route, status, bytes, duration and,
// through the context, the request id.
func accessLog(log *slog.Logger, r *http.Request, status int, bytes int64, took time.Duration) {
	log.LogAttrs(r.Context(), slog.LevelInfo, "request",
		slog.String("method", r.Method),
		slog.String("path", logPath(r)),
		slog.String("route", routeOf(r)),
		slog.Int("status", status),
		slog.Int64("bytes", bytes),
		slog.Float64("duration_ms", float64(took.Microseconds())/1000))
}

// routeOf is the pattern that served r ("unmatched" when none did).
func routeOf(r *http.Request) string {
	if r.Pattern == "" {
		return "unmatched"
	}
	return r.Pattern
}

// shownWildcards are the path wildcards whose values may appear in a log: ids
// and names that open nothing by themselves. Every other wildcard ({secret} of
// a link or session, {token} of a portal sign-in, {external_id}, …) is logged
// as its name, so a log never holds what would let its reader in.
var shownWildcards = map[string]bool{"id": true, "activation_id": true, "activation": true, "event": true,
	"number": true, "slug": true}

// logPath is the request's path as its route's template filled with only the
// shown wildcards' values: /v1/checkouts/client/{secret}/confirm,
// /v1/products/3f…. What a subtree route ("/v1/", "/static/") matched beyond
// its prefix is cut to "…", and an unmatched path is "-": either may be a
// mistyped secret. The query string is never logged.
func logPath(r *http.Request) string {
	pat := r.Pattern
	if pat == "" {
		return "-"
	}
	if _, p, ok := strings.Cut(pat, " "); ok {
		pat = p
	}
	if i := strings.IndexByte(pat, '/'); i > 0 { // a host-qualified pattern
		pat = pat[i:]
	}
	segs := strings.Split(pat, "/")
	for i, s := range segs {
		name, ok := strings.CutPrefix(s, "{")
		if name, ok = strings.CutSuffix(name, "}"); !ok {
			continue
		}
		switch {
		case name == "$":
			segs[i] = ""
		case strings.HasSuffix(name, "..."):
			segs[i] = "…"
		case shownWildcards[name]:
			segs[i] = url.PathEscape(r.PathValue(name))
		}
	}
	out := strings.Join(segs, "/")
	if strings.HasSuffix(pat, "/") && len(r.URL.Path) > len(pat) {
		out += "…"
	}
	return out
}
