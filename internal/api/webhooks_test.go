package api_test

import (
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
)

const unknownWebhookID = "00000000-0000-7000-8000-000000000000"

type webhookEndpointWire struct {
	ID             string   `json:"id"`
	URL            string   `json:"url"`
	Name           *string  `json:"name"`
	Format         string   `json:"format"`
	Secret         string   `json:"secret"`
	OrganizationID string   `json:"organization_id"`
	Events         []string `json:"events"`
	Enabled        bool     `json:"enabled"`
	CreatedAt      string   `json:"created_at"`
	ModifiedAt     *string  `json:"modified_at"`
}

func TestWebhookEndpointsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		var e webhookEndpointWire
		in.Must(t, "POST", "/v1/webhooks/endpoints", in.Token, map[string]any{
			"url": "https://93.184.216.34/hooks", "format": "raw", "name": "Orders",
			"events": []string{"order.paid", "order.created", "order.paid"},
		}, 201, &e)
		if e.URL != "https://93.184.216.34/hooks" || *e.Name != "Orders" || e.Format != "raw" || !e.Enabled ||
			e.OrganizationID != in.OrgID || !strings.HasPrefix(e.Secret, "pl_whs_") || len(e.Events) != 2 || e.ModifiedAt != nil {
			t.Fatalf("created: %+v", e)
		}
		var got webhookEndpointWire
		in.Must(t, "GET", "/v1/webhooks/endpoints/"+e.ID, in.Token, nil, 200, &got)
		if got.Secret != e.Secret || got.CreatedAt != e.CreatedAt {
			t.Fatalf("get: %+v", got)
		}

		// Update: only what is sent changes; null name clears it.
		in.Must(t, "PATCH", "/v1/webhooks/endpoints/"+e.ID, in.Token, map[string]any{
			"events": []string{"checkout.created"}, "enabled": false, "name": nil, "url": nil}, 200, &got)
		if got.URL != e.URL || got.Name != nil || got.Enabled || len(got.Events) != 1 || got.Events[0] != "checkout.created" || got.ModifiedAt == nil {
			t.Fatalf("updated: %+v", got)
		}
		in.Must(t, "PATCH", "/v1/webhooks/endpoints/"+e.ID+"/secret", in.Token, nil, 200, &got)
		if got.Secret == e.Secret || !strings.HasPrefix(got.Secret, "pl_whs_") {
			t.Fatalf("secret not reset: %s", got.Secret)
		}

		// List, with paging and the organization filter.
		in.Must(t, "POST", "/v1/webhooks/endpoints", in.Token, map[string]any{"url": "http://93.184.216.34:8080/", "format": "raw", "events": []string{}}, 201, nil)
		var list struct {
			Items      []webhookEndpointWire `json:"items"`
			Pagination struct {
				TotalCount int `json:"total_count"`
				MaxPage    int `json:"max_page"`
			} `json:"pagination"`
		}
		in.Must(t, "GET", "/v1/webhooks/endpoints?limit=1", in.Token, nil, 200, &list)
		if list.Pagination.TotalCount != 2 || list.Pagination.MaxPage != 2 || len(list.Items) != 1 || list.Items[0].ID != e.ID {
			t.Fatalf("list: %+v", list)
		}
		in.Must(t, "GET", "/v1/webhooks/endpoints?organization_id="+unknownWebhookID, in.Token, nil, 200, &list)
		if list.Pagination.TotalCount != 0 || len(list.Items) != 0 {
			t.Fatalf("list of another organization: %+v", list)
		}
		in.Must(t, "GET", "/v1/webhooks/endpoints?organization_id=nope", in.Token, nil, 422, nil)

		// Tenant isolation: another organization sees none of it.
		_, otherToken := in.NewOrg(t, "Other Hooks")
		for _, c := range []struct{ method, path string }{
			{"GET", "/v1/webhooks/endpoints/" + e.ID},
			{"PATCH", "/v1/webhooks/endpoints/" + e.ID},
			{"PATCH", "/v1/webhooks/endpoints/" + e.ID + "/secret"},
			{"DELETE", "/v1/webhooks/endpoints/" + e.ID},
		} {
			var body any
			if c.method == "PATCH" {
				body = map[string]any{}
			}
			in.Must(t, c.method, c.path, otherToken, body, 404, nil)
		}
		in.Must(t, "GET", "/v1/webhooks/endpoints", otherToken, nil, 200, &list)
		if list.Pagination.TotalCount != 0 {
			t.Fatalf("another org lists %d endpoints", list.Pagination.TotalCount)
		}
		in.Must(t, "GET", "/v1/webhooks/endpoints/not-a-uuid", in.Token, nil, 404, nil)

		in.Must(t, "DELETE", "/v1/webhooks/endpoints/"+e.ID, in.Token, nil, 204, nil)
		in.Must(t, "GET", "/v1/webhooks/endpoints/"+e.ID, in.Token, nil, 404, nil)
		in.Must(t, "DELETE", "/v1/webhooks/endpoints/"+e.ID, in.Token, nil, 404, nil)
	})
}

func TestWebhookEndpointValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil) // private addresses NOT allowed
		ok := map[string]any{"url": "https://93.184.216.34/", "format": "raw", "events": []string{"order.paid"}}
		with := func(k string, v any) map[string]any {
			m := map[string]any{}
			for kk, vv := range ok {
				m[kk] = vv
			}
			if v == nil {
				delete(m, k)
			} else {
				m[k] = v
			}
			return m
		}
		for _, c := range []struct {
			name string
			body any
			loc  string
		}{
			{"no url", with("url", nil), `["body","url"]`},
			{"no format", with("format", nil), `["body","format"]`},
			{"no events", with("events", nil), `["body","events"]`},
			{"url not a string", with("url", 5), `"url"`},
			{"ftp", with("url", "ftp://93.184.216.34/"), `["body","url"]`},
			{"relative", with("url", "/hooks"), `["body","url"]`},
			{"loopback", with("url", "http://127.0.0.1:9/"), `loopback`},
			{"localhost", with("url", "http://localhost:9/"), `loopback`},
			{"private", with("url", "http://192.168.1.10/"), `private`},
			{"ipv6 private", with("url", "http://[fd00::1]/"), `private`},
			{"mapped loopback", with("url", "http://[::ffff:127.0.0.1]/"), `loopback`},
			{"decimal ip", with("url", "http://2130706433/"), `["body","url"]`},
			{"metadata", with("url", "http://169.254.169.254/latest/meta-data/"), `metadata`},
			{"metadata host", with("url", "http://metadata.google.internal/"), `metadata`},
			{"slack", with("format", "slack"), `["body","format"]`},
			{"bad format", with("format", "xml"), `["body","format"]`},
			{"bad event", with("events", []string{"order.paid", "order.exploded"}), `["body","events",1]`},
			{"other org", with("organization_id", unknownWebhookID), `["body","organization_id"]`},
			{"not json", "{", `["body"]`},
		} {
			status, body := in.Do(t, "POST", "/v1/webhooks/endpoints", in.Token, c.body)
			if status != 422 || !strings.Contains(string(body), c.loc) {
				t.Errorf("%s: %d %s; want 422 mentioning %s", c.name, status, body, c.loc)
			}
		}
		var e webhookEndpointWire
		in.Must(t, "POST", "/v1/webhooks/endpoints", in.Token, ok, 201, &e)
		status, body := in.Do(t, "PATCH", "/v1/webhooks/endpoints/"+e.ID, in.Token, map[string]any{"url": "http://10.0.0.1/"})
		if status != 422 || !strings.Contains(string(body), "private") {
			t.Fatalf("PATCH to a private URL: %d %s", status, body)
		}
		in.Must(t, "GET", "/v1/webhooks/endpoints/"+e.ID, in.Token, nil, 200, &e)
		if e.URL != "https://93.184.216.34/" {
			t.Fatalf("a refused PATCH changed the URL: %s", e.URL)
		}
		for _, q := range []string{"endpoint_id=x", "succeeded=maybe", "http_code_class=6xx", "event_type=nope", "start_timestamp=yesterday", "limit=101"} {
			if status, body := in.Do(t, "GET", "/v1/webhooks/deliveries?"+q, in.Token, nil); status != 422 {
				t.Errorf("deliveries?%s: %d %s, want 422", q, status, body)
			}
		}
		in.Must(t, "POST", "/v1/webhooks/events/"+unknownWebhookID+"/redeliver", in.Token, nil, 404, nil)
		_, readOnly := in.NewOrg(t, "Read Only", "webhooks:read")
		in.Must(t, "POST", "/v1/webhooks/endpoints", readOnly, ok, 403, nil)
		in.Must(t, "GET", "/v1/webhooks/endpoints", "", nil, 401, nil)
	})
}
