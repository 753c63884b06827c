package catalog

import (
	"context"
	"errors"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// LinkCreate is a checkout link create request.
type LinkCreate struct {
	Input paylink.LinkInput
	// PriceID, when set, names the link's one product by one of its prices (Polar's
	// legacy product_price_id); it must be a live price of the organization.
	PriceID *string
	// Problems the caller found while reading the request; they are reported
	// first, together with the rules' and the references' in one EInvalid.
	Problems paylink.Problems
}

// LinkCreate validates the request (paylink.NewCheckoutLink), checks what it
// references (CheckLinkRefs) and stores the link of orgID. Every problem comes
// back in one EInvalid, located like the API's body.
func (s *Service) LinkCreate(ctx context.Context, orgID string, req LinkCreate) (*paylink.CheckoutLink, error) {
	var l *paylink.CheckoutLink
	err := s.write(ctx, func(tx *store.Tx) error {
		probs, in := req.Problems, req.Input
		if req.PriceID != nil {
			if err := productOfPrice(ctx, tx, orgID, *req.PriceID, &in, &probs); err != nil {
				return err
			}
		}
		var err error
		l, err = paylink.NewCheckoutLink(in, s.now())
		if err := collect(&probs, err); err != nil {
			return err
		}
		if err := CheckLinkRefs(ctx, tx, orgID, in, nil, &probs); err != nil {
			return err
		}
		if err := probs.Err(); err != nil {
			return err
		}
		l.OrganizationID = orgID
		return tx.CheckoutLinkCreate(ctx, l)
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// productOfPrice resolves a legacy product_price_id into the products list.
func productOfPrice(ctx context.Context, tx *store.Tx, orgID, id string, in *paylink.LinkInput, probs *paylink.Problems) error {
	if !paylink.ValidID(id) {
		probs.Add("must be a UUID", id, "body", "product_price_id")
		return nil
	}
	pr, err := tx.PriceGet(ctx, orgID, strings.ToLower(id))
	switch {
	case paylink.IsCode(err, paylink.ENotFound):
		probs.Add("price not found", id, "body", "product_price_id")
	case err != nil:
		return err
	case pr.IsArchived:
		probs.Add("this price is archived", id, "body", "product_price_id")
	default:
		in.ProductIDs = []string{pr.ProductID}
	}
	return nil
}

// LinkUpdate applies an update body to one of the organization's live links
// under a row lock. ifVersion is the Version the caller's edit started from (""
// for none); when the link has changed since, nothing is written and the error
// is Stale. Errors: ENotFound, EInvalid (rules and references together), EConflict.
func (s *Service) LinkUpdate(ctx context.Context, orgID, id string, in paylink.LinkInput, ifVersion string) (*paylink.CheckoutLink, error) {
	var l *paylink.CheckoutLink
	err := s.write(ctx, func(tx *store.Tx) error {
		old, err := tx.CheckoutLinkGetForUpdate(ctx, orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(ifVersion, "checkout link", old.CreatedAt, old.ModifiedAt); err != nil {
			return err
		}
		var probs paylink.Problems
		l, err = paylink.ApplyCheckoutLinkUpdate(old, in)
		if err := collect(&probs, err); err != nil {
			return err
		}
		if err := CheckLinkRefs(ctx, tx, orgID, in, old, &probs); err != nil {
			return err
		}
		if err := probs.Err(); err != nil {
			return err
		}
		return tx.CheckoutLinkUpdate(ctx, l)
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// LinkSetActive activates or deactivates a link; nothing else changes.
func (s *Service) LinkSetActive(ctx context.Context, orgID, id string, active bool) (*paylink.CheckoutLink, error) {
	return s.LinkUpdate(ctx, orgID, id, paylink.LinkInput{Active: &active}, "")
}

// LinkRotateSecret gives the link a new client secret: its old URL stops working
// at once. It returns the link with the new secret. ENotFound for an unknown,
// deleted or other organization's link.
func (s *Service) LinkRotateSecret(ctx context.Context, orgID, id string) (*paylink.CheckoutLink, error) {
	var l *paylink.CheckoutLink
	err := s.write(ctx, func(tx *store.Tx) error {
		if _, err := tx.CheckoutLinkGetForUpdate(ctx, orgID, id); err != nil {
			return err
		}
		if _, err := tx.CheckoutLinkRotateSecret(ctx, orgID, id); err != nil {
			return err
		}
		var err error
		l, err = tx.CheckoutLinkGet(ctx, orgID, id)
		return err
	})
	return l, err
}

// LinkDelete soft-deletes a link: its URL answers "gone" from then on.
// ENotFound for an unknown, deleted or other organization's link.
func (s *Service) LinkDelete(ctx context.Context, orgID, id string) error {
	return s.write(ctx, func(tx *store.Tx) error { return tx.CheckoutLinkDelete(ctx, orgID, id, s.now()) })
}

// collect adds the field errors of an EInvalid err to probs; any other error is
// returned as is.
func collect(probs *paylink.Problems, err error) error {
	var e *paylink.Error
	if err == nil {
		return nil
	}
	if errors.As(err, &e) && e.Code == paylink.EInvalid {
		*probs = append(*probs, e.Fields...)
		return nil
	}
	return err
}
