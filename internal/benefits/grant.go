package benefits

import (
	"context"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// GrantForOrder grants the benefits of order's product to its customer, in tx,
// the transaction that creates the paid order, with a benefit_grant.created event
// each (benefit_grant.updated for a grant given again after a revocation). sub is
// the order's subscription, or nil: a subscription's grants belong to it, so its
// renewals keep them and RevokeForSubscription ends them. Granting is idempotent:
// a grant is unique per benefit, customer and order (or subscription), so a
// retry or a second process finds the first grant instead of doubling it.
func GrantForOrder(ctx context.Context, tx *store.Tx, r Renderer, order *paylink.Order, sub *paylink.Subscription) error {
	product, err := tx.ProductGet(ctx, order.OrganizationID, order.ProductID)
	if err != nil {
		return err
	}
	now := paylink.Now()
	for _, b := range product.Benefits {
		typ, ok := types[b.Type]
		if !ok {
			continue // a type this build does not grant (its code removed): nothing to deliver
		}
		g := &paylink.BenefitGrant{OrganizationID: order.OrganizationID, BenefitID: b.ID, CustomerID: order.CustomerID,
			OrderID: &order.ID, Scope: "order:" + order.ID, GrantedAt: &now, CreatedAt: now}
		if sub != nil {
			g.OrderID, g.SubscriptionID, g.Scope = nil, &sub.ID, "subscription:"+sub.ID
		}
		got, created, err := tx.BenefitGrantCreate(ctx, g)
		if err != nil {
			return err
		}
		if !created && got.IsGranted() {
			continue
		}
		got.GrantedAt, got.RevokedAt = &now, nil
		if err := typ.Grant(ctx, tx, b, got, now); err != nil {
			return err
		}
		if err := tx.BenefitGrantUpdate(ctx, got); err != nil {
			return err
		}
		event := "benefit_grant.created"
		if !created {
			event = "benefit_grant.updated"
		}
		if err := record(ctx, tx, r, got.OrganizationID, event, got, now); err != nil {
			return err
		}
	}
	return nil
}

// RevokeForOrder revokes, in tx, the live grants of a one-time order (a refund
// with revoke_benefits), with a benefit_grant.revoked event each; its license
// keys fail validation from the commit on. Revoking again does nothing.
func RevokeForOrder(ctx context.Context, tx *store.Tx, r Renderer, orgID, orderID string) error {
	return revoke(ctx, tx, r, store.BenefitGrantListParams{OrganizationID: orgID, OrderIDs: []string{orderID}})
}

// RevokeForSubscription revokes, in tx, the live grants of a subscription that
// has ended (revoked, or canceled at the end of its period once that is past),
// as RevokeForOrder does.
func RevokeForSubscription(ctx context.Context, tx *store.Tx, r Renderer, orgID, subscriptionID string) error {
	return revoke(ctx, tx, r, store.BenefitGrantListParams{OrganizationID: orgID, SubscriptionIDs: []string{subscriptionID}})
}

func revoke(ctx context.Context, tx *store.Tx, r Renderer, p store.BenefitGrantListParams) error {
	granted := true
	p.IsGranted, p.Lock = &granted, true
	grants, _, err := tx.BenefitGrantList(ctx, p)
	if err != nil {
		return err
	}
	now := paylink.Now()
	for _, g := range grants {
		if err := revokeGrant(ctx, tx, r, g, now); err != nil {
			return err
		}
	}
	return nil
}

// revokeGrant revokes one live, locked grant.
func revokeGrant(ctx context.Context, tx *store.Tx, r Renderer, g *paylink.BenefitGrant, now time.Time) error {
	bs, err := tx.BenefitGetMany(ctx, g.OrganizationID, []string{g.BenefitID})
	if err != nil {
		return err
	}
	if b := bs[g.BenefitID]; b != nil {
		if typ, ok := types[b.Type]; ok {
			if err := typ.Revoke(ctx, tx, b, g, now); err != nil {
				return err
			}
		}
	}
	g.RevokedAt = &now
	if err := tx.BenefitGrantUpdate(ctx, g); err != nil {
		return err
	}
	return record(ctx, tx, r, g.OrganizationID, "benefit_grant.revoked", g, now)
}

// regrant grants b again to its live grants, in tx, after a change of its
// properties, with a benefit_grant.updated each.
func regrant(ctx context.Context, tx *store.Tx, r Renderer, typ Type, b *paylink.Benefit, now time.Time) error {
	granted := true
	grants, _, err := tx.BenefitGrantList(ctx, store.BenefitGrantListParams{OrganizationID: b.OrganizationID,
		BenefitIDs: []string{b.ID}, IsGranted: &granted, Lock: true})
	if err != nil {
		return err
	}
	for _, g := range grants {
		if err := typ.Grant(ctx, tx, b, g, now); err != nil {
			return err
		}
		if err := tx.BenefitGrantUpdate(ctx, g); err != nil {
			return err
		}
		if err := record(ctx, tx, r, g.OrganizationID, "benefit_grant.updated", g, now); err != nil {
			return err
		}
	}
	return nil
}

// RevokeOrder is RevokeForOrder with the service's renderer: what a refund with
// revoke_benefits calls (refunds.Service.Benefits), in the refund's transaction.
func (s *Service) RevokeOrder(ctx context.Context, tx *store.Tx, orgID, orderID string) error {
	return RevokeForOrder(ctx, tx, s.Render, orgID, orderID)
}

// RevokeSubscription is RevokeForSubscription with the service's renderer: what
// the end of a subscription calls (subscriptions.Service.Benefits), in the
// transaction that ends it.
func (s *Service) RevokeSubscription(ctx context.Context, tx *store.Tx, orgID, subscriptionID string) error {
	return RevokeForSubscription(ctx, tx, s.Render, orgID, subscriptionID)
}
