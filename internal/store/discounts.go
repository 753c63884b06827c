package store

import (
	"context"
	"strings"
	"time"

	"github.com/paylink/paylink"
)

// ErrDiscountCodeTaken is what DiscountCreate and DiscountUpdate return when
// another live discount of the organization has the same code, ignoring case.
// The API turns it into a 422 located at ["body", "code"].
var ErrDiscountCodeTaken = &paylink.Error{Code: paylink.EConflict, Message: "a discount with this code already exists"}

// DiscountListParams filters DiscountList. OrganizationID is required.
type DiscountListParams struct {
	ListParams
	OrganizationID string
	Query          string   // case-insensitive substring of the name or the code
	IDs            []string // only these discounts, when not nil
}

const discountColumns = `id, organization_id, name, type, basis_points, amount, currency, duration,
	duration_in_months, code, starts_at, ends_at, max_redemptions, redemptions_count, metadata,
	created_at, modified_at`

func scanDiscount(row interface{ Scan(...any) error }) (*paylink.Discount, error) {
	var d paylink.Discount
	var meta string
	if err := row.Scan(&d.ID, &d.OrganizationID, &d.Name, &d.Type, &d.BasisPoints, &d.Amount, &d.Currency,
		&d.Duration, &d.DurationInMonths, &d.Code, &d.StartsAt, &d.EndsAt, &d.MaxRedemptions,
		&d.RedemptionsCount, &meta, &d.CreatedAt, &d.ModifiedAt); err != nil {
		return nil, err
	}
	var err error
	if d.Metadata, err = parseMetadata(meta); err != nil {
		return nil, err
	}
	d.CreatedAt = d.CreatedAt.UTC()
	for _, t := range []**time.Time{&d.StartsAt, &d.EndsAt, &d.ModifiedAt} {
		if *t != nil {
			u := (*t).UTC()
			*t = &u
		}
	}
	return &d, nil
}

// codeKey is the stored, lower-cased form of a code, or nil.
func codeKey(code *string) *string {
	if code == nil {
		return nil
	}
	k := paylink.DiscountCodeKey(strings.TrimSpace(*code))
	return &k
}

// DiscountCreate inserts a discount and its product restriction, setting ID and
// CreatedAt when empty. A live discount of the organization with the same code
// (ignoring case) makes it ErrDiscountCodeTaken (EConflict), even under concurrency.
func (tx *Tx) DiscountCreate(ctx context.Context, d *paylink.Discount) error {
	if d.ID == "" {
		d.ID = paylink.NewID()
	}
	if d.CreatedAt.IsZero() {
		d.CreatedAt = paylink.Now()
	}
	// ON CONFLICT DO NOTHING (both engines) turns a taken code into zero rows rather
	// than an error that would abort the whole PostgreSQL transaction.
	res, err := tx.ExecContext(ctx, `INSERT INTO discounts (id, organization_id, name, type, basis_points, amount,
		currency, duration, duration_in_months, code, code_lower, starts_at, ends_at, max_redemptions,
		redemptions_count, metadata, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
		ON CONFLICT DO NOTHING`,
		d.ID, d.OrganizationID, d.Name, d.Type, d.BasisPoints, d.Amount, d.Currency, d.Duration,
		d.DurationInMonths, d.Code, codeKey(d.Code), d.StartsAt, d.EndsAt, d.MaxRedemptions,
		d.RedemptionsCount, metadataText(d.Metadata), d.CreatedAt)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ErrDiscountCodeTaken
	}
	return tx.discountSetProducts(ctx, d.ID, d.ProductIDs)
}

// discountSetProducts replaces the product restriction of a discount, in order.
func (tx *Tx) discountSetProducts(ctx context.Context, id string, productIDs []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM discount_products WHERE discount_id = $1`, id); err != nil {
		return err
	}
	for i, pid := range productIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO discount_products (discount_id, product_id, position)
			VALUES ($1, $2, $3)`, id, pid, i); err != nil {
			return err
		}
	}
	return nil
}

// discountLoadProducts fills ProductIDs of the discounts, in their stored order.
func (tx *Tx) discountLoadProducts(ctx context.Context, ds ...*paylink.Discount) error {
	if len(ds) == 0 {
		return nil
	}
	byID := make(map[string]*paylink.Discount, len(ds))
	ids := make([]string, len(ds))
	for i, d := range ds {
		byID[d.ID], ids[i] = d, d.ID
		d.ProductIDs = []string{}
	}
	var args Args
	pairs, err := queryAll(ctx, tx, scanPair, `SELECT discount_id, product_id FROM discount_products
		WHERE discount_id IN `+args.In(ids)+` ORDER BY discount_id, position`, args...)
	for _, p := range pairs {
		byID[p[0]].ProductIDs = append(byID[p[0]].ProductIDs, p[1])
	}
	return err
}

