package server

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// A line a handler logs with its request's context carries the request id the
// client got, as does the access line of the request.
func TestRequestIDOnEveryLine(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(WithRequestID(slog.NewJSONHandler(&buf, nil)))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/things/{id}", func(w http.ResponseWriter, r *http.Request) {
		log.With("area", "things").WarnContext(r.Context(), "inside the handler")
		w.WriteHeader(http.StatusTeapot)
		w.Write([]byte("short and stout"))
	})
	h := requestID(newMetrics(prometheus.NewRegistry()).instrument(log, mux))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/v1/things/42?token=abc", nil))
	id := w.Header().Get("X-Request-Id")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want the handler's line and the access line, got:\n%s", buf.String())
	}
	for _, l := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil || rec["request_id"] != id {
			t.Errorf("line without request_id %s: %s", id, l)
		}
	}
	var access map[string]any
	json.Unmarshal([]byte(lines[1]), &access)
	if access["path"] != "/v1/things/42" || access["status"] != 418.0 || access["bytes"] != 15.0 || access["method"] != "GET" {
		t.Errorf("access line: %v", access)
	}
}

func TestLogPathCutsSecrets(t *testing.T) {
	mux := http.NewServeMux()
	var got string
	record := func(w http.ResponseWriter, r *http.Request) { got = logPath(r) }
	for _, p := range []string{"GET /v1/checkouts/client/{secret}/confirm", "GET /v1/products/{id}", "GET /v1/products/{$}",
		"GET /welcome/{token}", "GET /portal/{slug}/orders/{id}", "GET /static/{file...}", "/v1/", "GET /v1/customers/{id}/{sub}"} {
		mux.HandleFunc(p, record)
	}
	for path, want := range map[string]string{
		"/v1/checkouts/client/pl_c_s3cret/confirm": "/v1/checkouts/client/{secret}/confirm",
		"/v1/products/abc":                         "/v1/products/abc",
		"/v1/products/":                            "/v1/products/",
		"/welcome/t0ken":                           "/welcome/{token}",
		"/portal/acme/orders/7":                    "/portal/acme/orders/7",
		"/static/app.js":                           "/static/…",
		"/v1/checkouts/client/pl_c_s3cret/x/y":     "/v1/…",
		"/v1/customers/external/user-9":            "/v1/customers/external/{sub}",
	} {
		got = ""
		mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
		if got != want {
			t.Errorf("%s: logged as %q, want %q", path, got, want)
		}
	}
	if p := logPath(httptest.NewRequest("GET", "/pl_l_secret", nil)); p != "-" {
		t.Errorf("an unmatched path is logged as %q", p)
	}
}
