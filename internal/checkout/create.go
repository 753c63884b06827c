package checkout

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// MaxProducts is how many products one session may offer (SPEC §3, as for links).
const MaxProducts = 20

// CreateInput is a merchant's programmatic session (POST /v1/checkouts/), decoded
// but not validated. Exactly one of ProductIDs, ProductID and PriceID selects the
// products; nil fields are absent.
type CreateInput struct {
	ProductIDs            []string // "products": 1–20, ordered, no duplicates; the first is selected
	ProductID             *string  // legacy "product_id": one product
	PriceID               *string  // legacy "product_price_id": the product of that live price
	Amount                *int64   // pay what you want only
	Currency              *string  // must be the selected price's currency (one price per product)
	CustomerEmail         *string
	CustomerName          *string
	ExternalCustomerID    *string // the merchant's user: its customer, or the external id a new customer gets
	BillingCountry        *string
	DiscountID            *string
	AllowDiscountCodes    *bool // default true
	RequireBillingAddress bool
	Metadata              map[string]any // raw JSON object; validated here
	CustomFieldData       map[string]any
	SuccessURL            *string // http(s); may contain {CHECKOUT_ID}
	ReturnURL             *string
	EmbedOrigin           *string // the page that embeds the session, a paylink.ParseOrigin origin
}

