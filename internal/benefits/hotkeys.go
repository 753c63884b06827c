package benefits

import (
	"sync"
	"time"

	"github.com/paylink/paylink"
)

// Hot keys: a validation reads its key (and its customer, for the answer) from
// a cache of what was read at most hotTTL ago, so the hottest public call costs
// no database round trip. A change of a key made in this process (a revocation,
// a grant, the merchant's update) drops the key at once and keeps it out of the
// cache for bypassFor, long enough for the change's transaction to commit: a
// validation meanwhile reads the database. A change made by another process
// holds here within hotTTL. Usage increments and activations never use the
// cache: they lock the key's row.
const (
	hotTTL    = time.Second
	bypassFor = 2 * time.Second
	hotMax    = 100000 // entries; beyond that the cache is emptied (a flood of distinct keys)
)

// hot is the process's cache: one for every Service and for the grant and
// revoke functions, so that a change made through any of them is seen by all.
// Entries are per organization and key hash, so stores never mix.
var hot hotKeys

type hotKeys struct {
	mu       sync.Mutex
	byHash   map[string]hotEntry  // org + "/" + key hash → what was read
	hashOf   map[string]string    // key id → its byHash entry
	bypassed map[string]time.Time // key id → until when it is not cached
}

type hotEntry struct {
	key      paylink.LicenseKey
	customer *paylink.Customer
	read     time.Time
}

// get returns a copy of the cached key of org and hash, if fresh at now.
func (h *hotKeys) get(org, hash string, now time.Time) (*paylink.LicenseKey, *paylink.Customer, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	e, ok := h.byHash[org+"/"+hash]
	if !ok || now.Sub(e.read) >= hotTTL {
		return nil, nil, false
	}
	k := e.key
	return &k, e.customer, true
}

// put caches what a validation read at read, unless the key changed meanwhile
// (is bypassed).
func (h *hotKeys) put(org, hash string, k *paylink.LicenseKey, c *paylink.Customer, read time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if until, ok := h.bypassed[k.ID]; ok {
		if read.Before(until) {
			return
		}
		delete(h.bypassed, k.ID)
	}
	if h.byHash == nil || len(h.byHash) >= hotMax {
		h.byHash, h.hashOf = map[string]hotEntry{}, map[string]string{}
	}
	h.byHash[org+"/"+hash] = hotEntry{key: *k, customer: c, read: read}
	h.hashOf[k.ID] = org + "/" + hash
}

// changed drops key id and keeps it out for bypassFor from now.
func (h *hotKeys) changed(id string, now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.bypassed == nil {
		h.bypassed = map[string]time.Time{}
	}
	for k, until := range h.bypassed { // few entries: keys changed in the last seconds
		if now.After(until) {
			delete(h.bypassed, k)
		}
	}
	h.bypassed[id] = now.Add(bypassFor)
	if e, ok := h.hashOf[id]; ok {
		delete(h.byHash, e)
		delete(h.hashOf, id)
	}
}
