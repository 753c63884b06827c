package api_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// TestBenefitEventsEqualAPIResponses: benefit.created and benefit_grant.created
// (recorded in the purchase's transaction) carry exactly what the API answers
// for the benefit and its grant, and a subscription's grant names it. Both engines.
func TestBenefitEventsEqualAPIResponses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, u string) {
		ctx := context.Background()
		in := paylinktest.Start(t, u, nil)
		var b, p, c struct {
			ID           string `json:"id"`
			ClientSecret string `json:"client_secret"`
		}
		in.Must(t, "POST", "/v1/benefits/", in.Token, map[string]any{"type": "license_keys", "description": "Plan key",
			"properties": map[string]any{"prefix": "plan", "limit_usage": 3}}, 201, &b)
		in.Must(t, "POST", "/v1/products/", in.Token, map[string]any{"name": "Monthly", "recurring_interval": "month",
			"prices": []map[string]any{{"amount_type": "fixed", "price_currency": "usd", "price_amount": 900}}}, 201, &p)
		in.Must(t, "POST", "/v1/products/"+p.ID+"/benefits", in.Token, map[string]any{"benefits": []string{b.ID}}, 200, nil)
		in.Must(t, "POST", "/v1/checkouts/", in.Token, map[string]any{"products": []string{p.ID},
			"customer_email": "sub@example.com"}, 201, &c)
		in.Must(t, "POST", "/v1/checkouts/client/"+c.ClientSecret+"/confirm", "", map[string]any{
			"confirmation_token_id": "tok_visa", "customer_billing_address": map[string]any{"country": "US"}}, 200, nil)

		st := storetest.Open(t, u)
		events := map[string][]*store.Event{}
		if err := st.Read(ctx, func(tx *store.Tx) error {
			for _, typ := range []string{"benefit.created", "benefit_grant.created"} {
				var err error
				if events[typ], err = tx.EventList(ctx, in.OrgID, typ); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		var benefit map[string]any
		in.Must(t, "GET", "/v1/benefits/"+b.ID, in.Token, nil, 200, &benefit)
		raw, _ := json.Marshal(benefit)
		if e := events["benefit.created"]; len(e) != 1 || !reflect.DeepEqual(canonical(t, e[0].Payload), canonical(t, raw)) {
			t.Fatalf("benefit.created events %d; payload vs API:\n%s\n%s", len(e), payloadOf(e), raw)
		}
		var grants struct{ Items []map[string]any }
		in.Must(t, "GET", "/v1/benefits/"+b.ID+"/grants", in.Token, nil, 200, &grants)
		if len(grants.Items) != 1 || grants.Items[0]["subscription_id"] == nil || grants.Items[0]["order_id"] != nil {
			t.Fatalf("grants of the subscription's benefit: %+v", grants.Items)
		}
		raw, _ = json.Marshal(grants.Items[0])
		if e := events["benefit_grant.created"]; len(e) != 1 || !reflect.DeepEqual(canonical(t, e[0].Payload), canonical(t, raw)) {
			t.Fatalf("benefit_grant.created events %d; payload vs API:\n%s\n%s", len(e), payloadOf(e), raw)
		}
	})
}

func payloadOf(es []*store.Event) string {
	if len(es) == 0 {
		return "(none)"
	}
	return string(es[0].Payload)
}
