package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/paylink/paylink"
)

const customerColumns = `id, organization_id, email, name, billing_country, metadata, external_id, deleted_at,
	created_at, modified_at`

func scanCustomer(row interface{ Scan(...any) error }) (*paylink.Customer, error) {
	var c paylink.Customer
	var meta string
	if err := row.Scan(&c.ID, &c.OrganizationID, &c.Email, &c.Name, &c.BillingCountry, &meta, &c.ExternalID, &c.DeletedAt,
		&c.CreatedAt, &c.ModifiedAt); err != nil {
		return nil, err
	}
	m, err := parseMetadata(meta)
	c.Metadata = m
	return &c, err
}

// CustomerFindOrCreate returns the organization's customer with c.ExternalID
// when there is one, else the customer with c.Email (ignoring case), or inserts
// c. created tells which; a found customer gets a missing name, billing country
// and external id filled in. Two transactions creating the same customer at once
// do not fail: the second waits for the first and finds its customer. Under
// MemoReads the customer it returns is what CustomerGet returns from then on in
// tx (a receipt right after reads it again).
func (tx *Tx) CustomerFindOrCreate(ctx context.Context, c *paylink.Customer) (_ *paylink.Customer, created bool, _ error) {
	tx.memoForget("customer")
	var existing *paylink.Customer
	err := sql.ErrNoRows
	if c.ExternalID != nil {
		existing, err = scanCustomer(tx.QueryRowContext(ctx, `SELECT `+customerColumns+` FROM customers
			WHERE organization_id = $1 AND external_id = $2 AND deleted_at IS NULL`, c.OrganizationID, *c.ExternalID))
	}
	if errors.Is(err, sql.ErrNoRows) {
		existing, err = tx.customerByEmail(ctx, c.OrganizationID, c.Email)
	}
	if errors.Is(err, sql.ErrNoRows) {
		if c.ID == "" {
			c.ID = paylink.NewID()
		}
		if c.CreatedAt.IsZero() {
			c.CreatedAt = paylink.Now()
		}
		res, ierr := tx.ExecContext(ctx, `INSERT INTO customers (id, organization_id, email, email_lower, name,
			billing_country, metadata, external_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			ON CONFLICT (organization_id, email_lower) DO NOTHING`,
			c.ID, c.OrganizationID, c.Email, strings.ToLower(c.Email), c.Name, c.BillingCountry, metadataText(c.Metadata),
			c.ExternalID, c.CreatedAt)
		if ierr != nil {
			return nil, false, ierr
		}
		if n, ierr := res.RowsAffected(); ierr != nil || n == 1 {
			if ierr == nil {
				ierr = tx.indexMetadata(ctx, "customers", c.OrganizationID, c.ID, c.CreatedAt, c.Metadata, false)
			}
			if ierr == nil {
				tx.memoStore("customer/"+c.OrganizationID+"/"+c.ID, c)
			}
			return c, ierr == nil, ierr
		}
		// Another transaction created the customer meanwhile (and committed).
		existing, err = tx.customerByEmail(ctx, c.OrganizationID, c.Email)
	}
	if err != nil {
		return nil, false, err
	}
	// The external id goes to a customer found by email only when no customer has it
	// (the lookup above) and the customer has none of its own.
	if _, err := tx.ExecContext(ctx, `UPDATE customers SET name = COALESCE(name, $1),
		billing_country = COALESCE(billing_country, $2), external_id = COALESCE(external_id, $3) WHERE id = $4`,
		c.Name, c.BillingCountry, c.ExternalID, existing.ID); err != nil {
		return nil, false, err
	}
	if existing.ExternalID == nil {
		existing.ExternalID = c.ExternalID
	}
	if existing.Name == nil {
		existing.Name = c.Name
	}
	if existing.BillingCountry == nil {
		existing.BillingCountry = c.BillingCountry
	}
	tx.memoStore("customer/"+existing.OrganizationID+"/"+existing.ID, existing)
	return existing, false, nil
}

func (tx *Tx) customerByEmail(ctx context.Context, orgID, email string) (*paylink.Customer, error) {
	return scanCustomer(tx.QueryRowContext(ctx, `SELECT `+customerColumns+` FROM customers
		WHERE organization_id = $1 AND email_lower = $2`, orgID, strings.ToLower(email)))
}

// CustomerGet returns one of an organization's customers; ENotFound otherwise.
func (tx *Tx) CustomerGet(ctx context.Context, orgID, id string) (*paylink.Customer, error) {
	return memoized(tx, "customer/"+orgID+"/"+id, func() (*paylink.Customer, error) {
		c, err := scanCustomer(tx.QueryRowContext(ctx, `SELECT `+customerColumns+` FROM customers
			WHERE id = $1 AND organization_id = $2`, id, orgID))
		return c, notFound(err, "customer")
	})
}

// CustomerListParams filters CustomerList.
type CustomerListParams struct {
	ListParams
	OrganizationID string
	Email          string // exact, ignoring case
	Query          string // substring of email or name, ignoring case
	Active         *bool  // true: with an active, trialing or past-due subscription; false: without one
	Metadata       MetadataQuery
}

// CustomerList returns one page of an organization's customers and the total count.
func (tx *Tx) CustomerList(ctx context.Context, p CustomerListParams) ([]*paylink.Customer, int, error) {
	var args Args
	where := ` WHERE organization_id = ` + args.Add(p.OrganizationID) + ` AND deleted_at IS NULL`
	if p.Email != "" {
		where += ` AND email_lower = ` + args.Add(strings.ToLower(p.Email))
	}
	if p.Query != "" {
		ph := args.Add("%" + likeEscape(strings.ToLower(p.Query)) + "%")
		where += ` AND (email_lower LIKE ` + ph + ` ESCAPE '\' OR lower(COALESCE(name, '')) LIKE ` + ph + ` ESCAPE '\')`
	}
	if p.Active != nil {
		exists := ` EXISTS (SELECT 1 FROM subscriptions s WHERE s.customer_id = customers.id
			AND s.status IN ('trialing', 'active', 'past_due'))`
		if !*p.Active {
			exists = ` NOT` + exists
		}
		where += ` AND` + exists
	}
	lp, def := p.ListParams, "created_at DESC, id"
	from, meta, err := tx.metadataJoin(ctx, p.Metadata, "customers", p.OrganizationID, &lp, def, &args)
	if err != nil {
		return nil, 0, err
	}
	var total func() (int, error)
	if p.Email == "" && p.Query == "" && p.Active == nil && len(p.Metadata) == 1 {
		total = func() (int, error) { return tx.metadataCount(ctx, p.Metadata, "customers", p.OrganizationID) }
	}
	return listPageCounted(ctx, tx, lp, customerColumns, from, where+meta, def, args, scanCustomer, total)
}
