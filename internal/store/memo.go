package store

import (
	"strings"

	"github.com/paylink/paylink"
)

// MemoReads makes the transaction read each product, customer and
// organization once: from then on ProductGet, ProductGetMany, ProductsFind,
// CustomerGet and OrganizationGet return what they loaded first, the same
// pointer, which callers must not change. It is for flows that read the same
// objects again and again and do not write them (a confirm read the session's
// product, six queries each time, five to eight times: for its checks, for
// each event it renders, for the receipt); a write of one of them in the
// transaction forgets what was read of its kind. The products given are taken as read
// (a flow's own products, read in its previous transaction).
func (tx *Tx) MemoReads(products ...*paylink.Product) {
	if tx.memo == nil {
		tx.memo = map[string]any{}
	}
	for _, p := range products {
		tx.memoStore("product/"+p.OrganizationID+"/"+p.ID, p)
	}
}

// MemoOrganization is MemoReads for an organization read moments before (in
// an earlier transaction of the flow).
func (tx *Tx) MemoOrganization(org *paylink.Organization) {
	if tx.memo != nil && org != nil {
		tx.memoStore("organization/"+org.ID, org)
	}
}

// memoized returns the value memoized under key, or loads it (and memoizes
// it when MemoReads was called and load succeeded).
func memoized[T any](tx *Tx, key string, load func() (T, error)) (T, error) {
	if v, ok := memoLoad[T](tx, key); ok {
		return v, nil
	}
	v, err := load()
	if err == nil {
		tx.memoStore(key, v)
	}
	return v, err
}

func memoLoad[T any](tx *Tx, key string) (T, bool) {
	v, ok := tx.memo[key].(T)
	return v, ok
}

func (tx *Tx) memoStore(key string, v any) {
	if tx.memo != nil {
		tx.memo[key] = v
	}
}

// memoForget forgets the objects of a kind ("product", "customer",
// "organization") that MemoReads kept, after a write to one of them.
func (tx *Tx) memoForget(kind string) {
	for k := range tx.memo {
		if strings.HasPrefix(k, kind+"/") {
			delete(tx.memo, k)
		}
	}
}
