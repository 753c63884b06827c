package store

import (
	"context"
	"strings"
	"time"

	"github.com/paylink/paylink"
)

// CustomerSession is a customer signed in to their organization's portal: by
// the merchant's API (a Bearer token) or by an emailed code (a cookie). Its token
// lives only with the customer; the store keeps the token's hash.
type CustomerSession struct {
	ID             string
	OrganizationID string
	CustomerID     string
	CSRF           string  // the portal forms' token
	ReturnURL      *string // the merchant's page a back link leads to
	CreatedAt      time.Time
	ExpiresAt      time.Time
}

const customerSessionColumns = `id, organization_id, customer_id, csrf, return_url, created_at, expires_at`

func scanCustomerSession(row interface{ Scan(...any) error }) (*CustomerSession, error) {
	var s CustomerSession
	if err := row.Scan(&s.ID, &s.OrganizationID, &s.CustomerID, &s.CSRF, &s.ReturnURL, &s.CreatedAt, &s.ExpiresAt); err != nil {
		return nil, err
	}
	s.CreatedAt, s.ExpiresAt = s.CreatedAt.UTC(), s.ExpiresAt.UTC()
	return &s, nil
}

// CustomerSessionCreate stores a session under the hash of token. It sets ID
// and CreatedAt when they are empty.
func (tx *Tx) CustomerSessionCreate(ctx context.Context, s *CustomerSession, token string) error {
	if s.ID == "" {
		s.ID = paylink.NewID()
	}
	if s.CreatedAt.IsZero() {
		s.CreatedAt = paylink.Now()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO customer_sessions (id, organization_id, customer_id, token_hash, csrf,
		return_url, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, s.ID, s.OrganizationID,
		s.CustomerID, paylink.HashToken(token), s.CSRF, s.ReturnURL, s.CreatedAt, s.ExpiresAt)
	return err
}

// CustomerSessionByToken returns the live session of token; EUnauthorized when
// there is none or it expired before now.
func (tx *Tx) CustomerSessionByToken(ctx context.Context, token string, now time.Time) (*CustomerSession, error) {
	s, err := scanCustomerSession(tx.QueryRowContext(ctx, `SELECT `+customerSessionColumns+` FROM customer_sessions
		WHERE token_hash = $1 AND expires_at > $2`, paylink.HashToken(token), now))
	if err != nil && notFound(err, "") != err {
		return nil, paylink.Errorf(paylink.EUnauthorized, "invalid or expired customer session token")
	}
	return s, err
}

// CustomerSessionDelete ends the session of token (sign-out), and every session
// that expired before now; ending one that does not exist is not an error.
func (tx *Tx) CustomerSessionDelete(ctx context.Context, token string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM customer_sessions WHERE token_hash = $1 OR expires_at <= $2`,
		paylink.HashToken(token), now)
	return err
}

// CustomerByEmail returns the organization's customer with the email, ignoring
// case; ENotFound when there is none.
func (tx *Tx) CustomerByEmail(ctx context.Context, orgID, email string) (*paylink.Customer, error) {
	c, err := tx.customerByEmail(ctx, orgID, strings.TrimSpace(email))
	return c, notFound(err, "customer")
}

// CustomerSessionCode is a one-time portal sign-in code, stored hashed.
// CustomerID is nil for an email that is no customer of the organization.
type CustomerSessionCode struct {
	OrganizationID string
	CustomerID     *string
	Email          string // lower case
	CodeHash       string
	CreatedAt      time.Time
	ExpiresAt      time.Time
}

// CustomerSessionCodeCreate stores a sign-in code.
func (tx *Tx) CustomerSessionCodeCreate(ctx context.Context, c *CustomerSessionCode) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO customer_session_codes (id, organization_id, customer_id, email_lower,
		code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, paylink.NewID(), c.OrganizationID,
		c.CustomerID, strings.ToLower(c.Email), c.CodeHash, c.CreatedAt, c.ExpiresAt)
	return err
}

// CustomerSessionCodeUse uses up the live code of the organization's email whose
// hash is codeHash, and every other live code of that email, and returns the
// customer it signs in. A code is live while unused, before its expiry and with
// fewer than maxAttempts wrong tries. The code is taken in one statement, so of
// two concurrent uses only one succeeds. ENotFound when no live code matches
// (also for a code of an email that is no customer).
func (tx *Tx) CustomerSessionCodeUse(ctx context.Context, orgID, email, codeHash string, now time.Time, maxAttempts int) (string, error) {
	email = strings.ToLower(email)
	var customerID *string
	err := tx.QueryRowContext(ctx, `UPDATE customer_session_codes SET used_at = $1
		WHERE organization_id = $2 AND email_lower = $3 AND code_hash = $4 AND used_at IS NULL AND expires_at > $1
		AND attempts < $5 RETURNING customer_id`, now, orgID, email, codeHash, maxAttempts).Scan(&customerID)
	if err != nil {
		return "", notFound(err, "code")
	}
	if customerID == nil {
		return "", paylink.NotFound("code")
	}
	_, err = tx.ExecContext(ctx, `UPDATE customer_session_codes SET used_at = $1
		WHERE organization_id = $2 AND email_lower = $3 AND used_at IS NULL`, now, orgID, email)
	return *customerID, err
}

// CustomerSessionCodeMiss counts a wrong code against every live code of the
// organization's email.
func (tx *Tx) CustomerSessionCodeMiss(ctx context.Context, orgID, email string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE customer_session_codes SET attempts = attempts + 1
		WHERE organization_id = $1 AND email_lower = $2 AND used_at IS NULL AND expires_at > $3`,
		orgID, strings.ToLower(email), now)
	return err
}

// RateLimitHit counts one hit of key in its fixed window (a window starts with
// its first hit and lasts window) and returns the hits of the current window,
// this one included. It is one statement, so hits from several processes at
// once are all counted.
func (tx *Tx) RateLimitHit(ctx context.Context, key string, window time.Duration, now time.Time) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1)
		ON CONFLICT (key) DO UPDATE SET
			count = CASE WHEN rate_limits.window_start <= $3 THEN 1 ELSE rate_limits.count + 1 END,
			window_start = CASE WHEN rate_limits.window_start <= $3 THEN $2 ELSE rate_limits.window_start END
		RETURNING count`, key, now, now.Add(-window)).Scan(&n)
	return n, err
}

// CustomerSessionsSweep deletes the customer sessions and sign-in codes that
// expired before now and the rate-limit windows that started before now-window.
func (tx *Tx) CustomerSessionsSweep(ctx context.Context, now time.Time, window time.Duration) error {
	for _, q := range []struct {
		sql string
		at  time.Time
	}{
		{`DELETE FROM customer_sessions WHERE expires_at <= $1`, now},
		{`DELETE FROM customer_session_codes WHERE expires_at <= $1`, now},
		{`DELETE FROM rate_limits WHERE window_start <= $1`, now.Add(-window)},
	} {
		if _, err := tx.ExecContext(ctx, q.sql, q.at); err != nil {
			return err
		}
	}
	return nil
}
