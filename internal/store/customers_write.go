package store

import (
	"context"
	"strings"
	"time"

	"github.com/paylink/paylink"
)

// ErrCustomerEmailTaken and ErrCustomerExternalIDTaken are what CustomerCreate
// and CustomerUpdate return when another live customer of the organization has
// the email (ignoring case) or the external id.
var (
	ErrCustomerEmailTaken      = &paylink.Error{Code: paylink.EConflict, Message: "a customer with this email address already exists"}
	ErrCustomerExternalIDTaken = &paylink.Error{Code: paylink.EConflict, Message: "a customer with this external ID already exists"}
)

// deletedExternalIDKey is the metadata key a deleted customer keeps its external
// id under, as Polar does, so the id is free for a new customer.
const deletedExternalIDKey = "__external_id"

// CustomerCreate inserts a customer. A taken email or external id is one of the
// errors above, also when another transaction takes it at the same moment (the
// unique indexes decide; ON CONFLICT DO NOTHING keeps a PostgreSQL transaction
// usable).
func (tx *Tx) CustomerCreate(ctx context.Context, c *paylink.Customer) error {
	tx.memoForget("customer")
	if c.ID == "" {
		c.ID = paylink.NewID()
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = paylink.Now()
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO customers (id, organization_id, email, email_lower, name,
		billing_country, metadata, external_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT DO NOTHING`,
		c.ID, c.OrganizationID, c.Email, strings.ToLower(c.Email), c.Name, c.BillingCountry, metadataText(c.Metadata),
		c.ExternalID, c.CreatedAt)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		if err == nil {
			err = tx.indexMetadata(ctx, "customers", c.OrganizationID, c.ID, c.CreatedAt, c.Metadata, false)
		}
		return err
	}
	return tx.customerTaken(ctx, c)
}

// customerTaken names which of c's unique values another customer holds.
func (tx *Tx) customerTaken(ctx context.Context, c *paylink.Customer) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM customers WHERE organization_id = $1
		AND email_lower = $2 AND id <> $3`, c.OrganizationID, strings.ToLower(c.Email), c.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return ErrCustomerEmailTaken
	}
	if c.ExternalID != nil {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM customers WHERE organization_id = $1
			AND external_id = $2 AND id <> $3`, c.OrganizationID, *c.ExternalID, c.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrCustomerExternalIDTaken
		}
	}
	return nil
}

// CustomerGetForUpdate returns one of the organization's live customers, locked
// until commit on PostgreSQL; ENotFound otherwise.
func (tx *Tx) CustomerGetForUpdate(ctx context.Context, orgID, id string) (*paylink.Customer, error) {
	c, err := scanCustomer(tx.QueryRowContext(ctx, `SELECT `+customerColumns+` FROM customers
		WHERE id = $1 AND organization_id = $2 AND deleted_at IS NULL`+tx.Engine().ForUpdate(false), id, orgID))
	return c, notFound(err, "customer")
}

// CustomerIDByExternalID returns the id of the organization's live customer with
// the external id; ENotFound otherwise.
func (tx *Tx) CustomerIDByExternalID(ctx context.Context, orgID, externalID string) (string, error) {
	var id string
	err := tx.QueryRowContext(ctx, `SELECT id FROM customers WHERE organization_id = $1 AND external_id = $2
		AND deleted_at IS NULL`, orgID, externalID).Scan(&id)
	return id, notFound(err, "customer")
}

// CustomerUpdate writes c's email, name, billing country, metadata and external
// id. The caller holds the row (CustomerGetForUpdate); the uniqueness checks
// then run before the write, so a taken value is an error and not an aborted
// transaction.
func (tx *Tx) CustomerUpdate(ctx context.Context, c *paylink.Customer) error {
	tx.memoForget("customer")
	if err := tx.customerTaken(ctx, c); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE customers SET email = $1, email_lower = $2, name = $3, billing_country = $4,
		metadata = $5, external_id = $6, modified_at = $7 WHERE id = $8 AND organization_id = $9`,
		c.Email, strings.ToLower(c.Email), c.Name, c.BillingCountry, metadataText(c.Metadata), c.ExternalID,
		c.ModifiedAt, c.ID, c.OrganizationID)
	if err != nil {
		return err
	}
	return tx.indexMetadata(ctx, "customers", c.OrganizationID, c.ID, c.CreatedAt, c.Metadata, true)
}

// CustomerDelete marks a locked customer deleted at now: it leaves lists and
// lookups, and frees its email and external id for a new customer.
func (tx *Tx) CustomerDelete(ctx context.Context, c *paylink.Customer, now time.Time) error {
	tx.memoForget("customer")
	if c.ExternalID != nil {
		c.Metadata = c.Metadata.Merge(paylink.Metadata{deletedExternalIDKey: *c.ExternalID})
		c.ExternalID = nil
	}
	c.DeletedAt, c.ModifiedAt = &now, &now
	res, err := tx.ExecContext(ctx, `UPDATE customers SET email_lower = $1, external_id = NULL, metadata = $2,
		deleted_at = $3, modified_at = $3 WHERE id = $4 AND organization_id = $5 AND deleted_at IS NULL`,
		"deleted:"+c.ID, metadataText(c.Metadata), now, c.ID, c.OrganizationID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		if err == nil {
			err = tx.unindexMetadata(ctx, "customers", c.ID) // a deleted customer leaves the lists
		}
		return err
	}
	return paylink.NotFound("customer")
}
