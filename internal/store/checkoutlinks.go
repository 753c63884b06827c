package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/paylink/paylink"
)

const linkColumns = `id, organization_id, client_secret, label, allow_discount_codes, require_billing_address,
	discount_id, success_url, return_url, metadata, active, inactive_message, expires_at, max_completions,
	completions_count, deleted_at, created_at, modified_at`

func scanLink(row interface{ Scan(...any) error }) (*paylink.CheckoutLink, error) {
	var l paylink.CheckoutLink
	var meta string
	if err := row.Scan(&l.ID, &l.OrganizationID, &l.ClientSecret, &l.Label, &l.AllowDiscountCodes,
		&l.RequireBillingAddress, &l.DiscountID, &l.SuccessURL, &l.ReturnURL, &meta, &l.Active,
		&l.InactiveMessage, &l.ExpiresAt, &l.MaxCompletions, &l.CompletionsCount, &l.DeletedAt,
		&l.CreatedAt, &l.ModifiedAt); err != nil {
		return nil, err
	}
	m, err := parseMetadata(meta)
	l.Metadata = m
	return &l, err
}

// CheckoutLinkCreate inserts a link and its ordered products. It sets ID,
// ClientSecret and CreatedAt when they are empty.
func (tx *Tx) CheckoutLinkCreate(ctx context.Context, l *paylink.CheckoutLink) error {
	if l.ID == "" {
		l.ID = paylink.NewID()
	}
	if l.ClientSecret == "" {
		l.ClientSecret = paylink.NewSecret(paylink.PrefixLinkSecret)
	}
	if l.CreatedAt.IsZero() {
		l.CreatedAt = paylink.Now()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO checkout_links (id, organization_id, client_secret, label,
		allow_discount_codes, require_billing_address, discount_id, success_url, return_url, metadata, active,
		inactive_message, expires_at, max_completions, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		l.ID, l.OrganizationID, l.ClientSecret, l.Label, l.AllowDiscountCodes, l.RequireBillingAddress,
		l.DiscountID, l.SuccessURL, l.ReturnURL, metadataText(l.Metadata), l.Active, l.InactiveMessage,
		l.ExpiresAt, l.MaxCompletions, l.CreatedAt)
	if err != nil {
		return err
	}
	return tx.linkProductsWrite(ctx, l)
}

func (tx *Tx) linkProductsWrite(ctx context.Context, l *paylink.CheckoutLink) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM checkout_link_products WHERE checkout_link_id = $1`, l.ID); err != nil {
		return err
	}
	for i, pid := range l.ProductIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO checkout_link_products (checkout_link_id, product_id, position)
			VALUES ($1, $2, $3)`, l.ID, pid, i); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) linkProductsLoad(ctx context.Context, links ...*paylink.CheckoutLink) error {
	for _, l := range links {
		ids, err := queryAll(ctx, tx, scanString, `SELECT product_id FROM checkout_link_products
			WHERE checkout_link_id = $1 ORDER BY position`, l.ID)
		if err != nil {
			return err
		}
		l.ProductIDs = append(l.ProductIDs[:0], ids...)
	}
	return nil
}

// CheckoutLinkGet returns one of an organization's links that is not deleted;
// ENotFound otherwise.
func (tx *Tx) CheckoutLinkGet(ctx context.Context, orgID, id string) (*paylink.CheckoutLink, error) {
	return tx.checkoutLinkGet(ctx, orgID, id, "")
}

// CheckoutLinkGetForUpdate is CheckoutLinkGet that also locks the link until the
// transaction ends (PostgreSQL; SQLite transactions are serialized), so that an
// update computed from what it read cannot interleave with another one.
func (tx *Tx) CheckoutLinkGetForUpdate(ctx context.Context, orgID, id string) (*paylink.CheckoutLink, error) {
	return tx.checkoutLinkGet(ctx, orgID, id, tx.Engine().ForUpdate(false))
}

func (tx *Tx) checkoutLinkGet(ctx context.Context, orgID, id, lock string) (*paylink.CheckoutLink, error) {
	l, err := scanLink(tx.QueryRowContext(ctx, `SELECT `+linkColumns+` FROM checkout_links
		WHERE id = $1 AND organization_id = $2 AND deleted_at IS NULL`+lock, id, orgID))
	if err != nil {
		return nil, notFound(err, "checkout link")
	}
	return l, tx.linkProductsLoad(ctx, l)
}

// CheckoutLinkBySecret returns the link with the client secret, deleted or not
// (the visit tells a deleted link from an unknown one); ENotFound when none has it.
func (tx *Tx) CheckoutLinkBySecret(ctx context.Context, secret string) (*paylink.CheckoutLink, error) {
	l, err := scanLink(tx.QueryRowContext(ctx, `SELECT `+linkColumns+` FROM checkout_links WHERE client_secret = $1`, secret))
	if err != nil {
		return nil, notFound(err, "checkout link")
	}
	return l, tx.linkProductsLoad(ctx, l)
}

