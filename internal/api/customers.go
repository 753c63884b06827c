package api

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// customerJSON is Polar's Customer (an individual), also embedded in orders and
// subscriptions. External ids, tax ids and saved payment methods are not paylink
// features: null.
type customerJSON struct {
	ID                     string           `json:"id"`
	CreatedAt              time.Time        `json:"created_at"`
	ModifiedAt             *time.Time       `json:"modified_at"`
	Metadata               paylink.Metadata `json:"metadata"`
	ExternalID             *string          `json:"external_id"`
	Email                  string           `json:"email"`
	EmailVerified          bool             `json:"email_verified"`
	Type                   string           `json:"type"`
	Name                   *string          `json:"name"`
	BillingName            *string          `json:"billing_name"`
	BillingAddress         *addressJSON     `json:"billing_address"`
	TaxID                  []any            `json:"tax_id"`
	Locale                 *string          `json:"locale"`
	OrganizationID         string           `json:"organization_id"`
	DefaultPaymentMethodID *string          `json:"default_payment_method_id"`
	DeletedAt              *time.Time       `json:"deleted_at"`
	AvatarURL              *string          `json:"avatar_url"`
	FirstUserEventAt       *time.Time       `json:"first_user_event_at"` // SDK 1.x; paylink ingests no events
}

// CustomerJSON renders a customer in Polar's wire shape.
func CustomerJSON(c *paylink.Customer) any { return customerOf(c) }

func customerOf(c *paylink.Customer) customerJSON {
	meta := c.Metadata
	if meta == nil {
		meta = paylink.Metadata{}
	}
	return customerJSON{ID: c.ID, CreatedAt: c.CreatedAt, ModifiedAt: c.ModifiedAt, Metadata: meta, Email: c.Email,
		Type: "individual", Name: c.Name, BillingAddress: addressOf(c.BillingCountry), OrganizationID: c.OrganizationID,
		AvatarURL: avatarURL(c.Email), ExternalID: c.ExternalID, DeletedAt: c.DeletedAt}
}

// avatarURL is a customer's avatar as Polar gives it to a customer with a personal
// email: Gravatar's image for the SHA-256 of the lower-cased email, or a 404 when
// there is none (d=404), so that a client shows its own placeholder. Older SDKs
// require a string.
func avatarURL(email string) *string {
	if email == "" {
		return nil
	}
	sum := sha256.Sum256([]byte(strings.ToLower(email)))
	u := "https://www.gravatar.com/avatar/" + hex.EncodeToString(sum[:]) + "?d=404"
	return &u
}

// customerSortColumns maps Polar's CustomerSortProperty to columns.
var customerSortColumns = map[string]string{"created_at": "created_at", "email": "email_lower", "name": "name"}

func (a *API) customerList(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var probs paylink.Problems
	q := r.URL.Query()
	page, list := parseList(r, &probs, customerSortColumns, "")
	orgIDs, err := QueryIDs(r, "organization_id")
	mergeProblems(&probs, err)
	params := store.CustomerListParams{OrganizationID: p.OrgID, Email: strings.TrimSpace(q.Get("email")),
		Query: strings.TrimSpace(q.Get("query")), Active: queryBool(q, "active", &probs), Metadata: metadataQuery(q, &probs),
		ListParams: list}
	if err := probs.Err(); err != nil {
		return err
	}
	return writeList(a, w, r, page, otherOrgsOnly(orgIDs, p),
		func(tx *store.Tx) ([]*paylink.Customer, int, error) { return tx.CustomerList(r.Context(), params) },
		renderCustomer)
}

func renderCustomer(_ *loader, c *paylink.Customer) (any, error) { return CustomerJSON(c), nil }

// customerGet answers GET /v1/customers/{id} and /v1/customers/external/{external_id}.
func (a *API) customerGet(w http.ResponseWriter, r *http.Request, p *Principal) error {
	ref, err := customerRef(r)
	if err != nil {
		return err
	}
	return writeOne(a, w, r,
		func(tx *store.Tx) (*paylink.Customer, error) { return loadCustomer(r, tx, p.OrgID, ref) },
		renderCustomer)
}

// metadataQuery reads Polar's metadata list filter, ?metadata[key]=value (a key
// repeated for several values, which any may match; every key must match). A
// malformed key is a 422 at the query's metadata.
func metadataQuery(q url.Values, probs *paylink.Problems) store.MetadataQuery {
	var out store.MetadataQuery
	for k, vs := range q {
		if k != "metadata" && !strings.HasPrefix(k, "metadata[") {
			continue
		}
		key, ok := strings.CutPrefix(k, "metadata[")
		key, closed := strings.CutSuffix(key, "]")
		switch {
		case !ok || !closed || key == "" || strings.ContainsAny(key, "[]"):
			probs.Add("filter by metadata with metadata[key]=value", k, "query", "metadata")
			continue
		case utf8.RuneCountInString(key) > paylink.MetadataMaxKeyLen:
			probs.Add(fmt.Sprintf("a metadata key has at most %d characters", paylink.MetadataMaxKeyLen), key, "query", "metadata", key)
			continue
		}
		if out == nil {
			out = store.MetadataQuery{}
		}
		out[key] = append(out[key], vs...)
	}
	if len(out) > paylink.MetadataMaxKeys {
		probs.Add(fmt.Sprintf("filter by at most %d metadata keys", paylink.MetadataMaxKeys), len(out), "query", "metadata")
	}
	return out
}

// byExternalCustomer narrows a list's customer filter to the customers with the
// external ids of ?external_customer_id (none asked: ids as they are). Both
// filters given must both hold. none is true when no customer can match, and the
// list is then empty.
func byExternalCustomer(r *http.Request, tx *store.Tx, orgID string, ids []string) (_ []string, none bool, _ error) {
	ext := queryList(r.URL.Query(), "external_customer_id")
	if len(ext) == 0 {
		return ids, false, nil
	}
	var found []string
	for _, e := range ext {
		id, err := tx.CustomerIDByExternalID(r.Context(), orgID, e)
		if paylink.IsCode(err, paylink.ENotFound) {
			continue
		}
		if err != nil {
			return nil, false, err
		}
		if len(ids) == 0 || slices.Contains(ids, id) {
			found = append(found, id)
		}
	}
	return found, len(found) == 0, nil
}
