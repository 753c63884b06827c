package api_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// Every query parameter of the SDK's customers.list, orders.list and
// subscriptions.list filters: metadata[key]=value, active customers, subscription
// status and cancellation dates (cancel_at_period_end and reasons:
// TestSubscriptionCancelUncancelRevoke). Bad values are 422.
func TestListFiltersOfTheSDK(t *testing.T) {
	eachCoShop(t, func(t *testing.T, s *coShop) {
		ctx := context.Background()
		buy := func(product, email string, meta map[string]any) {
			t.Helper()
			body := map[string]any{"products": []string{product}, "customer_email": email, "metadata": meta,
				"customer_billing_address": map[string]any{"country": "DE"}}
			if product == s.kit {
				body["custom_field_data"] = map[string]any{"company": "Acme"}
			}
			c := s.create(t, body)
			s.client(t, "POST", c["client_secret"].(string), "/confirm", map[string]any{"confirmation_token_id": "tok_visa"}, 200)
		}
		buy(s.kit, "ann@example.com", map[string]any{"tier": "gold", "n": 3, "vip": true, "ratio": 1.5})
		buy(s.plan, "bob@example.com", map[string]any{"tier": "silver"})
		buy(s.plan, "cy@example.com", map[string]any{"tier": "gold"})
		buy(s.plan, "dee@example.com", nil)

		byEmail := func(path string) map[string]string {
			t.Helper()
			var p pageOf
			s.in.Must(t, "GET", path, s.token, nil, 200, &p)
			out := map[string]string{}
			for _, it := range p.Items {
				email, _ := it["email"].(string)
				if c, ok := it["customer"].(map[string]any); ok {
					email = c["email"].(string)
				}
				out[email] = it["id"].(string)
			}
			return out
		}
		customers, orders, subs := byEmail("/v1/customers/?limit=100"), byEmail("/v1/orders/?limit=100"), byEmail("/v1/subscriptions/?limit=100")
		if len(customers) != 4 || len(orders) != 4 || len(subs) != 3 {
			t.Fatalf("customers %v, orders %v, subscriptions %v", customers, orders, subs)
		}

		// Cy canceled two days ago; Dee's renewal failed.
		canceledAt := paylink.Now().Add(-48 * time.Hour)
		st := storetest.Open(t, s.in.DatabaseURL)
		if err := st.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.ExecContext(ctx, `UPDATE subscriptions SET status = 'canceled', canceled_at = $1 WHERE id = $2`,
				canceledAt, subs["cy@example.com"]); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE subscriptions SET status = 'past_due', past_due_at = $1 WHERE id = $2`,
				canceledAt, subs["dee@example.com"]); err != nil {
				return err
			}
			// Through the store, which indexes the metadata for the lists' filters.
			ann, err := tx.CustomerGetForUpdate(ctx, s.orgID, customers["ann@example.com"])
			if err != nil {
				return err
			}
			ann.Metadata = paylink.Metadata{"plan": "pro", "seats": int64(5)}
			return tx.CustomerUpdate(ctx, ann)
		}); err != nil {
			t.Fatal(err)
		}

		check := func(resource, query string, ids map[string]string, emails ...string) {
			t.Helper()
			var p pageOf
			s.in.Must(t, "GET", "/v1/"+resource+"/?"+query, s.token, nil, 200, &p)
			var got, want []string
			for _, it := range p.Items {
				got = append(got, it["id"].(string))
			}
			for _, e := range emails {
				want = append(want, ids[e])
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) || p.Pagination.TotalCount != len(want) {
				t.Errorf("%s?%s: %v (total %d), want %v", resource, query, got, p.Pagination.TotalCount, emails)
			}
		}

		check("customers", "active=true", customers, "bob@example.com", "dee@example.com")
		check("customers", "active=false", customers, "ann@example.com", "cy@example.com")
		check("customers", "metadata[plan]=pro", customers, "ann@example.com")
		check("customers", "metadata%5Bseats%5D=5&active=false", customers, "ann@example.com")
		check("customers", "metadata[plan]=basic", customers)

		check("orders", "metadata[tier]=gold", orders, "ann@example.com", "cy@example.com")
		check("orders", "metadata[tier]=gold&metadata[tier]=silver", orders, "ann@example.com", "bob@example.com", "cy@example.com")
		check("orders", "metadata[tier]=gold&metadata[n]=3", orders, "ann@example.com")
		check("orders", "metadata[vip]=true&metadata[ratio]=1.5", orders, "ann@example.com")
		check("orders", "metadata[tier]=gold&product_id="+s.plan, orders, "cy@example.com")
		check("orders", "metadata[missing]=x", orders)

		check("subscriptions", "status=active", subs, "bob@example.com")
		check("subscriptions", "status=active&status=past_due", subs, "bob@example.com", "dee@example.com")
		check("subscriptions", "status=canceled", subs, "cy@example.com")
		check("subscriptions", "status=trialing&status=paused", subs)
		check("subscriptions", "status=canceled&active=true", subs)
		check("subscriptions", "metadata[tier]=gold", subs, "cy@example.com")
		check("subscriptions", "metadata[tier]=silver&status=active", subs, "bob@example.com")
		day := func(d time.Duration) string { return url.QueryEscape(canceledAt.Add(d).Format(time.RFC3339Nano)) }
		check("subscriptions", "canceled_at_after="+day(-time.Hour), subs, "cy@example.com")
		check("subscriptions", "canceled_at_after="+day(-time.Hour)+"&canceled_at_before="+day(time.Hour), subs, "cy@example.com")
		check("subscriptions", "canceled_at_after="+day(time.Hour), subs)
		check("subscriptions", "canceled_at_before="+day(-time.Hour), subs)
		check("subscriptions", "canceled_at_after="+canceledAt.Add(-24*time.Hour).Format("2006-01-02"), subs, "cy@example.com")
		check("subscriptions", "cancel_at_period_end=false", subs, "bob@example.com", "cy@example.com", "dee@example.com")
		check("subscriptions", "cancel_at_period_end=true", subs)
		check("subscriptions", "customer_cancellation_reason=too_expensive&customer_cancellation_reason=other", subs)

		for _, bad := range []struct{ path, loc string }{
			{"customers/?active=maybe", "[query active]"},
			{"customers/?metadata=pro", "[query metadata]"},
			{"customers/?metadata[a][b]=x", "[query metadata]"},
			{"customers/?metadata[" + strings.Repeat("k", 41) + "]=x", "[query metadata " + strings.Repeat("k", 41) + "]"},
			{"orders/?metadata[]=x", "[query metadata]"},
			{"subscriptions/?status=paid", "[query status]"},
			{"subscriptions/?canceled_at_after=yesterday", "[query canceled_at_after]"},
			{"subscriptions/?canceled_at_before=2025-13-01", "[query canceled_at_before]"},
			{"subscriptions/?cancel_at_period_end=maybe", "[query cancel_at_period_end]"},
			{"subscriptions/?customer_cancellation_reason=bored", "[query customer_cancellation_reason]"},
		} {
			status, body := s.in.Do(t, "GET", "/v1/"+bad.path, s.token, nil)
			if status != 422 || !slices.Contains(locs(t, body), bad.loc) {
				t.Errorf("GET %s: %d %s, want 422 at %s", bad.path, status, body, bad.loc)
			}
		}
	})
}
