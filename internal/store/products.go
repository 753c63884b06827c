package store

import (
	"context"
	"strings"

	"github.com/paylink/paylink"
)

// ProductListParams filters ProductList. OrganizationID is required; nil filters
// match everything.
type ProductListParams struct {
	ListParams
	OrganizationID string
	IDs            []string // only these products, when not nil
	Query          string   // case-insensitive substring of the name
	IsArchived     *bool
	IsRecurring    *bool
}

// livePriceOf ends a subquery on the live price of the current row of products.
const livePriceOf = `FROM product_prices pp WHERE pp.product_id = products.id AND NOT pp.is_archived
	ORDER BY pp.created_at DESC LIMIT 1)`

// ProductSortColumns maps the API's product sorting fields to SQL for
// ProductListParams.OrderBy: names sort ignoring case, prices by their live price
// (a custom price by its minimum).
var ProductSortColumns = map[string]string{
	"created_at":        "created_at",
	"name":              "lower(name)",
	"price_amount_type": "(SELECT pp.amount_type " + livePriceOf,
	"price_amount":      "(SELECT CASE pp.amount_type WHEN 'custom' THEN pp.minimum_amount ELSE pp.price_amount END " + livePriceOf,
}

const productColumns = `id, organization_id, name, description, recurring_interval, recurring_interval_count,
	is_archived, metadata, created_at, modified_at`

func scanProduct(row interface{ Scan(...any) error }) (*paylink.Product, error) {
	var p paylink.Product
	var meta string
	if err := row.Scan(&p.ID, &p.OrganizationID, &p.Name, &p.Description, &p.RecurringInterval,
		&p.RecurringIntervalCount, &p.IsArchived, &meta, &p.CreatedAt, &p.ModifiedAt); err != nil {
		return nil, err
	}
	var err error
	if p.Metadata, err = parseMetadata(meta); err != nil {
		return nil, err
	}
	p.CreatedAt, p.ModifiedAt = p.CreatedAt.UTC(), utcPtr(p.ModifiedAt)
	p.Prices, p.CustomFields, p.Benefits = []*paylink.Price{}, []paylink.ProductCustomField{}, []*paylink.Benefit{}
	return &p, nil
}