// Create opens a session for the organization's products. Every problem with the
// input comes back in one EInvalid error, each located at its body field; the
// session and its checkout.created event are written in one transaction.
func (s *Service) Create(ctx context.Context, orgID string, in CreateInput) (*paylink.Checkout, error) {
	now := s.now()
	c := &paylink.Checkout{OrganizationID: orgID, Status: paylink.CheckoutOpen, AllowDiscountCodes: true,
		RequireBillingAddress: in.RequireBillingAddress, Metadata: paylink.Metadata{},
		ExpiresAt: now.Add(s.TTL), CreatedAt: now, ExternalCustomerID: in.ExternalCustomerID,
		EmbedOrigin: in.EmbedOrigin}
	if in.AllowDiscountCodes != nil {
		c.AllowDiscountCodes = *in.AllowDiscountCodes
	}
	var probs paylink.Problems
	if in.Metadata != nil {
		if m, err := paylink.ParseMetadata(in.Metadata, "body", "metadata"); err != nil {
			probs = append(probs, fieldErrors(err)...)
		} else {
			c.Metadata = m
		}
	}
	for _, u := range []struct {
		field string
		in    *string
		out   **string
	}{{"success_url", in.SuccessURL, &c.SuccessURL}, {"return_url", in.ReturnURL, &c.ReturnURL}} {
		if u.in == nil {
			continue
		}
		if msg := paylink.ValidateRedirectURL(*u.in); msg != "" {
			probs.Add(msg, *u.in, "body", u.field)
		} else {
			v := *u.in
			*u.out = &v
		}
	}
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		products, ok, err := s.createProducts(ctx, tx, orgID, in, &probs)
		if err != nil || !ok {
			if err == nil {
				err = probs.Err()
			}
			return err
		}
		p := products[0]
		c.ProductIDs = make([]string, len(products))
		for i, pr := range products {
			c.ProductIDs[i] = pr.ID
		}
		c.ProductID, c.PriceID, c.Currency = p.ID, p.Price().ID, p.Price().Currency
		c.Amount = paylink.DefaultAmount(p.Price())
		ch := Changes{Currency: in.Currency, Amount: in.Amount, CustomerEmail: in.CustomerEmail, CustomerName: in.CustomerName,
			BillingCountry: in.BillingCountry, CustomFieldData: in.CustomFieldData, DiscountID: in.DiscountID}
		if err := prefillExternalCustomer(ctx, tx, orgID, in.ExternalCustomerID, &ch); err != nil {
			return err
		}
		if err := s.apply(ctx, tx, c, ch, false); err != nil {
			if !paylink.IsCode(err, paylink.EInvalid) {
				return err
			}
			probs = append(probs, fieldErrors(err)...)
		}
		if err := probs.Err(); err != nil {
			return err
		}
		d, err := s.currentDiscount(ctx, tx, c)
		if err != nil {
			return err
		}
		if err := tx.CheckoutCreate(ctx, c); err != nil {
			return err
		}
		return s.record(ctx, tx, orgID, "checkout.created", &paylink.CheckoutView{Checkout: c, Products: products, Discount: d})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// prefillExternalCustomer fills what ch leaves unset (email, name, billing
// country) from the live customer holding externalID, as Polar prefills a session
// made for a known user (better-auth's checkout sends only the user's id). An
// external id nobody holds yet prefills nothing: the customer is made on success.
func prefillExternalCustomer(ctx context.Context, tx *store.Tx, orgID string, externalID *string, ch *Changes) error {
	if externalID == nil || *externalID == "" {
		return nil
	}
	id, err := tx.CustomerIDByExternalID(ctx, orgID, *externalID)
	if paylink.IsCode(err, paylink.ENotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	cust, err := tx.CustomerGet(ctx, orgID, id)
	if err != nil {
		return err
	}
	if ch.CustomerEmail == nil {
		ch.CustomerEmail = &cust.Email
	}
	if ch.CustomerName == nil {
		ch.CustomerName = cust.Name
	}
	if ch.BillingCountry == nil {
		ch.BillingCountry = cust.BillingCountry
	}
	return nil
}

// createProducts resolves the products the input selects, in order. Problems
// (unknown, other organization's, archived, duplicated) go to probs, located at
// their index; ok is false when there is nothing to open a session for.
func (s *Service) createProducts(ctx context.Context, tx *store.Tx, orgID string, in CreateInput, probs *paylink.Problems) ([]*paylink.Product, bool, error) {
	ids, field := in.ProductIDs, "products"
	set := 0
	for _, present := range []bool{in.ProductIDs != nil, in.ProductID != nil, in.PriceID != nil} {
		if present {
			set++
		}
	}
	switch {
	case set == 0:
		*probs = append(*probs, paylink.FieldError{Loc: []any{"body", "products"}, Msg: "Field required", Type: "missing"})
		return nil, false, nil
	case set > 1:
		probs.Add("send only one of products, product_id and product_price_id", nil, "body")
		return nil, false, nil
	case in.ProductID != nil:
		ids, field = []string{*in.ProductID}, "product_id"
	case in.PriceID != nil:
		field = "product_price_id"
		if !paylink.ValidID(*in.PriceID) {
			probs.Add("must be a UUID", *in.PriceID, "body", field)
			return nil, false, nil
		}
		pr, err := tx.PriceGet(ctx, orgID, strings.ToLower(*in.PriceID))
		switch {
		case paylink.IsCode(err, paylink.ENotFound):
			probs.Add("price not found", *in.PriceID, "body", field)
			return nil, false, nil
		case err != nil:
			return nil, false, err
		case pr.IsArchived:
			probs.Add("this price is archived", *in.PriceID, "body", field)
			return nil, false, nil
		}
		ids = []string{pr.ProductID}
	}
	loc := func(i int) []any {
		if field == "products" {
			return []any{"body", field, i}
		}
		return []any{"body", field}
	}
	if n := len(ids); n < 1 || n > MaxProducts {
		probs.Add(fmt.Sprintf("a checkout has 1 to %d products", MaxProducts), n, "body", "products")
		return nil, false, nil
	}
	out := make([]*paylink.Product, 0, len(ids))
	seen := map[string]bool{}
	for i, raw := range ids {
		id := strings.ToLower(raw)
		if !paylink.ValidID(id) {
			probs.Add("must be a UUID", raw, loc(i)...)
			continue
		}
		if seen[id] {
			probs.Add("this product is already in the list", raw, loc(i)...)
			continue
		}
		seen[id] = true
		p, err := tx.ProductGet(ctx, orgID, id)
		switch {
		case paylink.IsCode(err, paylink.ENotFound):
			probs.Add("product not found", raw, loc(i)...)
			continue
		case err != nil:
			return nil, false, err
		case p.IsArchived || p.Price() == nil:
			probs.Add("this product is archived", raw, loc(i)...)
			continue
		}
		out = append(out, p)
	}
	return out, len(out) == len(ids), nil
}

// fieldErrors returns the field errors of an EInvalid error, or one at the body.
func fieldErrors(err error) []paylink.FieldError {
	var e *paylink.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		return e.Fields
	}
	return []paylink.FieldError{paylink.FieldInvalid(err.Error(), nil, "body")}
}