// CheckoutLinkListParams filters CheckoutLinkList.
type CheckoutLinkListParams struct {
	ListParams
	OrganizationID string
	ProductIDs     []string // links holding any of these products
	IDs            []string // when not nil, only the links with these ids
}

// CheckoutLinkList returns one page of an organization's live links and the total count.
func (tx *Tx) CheckoutLinkList(ctx context.Context, p CheckoutLinkListParams) ([]*paylink.CheckoutLink, int, error) {
	var args Args
	where := ` WHERE organization_id = ` + args.Add(p.OrganizationID) + ` AND deleted_at IS NULL`
	if len(p.ProductIDs) > 0 {
		where += ` AND id IN (SELECT checkout_link_id FROM checkout_link_products WHERE product_id IN ` + args.In(p.ProductIDs) + `)`
	}
	if p.IDs != nil {
		where += ` AND id IN ` + args.In(p.IDs)
	}
	out, total, err := listPage(ctx, tx, p.ListParams, linkColumns, ` FROM checkout_links`, where, "created_at, id", args, scanLink)
	if err != nil {
		return nil, 0, err
	}
	return out, total, tx.linkProductsLoad(ctx, out...)
}

// CheckoutLinkUpdate writes every mutable field of the link and its products.
func (tx *Tx) CheckoutLinkUpdate(ctx context.Context, l *paylink.CheckoutLink) error {
	now := paylink.Now()
	l.ModifiedAt = &now
	res, err := tx.ExecContext(ctx, `UPDATE checkout_links SET label = $1, allow_discount_codes = $2,
		require_billing_address = $3, discount_id = $4, success_url = $5, return_url = $6, metadata = $7,
		active = $8, inactive_message = $9, expires_at = $10, max_completions = $11, modified_at = $12
		WHERE id = $13 AND organization_id = $14 AND deleted_at IS NULL`,
		l.Label, l.AllowDiscountCodes, l.RequireBillingAddress, l.DiscountID, l.SuccessURL, l.ReturnURL,
		metadataText(l.Metadata), l.Active, l.InactiveMessage, l.ExpiresAt, l.MaxCompletions, now,
		l.ID, l.OrganizationID)
	if err := affectedOne(res, err, "checkout link"); err != nil {
		return err
	}
	return tx.linkProductsWrite(ctx, l)
}

// CheckoutLinkDelete soft-deletes a link: its URL answers "gone" from then on.
func (tx *Tx) CheckoutLinkDelete(ctx context.Context, orgID, id string, at time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE checkout_links SET deleted_at = $1, modified_at = $1
		WHERE id = $2 AND organization_id = $3 AND deleted_at IS NULL`, at, id, orgID)
	return affectedOne(res, err, "checkout link")
}

// CheckoutLinkRotateSecret gives the link a new client secret; the old URL stops working.
func (tx *Tx) CheckoutLinkRotateSecret(ctx context.Context, orgID, id string) (string, error) {
	secret := paylink.NewSecret(paylink.PrefixLinkSecret)
	res, err := tx.ExecContext(ctx, `UPDATE checkout_links SET client_secret = $1, modified_at = $2
		WHERE id = $3 AND organization_id = $4 AND deleted_at IS NULL`, secret, paylink.Now(), id, orgID)
	return secret, affectedOne(res, err, "checkout link")
}

// CheckoutLinkReserveCompletion counts one completion against max_completions in a
// single atomic statement; EForbidden when the cap is reached.
func (tx *Tx) CheckoutLinkReserveCompletion(ctx context.Context, id string) error {
	res, err := tx.ExecContext(ctx, `UPDATE checkout_links SET completions_count = completions_count + 1
		WHERE id = $1 AND (max_completions IS NULL OR completions_count < max_completions)`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &paylink.Error{Code: paylink.EForbidden, Name: "CheckoutLinkCapReached",
			Message: "this checkout link has reached its maximum number of purchases"}
	}
	return nil
}

// CheckoutLinkReleaseCompletion gives back a completion held by a failed payment.
func (tx *Tx) CheckoutLinkReleaseCompletion(ctx context.Context, id string) error {
	_, err := tx.ExecContext(ctx, `UPDATE checkout_links SET completions_count = completions_count - 1
		WHERE id = $1 AND completions_count > 0`, id)
	return err
}

// affectedOne turns "no row changed" into ENotFound for what.
func affectedOne(res sql.Result, err error, what string) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return paylink.NotFound(what)
	}
	return nil
}
