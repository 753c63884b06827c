package checkout

import (
	"context"
	"sync"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// snapshotTTL bounds how stale a link's products and preset discount may be on the
// visit path. The link's own row (active, deleted, rotated, edited, expiry,
// completions) is checked again when the visit's session is written; confirm
// re-checks products and discounts anyway.
const snapshotTTL = 2 * time.Second

// linkSnapshot is what a visit needs of a link, loaded once for many visits.
type linkSnapshot struct {
	link     *paylink.CheckoutLink
	products []*paylink.Product // live products, in the link's order
	preset   *paylink.Discount
	loaded   time.Time
}

// linkCache caches snapshots by client secret.
type linkCache struct {
	mu sync.Mutex
	m  map[string]*linkSnapshot
}

func (lc *linkCache) get(secret string) *linkSnapshot {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return lc.m[secret]
}

func (lc *linkCache) put(secret string, s *linkSnapshot) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if lc.m == nil || len(lc.m) > 10000 {
		lc.m = map[string]*linkSnapshot{}
	}
	lc.m[secret] = s
}

// snapshot returns the usable link of a secret with its live products and preset:
// from the cache while it is younger than snapshotTTL and says the link is usable,
// else (and always when fresh) from the database. The visit's write checks the
// link's row again, in its own statement, before the session exists; a cached
// "not usable" is never answered without a fresh read. The returned link is a
// copy the caller may keep. For a link that exists but takes no visits (inactive,
// expired, sold out) it returns, beside the error, a snapshot holding only the
// link, so the visit can be counted as blocked.
func (s *Service) snapshot(ctx context.Context, secret string, fresh bool) (*linkSnapshot, error) {
	if len(secret) < len(paylink.PrefixLinkSecret)+10 || len(secret) > 100 || secret[:len(paylink.PrefixLinkSecret)] != paylink.PrefixLinkSecret {
		return nil, ErrLinkUnknown
	}
	c := s.links.get(secret)
	if fresh || c == nil || time.Since(c.loaded) >= snapshotTTL || LinkUsable(c.link, s.now()) != nil {
		// The visits that find the snapshot missing or stale at the same moment
		// (every visit in flight when it expires under load) share one load, which
		// begins after all of them looked. A fresh read (after the link changed
		// under a visit) waits for none started before it.
		load := func() (any, error) { return s.loadSnapshot(context.WithoutCancel(ctx), secret) }
		var v any
		var err error
		if fresh {
			v, err = load()
		} else {
			v, err, _ = s.loads.Do(secret, load)
		}
		if err != nil {
			if snap, _ := v.(*linkSnapshot); snap != nil && snap.link.DeletedAt == nil {
				return &linkSnapshot{link: snap.link}, err // a blocked link: its id, to count the visit
			}
			return nil, err
		}
		c = v.(*linkSnapshot)
	}
	if len(c.products) == 0 {
		return nil, paylink.ErrNoProducts
	}
	l := *c.link
	return &linkSnapshot{link: &l, products: c.products, preset: c.preset, loaded: c.loaded}, nil
}

// loadSnapshot reads a link, its live products and its preset, and caches them.
// The snapshot it returns is the cached one: callers copy its link.
func (s *Service) loadSnapshot(ctx context.Context, secret string) (*linkSnapshot, error) {
	var snap *linkSnapshot
	err := s.Store.Read(ctx, func(tx *store.Tx) error {
		l, err := tx.CheckoutLinkBySecret(ctx, secret)
		if paylink.IsCode(err, paylink.ENotFound) {
			return ErrLinkUnknown
		}
		if err != nil {
			return err
		}
		if err := LinkUsable(l, s.now()); err != nil {
			snap = &linkSnapshot{link: l} // not cached: for the count of a blocked visit
			return err
		}
		all, err := loadProducts(ctx, tx, l.OrganizationID, l.ProductIDs)
		if err != nil {
			return err
		}
		snap = &linkSnapshot{link: l, loaded: time.Now()}
		for _, p := range all {
			if !p.IsArchived && p.Price() != nil {
				snap.products = append(snap.products, p)
			}
		}
		if l.DiscountID != nil {
			d, err := tx.DiscountGet(ctx, l.OrganizationID, *l.DiscountID)
			if err != nil && !paylink.IsCode(err, paylink.ENotFound) {
				return err
			}
			snap.preset = d
		}
		s.links.put(secret, snap)
		return nil
	})
	return snap, err
}
