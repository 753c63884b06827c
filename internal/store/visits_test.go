package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// visitOf is a visit to l as a visitor reading l now would make it.
func visitOf(l *paylink.CheckoutLink, payload []byte) *store.Visit {
	c := newCheckout(l.OrganizationID, paylink.Now().Add(time.Hour))
	c.CheckoutLinkID = &l.ID
	return &store.Visit{Checkout: c, LinkSecret: l.ClientSecret, LinkModifiedAt: l.ModifiedAt, Payload: payload}
}

func TestVisitsCreate(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		quiet, loud := storetest.Org(t, s, "Quiet"), storetest.Org(t, s, "Loud")
		newLink := func(orgID string) *paylink.CheckoutLink {
			l := &paylink.CheckoutLink{OrganizationID: orgID, ProductIDs: []string{paylink.NewID()}, Active: true, Metadata: paylink.Metadata{}}
			tx(t, s, func(tx *store.Tx) error { return tx.CheckoutLinkCreate(ctx, l) })
			return l
		}
		ql, ll := newLink(quiet.ID), newLink(loud.ID)
		newEndpoint(t, s, loud.ID, "checkout.created")
		newEndpoint(t, s, quiet.ID, "order.paid") // subscribes, but not to checkout.created
		exists := func(c *paylink.Checkout) bool {
			var err error
			s.Read(ctx, func(tx *store.Tx) error { _, err = tx.CheckoutGet(ctx, c.OrganizationID, c.ID); return nil })
			return err == nil
		}

		// A subscribed organization's visit without a payload: nothing is written.
		need := []*store.Visit{visitOf(ql, nil), visitOf(ll, nil)}
		_, err := s.VisitsCreate(ctx, need)
		var np *store.NeedPayloadsError
		if !errors.As(err, &np) || len(np.Organizations) != 1 || np.Organizations[0] != loud.ID {
			t.Fatalf("want NeedPayloadsError for the loud org, got %v", err)
		}
		if exists(need[0].Checkout) || exists(need[1].Checkout) {
			t.Fatal("a failed batch wrote a session")
		}

		// With the payload: both sessions written; only the loud org, which has a
		// subscribed endpoint, gets a checkout.created event.
		need[1].Payload = []byte(`{"id":"` + need[1].Checkout.ID + `"}`)
		res, err := s.VisitsCreate(ctx, need)
		if err != nil || !res.Written[0] || !res.Written[1] || res.Subscribed[quiet.ID] || !res.Subscribed[loud.ID] {
			t.Fatalf("batch: %+v %v", res, err)
		}
		if !exists(need[0].Checkout) || !exists(need[1].Checkout) {
			t.Fatal("sessions missing")
		}
		tx(t, s, func(tx *store.Tx) error {
			qe, _ := tx.EventList(ctx, quiet.ID, "checkout.created")
			le, _ := tx.EventList(ctx, loud.ID, "checkout.created")
			if len(qe) != 0 || len(le) != 1 || !strings.Contains(string(le[0].Payload), need[1].Checkout.ID) {
				return fmt.Errorf("events: quiet %+v loud %+v", qe, le)
			}
			pending, err := tx.EventsUndispatched(ctx, 10)
			if err != nil || len(pending) != 1 || pending[0].ID != le[0].ID {
				return fmt.Errorf("undispatched: %+v %v", pending, err)
			}
			return nil
		})

		// A rotated secret, an edit since the visit read the link, a deactivated,
		// a deleted and a sold-out link: those visits are not written, the rest are.
		stale := visitOf(ql, nil)
		rotated := visitOf(ql, nil)
		rotated.LinkSecret = paylink.NewSecret(paylink.PrefixLinkSecret)
		good := visitOf(ql, nil)
		tx(t, s, func(tx *store.Tx) error {
			l, _ := tx.CheckoutLinkGet(ctx, quiet.ID, ql.ID)
			return tx.CheckoutLinkUpdate(ctx, l)
		})
		tx(t, s, func(tx *store.Tx) error { ql, err = tx.CheckoutLinkGet(ctx, quiet.ID, ql.ID); return err })
		fresh := visitOf(ql, nil)
		otherOrg := visitOf(ql, []byte(`{}`))
		otherOrg.Checkout.OrganizationID = loud.ID // a link is never another organization's
		res, err = s.VisitsCreate(ctx, []*store.Visit{stale, rotated, good, fresh, otherOrg})
		if err != nil || res.Written[0] || res.Written[1] || res.Written[2] || !res.Written[3] || res.Written[4] {
			t.Fatalf("edited link: %+v %v", res.Written, err)
		}
		if exists(stale.Checkout) || !exists(fresh.Checkout) {
			t.Fatal("written set differs from Written")
		}
		for name, change := range map[string]func(l *paylink.CheckoutLink){
			"inactive":  func(l *paylink.CheckoutLink) { l.Active = false },
			"expired":   func(l *paylink.CheckoutLink) { l.ExpiresAt = ptr(paylink.Now().Add(-time.Second)) },
			"sold out":  func(l *paylink.CheckoutLink) { l.MaxCompletions = ptr(0) },
			"unchanged": func(l *paylink.CheckoutLink) {},
		} {
			l := newLink(quiet.ID)
			tx(t, s, func(tx *store.Tx) error {
				change(l)
				if err := tx.CheckoutLinkUpdate(ctx, l); err != nil {
					return err
				}
				l, err = tx.CheckoutLinkGet(ctx, quiet.ID, l.ID)
				return err
			})
			res, err := s.VisitsCreate(ctx, []*store.Visit{visitOf(l, nil)})
			if err != nil || res.Written[0] != (name == "unchanged") {
				t.Errorf("%s link: written %v, %v", name, res.Written, err)
			}
		}
		deleted := newLink(quiet.ID)
		tx(t, s, func(tx *store.Tx) error { return tx.CheckoutLinkDelete(ctx, quiet.ID, deleted.ID, paylink.Now()) })
		if res, err := s.VisitsCreate(ctx, []*store.Visit{visitOf(deleted, nil)}); err != nil || res.Written[0] {
			t.Errorf("deleted link: written %v, %v", res.Written, err)
		}
	})
}

