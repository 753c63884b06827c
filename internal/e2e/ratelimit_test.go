package e2e_test

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/paylink/paylink/internal/store/storetest"
)

// The calls without an organization token are limited per client address
// group: over the rate they answer 429 in Polar's error shape with Retry-After,
// while another address (told by a trusted proxy) and holders of a valid token
// go on.
func TestPublicAPIRateLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		s := newShop(t, db, "PAYLINK_PUBLIC_API_RATE=1", "PAYLINK_TRUSTED_PROXIES=127.0.0.1")
		secret, _ := s.visit(t, "")
		call := func(method, path, token, from string) (int, http.Header, map[string]any) {
			t.Helper()
			req, _ := http.NewRequest(method, s.in.URL+path, nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			if from != "" {
				req.Header.Set("X-Forwarded-For", from)
			}
			resp, err := s.in.Client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			var body map[string]any
			json.Unmarshal(b, &body)
			return resp.StatusCode, resp.Header, body
		}
		client := "/v1/checkouts/client/" + secret
		// A rate of 1 a second allows a burst of 2; the clock cannot refill a
		// whole token between these calls unless the machine stalls for a second.
		codes := []int{}
		var last http.Header
		var lastBody map[string]any
		for range 3 {
			code, h, body := call("GET", client, "", "198.51.100.7")
			codes, last, lastBody = append(codes, code), h, body
		}
		if codes[0] != 200 || codes[2] != 429 {
			t.Fatalf("three client calls at once from one address: %v", codes)
		}
		if last.Get("Retry-After") != "1" || lastBody["error"] != "TooManyRequests" || lastBody["detail"] == "" {
			t.Errorf("429: Retry-After %q, body %v", last.Get("Retry-After"), lastBody)
		}
		if code, _, _ := call("POST", client+"/confirm", "", "198.51.100.7"); code != 429 {
			t.Errorf("confirm from the limited address: %d", code)
		}
		if code, _, _ := call("GET", client, "", "198.51.100.8"); code != 200 {
			t.Errorf("another address: %d", code)
		}
		if code, _, _ := call("GET", "/v1/products/", s.token, "198.51.100.7"); code != 200 {
			t.Errorf("a valid organization token from the limited address: %d", code)
		}
		// Wrong tokens and customer portal calls count like client calls.
		codes = codes[:0]
		for range 3 {
			code, _, _ := call("GET", "/v1/products/", "polar_oat_wrong", "203.0.113.50")
			codes = append(codes, code)
		}
		if codes[0] != 401 || codes[2] != 429 {
			t.Errorf("wrong tokens from one address: %v", codes)
		}
		if code, _, _ := call("GET", "/v1/customer-portal/orders/", "polar_cst_wrong", "203.0.113.50"); code != 429 {
			t.Errorf("customer portal call from the limited address: %d", code)
		}
	})
}