// ProductCreate inserts a product with its prices and attached custom fields,
// setting the ids and CreatedAt left empty. An attached field that is not a live
// field of the product's organization is ENotFound.
func (tx *Tx) ProductCreate(ctx context.Context, p *paylink.Product) error {
	tx.memoForget("product")
	if p.ID == "" {
		p.ID = paylink.NewID()
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = paylink.Now()
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO products (id, organization_id, name, description, recurring_interval,
		recurring_interval_count, is_archived, metadata, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		p.ID, p.OrganizationID, p.Name, p.Description, p.RecurringInterval, p.RecurringIntervalCount,
		p.IsArchived, metadataText(p.Metadata), p.CreatedAt); err != nil {
		return err
	}
	for _, pr := range p.Prices {
		if err := tx.priceInsert(ctx, p, pr); err != nil {
			return err
		}
	}
	return tx.productSetFields(ctx, p)
}

// ProductGet returns one of the organization's products (archived ones too) with
// all its prices, live first, and its attached fields in order, CustomField filled.
// ENotFound for an unknown or other organization's product.
func (tx *Tx) ProductGet(ctx context.Context, orgID, id string) (*paylink.Product, error) {
	return memoized(tx, "product/"+orgID+"/"+strings.ToLower(id), func() (*paylink.Product, error) {
		return tx.productGet(ctx, orgID, id, "")
	})
}

// ProductGetForUpdate is ProductGet that also locks the product until the
// transaction ends (PostgreSQL; SQLite transactions are serialized), so that an
// update computed from what it read cannot interleave with another one.
func (tx *Tx) ProductGetForUpdate(ctx context.Context, orgID, id string) (*paylink.Product, error) {
	return tx.productGet(ctx, orgID, id, tx.Engine().ForUpdate(false))
}

func (tx *Tx) productGet(ctx context.Context, orgID, id, lock string) (*paylink.Product, error) {
	p, err := scanProduct(tx.QueryRowContext(ctx, `SELECT `+productColumns+` FROM products
		WHERE id = $1 AND organization_id = $2`+lock, strings.ToLower(id), orgID))
	if err != nil {
		return nil, notFound(err, "product")
	}
	return p, tx.productLoad(ctx, p)
}

// ProductGetMany returns the organization's products with these ids, loaded as by
// ProductGet, in the order of ids. Any id that is not one of them is ENotFound.
func (tx *Tx) ProductGetMany(ctx context.Context, orgID string, ids []string) ([]*paylink.Product, error) {
	if len(ids) == 0 {
		return []*paylink.Product{}, nil
	}
	found, err := tx.ProductsFind(ctx, orgID, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*paylink.Product, len(found))
	for _, p := range found {
		byID[p.ID] = p
	}
	out := make([]*paylink.Product, len(ids))
	for i, id := range ids {
		if out[i] = byID[strings.ToLower(id)]; out[i] == nil {
			return nil, paylink.NotFound("product")
		}
	}
	return out, nil
}

// ProductsFind returns those of the organization's products with these ids
// that exist, loaded as by ProductGet, in no particular order; unknown ids are
// left out.
func (tx *Tx) ProductsFind(ctx context.Context, orgID string, ids []string) ([]*paylink.Product, error) {
	var out, missing []*paylink.Product
	var missingIDs []string
	for _, id := range ids {
		if p, ok := memoLoad[*paylink.Product](tx, "product/"+orgID+"/"+strings.ToLower(id)); ok {
			out = append(out, p)
		} else {
			missingIDs = append(missingIDs, id)
		}
	}
	if len(missingIDs) == 0 {
		return out, nil
	}
	var args Args
	missing, err := queryAll(ctx, tx, scanProduct, `SELECT `+productColumns+` FROM products WHERE organization_id = `+
		args.Add(orgID)+` AND id IN `+args.In(lowerIDs(missingIDs)), args...)
	if err != nil {
		return nil, err
	}
	if err := tx.productLoad(ctx, missing...); err != nil {
		return nil, err
	}
	for _, p := range missing {
		tx.memoStore("product/"+orgID+"/"+p.ID, p)
	}
	return append(out, missing...), nil
}

// ProductList returns one page of the organization's products, loaded as by
// ProductGet (newest first unless p.OrderBy says otherwise), and the total count
// of matches.
func (tx *Tx) ProductList(ctx context.Context, p ProductListParams) ([]*paylink.Product, int, error) {
	var args Args
	where := ` WHERE organization_id = ` + args.Add(p.OrganizationID)
	if p.IDs != nil {
		where += ` AND id IN ` + args.In(lowerIDs(p.IDs))
	}
	if q := strings.TrimSpace(p.Query); q != "" {
		where += ` AND lower(name) LIKE ` + args.Add("%"+likeEscape(strings.ToLower(q))+"%") + ` ESCAPE '\'`
	}
	if p.IsArchived != nil {
		where += ` AND is_archived = ` + args.Add(*p.IsArchived)
	}
	if p.IsRecurring != nil {
		where += map[bool]string{true: ` AND recurring_interval IS NOT NULL`, false: ` AND recurring_interval IS NULL`}[*p.IsRecurring]
	}
	out, total, err := listPage(ctx, tx, p.ListParams, productColumns, ` FROM products`, where, "created_at DESC, id DESC", args,
		scanProduct)
	if err != nil {
		return nil, 0, err
	}
	return orNone(out), total, tx.productLoad(ctx, out...)
}

// ProductUpdate writes a product's name, description, archived flag and metadata,
// and sets ModifiedAt. Its live prices become p's: a listed price with an ID is
// kept (it must be a live price of the product, else ENotFound), one without is
// inserted, and live prices not listed are archived. The attached fields are
// replaced by p's. ENotFound for an unknown or other organization's product. On
// return p holds the stored prices and fields.
func (tx *Tx) ProductUpdate(ctx context.Context, p *paylink.Product) error {
	tx.memoForget("product")
	now := paylink.Now()
	res, err := tx.ExecContext(ctx, `UPDATE products SET name = $1, description = $2, is_archived = $3,
		metadata = $4, modified_at = $5 WHERE id = $6 AND organization_id = $7`,
		p.Name, p.Description, p.IsArchived, metadataText(p.Metadata), now, p.ID, p.OrganizationID)
	if err := affectedOne(res, err, "product"); err != nil {
		return err
	}
	p.ModifiedAt = &now
	cur, err := tx.ProductGet(ctx, p.OrganizationID, p.ID)
	if err != nil {
		return err
	}
	keep := map[string]bool{}
	for _, pr := range p.Prices {
		switch {
		case pr.IsArchived:
		case pr.ID == "":
			if err := tx.priceInsert(ctx, p, pr); err != nil {
				return err
			}
		case livePriceIn(cur, pr.ID):
			keep[strings.ToLower(pr.ID)] = true
		default:
			return paylink.NotFound("price")
		}
	}
	for _, pr := range cur.Prices {
		if !pr.IsArchived && !keep[pr.ID] {
			if _, err := tx.ExecContext(ctx, `UPDATE product_prices SET is_archived = $1, modified_at = $2
				WHERE id = $3`, true, now, pr.ID); err != nil {
				return err
			}
		}
	}
	if err := tx.productSetFields(ctx, p); err != nil {
		return err
	}
	return tx.productLoad(ctx, p)
}

func livePriceIn(p *paylink.Product, id string) bool {
	for _, pr := range p.Prices {
		if !pr.IsArchived && strings.EqualFold(pr.ID, id) {
			return true
		}
	}
	return false
}

// productSetFields replaces the fields attached to p, checking that each is a live
// field of p's organization.
func (tx *Tx) productSetFields(ctx context.Context, p *paylink.Product) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM product_custom_fields WHERE product_id = $1`, p.ID); err != nil {
		return err
	}
	for i, a := range p.CustomFields {
		if _, err := tx.CustomFieldGet(ctx, p.OrganizationID, a.CustomFieldID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO product_custom_fields (product_id, custom_field_id,
			organization_id, required, position) VALUES ($1, $2, $3, $4, $5)`,
			p.ID, strings.ToLower(a.CustomFieldID), p.OrganizationID, a.Required, i); err != nil {
			return err
		}
	}
	return nil
}

func utcPtr[T interface{ UTC() T }](t *T) *T {
	if t == nil {
		return nil
	}
	u := (*t).UTC()
	return &u
}
