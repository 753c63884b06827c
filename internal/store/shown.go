package store

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"
	"sync"

	"github.com/paylink/paylink"
)

// The checkout page and its client JSON show a session's products and its
// organization on every request. Loading a product takes five queries (its row,
// prices, custom fields, images, benefits); ShownCatalog instead reads one
// small row per thing a loaded product or organization is made of (its own
// row and each price, attached field, image and benefit, each with its id,
// position and modified_at), hashes them into a version per product and
// organization, and serves what the process loaded earlier while its version
// is the same. Every write that changes what a product or organization loads
// changes one of those rows (a modified_at, a position, a row added or
// removed), in any process, so nothing stale is ever served: the check is in
// the request's own read.

// shownCache keeps the loaded products and organizations by their version.
type shownCache struct {
	mu       sync.Mutex
	products map[string]shownEntry[*paylink.Product] // organization id/product id
	orgs     map[string]shownEntry[*paylink.Organization]
}

type shownEntry[T any] struct {
	version uint64
	v       T
}

// shownLimit bounds each map of the cache; a full map starts again empty.
const shownLimit = 10000

func shownGet[T any](c *shownCache, m map[string]shownEntry[T], key string, version uint64) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := m[key]
	return e.v, ok && e.version == version
}

func shownPut[T any](c *shownCache, m *map[string]shownEntry[T], key string, version uint64, v T) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if *m == nil || len(*m) >= shownLimit {
		*m = map[string]shownEntry[T]{}
	}
	(*m)[key] = shownEntry[T]{version: version, v: v}
}

// ShownCatalog returns the organization and its products with these ids in
// their order, as OrganizationGet and ProductGetMany would load them now (any
// id that is not one of its products, or an unknown organization, is
// ENotFound), for a read that only shows them. They may be shared with other
// requests: callers must not change them. Under MemoReads they are what
// OrganizationGet and the product reads return from then on in tx.
func (tx *Tx) ShownCatalog(ctx context.Context, orgID string, ids []string) (*paylink.Organization, []*paylink.Product, error) {
	org, ps, err := tx.shownCatalog(ctx, orgID, ids)
	if err == nil && tx.memo != nil {
		tx.MemoReads(ps...)
		tx.MemoOrganization(org)
	}
	return org, ps, err
}

func (tx *Tx) shownCatalog(ctx context.Context, orgID string, ids []string) (*paylink.Organization, []*paylink.Product, error) {
	ids = lowerIDs(ids)
	orgVersion, versions, err := tx.shownVersions(ctx, orgID, ids)
	if err != nil {
		return nil, nil, err
	}
	c := &tx.store.shown
	org, ok := shownGet(c, c.orgs, orgID, orgVersion)
	if !ok || orgVersion == 0 {
		if org, err = tx.OrganizationGet(ctx, orgID); err != nil {
			return nil, nil, err
		}
		// The version was read before the row: a change between the two makes
		// the next version differ, and the row is loaded again.
		shownPut(c, &c.orgs, orgID, orgVersion, org)
	}
	out := make([]*paylink.Product, len(ids))
	var missing []string
	for i, id := range ids {
		v, ok := versions[id]
		if !ok {
			return nil, nil, paylink.NotFound("product")
		}
		if p, ok := shownGet(c, c.products, orgID+"/"+id, v); ok {
			out[i] = p
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return org, out, nil
	}
	loaded, err := tx.ProductGetMany(ctx, orgID, missing)
	if err != nil {
		return nil, nil, err
	}
	byID := make(map[string]*paylink.Product, len(loaded))
	for _, p := range loaded {
		byID[p.ID] = p
		shownPut(c, &c.products, orgID+"/"+p.ID, versions[p.ID], p)
	}
	for i, id := range ids {
		if out[i] == nil {
			out[i] = byID[id]
		}
	}
	return org, out, nil
}

// shownVersions hashes the rows ShownCatalog's objects are made of: the
// organization's (0 when there is none) and each of its products' with these
// (lower-case) ids, by id; an id that is not one of its products is left out.
func (tx *Tx) shownVersions(ctx context.Context, orgID string, ids []string) (uint64, map[string]uint64, error) {
	var args Args
	org := args.Add(orgID)
	in := args.In(ids)
	rows, err := tx.QueryContext(ctx, `SELECT 'o', id, COALESCE(avatar_file_id, id), 0, COALESCE(modified_at, created_at)
			FROM organizations WHERE id = `+org+`
		UNION ALL SELECT 'p', id, id, 0, COALESCE(modified_at, created_at)
			FROM products WHERE organization_id = `+org+` AND id IN `+in+`
		UNION ALL SELECT 'r', product_id, id, 0, COALESCE(modified_at, created_at)
			FROM product_prices WHERE product_id IN `+in+`
		UNION ALL SELECT 'f', pcf.product_id, pcf.custom_field_id, pcf.position * 2 + CASE WHEN pcf.required THEN 1 ELSE 0 END,
			COALESCE(cf.modified_at, cf.created_at)
			FROM product_custom_fields pcf JOIN custom_fields cf ON cf.id = pcf.custom_field_id WHERE pcf.product_id IN `+in+`
		UNION ALL SELECT 'm', pm.product_id, pm.file_id, pm.position, COALESCE(f.modified_at, f.created_at)
			FROM product_medias pm JOIN files f ON f.id = pm.file_id WHERE pm.product_id IN `+in+`
		UNION ALL SELECT 'b', pb.product_id, pb.benefit_id, pb.position, COALESCE(b.modified_at, b.created_at)
			FROM product_benefits pb JOIN benefits b ON b.id = pb.benefit_id WHERE pb.product_id IN `+in, args...)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	var orgVersion uint64
	found := map[string]bool{}
	versions := make(map[string]uint64, len(ids))
	h := fnv.New64a()
	var b []byte
	for rows.Next() {
		var kind, owner, id string
		var n int64
		var at any
		if err := rows.Scan(&kind, &owner, &id, &n, &at); err != nil {
			return 0, nil, err
		}
		// Each row adds its own hash: the sum does not depend on the rows' order.
		b = fmt.Appendf(b[:0], "%s\x00%s\x00%d\x00%v", kind, strings.ToLower(id), n, at)
		h.Reset()
		h.Write(b)
		switch owner = strings.ToLower(owner); kind {
		case "o":
			orgVersion = h.Sum64() | 1 // never 0
		case "p":
			found[owner] = true
			fallthrough
		default:
			versions[owner] += h.Sum64()
		}
	}
	if err := rows.Err(); err != nil {
		return 0, nil, err
	}
	for id := range versions {
		if !found[id] {
			delete(versions, id) // another organization's product, or none
		}
	}
	return orgVersion, versions, nil
}
