package e2e_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/paylink/paylink/internal/store/storetest"
)

// With PAYLINK_LOG_FORMAT=json every request leaves one JSON access line with
// its request id (the one the client got in X-Request-Id), its status and size,
// and a path from which the link's and the session's secrets are cut.
func TestAccessLogJSONWithoutSecrets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		s := newShop(t, db, "PAYLINK_LOG_FORMAT=json")
		linkURL := s.link.URL
		linkSecret := linkURL[strings.LastIndex(linkURL, "/")+1:]
		secret, _ := s.visit(t, "utm_source=news")

		req, _ := http.NewRequest("GET", s.in.URL+"/v1/checkouts/client/"+secret+"?x=1", nil)
		resp, err := s.in.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		id := resp.Header.Get("X-Request-Id")
		if resp.StatusCode != 200 || id == "" {
			t.Fatalf("client get: %d, request id %q", resp.StatusCode, id)
		}
		s.in.Must(t, "GET", "/v1/checkouts/client/"+secret+"/nope", "", nil, 404, nil)

		// A request's line is written once its handler has returned, which may be
		// just after the client has read the answer.
		logs := s.in.Logs()
		for deadline := time.Now().Add(10 * time.Second); !strings.Contains(logs, id) && time.Now().Before(deadline); {
			time.Sleep(10 * time.Millisecond)
			logs = s.in.Logs()
		}
		for _, leak := range []string{secret, linkSecret} {
			if strings.Contains(logs, leak) {
				t.Errorf("the logs hold the secret %q:\n%s", leak, logs)
			}
		}
		var found, unmatched bool
		for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
			var rec map[string]any
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("a log line is not JSON: %q", line)
			}
			if rec["msg"] != "request" {
				continue
			}
			if rec["request_id"] == id {
				found = true
				if rec["path"] != "/v1/checkouts/client/{secret}" || rec["method"] != "GET" || rec["status"] != 200.0 ||
					rec["bytes"].(float64) < 100 || rec["route"] != "GET /v1/checkouts/client/{secret}" {
					t.Errorf("access line of the client get: %v", rec)
				}
				if _, ok := rec["duration_ms"].(float64); !ok {
					t.Errorf("no duration: %v", rec)
				}
			}
			if rec["status"] == 404.0 && rec["path"] == "/v1/…" {
				unmatched = true
			}
		}
		if !found {
			t.Errorf("no access line with request_id %s:\n%s", id, logs)
		}
		if !unmatched {
			t.Errorf("no access line for the 404 with its path cut:\n%s", logs)
		}
	})
}
