package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/paylink/paylink"
)

const checkoutColumns = `id, organization_id, client_secret, status, product_ids, product_id, price_id, amount,
	discount_amount, net_amount, total_amount, currency, discount_id, allow_discount_codes,
	require_billing_address, customer_id, customer_email, customer_name, billing_country, custom_field_data,
	metadata, success_url, return_url, checkout_link_id, query_string, processor_ref, discount_redeemed,
	completion_reserved, expires_at, created_at, modified_at, external_customer_id, embed_origin`

func scanCheckout(row interface{ Scan(...any) error }) (*paylink.Checkout, error) {
	var c paylink.Checkout
	var productIDs, fields, meta string
	if err := row.Scan(&c.ID, &c.OrganizationID, &c.ClientSecret, &c.Status, &productIDs, &c.ProductID,
		&c.PriceID, &c.Amount, &c.DiscountAmount, &c.NetAmount, &c.TotalAmount, &c.Currency, &c.DiscountID,
		&c.AllowDiscountCodes, &c.RequireBillingAddress, &c.CustomerID, &c.CustomerEmail, &c.CustomerName,
		&c.BillingCountry, &fields, &meta, &c.SuccessURL, &c.ReturnURL, &c.CheckoutLinkID, &c.QueryString,
		&c.PaymentProcessorRef, &c.DiscountRedeemed, &c.CompletionReserved, &c.ExpiresAt, &c.CreatedAt,
		&c.ModifiedAt, &c.ExternalCustomerID, &c.EmbedOrigin); err != nil {
		return nil, err
	}
	var err error
	if c.ProductIDs, err = parseStrings(productIDs); err != nil {
		return nil, err
	}
	if c.CustomFieldData, err = parseJSONMap(fields); err != nil {
		return nil, err
	}
	c.Metadata, err = parseMetadata(meta)
	return &c, err
}

// CheckoutCreate inserts a checkout session. It sets ID, ClientSecret and
// CreatedAt when empty; ExpiresAt must be set.
func (tx *Tx) CheckoutCreate(ctx context.Context, c *paylink.Checkout) error {
	return tx.CheckoutCreateMany(ctx, []*paylink.Checkout{c})
}

// CheckoutCreateMany inserts sessions: the link visit path batches the sessions
// of concurrent visits into one transaction.
func (tx *Tx) CheckoutCreateMany(ctx context.Context, cs []*paylink.Checkout) error {
	rows := make([][]any, len(cs))
	for i, c := range cs {
		checkoutDefaults(c)
		rows[i] = checkoutRow(c)
	}
	if err := tx.insertRows(ctx, checkoutInsert, rows); err != nil {
		return err
	}
	tx.countCreated(cs)
	return nil
}

var checkoutInsert = newInsert("checkouts", checkoutColumns)

// Positions of the JSON columns in checkoutColumns (and checkoutRow).
const (
	colProductIDs      = 4
	colCustomFieldData = 19
	colMetadata        = 20
)

// checkoutRow is c's values in checkoutColumns order.
func checkoutRow(c *paylink.Checkout) []any {
	return []any{c.ID, c.OrganizationID, c.ClientSecret, c.Status, jsonText(c.ProductIDs), c.ProductID, c.PriceID,
		c.Amount, c.DiscountAmount, c.NetAmount, c.TotalAmount, c.Currency, c.DiscountID, c.AllowDiscountCodes,
		c.RequireBillingAddress, c.CustomerID, c.CustomerEmail, c.CustomerName, c.BillingCountry,
		jsonText(c.CustomFieldData), metadataText(c.Metadata), c.SuccessURL, c.ReturnURL, c.CheckoutLinkID,
		c.QueryString, c.PaymentProcessorRef, c.DiscountRedeemed, c.CompletionReserved, c.ExpiresAt,
		c.CreatedAt, c.ModifiedAt, c.ExternalCustomerID, c.EmbedOrigin}
}

func checkoutDefaults(c *paylink.Checkout) {
	if c.ID == "" {
		c.ID = paylink.NewID()
	}
	if c.ClientSecret == "" {
		c.ClientSecret = paylink.NewCheckoutSecret()
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = paylink.Now()
	}
	if c.Status == "" {
		c.Status = paylink.CheckoutOpen
	}
	if c.CustomFieldData == nil {
		c.CustomFieldData = map[string]any{}
	}
}

// CheckoutGet returns one of an organization's checkouts; ENotFound otherwise.
func (tx *Tx) CheckoutGet(ctx context.Context, orgID, id string) (*paylink.Checkout, error) {
	c, err := scanCheckout(tx.QueryRowContext(ctx, `SELECT `+checkoutColumns+` FROM checkouts
		WHERE id = $1 AND organization_id = $2`, id, orgID))
	return c, notFound(err, "checkout")
}

