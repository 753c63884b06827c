package dashboard_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
	"github.com/paylink/paylink/internal/webhook"
)

const evilResponse = `<script>alert("x")</script><img src=x onerror=alert(1)> not now`

// hookSink is a webhook receiver that answers every request with status and body.
type hookSink struct {
	srv  *httptest.Server
	hits atomic.Int32
}

func newHookSink(t *testing.T, status int, body string) *hookSink {
	h := &hookSink{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		h.hits.Add(1)
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

// inTx runs fn in a write transaction on the instance's database.
func inTx(t *testing.T, in *paylinktest.Instance, fn func(ctx context.Context, tx *store.Tx) error) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, in.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.InTx(ctx, func(tx *store.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
}

// endpointWire is a webhook endpoint as the API returns it.
type endpointWire struct {
	URL     string   `json:"url"`
	Name    *string  `json:"name"`
	Secret  string   `json:"secret"`
	Events  []string `json:"events"`
	Enabled bool     `json:"enabled"`
}

func getEndpoint(t *testing.T, in *paylinktest.Instance, id string) (ep endpointWire) {
	t.Helper()
	in.Must(t, "GET", "/v1/webhooks/endpoints/"+id, in.Token, nil, 200, &ep)
	return ep
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// deliveryRows returns the rows of the delivery log of an endpoint's page.
func deliveryRows(b *webtest.DashBrowser, id string) (*webtest.Elem, []*webtest.Elem) {
	_, doc := b.Get("/dashboard/webhooks/" + id)
	table := doc.Find(webtest.WithAttrs("table", "class", "deliveries"))
	if table == nil {
		return doc, nil
	}
	return doc, table.Find(webtest.IsTag("tbody")).All(webtest.IsTag("tr"))
}

func TestDashboardWebhooks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, []string{"PAYLINK_WEBHOOK_ALLOW_PRIVATE=true"})
		sink := newHookSink(t, 500, evilResponse)
		b := dashSignedIn(t, in, in.SignIn)
		status, doc := b.Get("/dashboard/webhooks")
		if status != 200 || webtest.OnlyOne(t, doc, webtest.IsTag("h1"), "h1").AllText() != "Webhooks" ||
			doc.Find(webtest.WithAttrs("a", "aria-current", "page")).AllText() != "Webhooks" {
			t.Fatalf("webhooks page: %d", status)
		}
		if n := len(doc.All(webtest.WithAttrs("input", "name", "events"))); n != len(webhook.Emitted) {
			t.Fatalf("%d event checkboxes, want the %d paylink emits", n, len(webhook.Emitted))
		}

		// A refused URL comes back next to its field, with what was typed.
		status, doc = b.Post("/dashboard/webhooks", url.Values{"url": {"http://169.254.169.254/latest"}, "events": {"order.paid"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(doc.ByID("w-url-error").AllText(), "metadata") {
			t.Fatalf("metadata URL: %d", status)
		}
		if u := doc.Control("URL"); u.Attr["value"] != "http://169.254.169.254/latest" || u.Attr["aria-invalid"] != "true" {
			t.Fatalf("URL input after a refusal: %+v", u.Attr)
		}
		if !doc.Find(webtest.WithAttrs("input", "value", "order.paid")).Has("checked") {
			t.Fatal("the refused form lost the checked event")
		}
		if status, doc = b.Post("/dashboard/webhooks", url.Values{"url": {sink.srv.URL}}); status != 422 || doc.ByID("w-events-error") == nil {
			t.Fatalf("no events: %d", status)
		}

		// Created: the secret is shown once, and it is the endpoint's.
		status, doc = b.Post("/dashboard/webhooks", url.Values{"url": {sink.srv.URL + "/hook"}, "name": {"Receiver"},
			"events": {"order.paid", "checkout.created"}})
		secret := doc.ByID("new-secret")
		if status != 200 || secret == nil || !strings.HasPrefix(secret.Attr["value"], "pl_whs_") {
			t.Fatalf("create: %d", status)
		}
		open := doc.Find(func(e *webtest.Elem) bool { return e.Tag == "a" && strings.HasPrefix(e.AllText(), "Open the endpoint") })
		id := strings.TrimPrefix(open.Attr["href"], "/dashboard/webhooks/")
		ep := getEndpoint(t, in, id)
		if ep.Secret != secret.Attr["value"] || ep.URL != sink.srv.URL+"/hook" || ep.Name == nil || *ep.Name != "Receiver" || len(ep.Events) != 2 {
			t.Fatalf("created endpoint %+v", ep)
		}
		_, doc = b.Get("/dashboard/webhooks")
		if doc.ByID("new-secret") != nil || strings.Contains(doc.AllText(), ep.Secret) {
			t.Fatal("the secret is shown again")
		}
		row := doc.Find(func(e *webtest.Elem) bool { return e.Tag == "tr" && strings.Contains(e.AllText(), "Receiver") })
		if row == nil || !strings.Contains(row.AllText(), "order.paid") || !strings.Contains(row.AllText(), "Enabled") ||
			!strings.Contains(row.AllText(), "None yet") {
			t.Fatal("the endpoint's row lacks its events, status or last delivery")
		}

		// A delivery that fails with markup in its response: logged, shown as text.
		inTx(t, in, func(ctx context.Context, tx *store.Tx) error {
			return tx.EventRecord(ctx, &store.Event{OrganizationID: in.OrgID, Type: "order.paid", Payload: []byte(`{"id":"ord_1"}`)})
		})
		var rows []*webtest.Elem
		waitFor(t, "the delivery in the log", func() bool { doc, rows = deliveryRows(b, id); return len(rows) > 0 })
		cells := rows[0].All(webtest.IsTag("td"))
		if got := cells[1].AllText() + "|" + cells[2].AllText() + "|" + cells[3].AllText() + "|" + cells[5].AllText(); got != "order.paid|Failed|500|1" {
			t.Errorf("delivery row: %s", got)
		}
		if cells[6].AllText() != evilResponse {
			t.Errorf("response excerpt %q", cells[6].AllText())
		}
		if n := len(doc.All(webtest.IsTag("script"))); n != 1 || doc.Find(webtest.IsTag("img")) != nil {
			t.Fatalf("the response became markup: %d scripts", n)
		}
		_, doc = b.Get("/dashboard/webhooks")
		if row := doc.Find(func(e *webtest.Elem) bool { return e.Tag == "tr" && strings.Contains(e.AllText(), "Receiver") }); !strings.Contains(row.AllText(), "Failed") {
			t.Errorf("the list does not show the last delivery failed: %q", row.AllText())
		}

		// Redeliver sends it again.
		_, doc = b.Get("/dashboard/webhooks/" + id)
		redeliver := doc.Find(func(e *webtest.Elem) bool {
			return e.Tag == "form" && strings.HasSuffix(e.Attr["action"], "/redeliver")
		})
		before := sink.hits.Load()
		b.Post(redeliver.Attr["action"], url.Values{})
		if b.Last.Request.URL.RawQuery != "done=webhook-redeliver" {
			t.Fatalf("redeliver ended at %s", b.Last.Request.URL)
		}
		waitFor(t, "the redelivery", func() bool { return sink.hits.Load() > before })

		// An endpoint paylink disabled after days of failures: the notice, then Re-enable.
		failing := time.Now().UTC().Add(-73 * time.Hour)
		inTx(t, in, func(ctx context.Context, tx *store.Tx) error {
			e, err := tx.WebhookEndpointGet(ctx, in.OrgID, id)
			reason := "Every delivery failed for 3 days; enable the endpoint again once it answers."
			e.Enabled, e.FailingSince, e.DisabledReason = false, &failing, &reason
			if err == nil {
				err = tx.WebhookEndpointUpdate(ctx, e)
			}
			return err
		})
		_, doc = b.Get("/dashboard/webhooks/" + id)
		notice := doc.ByID("disabled-notice")
		if notice == nil || !strings.Contains(notice.AllText(), "failed for 3 days") || !strings.Contains(notice.AllText(), failing.Format("2 Jan 2006 15:04")) {
			t.Fatalf("no disabled notice with its reason and date")
		}
		if doc.Find(func(e *webtest.Elem) bool {
			return e.Tag == "form" && strings.HasSuffix(e.Attr["action"], "/redeliver")
		}) != nil {
			t.Error("a disabled endpoint offers Redeliver")
		}
		if status, _ := b.Post(redeliver.Attr["action"], url.Values{}); status != http.StatusForbidden {
			t.Errorf("redeliver on a disabled endpoint: %d", status)
		}
		if _, doc = b.Get("/dashboard/webhooks"); !strings.Contains(doc.AllText(), "Disabled by paylink") {
			t.Error("the list does not say paylink disabled the endpoint")
		}
		b.Get("/dashboard/webhooks/" + id)
		b.Post("/dashboard/webhooks/"+id+"/enabled", url.Values{"enabled": {"1"}})
		ep = getEndpoint(t, in, id)
		if _, doc = b.Get("/dashboard/webhooks/" + id); !ep.Enabled || doc.ByID("disabled-notice") != nil {
			t.Fatalf("after Re-enable: enabled %v", ep.Enabled)
		}

		// Edit: a bad URL is refused at its field; then saved.
		if status, doc := b.Post("/dashboard/webhooks/"+id, url.Values{"url": {"ftp://example.com"}, "events": {"order.paid"}}); status != 422 ||
			doc.ByID("w-url-error") == nil {
			t.Fatalf("edit with a bad URL: %d", status)
		}
		b.Post("/dashboard/webhooks/"+id, url.Values{"url": {sink.srv.URL + "/v2"}, "name": {""}, "events": {"order.created"}})
		ep = getEndpoint(t, in, id)
		if b.Last.Request.URL.RawQuery != "done=webhook-saved" || ep.URL != sink.srv.URL+"/v2" || ep.Name != nil ||
			strings.Join(ep.Events, ",") != "order.created" {
			t.Fatalf("after edit: %+v", ep)
		}

		// Reset secret: the new one is shown once and is the endpoint's.
		old := ep.Secret
		_, doc = b.Post("/dashboard/webhooks/"+id+"/secret", url.Values{})
		ep = getEndpoint(t, in, id)
		if s := doc.ByID("new-secret"); s == nil || s.Attr["value"] != ep.Secret || ep.Secret == old {
			t.Fatal("reset secret did not show the new secret")
		}

		// Another organization sees nothing and can touch nothing.
		other := dashSignedIn(t, in, dashNewUser(t, in, "Other Shop", "owner@other.example"))
		if _, doc := other.Get("/dashboard/webhooks"); strings.Contains(doc.AllText(), sink.srv.URL) {
			t.Fatal("another organization's endpoint is listed")
		}
		if status, _ := other.Get("/dashboard/webhooks/" + id); status != http.StatusNotFound {
			t.Errorf("GET another organization's endpoint: %d", status)
		}
		for _, path := range []string{"", "/secret", "/enabled", "/delete", strings.TrimPrefix(redeliver.Attr["action"], "/dashboard/webhooks/"+id)} {
			if status, _ := other.Post("/dashboard/webhooks/"+id+path, url.Values{"url": {"https://example.com"}, "events": {"order.paid"}}); status != http.StatusNotFound {
				t.Errorf("POST %s of another organization: %d, want 404", path, status)
			}
		}
		ep = getEndpoint(t, in, id)
		if ep.URL != sink.srv.URL+"/v2" || !ep.Enabled {
			t.Fatalf("another organization changed the endpoint: %+v", ep)
		}

		// Paging: 60 attempts in the log are two pages.
		eventID := strings.Split(redeliver.Attr["action"], "/")[5]
		inTx(t, in, func(ctx context.Context, tx *store.Tx) error {
			for range 60 {
				if err := tx.WebhookDeliveryRecord(ctx, &store.WebhookDelivery{OrganizationID: in.OrgID, EndpointID: id,
					WebhookEventID: eventID, Attempt: 2, Succeeded: true}); err != nil {
					return err
				}
			}
			return nil
		})
		_, doc = b.Get("/dashboard/webhooks/" + id)
		next := doc.Find(webtest.WithAttrs("a", "rel", "next"))
		if n := len(doc.Find(webtest.WithAttrs("table", "class", "deliveries")).Find(webtest.IsTag("tbody")).All(webtest.IsTag("tr"))); n != 50 || next == nil {
			t.Fatalf("first page: %d rows", n)
		}
		_, doc = b.Get(next.Attr["href"])
		if n := len(doc.Find(webtest.WithAttrs("table", "class", "deliveries")).Find(webtest.IsTag("tbody")).All(webtest.IsTag("tr"))); n < 11 {
			t.Fatalf("second page: %d rows", n)
		}

		// Delete.
		b.Post("/dashboard/webhooks/"+id+"/delete", url.Values{})
		if b.Last.Request.URL.RawQuery != "done=webhook-deleted" {
			t.Fatalf("delete ended at %s", b.Last.Request.URL)
		}
		in.Must(t, "GET", "/v1/webhooks/endpoints/"+id, in.Token, nil, 404, nil)
	})
}
