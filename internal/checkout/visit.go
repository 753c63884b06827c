package checkout

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// Link states a visit can meet, each an *paylink.Error the pages turn into HTML.
var (
	ErrLinkUnknown  = &paylink.Error{Code: paylink.ENotFound, Name: "ResourceNotFound", Message: "This checkout link does not exist. Check the address, or ask the seller for a new link."}
	ErrLinkDeleted  = &paylink.Error{Code: paylink.EGone, Name: "CheckoutLinkGone", Message: "This checkout link has been removed by the seller."}
	ErrLinkExpired  = &paylink.Error{Code: paylink.EGone, Name: "CheckoutLinkExpired", Message: "This checkout link has expired."}
	ErrLinkSoldOut  = &paylink.Error{Code: paylink.EGone, Name: "CheckoutLinkSoldOut", Message: "This offer is sold out: the link has reached its maximum number of purchases."}
	defaultInactive = "This checkout link is not active at the moment."
)

// Visit is the outcome of a visit to a checkout link.
type Visit struct {
	Link      *paylink.CheckoutLink
	Products  []*paylink.Product // the link's live products, in order
	Checkout  *paylink.Checkout  // nil for previews
	Remaining url.Values         // query parameters the session did not consume
}

// LinkUsable returns the error a visitor sees for a link in this state, or nil.
func LinkUsable(l *paylink.CheckoutLink, now time.Time) error {
	switch {
	case l.DeletedAt != nil:
		return ErrLinkDeleted
	case !l.Active:
		msg := defaultInactive
		if l.InactiveMessage != nil && strings.TrimSpace(*l.InactiveMessage) != "" {
			msg = *l.InactiveMessage
		}
		return &paylink.Error{Code: paylink.EGone, Name: "CheckoutLinkInactive", Message: msg}
	case l.ExpiresAt != nil && !now.Before(*l.ExpiresAt):
		return ErrLinkExpired
	case l.MaxCompletions != nil && l.CompletionsCount >= *l.MaxCompletions:
		return ErrLinkSoldOut
	}
	return nil
}

// Preview handles a bot, prefetch or HEAD visit: it counts it and returns the link
// and its products for a preview page, and creates no session (SPEC §4.2).
func (s *Service) Preview(ctx context.Context, secret string) (*Visit, error) {
	var v *Visit
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		l, products, err := s.usableLink(ctx, tx, secret)
		if err != nil {
			return err
		}
		v = &Visit{Link: l, Products: products}
		return tx.CheckoutLinkCountBotVisit(ctx, l.ID)
	})
	return v, err
}

func (s *Service) usableLink(ctx context.Context, tx *store.Tx, secret string) (*paylink.CheckoutLink, []*paylink.Product, error) {
	if !strings.HasPrefix(secret, paylink.PrefixLinkSecret) || len(secret) > 100 {
		return nil, nil, ErrLinkUnknown
	}
	l, err := tx.CheckoutLinkBySecret(ctx, secret)
	if paylink.IsCode(err, paylink.ENotFound) {
		return nil, nil, ErrLinkUnknown
	}
	if err != nil {
		return nil, nil, err
	}
	if err := LinkUsable(l, s.now()); err != nil {
		return nil, nil, err
	}
	all, err := loadProducts(ctx, tx, l.OrganizationID, l.ProductIDs)
	if err != nil {
		return nil, nil, err
	}
	var live []*paylink.Product
	for _, p := range all {
		if !p.IsArchived && p.Price() != nil {
			live = append(live, p)
		}
	}
	if len(live) == 0 {
		return nil, nil, paylink.ErrNoProducts
	}
	return l, live, nil
}

// Open handles a person's visit: it opens a session prefilled from the query
// string (SPEC §4), records checkout.created in the same transaction, and returns
// it with the parameters to pass on.
func (s *Service) Open(ctx context.Context, secret string, q url.Values, rawQuery string) (*Visit, error) {
	var v *Visit
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		l, products, err := s.usableLink(ctx, tx, secret)
		if err != nil {
			return err
		}
		now := s.now()
		in := paylink.PrefillInput{Link: l, Products: products, Now: now,
			LookupCode: func(code string) *paylink.Discount {
				d, err := tx.DiscountGetByCode(ctx, l.OrganizationID, code)
				if err != nil {
					return nil
				}
				return d
			}}
		if l.DiscountID != nil {
			if d, err := tx.DiscountGet(ctx, l.OrganizationID, *l.DiscountID); err == nil {
				in.Preset = d
			} else if !paylink.IsCode(err, paylink.ENotFound) {
				return err
			}
		}
		pf, err := paylink.ApplyPrefill(q, in)
		if err != nil {
			return err
		}
		if len(pf.Dropped) > 0 {
			s.Log.InfoContext(ctx, "link visit: prefill values ignored", "link_id", l.ID, "dropped", pf.Dropped)
		}
		ids := make([]string, len(products))
		for i, p := range products {
			ids[i] = p.ID
		}
		c := &paylink.Checkout{
			OrganizationID: l.OrganizationID, Status: paylink.CheckoutOpen, ProductIDs: ids,
			ProductID: pf.Product.ID, PriceID: pf.Price.ID, Amount: pf.Amount, Currency: pf.Price.Currency,
			AllowDiscountCodes: l.AllowDiscountCodes, RequireBillingAddress: l.RequireBillingAddress,
			CustomerEmail: pf.CustomerEmail, CustomerName: pf.CustomerName, CustomFieldData: pf.CustomFieldData,
			Metadata: pf.Metadata, SuccessURL: l.SuccessURL, ReturnURL: l.ReturnURL, CheckoutLinkID: &l.ID,
			QueryString: truncate(rawQuery, 4096), ExpiresAt: now.Add(s.TTL), CreatedAt: now,
		}
		priceTotals(c, pf.Discount)
		if err := tx.CheckoutCreate(ctx, c); err != nil {
			return err
		}
		if err := s.record(ctx, tx, c.OrganizationID, "checkout.created",
			&paylink.CheckoutView{Checkout: c, Products: products, Discount: pf.Discount}); err != nil {
			return err
		}
		v = &Visit{Link: l, Products: products, Checkout: c, Remaining: pf.Remaining}
		return nil
	})
	return v, err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
