package store

import (
	"context"
	"strings"

	"github.com/paylink/paylink"
)

const priceColumns = `id, product_id, amount_type, currency, price_amount, minimum_amount, maximum_amount,
	preset_amount, is_archived, created_at, modified_at`

func scanPrice(row interface{ Scan(...any) error }) (*paylink.Price, error) {
	var pr paylink.Price
	if err := row.Scan(&pr.ID, &pr.ProductID, &pr.AmountType, &pr.Currency, &pr.PriceAmount, &pr.MinimumAmount,
		&pr.MaximumAmount, &pr.PresetAmount, &pr.IsArchived, &pr.CreatedAt, &pr.ModifiedAt); err != nil {
		return nil, err
	}
	pr.CreatedAt, pr.ModifiedAt = pr.CreatedAt.UTC(), utcPtr(pr.ModifiedAt)
	return &pr, nil
}

// PriceGet returns one of the organization's prices, archived or not (checkouts
// and orders keep the price they were made with). ENotFound otherwise.
func (tx *Tx) PriceGet(ctx context.Context, orgID, id string) (*paylink.Price, error) {
	pr, err := scanPrice(tx.QueryRowContext(ctx, `SELECT `+priceColumns+` FROM product_prices
		WHERE id = $1 AND organization_id = $2`, strings.ToLower(id), orgID))
	return pr, notFound(err, "price")
}

// priceInsert inserts a new price of p, setting its ID, ProductID and CreatedAt.
func (tx *Tx) priceInsert(ctx context.Context, p *paylink.Product, pr *paylink.Price) error {
	if pr.ID == "" {
		pr.ID = paylink.NewID()
	}
	if pr.CreatedAt.IsZero() {
		pr.CreatedAt = paylink.Now()
	}
	pr.ProductID = p.ID
	_, err := tx.ExecContext(ctx, `INSERT INTO product_prices (id, organization_id, product_id, amount_type, currency,
		price_amount, minimum_amount, maximum_amount, preset_amount, is_archived, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		pr.ID, p.OrganizationID, p.ID, pr.AmountType, pr.Currency, pr.PriceAmount, pr.MinimumAmount,
		pr.MaximumAmount, pr.PresetAmount, pr.IsArchived, pr.CreatedAt)
	return err
}

// productLoad fills the prices (live first, then archived, newest first) and the
// attached live custom fields (in order) of the products, with two queries.
func (tx *Tx) productLoad(ctx context.Context, ps ...*paylink.Product) error {
	if len(ps) == 0 {
		return nil
	}
	byID := make(map[string]*paylink.Product, len(ps))
	ids := make([]string, len(ps))
	for i, p := range ps {
		byID[p.ID], ids[i] = p, p.ID
		p.Prices, p.CustomFields, p.Benefits = []*paylink.Price{}, []paylink.ProductCustomField{}, []*paylink.Benefit{}
	}
	var args Args
	prices, err := queryAll(ctx, tx, scanPrice, `SELECT `+priceColumns+` FROM product_prices WHERE product_id IN `+args.In(ids)+
		` ORDER BY product_id, is_archived, created_at DESC, id DESC`, args...)
	if err != nil {
		return err
	}
	for _, pr := range prices {
		p := byID[pr.ProductID]
		p.Prices = append(p.Prices, pr)
	}

	args = nil
	type attached struct {
		productID string
		paylink.ProductCustomField
	}
	fields, err := queryAll(ctx, tx, func(row scanner) (attached, error) {
		var a attached
		f, err := scanCustomField(row, &a.productID, &a.Required, &a.Order)
		if err != nil {
			return a, err
		}
		a.CustomFieldID, a.CustomField = f.ID, f
		return a, nil
	}, `SELECT pcf.product_id, pcf.required, pcf.position, `+customFieldColumns+`
		FROM product_custom_fields pcf JOIN custom_fields cf ON cf.id = pcf.custom_field_id
		WHERE pcf.product_id IN `+args.In(ids)+` AND cf.deleted_at IS NULL ORDER BY pcf.product_id, pcf.position`, args...)
	if err != nil {
		return err
	}
	for _, a := range fields {
		p := byID[a.productID]
		p.CustomFields = append(p.CustomFields, a.ProductCustomField)
	}
	medias, err := tx.ProductMedias(ctx, ids)
	if err != nil {
		return err
	}
	for id, fs := range medias {
		byID[id].Medias = fs
	}
	return tx.productLoadBenefits(ctx, byID, ids)
}

// lowerIDs returns ids in lower case, the form both engines store UUIDs in, so
// that an id matches whatever case a caller wrote it in.
func lowerIDs(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strings.ToLower(id)
	}
	return out
}
