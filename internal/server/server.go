// Package server assembles paylink's HTTP surface: the JSON API, the pages, health
// and metrics, behind the middleware every request passes through.
package server

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/paylink/paylink/internal/api"
	"github.com/paylink/paylink/internal/embed"
	"github.com/paylink/paylink/internal/httperr"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

// Deps are what the server is built from.
type Deps struct {
	Store     *store.Store
	Log       *slog.Logger
	PublicURL string
	API       *api.API
	// The page applications, each optional; the static assets they share are
	// always served. Site (its pages: the HTML not-found page) serves what is
	// around them: / and /favicon.ico, and the catch-all not-found page.
	Checkout  Routes // link visits, the checkout page, receipts (internal/web/checkoutpage)
	Dashboard Routes // the merchant dashboard (internal/web/dashboard)
	Portal    Routes // the customer portal (internal/web/portalpage)
	Site      *web.Site
	// Integrations are the inbound calls of other services (Stripe's webhook).
	Integrations []Routes
	// MetricsToken, when set, is the bearer token /metrics asks for; without it
	// /metrics answers loopback clients only.
	MetricsToken string
	// TrustedProxies are the addresses whose X-Forwarded-For is believed
	// (PAYLINK_TRUSTED_PROXIES); from anyone else it is ignored.
	TrustedProxies []netip.Prefix
}

// Routes is a part of the surface that registers its own routes.
type Routes interface{ Routes(mux *http.ServeMux) }

// RoutesFunc is a function that registers routes.
type RoutesFunc func(mux *http.ServeMux)

// Routes registers f's routes.
func (f RoutesFunc) Routes(mux *http.ServeMux) { f(mux) }

// New returns the root handler.
func New(d Deps) http.Handler {
	mux := http.NewServeMux()
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := newMetrics(reg)

	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := d.Store.Ping(ctx); err != nil {
			d.Log.WarnContext(r.Context(), "readyz: database not ready", "err", err)
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok\n"))
	})
	mux.Handle("GET /metrics", metricsGuard(d.MetricsToken, promhttp.HandlerFor(reg, promhttp.HandlerOpts{})))
	mux.Handle("GET /embed.js", embed.Handler(d.PublicURL)) // the embedded checkout's script
	d.API.Routes(mux)
	for _, app := range append([]Routes{d.Checkout, d.Dashboard, d.Portal}, d.Integrations...) {
		if app != nil {
			app.Routes(mux)
		}
	}
	mux.Handle("GET /static/", web.Static())
	if d.Site != nil {
		d.Site.EdgeRoutes(mux)
	}
	mux.HandleFunc("/v1/", func(w http.ResponseWriter, r *http.Request) {
		api.WriteJSON(w, http.StatusNotFound, map[string]any{"error": "ResourceNotFound", "detail": "Not found"})
	})
	// The recoverer sits inside instrument so that a panic's 500 is counted and logged too.
	return requestID(realClient(d.TrustedProxies, m.instrument(d.Log, recoverer(d.Log, secureHeaders(d.PublicURL, bodyDeadline(BodyReadTimeout, mux))))))
}

// realClient makes r.RemoteAddr the client's address when the request came
// through trusted proxies: the rightmost X-Forwarded-For address that is not a
// trusted proxy itself (the ones left of it are whatever the client claimed).
// Everything that counts by address (rate limits, the sign-in throttle, the
// metrics guard) then sees the client, not the proxy. From an untrusted peer
// the header is ignored.
func realClient(trusted []netip.Prefix, next http.Handler) http.Handler {
	if len(trusted) == 0 {
		return next
	}
	isTrusted := func(a netip.Addr) bool {
		for _, p := range trusted {
			if p.Contains(a.Unmap()) {
				return true
			}
		}
		return false
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		peer, err := netip.ParseAddrPort(r.RemoteAddr)
		if err == nil && isTrusted(peer.Addr()) {
			hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
			for i := len(hops) - 1; i >= 0; i-- {
				a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
				if err != nil {
					break
				}
				if !isTrusted(a) {
					r.RemoteAddr = netip.AddrPortFrom(a.Unmap(), 0).String()
					break
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// BodyReadTimeout bounds how long reading one request's body may take, so a
// client that trickles a byte now and then cannot hold a connection and its
// handler for minutes. A route that takes large uploads extends its own deadline
// with http.ResponseController.
const BodyReadTimeout = 20 * time.Second

// bodyDeadline sets the read deadline of a request that has a body. The server
// sets the next request's header deadline itself, so a kept-alive connection
// is not cut by it.
func bodyDeadline(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength != 0 { // -1: chunked, length unknown
			_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(d))
		}
		next.ServeHTTP(w, r)
	})
}

// secureHeaders adds what every response needs: HSTS when paylink is served over
// https (browsers then never try plain http for it again).
func secureHeaders(publicURL string, next http.Handler) http.Handler {
	if !strings.HasPrefix(publicURL, "https://") {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Strict-Transport-Security", "max-age=31536000")
		next.ServeHTTP(w, r)
	})
}

// metricsGuard serves /metrics to holders of the token, or, without one, to
// loopback clients only: the numbers tell outsiders how a shop is doing.
func metricsGuard(token string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token != "" {
			got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
				http.Error(w, "metrics need the token of PAYLINK_METRICS_TOKEN", http.StatusUnauthorized)
				return
			}
		} else if host, _, err := net.SplitHostPort(r.RemoteAddr); err != nil || !net.ParseIP(host).IsLoopback() ||
			r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != "" {
			// A proxy in front (its requests come from loopback) would make
			// everyone a loopback client: forwarded requests need the token.
			http.Error(w, "metrics are served to loopback clients only; set PAYLINK_METRICS_TOKEN to read them from elsewhere", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// RequestID returns the id the middleware gave the request ("" outside one).
func RequestID(ctx context.Context) string { return httperr.RequestID(ctx) }

func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 8)
		rand.Read(b)
		id := hex.EncodeToString(b)
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(httperr.WithRequestID(r.Context(), id)))
	})
}

// recoverer turns a panic into a logged 500 instead of a dropped connection.
func recoverer(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil && v != http.ErrAbortHandler {
				log.ErrorContext(r.Context(), "panic", "value", v, "path", logPath(r), "stack", string(debug.Stack()))
				http.Error(w, "internal server error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "paylink_http_requests_total", Help: "HTTP requests by route pattern and status.",
		}, []string{"pattern", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "paylink_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"pattern"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// statusWriter remembers the status and counts the body bytes of a response.
type statusWriter struct {
	http.ResponseWriter
	code    int
	written bool
	bytes   int64
}

func (s *statusWriter) WriteHeader(code int) {
	if !s.written {
		s.code, s.written = code, code >= 200 // 1xx are informational, the status is still to come
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	s.written = true
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// instrument counts and times every request by route and writes its access log line.
func (m *metrics) instrument(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: 200}
		defer func() { accessLog(log, r, sw.code, sw.bytes, time.Since(start)) }()
		next.ServeHTTP(sw, r)
		pattern := r.Pattern
		if pattern == "" {
			pattern = "unmatched"
		}
		m.requests.WithLabelValues(pattern, strconv.Itoa(sw.code)).Inc()
		m.duration.WithLabelValues(pattern).Observe(time.Since(start).Seconds())
	})
}
