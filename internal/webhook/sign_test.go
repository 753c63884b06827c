package webhook

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// The vector was computed with the standardwebhooks npm package exactly as the
// Polar SDK's validateEvent sets it up: new Webhook(base64(utf8(secret))).sign(…),
// and cross-checked with Python's hmac over the UTF-8 bytes of the secret.
const (
	vecSecret = "pl_whs_dGVzdC1zZWNyZXQtZm9yLXZlY3RvcnM"
	vecID     = "0190c8a2-7b3c-7d4e-9f00-0123456789ab"
	vecUnix   = 1767225600
	vecBody   = `{"type":"order.paid","timestamp":"2026-01-01T00:00:00Z","data":{"id":"o1","amount":1500}}`
	vecSig    = "v1,zckvOzY0E/fJhtLXBh+0BznvNWBsLa9HeTrGzPVe9No="
)

func TestSignKnownVector(t *testing.T) {
	got, err := Sign(vecSecret, vecID, time.Unix(vecUnix, 0), []byte(vecBody))
	if err != nil || got != vecSig {
		t.Fatalf("Sign = %q, %v; want %q", got, err, vecSig)
	}
}

func TestBodyIsTheVectorsShapeWithTheAPIVersion(t *testing.T) {
	b, err := Body("order.paid", time.Unix(vecUnix, 0), []byte(`{"id": "o1", "amount": 1500}`))
	want := `{"type":"order.paid","timestamp":"2026-01-01T00:00:00Z","api_version":"2026-04","data":{"id":"o1","amount":1500}}`
	if err != nil || string(b) != want {
		t.Fatalf("Body = %s, %v; want %s", b, err, want)
	}
	if _, err := Body("order.paid", time.Now(), []byte(`{not json`)); err == nil {
		t.Fatal("Body accepted a payload that is not JSON")
	}
}

func TestHeadersVerifyWithAStandardWebhooksLibrary(t *testing.T) {
	secret := "pl_whs_" + strings.Repeat("xY_-", 10)
	body := []byte(`{"type":"checkout.created","timestamp":"2026-01-01T00:00:00Z","data":{"id":"c1"}}`)
	h, err := Headers(secret, "msg_1", time.Now(), body)
	if err != nil {
		t.Fatal(err)
	}
	if h.Get("webhook-id") != "msg_1" || h.Get("Content-Type") != "application/json" || !strings.HasPrefix(h.Get("webhook-signature"), "v1,") {
		t.Fatalf("headers: %v", h)
	}
	// What a merchant does with a plain Standard Webhooks library: base64(secret).
	wh, err := standardwebhooks.NewWebhook(base64.StdEncoding.EncodeToString([]byte(secret)))
	if err != nil {
		t.Fatal(err)
	}
	if err := wh.Verify(body, h); err != nil {
		t.Fatalf("verify with base64(secret): %v", err)
	}
	// The raw key is the UTF-8 bytes of the secret.
	raw, _ := standardwebhooks.NewWebhookRaw([]byte(secret))
	if err := raw.Verify(body, h); err != nil {
		t.Fatalf("verify with the raw secret bytes: %v", err)
	}
	for name, c := range map[string]struct {
		secret string
		body   []byte
		h      http.Header
	}{
		"wrong secret":  {secret + "x", body, h},
		"changed body":  {secret, []byte(strings.Replace(string(body), "c1", "c2", 1)), h},
		"other id":      {secret, body, with(h, "webhook-id", "msg_2")},
		"old timestamp": {secret, body, resigned(t, secret, "msg_1", time.Now().Add(-time.Hour), body)},
	} {
		if err := Verify(c.secret, c.body, c.h); err == nil {
			t.Errorf("%s: verified", name)
		}
	}
}

func with(h http.Header, k, v string) http.Header {
	c := h.Clone()
	c.Set(k, v)
	return c
}

func resigned(t *testing.T, secret, id string, at time.Time, body []byte) http.Header {
	h, err := Headers(secret, id, at, body)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestBodyKeepsTheDataVerbatim(t *testing.T) {
	data := `{"amount":12345678901234567890,"metadata":{"k":"v"},"ratio":0.1}`
	b, _ := Body("order.created", time.Date(2026, 2, 3, 4, 5, 6, 789000000, time.UTC), []byte(data))
	var env struct {
		Type      string          `json:"type"`
		Timestamp string          `json:"timestamp"`
		Data      json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(b, &env); err != nil {
		t.Fatal(err)
	}
	if env.Type != "order.created" || env.Timestamp != "2026-02-03T04:05:06.789Z" || string(env.Data) != data {
		t.Fatalf("envelope: %+v", env)
	}
}
