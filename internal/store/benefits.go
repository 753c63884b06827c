package store

import (
	"context"
	"strings"
	"time"

	"github.com/paylink/paylink"
)

const benefitColumns = `id, organization_id, type, description, properties, metadata, created_at, modified_at, deleted_at`

func scanBenefit(row scanner) (*paylink.Benefit, error) { return scanBenefitAfter(row) }

// scanBenefitAfter reads a benefit whose columns follow the columns read into lead.
func scanBenefitAfter(row scanner, lead ...any) (*paylink.Benefit, error) {
	var b paylink.Benefit
	var props, meta string
	if err := row.Scan(append(lead, &b.ID, &b.OrganizationID, &b.Type, &b.Description, &props, &meta, &b.CreatedAt,
		&b.ModifiedAt, &b.DeletedAt)...); err != nil {
		return nil, err
	}
	var err error
	if b.Properties, err = parseJSONMap(props); err != nil {
		return nil, err
	}
	if b.Metadata, err = parseMetadata(meta); err != nil {
		return nil, err
	}
	b.CreatedAt, b.ModifiedAt, b.DeletedAt = b.CreatedAt.UTC(), utcPtr(b.ModifiedAt), utcPtr(b.DeletedAt)
	return &b, nil
}

// BenefitCreate inserts a benefit, setting its ID and CreatedAt when empty.
func (tx *Tx) BenefitCreate(ctx context.Context, b *paylink.Benefit) error {
	if b.ID == "" {
		b.ID = paylink.NewID()
	}
	if b.CreatedAt.IsZero() {
		b.CreatedAt = paylink.Now()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO benefits (id, organization_id, type, description, properties, metadata,
		created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, b.ID, b.OrganizationID, b.Type, b.Description,
		jsonText(orEmpty(b.Properties)), metadataText(b.Metadata), b.CreatedAt)
	return err
}

// BenefitGet returns one of the organization's live benefits; ENotFound for an
// unknown, deleted or other organization's benefit. lock locks it until the
// transaction ends (PostgreSQL; SQLite's writers are serialized).
func (tx *Tx) BenefitGet(ctx context.Context, orgID, id string, lock bool) (*paylink.Benefit, error) {
	suffix := ""
	if lock {
		suffix = tx.Engine().ForUpdate(false)
	}
	b, err := scanBenefit(tx.QueryRowContext(ctx, `SELECT `+benefitColumns+` FROM benefits
		WHERE id = $1 AND organization_id = $2 AND deleted_at IS NULL`+suffix, strings.ToLower(id), orgID))
	return b, notFound(err, "benefit")
}

// BenefitGetMany returns the organization's benefits with these ids, deleted ones
// too (grants and keys keep showing what they were for), by id.
func (tx *Tx) BenefitGetMany(ctx context.Context, orgID string, ids []string) (map[string]*paylink.Benefit, error) {
	var args Args
	found, err := queryAll(ctx, tx, scanBenefit, `SELECT `+benefitColumns+` FROM benefits WHERE organization_id = `+
		args.Add(orgID)+` AND id IN `+args.In(lowerIDs(ids)), args...)
	out := make(map[string]*paylink.Benefit, len(found))
	for _, b := range found {
		out[b.ID] = b
	}
	return out, err
}

// BenefitUpdate writes a benefit's description, properties and metadata.
func (tx *Tx) BenefitUpdate(ctx context.Context, b *paylink.Benefit) error {
	now := paylink.Now()
	res, err := tx.ExecContext(ctx, `UPDATE benefits SET description = $1, properties = $2, metadata = $3,
		modified_at = $4 WHERE id = $5 AND organization_id = $6 AND deleted_at IS NULL`, b.Description,
		jsonText(orEmpty(b.Properties)), metadataText(b.Metadata), now, b.ID, b.OrganizationID)
	if err := affectedOne(res, err, "benefit"); err != nil {
		return err
	}
	b.ModifiedAt = &now
	return nil
}

// BenefitDelete soft-deletes a benefit and takes it off every product.
func (tx *Tx) BenefitDelete(ctx context.Context, orgID, id string, now time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE benefits SET deleted_at = $1, modified_at = $1
		WHERE id = $2 AND organization_id = $3 AND deleted_at IS NULL`, now, strings.ToLower(id), orgID)
	if err := affectedOne(res, err, "benefit"); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM product_benefits WHERE benefit_id = $1`, strings.ToLower(id))
	return err
}

// BenefitListParams filters BenefitList.
type BenefitListParams struct {
	ListParams
	OrganizationID string
	Types          []string
	Query          string // case-insensitive substring of the description
	IDs            []string
}

// BenefitSortColumns maps the API's benefit sorting fields to SQL.
var BenefitSortColumns = map[string]string{"created_at": "created_at", "description": "lower(description)",
	"type": "type"}

// BenefitList returns one page of the organization's live benefits and the total count.
func (tx *Tx) BenefitList(ctx context.Context, p BenefitListParams) ([]*paylink.Benefit, int, error) {
	var args Args
	where := ` WHERE organization_id = ` + args.Add(p.OrganizationID) + ` AND deleted_at IS NULL`
	if len(p.Types) > 0 {
		where += ` AND type IN ` + args.In(p.Types)
	}
	if p.IDs != nil {
		where += ` AND id IN ` + args.In(lowerIDs(p.IDs))
	}
	if q := strings.TrimSpace(p.Query); q != "" {
		where += ` AND lower(description) LIKE ` + args.Add("%"+likeEscape(strings.ToLower(q))+"%") + ` ESCAPE '\'`
	}
	out, total, err := listPage(ctx, tx, p.ListParams, benefitColumns, ` FROM benefits`, where, "created_at DESC, id",
		args, scanBenefit)
	return orNone(out), total, err
}

// ProductBenefitsSet replaces a product's benefits by ids, in order; each must be
// a live benefit of the product's organization (ENotFound otherwise).
func (tx *Tx) ProductBenefitsSet(ctx context.Context, orgID, productID string, ids []string) error {
	tx.memoForget("product")
	if _, err := tx.ExecContext(ctx, `DELETE FROM product_benefits WHERE product_id = $1`, productID); err != nil {
		return err
	}
	for i, id := range ids {
		if _, err := tx.BenefitGet(ctx, orgID, id, false); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO product_benefits (product_id, benefit_id, organization_id,
			position) VALUES ($1, $2, $3, $4)`, productID, strings.ToLower(id), orgID, i); err != nil {
			return err
		}
	}
	return nil
}

// productLoadBenefits fills the live benefits of ps, in order.
func (tx *Tx) productLoadBenefits(ctx context.Context, byID map[string]*paylink.Product, ids []string) error {
	var args Args
	type attached struct {
		productID string
		b         *paylink.Benefit
	}
	rows, err := queryAll(ctx, tx, func(row scanner) (attached, error) {
		var a attached
		var err error
		a.b, err = scanBenefitAfter(row, &a.productID)
		return a, err
	}, `SELECT pb.product_id, b.id, b.organization_id, b.type, b.description, b.properties, b.metadata,
		b.created_at, b.modified_at, b.deleted_at FROM product_benefits pb JOIN benefits b ON b.id = pb.benefit_id
		WHERE pb.product_id IN `+args.In(ids)+` AND b.deleted_at IS NULL ORDER BY pb.product_id, pb.position`, args...)
	for _, a := range rows {
		p := byID[a.productID]
		p.Benefits = append(p.Benefits, a.b)
	}
	return err
}
