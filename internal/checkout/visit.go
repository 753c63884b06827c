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
	snap, err := s.snapshot(ctx, secret, true)
	if snap != nil {
		// Counted whatever the link's state: a bot is never a visit, blocked or not.
		if cerr := s.count(ctx, snap.link.ID, store.VisitBot); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return nil, err
	}
	return &Visit{Link: snap.link, Products: snap.products}, nil
}

// count has the visit writer count a visit that opens no session, in its next
// batch: no write of its own.
func (s *Service) count(ctx context.Context, linkID string, kind store.VisitKind) error {
	return s.visits().write(ctx, &pendingVisit{count: &store.VisitCount{LinkID: linkID, Kind: kind, At: s.now()}})
}

// errLinkChanged is a visit whose link changed, or stopped being usable, between
// the visit reading it and its session being written.
var errLinkChanged = &paylink.Error{Code: paylink.EConflict, Name: "CheckoutLinkChanged",
	Message: "This checkout link changed while your checkout was opening. Please open the link again."}

// Open handles a person's visit: it opens a session prefilled from the query
// string (SPEC §4) and returns it with the parameters to pass on. The session and
// its checkout.created event are committed together, batched with concurrent
// visits, before Open returns, and only if the link's row still is what the visit
// read: a visit that raced a change of the link starts over once from a fresh read.
func (s *Service) Open(ctx context.Context, secret string, q url.Values, rawQuery string) (*Visit, error) {
	for attempt := 0; ; attempt++ {
		snap, err := s.snapshot(ctx, secret, attempt > 0)
		if err != nil {
			if snap != nil { // the link exists but takes no visits now
				s.countOrLog(ctx, snap.link.ID, store.VisitBlocked)
			}
			return nil, err
		}
		v, err := s.open(ctx, snap, secret, q, rawQuery)
		if err == errLinkChanged && attempt == 0 {
			continue
		}
		if err != nil && ctx.Err() == nil {
			s.countOrLog(ctx, snap.link.ID, store.VisitPerson) // a visit that opened no session
		}
		return v, err
	}
}

// countOrLog counts a visit whose visitor already has an error to see.
func (s *Service) countOrLog(ctx context.Context, linkID string, kind store.VisitKind) {
	if err := s.count(ctx, linkID, kind); err != nil {
		s.Log.WarnContext(ctx, "link visit: not counted", "link_id", linkID, "err", err)
	}
}

func (s *Service) open(ctx context.Context, snap *linkSnapshot, secret string, q url.Values, rawQuery string) (*Visit, error) {
	l, products, now := snap.link, snap.products, s.now()
	in := paylink.PrefillInput{Link: l, Products: products, Preset: snap.preset, Now: now,
		LookupCode: func(code string) *paylink.Discount {
			var d *paylink.Discount
			s.Store.Read(ctx, func(tx *store.Tx) error {
				d, _ = tx.DiscountGetByCode(ctx, l.OrganizationID, code)
				return nil
			})
			return d
		}}
	pf, err := paylink.ApplyPrefill(q, in)
	if err != nil {
		return nil, err
	}
	if len(pf.Dropped) > 0 {
		s.Log.InfoContext(ctx, "link visit: prefill values ignored", "link_id", l.ID, "dropped", pf.Dropped)
	}
	ids := make([]string, len(products))
	for i, p := range products {
		ids[i] = p.ID
	}
	c := &paylink.Checkout{
		ID: paylink.NewID(), ClientSecret: paylink.NewCheckoutSecret(),
		OrganizationID: l.OrganizationID, Status: paylink.CheckoutOpen, ProductIDs: ids,
		ProductID: pf.Product.ID, PriceID: pf.Price.ID, Amount: pf.Amount, Currency: pf.Price.Currency,
		AllowDiscountCodes: l.AllowDiscountCodes, RequireBillingAddress: l.RequireBillingAddress,
		CustomerEmail: pf.CustomerEmail, CustomerName: pf.CustomerName, CustomFieldData: pf.CustomFieldData,
		Metadata: pf.Metadata, SuccessURL: l.SuccessURL, ReturnURL: l.ReturnURL, CheckoutLinkID: &l.ID,
		QueryString: paylink.CutText(paylink.CleanText(rawQuery), 4096), ExpiresAt: now.Add(s.TTL), CreatedAt: now,
	}
	priceTotals(c, pf.Discount)
	p := &pendingVisit{
		v: &store.Visit{Checkout: c, LinkSecret: secret, LinkModifiedAt: l.ModifiedAt},
		payload: func() ([]byte, error) {
			ev, err := s.event(ctx, nil, c.OrganizationID, "checkout.created",
				&paylink.CheckoutView{Checkout: c, Products: products, Discount: pf.Discount})
			if err != nil {
				return nil, err
			}
			return ev.Payload, nil
		},
	}
	p.v.Encode()
	if s.visits().subscribed(c.OrganizationID) {
		if p.v.Payload, err = p.payload(); err != nil {
			return nil, err
		}
	}
	if err := s.visits().write(ctx, p); err != nil {
		return nil, err
	}
	return &Visit{Link: l, Products: products, Checkout: c, Remaining: pf.Remaining}, nil
}
