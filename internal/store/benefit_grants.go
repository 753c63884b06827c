package store

import (
	"context"
	"strings"

	"github.com/paylink/paylink"
)

const grantColumns = `id, organization_id, benefit_id, customer_id, order_id, subscription_id, scope, granted_at,
	revoked_at, properties, created_at, modified_at`

func scanGrant(row scanner) (*paylink.BenefitGrant, error) {
	var g paylink.BenefitGrant
	var props string
	if err := row.Scan(&g.ID, &g.OrganizationID, &g.BenefitID, &g.CustomerID, &g.OrderID, &g.SubscriptionID,
		&g.Scope, &g.GrantedAt, &g.RevokedAt, &props, &g.CreatedAt, &g.ModifiedAt); err != nil {
		return nil, err
	}
	var err error
	g.Properties, err = parseJSONMap(props)
	g.CreatedAt, g.ModifiedAt = g.CreatedAt.UTC(), utcPtr(g.ModifiedAt)
	g.GrantedAt, g.RevokedAt = utcPtr(g.GrantedAt), utcPtr(g.RevokedAt)
	return &g, err
}

// BenefitGrantCreate inserts g unless the benefit already has a grant for the
// same customer and scope, and returns the grant that holds (g, or the one
// there before, locked) and whether it is new. Two processes granting at once
// end with one grant: the unique key decides.
func (tx *Tx) BenefitGrantCreate(ctx context.Context, g *paylink.BenefitGrant) (*paylink.BenefitGrant, bool, error) {
	if g.ID == "" {
		g.ID = paylink.NewID()
	}
	if g.CreatedAt.IsZero() {
		g.CreatedAt = paylink.Now()
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO benefit_grants (`+grantColumns+`) VALUES ($1, $2, $3, $4, $5, $6,
		$7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`, g.ID, g.OrganizationID, g.BenefitID, g.CustomerID,
		g.OrderID, g.SubscriptionID, g.Scope, g.GrantedAt, g.RevokedAt, jsonText(orEmpty(g.Properties)),
		g.CreatedAt, g.ModifiedAt)
	if err != nil {
		return nil, false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return g, err == nil, err
	}
	old, err := scanGrant(tx.QueryRowContext(ctx, `SELECT `+grantColumns+` FROM benefit_grants
		WHERE benefit_id = $1 AND customer_id = $2 AND scope = $3`+tx.Engine().ForUpdate(false),
		g.BenefitID, g.CustomerID, g.Scope))
	return old, false, notFound(err, "benefit grant")
}

// BenefitGrantUpdate writes a grant's granted_at, revoked_at and properties.
func (tx *Tx) BenefitGrantUpdate(ctx context.Context, g *paylink.BenefitGrant) error {
	now := paylink.Now()
	res, err := tx.ExecContext(ctx, `UPDATE benefit_grants SET granted_at = $1, revoked_at = $2, properties = $3,
		modified_at = $4 WHERE id = $5 AND organization_id = $6`, g.GrantedAt, g.RevokedAt,
		jsonText(orEmpty(g.Properties)), now, g.ID, g.OrganizationID)
	if err := affectedOne(res, err, "benefit grant"); err != nil {
		return err
	}
	g.ModifiedAt = &now
	return nil
}

// BenefitGrantGet returns one of the organization's grants.
func (tx *Tx) BenefitGrantGet(ctx context.Context, orgID, id string) (*paylink.BenefitGrant, error) {
	g, err := scanGrant(tx.QueryRowContext(ctx, `SELECT `+grantColumns+` FROM benefit_grants
		WHERE id = $1 AND organization_id = $2`, strings.ToLower(id), orgID))
	return g, notFound(err, "benefit grant")
}

// BenefitGrantListParams filters BenefitGrantList; empty filters match all.
type BenefitGrantListParams struct {
	ListParams
	OrganizationID  string
	BenefitIDs      []string
	CustomerIDs     []string
	OrderIDs        []string
	SubscriptionIDs []string
	CheckoutIDs     []string // grants of the orders or subscriptions these checkouts made
	Types           []string // grants of benefits of these types
	Query           string   // grants of benefits whose description contains it
	IsGranted       *bool
	Lock            bool // lock the grants (the revocations)
}

// Sort keys of BenefitGrantList beyond its columns: the benefit's type, and
// the benefit's position among its product's (the order's or the
// subscription's product).
const (
	GrantSortType           = `(SELECT b.type FROM benefits b WHERE b.id = benefit_grants.benefit_id)`
	GrantSortProductBenefit = `(SELECT pb.position FROM product_benefits pb WHERE pb.benefit_id = benefit_grants.benefit_id
		AND pb.product_id = COALESCE((SELECT o.product_id FROM orders o WHERE o.id = benefit_grants.order_id),
		(SELECT s.product_id FROM subscriptions s WHERE s.id = benefit_grants.subscription_id)))`
)

// BenefitGrantList returns one page of the organization's grants and the total count.
func (tx *Tx) BenefitGrantList(ctx context.Context, p BenefitGrantListParams) ([]*paylink.BenefitGrant, int, error) {
	var args Args
	where := ` WHERE organization_id = ` + args.Add(p.OrganizationID)
	for _, f := range []struct {
		col string
		ids []string
	}{{"benefit_id", p.BenefitIDs}, {"customer_id", p.CustomerIDs}, {"order_id", p.OrderIDs},
		{"subscription_id", p.SubscriptionIDs}} {
		if len(f.ids) > 0 {
			where += ` AND ` + f.col + ` IN ` + args.In(lowerIDs(f.ids))
		}
	}
	if len(p.CheckoutIDs) > 0 {
		in := args.In(lowerIDs(p.CheckoutIDs))
		where += ` AND (order_id IN (SELECT id FROM orders WHERE checkout_id IN ` + in +
			`) OR subscription_id IN (SELECT id FROM subscriptions WHERE checkout_id IN ` + in + `))`
	}
	if len(p.Types) > 0 || p.Query != "" {
		where += ` AND benefit_id IN (SELECT id FROM benefits WHERE organization_id = ` + args.Add(p.OrganizationID)
		if len(p.Types) > 0 {
			where += ` AND type IN ` + args.In(p.Types)
		}
		if p.Query != "" {
			where += ` AND lower(description) LIKE ` + args.Add("%"+likeEscape(strings.ToLower(p.Query))+"%") + ` ESCAPE '\'`
		}
		where += `)`
	}
	if p.IsGranted != nil {
		where += map[bool]string{true: ` AND granted_at IS NOT NULL AND revoked_at IS NULL`,
			false: ` AND (granted_at IS NULL OR revoked_at IS NOT NULL)`}[*p.IsGranted]
	}
	if p.Lock {
		out, err := queryAll(ctx, tx, scanGrant, `SELECT `+grantColumns+` FROM benefit_grants`+where+
			` ORDER BY created_at, id`+tx.Engine().ForUpdate(false), args...)
		return orNone(out), len(out), err
	}
	out, total, err := listPage(ctx, tx, p.ListParams, grantColumns, ` FROM benefit_grants`, where, "created_at DESC, id",
		args, scanGrant)
	return orNone(out), total, err
}