// DiscountGet returns one live discount of the organization with its products;
// ENotFound for an unknown, deleted or other organization's discount.
func (tx *Tx) DiscountGet(ctx context.Context, orgID, id string) (*paylink.Discount, error) {
	return tx.discountGet(ctx, `id = $2`, orgID, id, "")
}

// DiscountGetForUpdate is DiscountGet that also locks the row until the
// transaction ends (PostgreSQL; SQLite transactions are serialized), so that a
// concurrent redemption cannot slip between reading and updating it.
func (tx *Tx) DiscountGetForUpdate(ctx context.Context, orgID, id string) (*paylink.Discount, error) {
	return tx.discountGet(ctx, `id = $2`, orgID, id, tx.Engine().ForUpdate(false))
}

// DiscountGetByCode returns the organization's live discount with the code,
// ignoring case and surrounding white space; ENotFound when there is none.
func (tx *Tx) DiscountGetByCode(ctx context.Context, orgID, code string) (*paylink.Discount, error) {
	return tx.discountGet(ctx, `code_lower = $2`, orgID, *codeKey(&code), "")
}

func (tx *Tx) discountGet(ctx context.Context, where, orgID, arg, lock string) (*paylink.Discount, error) {
	d, err := scanDiscount(tx.QueryRowContext(ctx, `SELECT `+discountColumns+` FROM discounts
		WHERE organization_id = $1 AND `+where+` AND deleted_at IS NULL`+lock, orgID, arg))
	if err != nil {
		return nil, notFound(err, "discount")
	}
	return d, tx.discountLoadProducts(ctx, d)
}

// DiscountList returns one page of the organization's live discounts (newest
// first unless p.OrderBy says otherwise) and the total count of matches.
func (tx *Tx) DiscountList(ctx context.Context, p DiscountListParams) ([]*paylink.Discount, int, error) {
	var args Args
	where := ` WHERE organization_id = ` + args.Add(p.OrganizationID) + ` AND deleted_at IS NULL`
	if q := strings.TrimSpace(p.Query); q != "" {
		like := args.Add("%" + likeEscape(strings.ToLower(q)) + "%")
		where += ` AND (lower(name) LIKE ` + like + ` ESCAPE '\' OR code_lower LIKE ` + like + ` ESCAPE '\')`
	}
	if p.IDs != nil {
		where += ` AND id IN ` + args.In(p.IDs)
	}
	out, total, err := listPage(ctx, tx, p.ListParams, discountColumns, ` FROM discounts`, where, "created_at DESC, id DESC", args,
		scanDiscount)
	if err != nil {
		return nil, 0, err
	}
	return orNone(out), total, tx.discountLoadProducts(ctx, out...)
}

// DiscountUpdate writes every mutable field of a live discount (name, value,
// months, code, dates, cap, metadata, products) and sets ModifiedAt. It does not
// touch redemptions_count. ENotFound for an unknown or deleted discount;
// ErrDiscountCodeTaken when another live discount has the code.
func (tx *Tx) DiscountUpdate(ctx context.Context, d *paylink.Discount) error {
	if d.Code != nil {
		var taken int
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM discounts WHERE organization_id = $1
			AND code_lower = $2 AND id <> $3 AND deleted_at IS NULL`, d.OrganizationID, *codeKey(d.Code), d.ID).Scan(&taken)
		if err != nil {
			return err
		}
		if taken > 0 {
			return ErrDiscountCodeTaken
		}
	}
	now := paylink.Now()
	res, err := tx.ExecContext(ctx, `UPDATE discounts SET name = $1, basis_points = $2, amount = $3, currency = $4,
		duration_in_months = $5, code = $6, code_lower = $7, starts_at = $8, ends_at = $9, max_redemptions = $10,
		metadata = $11, modified_at = $12
		WHERE id = $13 AND organization_id = $14 AND deleted_at IS NULL`,
		d.Name, d.BasisPoints, d.Amount, d.Currency, d.DurationInMonths, d.Code, codeKey(d.Code),
		d.StartsAt, d.EndsAt, d.MaxRedemptions, metadataText(d.Metadata), now, d.ID, d.OrganizationID)
	if err := affectedOne(res, err, "discount"); err != nil {
		return err
	}
	d.ModifiedAt = &now
	return tx.discountSetProducts(ctx, d.ID, d.ProductIDs)
}

// DiscountDelete soft-deletes a live discount: it disappears from gets, lists
// and code lookups, and its code is free again. ENotFound otherwise.
func (tx *Tx) DiscountDelete(ctx context.Context, orgID, id string) error {
	now := paylink.Now()
	res, err := tx.ExecContext(ctx, `UPDATE discounts SET deleted_at = $1, modified_at = $1
		WHERE id = $2 AND organization_id = $3 AND deleted_at IS NULL`, now, id, orgID)
	return affectedOne(res, err, "discount")
}
