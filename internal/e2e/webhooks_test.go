package e2e_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/paylink/paylink/client"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// receiver is a merchant's webhook endpoint that keeps what it receives.
type receiver struct {
	*httptest.Server
	mu  sync.Mutex
	got []delivery
}

type delivery struct {
	body    []byte
	headers http.Header
	typ     string
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var env struct {
			Type string `json:"type"`
		}
		json.Unmarshal(b, &env)
		rc.mu.Lock()
		rc.got = append(rc.got, delivery{body: b, headers: r.Header.Clone(), typ: env.Type})
		rc.mu.Unlock()
	}))
	t.Cleanup(rc.Close)
	return rc
}

// waitFor waits until every type has arrived at least once and returns the deliveries.
func (rc *receiver) waitFor(t *testing.T, types ...string) []delivery {
	t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for {
		rc.mu.Lock()
		seen := map[string]bool{}
		for _, d := range rc.got {
			seen[d.typ] = true
		}
		got := append([]delivery(nil), rc.got...)
		rc.mu.Unlock()
		missing := []string{}
		for _, ty := range types {
			if !seen[ty] {
				missing = append(missing, ty)
			}
		}
		if len(missing) == 0 {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("webhooks never arrived: %v (got %d deliveries)", missing, len(got))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

var allEvents = []string{"checkout.created", "checkout.updated", "checkout.expired", "order.created", "order.paid",
	"subscription.created", "subscription.active", "subscription.updated", "customer.created"}

// A recurring purchase through a link produces every event of a purchase, each
// signed so that a plain Standard Webhooks library verifies it with base64(secret).
func TestPurchaseWebhooksArriveSigned(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, []string{"PAYLINK_WEBHOOK_ALLOW_PRIVATE=true"})
		rc := newReceiver(t)
		ctx := t.Context()
		api := in.API(in.Token)
		secret := ok(api.CreateWebhookEndpoint(ctx, &client.WebhookEndpointCreate{URL: rc.URL, Events: allEvents}))(t).Secret

		link := ok(api.CheckoutLinks(ctx, nil))(t).Items[0]
		var plan string
		for _, p := range link.Products {
			if p.IsRecurring {
				plan = p.ID
			}
		}
		resp, err := in.Client.Get(link.URL + "?product_id=" + plan + "&utm_source=hooks")
		if err != nil || resp.StatusCode != 303 {
			t.Fatalf("visit: %v %v", resp, err)
		}
		resp.Body.Close()
		secretOfSession := resp.Header.Get("Location")[len(in.URL+"/checkout/"):]
		ok(in.API("").ConfirmClientCheckout(ctx, secretOfSession, &client.CheckoutConfirm{ConfirmationTokenID: "tok_visa",
			CustomerEmail: new("hooks@example.com"), CustomerBillingAddress: &client.Address{Country: "NL"}}))(t)

		got := rc.waitFor(t, "checkout.created", "checkout.updated", "customer.created", "order.created", "order.paid",
			"subscription.created", "subscription.active")
		wh, err := standardwebhooks.NewWebhook(base64.StdEncoding.EncodeToString([]byte(secret)))
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range got {
			if err := wh.Verify(d.body, d.headers); err != nil {
				t.Fatalf("%s does not verify: %v", d.typ, err)
			}
			var env struct {
				Type      string         `json:"type"`
				Timestamp string         `json:"timestamp"`
				Data      map[string]any `json:"data"`
			}
			if err := json.Unmarshal(d.body, &env); err != nil || env.Timestamp == "" || env.Data["id"] == nil {
				t.Fatalf("%s envelope: %s", d.typ, d.body)
			}
			if env.Type == "order.paid" && env.Data["metadata"].(map[string]any)["utm_source"] != "hooks" {
				t.Fatalf("order.paid lost the attribution: %v", env.Data["metadata"])
			}
		}
	})
}

// An event committed by a paylink that died before delivering it is delivered by
// the next paylink to start on the database: the outbox loses nothing.
func TestEventCommittedBeforeACrashIsDeliveredAfterRestart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		rc := newReceiver(t)
		first := paylinktest.Start(t, db, []string{"PAYLINK_WEBHOOK_ALLOW_PRIVATE=true"})
		ok(first.API(first.Token).CreateWebhookEndpoint(t.Context(), &client.WebhookEndpointCreate{URL: rc.URL, Events: []string{"order.paid"}}))(t)
		first.Stop(t) // the process is gone; nothing of it runs any more

		// What a dying process leaves behind: a committed event nobody delivered.
		s, err := store.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		err = s.InTx(context.Background(), func(tx *store.Tx) error {
			return tx.EventRecord(context.Background(), &store.Event{OrganizationID: first.OrgID, Type: "order.paid",
				Payload: []byte(`{"id":"01a21296-0000-7000-8000-000000000001","metadata":{}}`)})
		})
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		paylinktest.Start(t, db, []string{"PAYLINK_WEBHOOK_ALLOW_PRIVATE=true"})
		got := rc.waitFor(t, "order.paid")
		if len(got) != 1 {
			t.Fatalf("deliveries: %d", len(got))
		}
	})
}
