package dashboard_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
)

// apiPatch sends a PATCH with the demo token from any goroutine (no t.Fatal).
func apiPatch(in *paylinktest.Instance, path string, body any) (int, error) {
	j, _ := json.Marshal(body)
	req, _ := http.NewRequest("PATCH", in.URL+path, bytes.NewReader(j))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+in.Token)
	resp, err := in.Client.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// demoLinkID returns the id of the demo's checkout link.
func demoLinkID(t *testing.T, in *paylinktest.Instance) string {
	t.Helper()
	var links struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	in.Must(t, "GET", "/v1/checkout-links/", in.Token, nil, 200, &links)
	if len(links.Items) == 0 {
		t.Fatal("the demo has no checkout link")
	}
	return links.Items[0].ID
}

// raceCase is one resource that the API and the dashboard both edit.
type raceCase struct {
	what   string // "product" or "link"
	id     string
	api    string                       // its API path
	form   func(name string) url.Values // the dashboard's edit form, with the name typed in
	field  string                       // the JSON field both change
	editAt string                       // the dashboard's edit page
}

// TestDashboardSaveNeverOverwritesAPIChange: an API update and a dashboard save
// of the same product, and of the same link. The dashboard's form carries the
// version it was opened at: saved after the API's change, it is refused with a
// conflict the user sees; either way the API's change is never lost silently.
func TestDashboardSaveNeverOverwritesAPIChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		b := dashSignedIn(t, in, in.SignIn)
		product := dashProductID(t, b, "Starter Kit")
		link := demoLinkID(t, in)
		cases := []raceCase{
			{what: "product", id: product, api: "/v1/products/" + product, field: "name", editAt: "/dashboard/products/" + product,
				form: func(name string) url.Values {
					return url.Values{"name": {name}, "amount_type": {"fixed"}, "currency": {"usd"}, "amount": {"19.00"}}
				}},
			{what: "link", id: link, api: "/v1/checkout-links/" + link, field: "label", editAt: "/dashboard/links/" + link,
				form: func(name string) url.Values {
					return url.Values{"label": {name}, "product": {product}, "active": {"1"}, "allow_discount_codes": {"1"}}
				}},
		}
		for _, c := range cases {
			t.Run(c.what, func(t *testing.T) {
				current := func() string {
					var got map[string]any
					in.Must(t, "GET", c.api, in.Token, nil, 200, &got)
					return fmt.Sprint(got[c.field])
				}
				// In turn: the form is opened, the API changes the row, the form is saved.
				b.Get(c.editAt)
				in.Must(t, "PATCH", c.api, in.Token, map[string]any{c.field: "Changed by the API"}, 200, nil)
				status, doc := b.Post(c.editAt, c.form("Typed in the dashboard"))
				if status != http.StatusConflict {
					t.Fatalf("stale save: %d, want 409", status)
				}
				if msg := doc.ByID("form-stale").AllText(); !strings.Contains(msg, "changed since you opened it") {
					t.Fatalf("stale save says %q", msg)
				}
				if got := current(); got != "Changed by the API" {
					t.Fatalf("after a stale save the %s is %q: the API's change was overwritten", c.field, got)
				}
				// Reloaded, the form saves; an API change after it sees the dashboard's.
				b.Get(c.editAt)
				b.Post(c.editAt, c.form("Saved from the dashboard"))
				if !strings.HasPrefix(b.Last.Request.URL.RawQuery, "done=") || current() != "Saved from the dashboard" {
					t.Fatalf("fresh save: ended at %s with %q", b.Last.Request.URL, current())
				}
				// At the same time: whichever commits first, the API's change survives,
				// and the dashboard either saved before it or was told of the conflict.
				for i := range 8 {
					b.Get(c.editAt)
					apiName := fmt.Sprintf("API %d", i)
					res := make(chan error, 1)
					go func() {
						status, err := apiPatch(in, c.api, map[string]any{c.field: apiName})
						if err == nil && status != 200 {
							err = fmt.Errorf("API update: %d", status)
						}
						res <- err
					}()
					status, _ := b.Post(c.editAt, c.form(fmt.Sprintf("Dashboard %d", i)))
					if err := <-res; err != nil {
						t.Fatal(err)
					}
					if status != http.StatusOK && status != http.StatusConflict {
						t.Fatalf("concurrent save %d: %d", i, status)
					}
					if got := current(); got != apiName {
						t.Fatalf("round %d: the %s is %q, the API's %q was lost", i, c.field, got, apiName)
					}
				}
			})
		}
	})
}
