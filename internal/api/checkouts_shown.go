package api

import (
	"sync"

	"github.com/paylink/paylink"
)

// The checkout's client calls (GET /v1/checkouts/client/{secret}, and the
// answers of update) show products that store.Tx.ShownCatalog serves: the same
// *paylink.Product while the product is unchanged, a newly loaded one after any
// change in any process, never changed once served. So the encoding of one such
// object is true for as long as the object is served, and shownJSON keeps it
// with the object: each product is encoded once instead of on every call (and
// twice on each, in products and as the selected product).

// encodedJSON is a value encoded once; it is written as it is (or fails with
// its encoding's error, as the value would have).
type encodedJSON struct {
	b   []byte
	err error
}

// MarshalJSON implements json.Marshaler.
func (e encodedJSON) MarshalJSON() ([]byte, error) { return e.b, e.err }

func encode(v any) encodedJSON {
	b, err := paylink.MarshalJSON(v)
	return encodedJSON{b: b, err: err}
}

// emptyList is the empty JSON array.
var emptyList = encodedJSON{b: []byte("[]")}

// productJSONs is what a checkout shows of one product, encoded: the product
// (Polar's CheckoutProduct), its live prices and its attached custom fields.
type productJSONs struct {
	product, prices, fields encodedJSON
}

// shownJSON keeps productJSONs by the product object they encode.
type shownJSON struct {
	mu sync.Mutex
	m  map[*paylink.Product]*productJSONs
}

// shownJSONLimit bounds the map; a full map starts again empty. The store's
// cache holds as many products (store.shownLimit).
const shownJSONLimit = 10000

// productEncoded returns p encoded, from r's shownJSON when it has one.
func (r Renderer) productEncoded(p *paylink.Product) *productJSONs {
	if r.shown == nil {
		return r.encodeProduct(p)
	}
	c := r.shown
	c.mu.Lock()
	e, ok := c.m[p]
	c.mu.Unlock()
	if ok {
		return e
	}
	e = r.encodeProduct(p)
	c.mu.Lock()
	if c.m == nil || len(c.m) >= shownJSONLimit {
		c.m = map[*paylink.Product]*productJSONs{}
	}
	c.m[p] = e
	c.mu.Unlock()
	return e
}

// encodeProduct encodes what a checkout shows of p.
func (r Renderer) encodeProduct(p *paylink.Product) *productJSONs {
	fields := []attachedCustomFieldJSON{}
	for _, a := range p.CustomFields {
		if a.CustomField != nil {
			fields = append(fields, attachedCustomFieldJSON{
				CustomFieldID: a.CustomFieldID, CustomField: CustomFieldJSON(a.CustomField), Order: a.Order, Required: a.Required})
		}
	}
	return &productJSONs{product: encode(checkoutProduct(r.PublicURL, p)), prices: encode(livePrices(p)), fields: encode(fields)}
}
