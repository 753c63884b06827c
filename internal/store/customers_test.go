package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// Concurrent purchases by one new buyer find or create one customer: none of
// them fails on the unique email (which used to leave a paid session confirmed).
func TestCustomerFindOrCreateConcurrently(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := storetest.Org(t, s, "Customers")
		const n = 12
		var wg sync.WaitGroup
		start := make(chan struct{})
		ids := make([]string, n)
		created := make([]bool, n)
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = s.InTx(ctx, func(tx *store.Tx) error {
					c, made, err := tx.CustomerFindOrCreate(ctx, &paylink.Customer{OrganizationID: org.ID,
						Email: "Same@Example.com", Name: ptr("Same")})
					if err == nil {
						ids[i], created[i] = c.ID, made
					}
					time.Sleep(20 * time.Millisecond) // hold the new row uncommitted while the others look
					return err
				})
			}()
		}
		close(start)
		wg.Wait()
		made := 0
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("buyer %d: %v", i, errs[i])
			}
			if ids[i] != ids[0] {
				t.Fatalf("two customers for one email: %s and %s", ids[0], ids[i])
			}
			if created[i] {
				made++
			}
		}
		if made != 1 {
			t.Fatalf("%d transactions say they created the customer", made)
		}
	})
}