// CheckoutBySecret returns the checkout with the client secret. With lock, the row
// is locked for the transaction (NOWAIT on PostgreSQL: a concurrent holder makes it
// EConflict at once rather than queueing).
func (tx *Tx) CheckoutBySecret(ctx context.Context, secret string, lock bool) (*paylink.Checkout, error) {
	q := `SELECT ` + checkoutColumns + ` FROM checkouts WHERE client_secret = $1`
	if lock {
		q += tx.Engine().ForUpdate(true)
	}
	c, err := scanCheckout(tx.QueryRowContext(ctx, q, secret))
	if lock {
		tx.rememberCheckout(c, err)
	}
	return c, notFound(err, "checkout")
}

// CheckoutBySecretWait locks the session with the client secret like
// CheckoutBySecret, but waits for a concurrent holder instead of answering
// EConflict: for confirm, whose transaction is short (the processor is asked
// after it), so that a second confirm of a double click waits for the first and
// then sees what the session became.
func (tx *Tx) CheckoutBySecretWait(ctx context.Context, secret string) (*paylink.Checkout, error) {
	c, err := scanCheckout(tx.QueryRowContext(ctx, `SELECT `+checkoutColumns+` FROM checkouts WHERE client_secret = $1`+
		tx.Engine().ForUpdate(false), secret))
	tx.rememberCheckout(c, err)
	return c, notFound(err, "checkout")
}

// CheckoutLock locks one of an organization's checkouts by id, like CheckoutBySecret
// (NOWAIT: a change that meets a concurrent one is EConflict at once).
func (tx *Tx) CheckoutLock(ctx context.Context, orgID, id string) (*paylink.Checkout, error) {
	return tx.checkoutLock(ctx, orgID, id, true)
}

// CheckoutLockWait locks one of an organization's checkouts by id and waits for a
// concurrent holder (a double-clicked confirm that is reading the session, say):
// for the paths that record what became of a payment (success, failure, pending),
// which must not give up once money has moved.
func (tx *Tx) CheckoutLockWait(ctx context.Context, orgID, id string) (*paylink.Checkout, error) {
	return tx.checkoutLock(ctx, orgID, id, false)
}

func (tx *Tx) checkoutLock(ctx context.Context, orgID, id string, nowait bool) (*paylink.Checkout, error) {
	c, err := scanCheckout(tx.QueryRowContext(ctx, `SELECT `+checkoutColumns+` FROM checkouts
		WHERE id = $1 AND organization_id = $2`+tx.Engine().ForUpdate(nowait), id, orgID))
	tx.rememberCheckout(c, err)
	return c, notFound(err, "checkout")
}

// CheckoutListParams filters CheckoutList.
type CheckoutListParams struct {
	ListParams
	OrganizationID string
	ProductIDs     []string
	CustomerIDs    []string
	Statuses       []string
	CheckoutLinkID string
	EmailContains  string // case-insensitive substring of customer_email
}

// CheckoutList returns one page of an organization's checkouts and the total count.
func (tx *Tx) CheckoutList(ctx context.Context, p CheckoutListParams) ([]*paylink.Checkout, int, error) {
	var args Args
	where := ` WHERE organization_id = ` + args.Add(p.OrganizationID)
	if len(p.ProductIDs) > 0 {
		where += ` AND product_id IN ` + args.In(p.ProductIDs)
	}
	if len(p.CustomerIDs) > 0 {
		where += ` AND customer_id IN ` + args.In(p.CustomerIDs)
	}
	if len(p.Statuses) > 0 {
		where += ` AND status IN ` + args.In(p.Statuses)
	}
	if p.CheckoutLinkID != "" {
		where += ` AND checkout_link_id = ` + args.Add(p.CheckoutLinkID)
		if len(p.Statuses) > 0 && !slices.Contains(p.Statuses, paylink.CheckoutOpen) {
			// Spelled out so that both planners read checkouts_link_status, the
			// partial index a visit's open session does not enter.
			where += ` AND status <> 'open'`
		}
	}
	if p.EmailContains != "" {
		where += ` AND lower(customer_email) LIKE ` + args.Add("%"+likeEscape(strings.ToLower(p.EmailContains))+"%") + ` ESCAPE '\'`
	}
	var total func() (int, error)
	if len(p.ProductIDs) == 0 && len(p.CustomerIDs) == 0 && p.EmailContains == "" {
		total = func() (int, error) {
			if len(p.Statuses) > 0 {
				return tx.checkoutStatusCount(ctx, p.OrganizationID, p.CheckoutLinkID, p.Statuses)
			}
			return tx.orgOrLinkCount(ctx, p.OrganizationID, "checkouts", p.CheckoutLinkID, "sessions")
		}
	}
	return listPageCounted(ctx, tx, p.ListParams, checkoutColumns, ` FROM checkouts`, where, "created_at DESC, id", args, scanCheckout, total)
}

