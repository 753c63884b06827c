package e2e_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/store/storetest"
)

// An error answer carries the request's id (its X-Request-Id, on its log
// lines): JSON errors as request_id beside Polar's fields, 422s too, and HTML
// error pages as a line to quote.
func TestErrorsCarryTheRequestID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		s := newShop(t, db)
		secret, _ := s.visit(t, "")
		get := func(method, path, body string) (*http.Response, string) {
			req, _ := http.NewRequest(method, s.in.URL+path, strings.NewReader(body))
			if body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := s.in.Client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.Header.Get("X-Request-Id") == "" {
				t.Fatalf("%s %s: no X-Request-Id", method, path)
			}
			return resp, string(b)
		}
		for _, tc := range []struct {
			method, path, body string
			status             int
			field              string // Polar's field the body keeps
		}{
			{"GET", "/v1/checkouts/client/nope", "", 404, "error"},
			{"POST", "/v1/checkouts/client/" + secret + "/confirm", "{", 422, "detail"},
		} {
			resp, body := get(tc.method, tc.path, tc.body)
			var got map[string]any
			if err := json.Unmarshal([]byte(body), &got); err != nil || resp.StatusCode != tc.status {
				t.Fatalf("%s %s: %d %s", tc.method, tc.path, resp.StatusCode, body)
			}
			if got["request_id"] != resp.Header.Get("X-Request-Id") || got[tc.field] == nil {
				t.Errorf("%s %s: %s, want request_id %s beside %q", tc.method, tc.path, body, resp.Header.Get("X-Request-Id"), tc.field)
			}
		}
		link, _ := url.Parse(s.link.URL)
		resp, page := get("GET", link.Path+"x", "")
		if resp.StatusCode != 404 || !strings.Contains(page, "Request id: <code>"+resp.Header.Get("X-Request-Id")+"</code>") {
			t.Errorf("HTML error page: %d without its request id:\n%s", resp.StatusCode, page)
		}
	})
}
