// Package customers is the one home of every write to customers made outside a
// purchase: the API's create, update and delete (by id or by the merchant's
// external id), as auth integrations such as better-auth make them. Each use case
// runs in one transaction that locks the customer, maps the store's conflicts to
// Polar's 422s and records the customer.created/updated/deleted event with it.
// Customers a checkout creates are the checkout flows' (internal/checkout).
package customers

import (
	"context"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/checkout"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/subscriptions"
)

// Service runs the customers' use cases on a store.
type Service struct {
	Store  *store.Store
	Render checkout.Renderer // renders event payloads as the API returns them
	// Subscriptions revokes a deleted customer's subscriptions, as Polar does.
	Subscriptions *subscriptions.Service
	Now           func() time.Time // the clock; paylink.Now when nil
}

// Ref names a customer by its id or, when ExternalID is set, by the merchant's
// external id.
type Ref struct {
	ID         string
	ExternalID string
}

func (s *Service) now() time.Time { return paylink.Clock(s.Now).Read() }

// Create inserts a customer of the organization. Errors: EInvalid (422 at the
// field, also for a taken email or external id).
func (s *Service) Create(ctx context.Context, orgID string, in paylink.CustomerInput) (*paylink.Customer, error) {
	now := s.now()
	c, err := paylink.NewCustomer(orgID, in, now)
	if err != nil {
		return nil, err
	}
	err = s.Store.InTx(ctx, func(tx *store.Tx) error {
		if err := taken(tx.CustomerCreate(ctx, c), c); err != nil {
			return err
		}
		return checkout.RecordEvent(ctx, tx, s.Render, orgID, "customer.created", c, now)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Update applies an update to a live customer. Errors: ENotFound, EInvalid.
func (s *Service) Update(ctx context.Context, orgID string, ref Ref, in paylink.CustomerInput) (*paylink.Customer, error) {
	var c *paylink.Customer
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		// Updates of one organization's customers run one after the other, so the
		// check that no other customer has the new email or external id holds until
		// the write (two updates to the same email: one 200, one 422, never a 500).
		if _, err := tx.OrganizationGetForUpdate(ctx, orgID); err != nil {
			return err
		}
		old, err := lock(ctx, tx, orgID, ref)
		if err != nil {
			return err
		}
		now := s.now()
		if c, err = paylink.ApplyCustomerUpdate(old, in, now); err != nil {
			return err
		}
		if err := taken(tx.CustomerUpdate(ctx, c), c); err != nil {
			return err
		}
		return checkout.RecordEvent(ctx, tx, s.Render, orgID, "customer.updated", c, now)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Delete deletes a live customer, as Polar does: its billable subscriptions are
// revoked, it leaves lists and lookups, its orders stay, and its email and
// external id are free for a new customer.
// Errors: ENotFound.
func (s *Service) Delete(ctx context.Context, orgID string, ref Ref) error {
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		c, err := lock(ctx, tx, orgID, ref)
		if err != nil {
			return err
		}
		if err := s.Subscriptions.RevokeCustomer(ctx, tx, orgID, c.ID); err != nil {
			return err
		}
		now := s.now()
		if err := tx.CustomerDelete(ctx, c, now); err != nil {
			return err
		}
		return checkout.RecordEvent(ctx, tx, s.Render, orgID, "customer.deleted", c, now)
	})
}

// lock returns the customer ref names, locked until commit.
func lock(ctx context.Context, tx *store.Tx, orgID string, ref Ref) (*paylink.Customer, error) {
	id := ref.ID
	if ref.ExternalID != "" {
		var err error
		if id, err = tx.CustomerIDByExternalID(ctx, orgID, ref.ExternalID); err != nil {
			return nil, err
		}
	}
	return tx.CustomerGetForUpdate(ctx, orgID, id)
}

// taken turns the store's conflicts into Polar's 422 at the field.
func taken(err error, c *paylink.Customer) error {
	switch err {
	case store.ErrCustomerEmailTaken:
		return paylink.Invalid(paylink.FieldInvalid("a customer with this email address already exists", c.Email, "body", "email"))
	case store.ErrCustomerExternalIDTaken:
		return paylink.Invalid(paylink.FieldInvalid("a customer with this external ID already exists", c.ExternalID, "body", "external_id"))
	}
	return err
}