func TestCheckoutSecretsSortByCreation(t *testing.T) {
	a := paylink.NewCheckoutSecret()
	time.Sleep(2 * time.Millisecond)
	b := paylink.NewCheckoutSecret()
	if !(a < b) || a[:len(paylink.PrefixCheckoutSecret)] != paylink.PrefixCheckoutSecret || len(a) != len(b) || len(a) > 100 {
		t.Fatalf("secrets %q, %q", a, b)
	}
}

func TestJSONTextFastPaths(t *testing.T) {
	for _, ids := range [][]string{nil, {}, {"a"}, {paylink.NewID(), paylink.NewID()}, {`q"uote`, "é", "<b>"}, {"a b", "x/y:z"}, {"\x7f"}} {
		want, _ := json.Marshal(ids)
		if got := store.JSONTextForTest(ids); got != string(want) {
			t.Errorf("%q: %s, want %s", ids, got, want)
		}
	}
	for _, m := range []map[string]any{nil, {}, {"k": "v", "n": 1}, {"utm_source": "news", "campaign": "a b", "reference_id": "r-1", "": ""},
		{"k": "<script>"}, {"k": "a&b"}, {"k": `q"`}, {"k": `\`}, {"k": "é"}, {"k": "\u2028"}, {"k": "\x7f"}, {"k": "\n"}, {"é": "v"}, {"k": true}} {
		want, _ := json.Marshal(m)
		if len(m) == 0 {
			want = []byte("{}")
		}
		if got := store.JSONTextForTest(m); got != string(want) {
			t.Errorf("%v: %s, want %s", m, got, want)
		}
	}
}