// CheckoutSave writes every mutable field of c, but only while the stored status
// is still from (the first save into confirmed or succeeded also stamps
// confirmed_at, which analytics count as "confirmed"): a checkout that moved on meanwhile is EConflict, so two writers
// can never both act on one state.
func (tx *Tx) CheckoutSave(ctx context.Context, c *paylink.Checkout, from string) error {
	now := paylink.Now()
	old, err := tx.sessionAttribution(ctx, c.ID) // as the lock read it: no read of its own then
	if err != nil {
		return err
	}
	// first: this save stamped confirmed_at (it equals the new modified_at only then).
	var first bool
	err = tx.QueryRowContext(ctx, `UPDATE checkouts SET status = $1, product_id = $2, price_id = $3,
		amount = $4, discount_amount = $5, net_amount = $6, total_amount = $7, currency = $8, discount_id = $9,
		customer_id = $10, customer_email = $11, customer_name = $12, billing_country = $13,
		custom_field_data = $14, metadata = $15, processor_ref = $16, discount_redeemed = $17,
		completion_reserved = $18, modified_at = $19, success_url = $20, return_url = $21,
		allow_discount_codes = $22, require_billing_address = $23,
		confirmed_at = CASE WHEN $1 IN ('confirmed', 'succeeded') THEN coalesce(confirmed_at, $19) ELSE confirmed_at END
		WHERE id = $24 AND status = $25
		RETURNING coalesce(confirmed_at = modified_at, false)`,
		c.Status, c.ProductID, c.PriceID, c.Amount, c.DiscountAmount, c.NetAmount, c.TotalAmount, c.Currency,
		c.DiscountID, c.CustomerID, c.CustomerEmail, c.CustomerName, c.BillingCountry,
		jsonText(orEmpty(c.CustomFieldData)), metadataText(c.Metadata), c.PaymentProcessorRef,
		c.DiscountRedeemed, c.CompletionReserved, now, c.SuccessURL, c.ReturnURL, c.AllowDiscountCodes,
		c.RequireBillingAddress, c.ID, from).Scan(&first)
	if errors.Is(err, sql.ErrNoRows) {
		return &paylink.Error{Code: paylink.EConflict, Message: "the checkout changed meanwhile; reload it"}
	}
	if err != nil {
		return err
	}
	c.ModifiedAt = &now
	if old != nil {
		return tx.countSaved(ctx, old, c, from, first && from != paylink.CheckoutConfirmed && from != paylink.CheckoutSucceeded)
	}
	return nil
}

// CheckoutExpireDue moves up to limit open checkouts past their expiry to expired
// and returns them (for checkout.expired events in the same transaction).
func (tx *Tx) CheckoutExpireDue(ctx context.Context, now time.Time, limit int) ([]*paylink.Checkout, error) {
	due, err := queryAll(ctx, tx, scanCheckout, `SELECT `+checkoutColumns+` FROM checkouts
		WHERE status = 'open' AND expires_at <= $1 ORDER BY expires_at LIMIT $2`+tx.Engine().LockSkip(), now, limit)
	if err != nil {
		return nil, err
	}
	for _, c := range due {
		c.Status = paylink.CheckoutExpired
		link := ""
		if c.CheckoutLinkID != nil {
			link = *c.CheckoutLinkID
		}
		tx.countStatus(c.OrganizationID, link, paylink.CheckoutOpen, paylink.CheckoutExpired)
		if _, err := tx.ExecContext(ctx, `UPDATE checkouts SET status = 'expired', modified_at = $1
			WHERE id = $2 AND status = 'open'`, now, c.ID); err != nil {
			return nil, err
		}
		c.ModifiedAt = &now
	}
	return due, nil
}

// CheckoutClaimUnsettled takes up to limit sessions that have been confirmed
// since cutoff or earlier (modified_at: the confirm, or the processor's pending
// answer) and that no sweep has taken after cutoff, marks them taken at now
// (settle_checked_at, a lease), and returns them, longest waiting first. Rows
// another process holds are skipped (SKIP LOCKED on PostgreSQL; SQLite has one
// writer), and once this commits the lease keeps other sweeps off them until
// another cutoff has passed.
func (tx *Tx) CheckoutClaimUnsettled(ctx context.Context, cutoff, now time.Time, limit int) ([]*paylink.Checkout, error) {
	out, err := queryAll(ctx, tx, scanCheckout, `SELECT `+checkoutColumns+` FROM checkouts
		WHERE status = 'confirmed' AND modified_at <= $1 AND (settle_checked_at IS NULL OR settle_checked_at <= $1)
		ORDER BY modified_at, id LIMIT $2`+tx.Engine().LockSkip(), cutoff, limit)
	if err != nil || len(out) == 0 {
		return nil, err
	}
	ids := make([]string, len(out))
	for i, c := range out {
		ids[i] = c.ID
	}
	args := Args{now}
	_, err = tx.ExecContext(ctx, `UPDATE checkouts SET settle_checked_at = $1 WHERE id IN `+args.In(ids), args...)
	return out, err
}

// CheckoutLinkStats counts a link's sessions by status.
func (tx *Tx) CheckoutLinkStats(ctx context.Context, linkID string) (map[string]int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT status, count(*) FROM checkouts WHERE checkout_link_id = $1 GROUP BY status`, linkID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}

func likeEscape(s string) string {
	r := make([]rune, 0, len(s))
	for _, c := range s {
		if c == '%' || c == '_' || c == '\\' {
			r = append(r, '\\')
		}
		r = append(r, c)
	}
	return string(r)
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}
