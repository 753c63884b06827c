// Package webhook delivers an organization's events to its endpoints, signed per
// Standard Webhooks the way Polar signs, at least once.
//
// The flow: the checkout flows write each event to the events outbox in the
// transaction of the change that causes it. A dispatcher (a River periodic job,
// every second) turns undispatched events into one webhook event per subscribed,
// enabled endpoint and inserts one delivery job for each in the same transaction
// that marks the event dispatched, so nothing is lost if paylink dies between the
// two. The delivery job POSTs the payload and logs the attempt; a failure is
// retried with exponential backoff and jitter for more than 24 hours (see
// schedule.go), and an endpoint that has failed for 3 days is disabled.
//
// # Verifying a delivery (for merchants)
//
// Each request carries the headers webhook-id (the same on every retry of an
// event to an endpoint), webhook-timestamp (Unix seconds of the attempt) and
// webhook-signature ("v1,<base64 HMAC-SHA256>" of "<id>.<timestamp>.<body>"). The
// HMAC key is the UTF-8 bytes of the endpoint's secret, exactly as Polar does:
//
//   - Polar's SDK: validateEvent(body, headers, secret) with the secret as shown.
//   - Any other Standard Webhooks library: give it base64(secret) as the secret
//     (in Go: standardwebhooks.NewWebhook(base64.StdEncoding.EncodeToString([]byte(secret)))),
//     because those libraries base64-decode the secret they are given.
package webhook

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/paylink/paylink"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// APIVersion is the version of Polar's API whose shapes paylink's payloads have,
// as SDK 1.x names it: every payload, endpoint and webhook event carries it.
const APIVersion = "2026-04"

// Body is the JSON a receiver gets: {"type", "timestamp", "api_version", "data"},
// where data is the event's payload (the full object as the API returns it) and
// timestamp is when the event happened. It is the same bytes on every attempt.
func Body(eventType string, at time.Time, data []byte) ([]byte, error) {
	return paylink.MarshalJSON(struct {
		Type       string          `json:"type"`
		Timestamp  time.Time       `json:"timestamp"`
		APIVersion string          `json:"api_version"`
		Data       json.RawMessage `json:"data"`
	}{eventType, at.UTC(), APIVersion, json.RawMessage(data)})
}

// signer returns the Standard Webhooks signer for an endpoint secret: the
// library base64-decodes its secret, so it is handed base64(secret) and the HMAC
// key ends up being the secret's UTF-8 bytes, as in Polar's validateEvent.
func signer(secret string) (*standardwebhooks.Webhook, error) {
	return standardwebhooks.NewWebhook(base64.StdEncoding.EncodeToString([]byte(secret)))
}

// Sign returns the webhook-signature header value of one attempt.
func Sign(secret, id string, at time.Time, body []byte) (string, error) {
	wh, err := signer(secret)
	if err != nil {
		return "", err
	}
	return wh.Sign(id, at, body)
}

// Headers returns the signed Standard Webhooks headers of one attempt, plus the
// content type.
func Headers(secret, id string, at time.Time, body []byte) (http.Header, error) {
	sig, err := Sign(secret, id, at, body)
	if err != nil {
		return nil, err
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set(standardwebhooks.HeaderWebhookID, id)
	h.Set(standardwebhooks.HeaderWebhookTimestamp, strconv.FormatInt(at.Unix(), 10))
	h.Set(standardwebhooks.HeaderWebhookSignature, sig)
	return h, nil
}

// Verify checks a delivery the way a merchant would with a Standard Webhooks
// library given base64(secret), including the 5-minute timestamp tolerance.
func Verify(secret string, body []byte, h http.Header) error {
	wh, err := signer(secret)
	if err != nil {
		return err
	}
	return wh.Verify(body, h)
}
