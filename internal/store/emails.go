package store

import (
	"context"
	"time"

	"github.com/paylink/paylink"
)

// The states of an email in the log.
const (
	EmailQueued = "queued" // waiting for its send job
	EmailSent   = "sent"   // the SMTP server accepted it
	EmailFailed = "failed" // the last attempt failed; the job tries again later
	EmailKept   = "kept"   // no SMTP server is configured: kept in the log, never sent
)

// Email is one email of the log (internal/mail writes and sends them).
type Email struct {
	ID             string
	OrganizationID string
	Kind           string
	To             string
	Subject        string
	Text, HTML     string // the bodies; "" once sent for a kind that holds a secret
	OrderID        *string
	SubscriptionID *string
	CustomerID     *string
	UserID         *string
	Status         string
	Attempts       int
	LastError      *string
	CreatedAt      time.Time
	SentAt         *time.Time
	ModifiedAt     *time.Time
}

const emailColumns = `id, organization_id, kind, to_address, subject, text_body, html_body, order_id,
	subscription_id, customer_id, user_id, status, attempts, last_error, created_at, sent_at, modified_at`

func scanEmail(row scanner) (*Email, error) {
	var e Email
	if err := row.Scan(&e.ID, &e.OrganizationID, &e.Kind, &e.To, &e.Subject, &e.Text, &e.HTML, &e.OrderID,
		&e.SubscriptionID, &e.CustomerID, &e.UserID, &e.Status, &e.Attempts, &e.LastError, &e.CreatedAt,
		&e.SentAt, &e.ModifiedAt); err != nil {
		return nil, err
	}
	e.CreatedAt, e.SentAt, e.ModifiedAt = e.CreatedAt.UTC(), utcPtr(e.SentAt), utcPtr(e.ModifiedAt)
	return &e, nil
}

// EmailCreate adds an email to the log in the caller's transaction, the one of
// the change that causes it.
func (tx *Tx) EmailCreate(ctx context.Context, e *Email) error {
	if e.ID == "" {
		e.ID = paylink.NewID()
	}
	if e.CreatedAt.IsZero() {
		e.CreatedAt = paylink.Now()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO emails (`+emailColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		e.ID, e.OrganizationID, e.Kind, e.To, e.Subject, e.Text, e.HTML, e.OrderID, e.SubscriptionID, e.CustomerID,
		e.UserID, e.Status, e.Attempts, e.LastError, e.CreatedAt, e.SentAt, e.ModifiedAt)
	return err
}

// EmailGet returns an organization's email; ENotFound when there is none.
func (tx *Tx) EmailGet(ctx context.Context, orgID, id string) (*Email, error) {
	e, err := scanEmail(tx.QueryRowContext(ctx, `SELECT `+emailColumns+` FROM emails WHERE id = $1 AND organization_id = $2`,
		id, orgID))
	return e, notFound(err, "email")
}

// EmailAttempt records the outcome of one attempt to send the email: sent (at
// now, its bodies emptied when forget) or failed with errText. Either way it
// counts the attempt.
func (tx *Tx) EmailAttempt(ctx context.Context, orgID, id string, now time.Time, errText *string, forget bool) error {
	if errText != nil {
		_, err := tx.ExecContext(ctx, `UPDATE emails SET status = $1, attempts = attempts + 1, last_error = $2,
			modified_at = $3 WHERE id = $4 AND organization_id = $5`, EmailFailed, *errText, now, id, orgID)
		return err
	}
	forgotten := ``
	if forget {
		forgotten = `, text_body = '', html_body = ''`
	}
	_, err := tx.ExecContext(ctx, `UPDATE emails SET status = $1, attempts = attempts + 1, sent_at = $2,
		modified_at = $2`+forgotten+` WHERE id = $3 AND organization_id = $4`, EmailSent, now, id, orgID)
	return err
}

// EmailListParams filters EmailList; zero values filter nothing.
type EmailListParams struct {
	ListParams
	OrganizationID string
	OrderID        string
	SubscriptionID string
	CustomerID     string
}

// EmailList returns one page of an organization's emails, newest first, and
// the total count.
func (tx *Tx) EmailList(ctx context.Context, p EmailListParams) ([]*Email, int, error) {
	var args Args
	where := ` WHERE organization_id = ` + args.Add(p.OrganizationID)
	for _, f := range [][2]string{{"order_id", p.OrderID}, {"subscription_id", p.SubscriptionID}, {"customer_id", p.CustomerID}} {
		if f[1] != "" {
			where += ` AND ` + f[0] + ` = ` + args.Add(f[1])
		}
	}
	return listPage(ctx, tx, p.ListParams, emailColumns, ` FROM emails`, where, "created_at DESC, id DESC", args, scanEmail)
}

// EmailCountSince counts the emails of kind sent or queued to the address since
// then, across organizations: the rate limit of emails a stranger can ask for.
func (tx *Tx) EmailCountSince(ctx context.Context, to, kind string, since time.Time) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM emails WHERE to_address = $1 AND kind = $2 AND created_at > $3`,
		to, kind, since).Scan(&n)
	return n, err
}
