package checkout_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/checkout"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// A visit answers from a cached snapshot of its link, but its session is written
// only if the link's row is still what the snapshot saw: changes made behind the
// cache's back (another process, or straight in the database) take effect on the
// very next visit.
func TestVisitSeesTheLinkAsItIsWhenWritten(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, nil, nil)
		f.open(t, "") // caches the snapshot
		change := func(fn func(l *paylink.CheckoutLink)) {
			t.Helper()
			err := s.InTx(ctx, func(tx *store.Tx) error {
				l, err := tx.CheckoutLinkGet(ctx, f.org.ID, f.link.ID)
				if err != nil {
					return err
				}
				fn(l)
				return tx.CheckoutLinkUpdate(ctx, l)
			})
			if err != nil {
				t.Fatal(err)
			}
		}

		change(func(l *paylink.CheckoutLink) { l.Metadata = paylink.Metadata{"campaign": "edited"} })
		if c := f.open(t, ""); c.Metadata["campaign"] != "edited" {
			t.Fatalf("a visit after an edit used the old link: %v", c.Metadata)
		}

		change(func(l *paylink.CheckoutLink) { l.Active, l.InactiveMessage = false, ptr("Back on Monday.") })
		if _, err := f.svc.Open(ctx, f.link.ClientSecret, nil, ""); !paylink.IsCode(err, paylink.EGone) || !strings.Contains(err.Error(), "Back on Monday.") {
			t.Fatalf("visit of a link deactivated behind the cache: %v", err)
		}

		change(func(l *paylink.CheckoutLink) { l.Active = true })
		f.open(t, "")
		var rotated string
		err := s.InTx(ctx, func(tx *store.Tx) (err error) {
			rotated, err = tx.CheckoutLinkRotateSecret(ctx, f.org.ID, f.link.ID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Open(ctx, f.link.ClientSecret, nil, ""); err != checkout.ErrLinkUnknown {
			t.Fatalf("visit of the rotated-away secret: %v", err)
		}
		if v, err := f.svc.Open(ctx, rotated, nil, ""); err != nil || v.Checkout == nil {
			t.Fatalf("visit of the new secret: %v", err)
		}

		var stats map[string]int
		s.Read(ctx, func(tx *store.Tx) (err error) { stats, err = tx.CheckoutLinkStats(ctx, f.link.ID); return err })
		if stats[paylink.CheckoutOpen] != 4 {
			t.Fatalf("sessions %v, want 4 open (no session for the refused visits)", stats)
		}
	})
}

// Visits that find the link's snapshot missing at the same moment share one load
// and still each get a link of their own.
func TestConcurrentVisitsShareTheSnapshotLoad(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, nil, nil)
		const n = 40
		links := make([]*paylink.CheckoutLink, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v, err := f.svc.Open(ctx, f.link.ClientSecret, nil, "")
				if errs[i] = err; err == nil {
					links[i] = v.Link
				}
			}()
		}
		wg.Wait()
		seen := map[*paylink.CheckoutLink]bool{}
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("visit %d: %v", i, errs[i])
			}
			if seen[links[i]] || links[i].ID != f.link.ID {
				t.Fatalf("visit %d shares its link with another or got the wrong one", i)
			}
			seen[links[i]] = true
		}
	})
}
