package store

import (
	"context"
	"strings"
	"time"

	"github.com/paylink/paylink"
)

// User is a person who signs in to the dashboard of one organization.
type User struct {
	ID             string
	OrganizationID string
	Email          string // lower case, unique across organizations
	PasswordHash   string // an encoded password hash; "" until the user sets a password
	CreatedAt      time.Time
}

// UserSession is a signed-in browser. Its token lives only in the cookie; the
// store keeps the token's hash.
type UserSession struct {
	ID        string
	UserID    string
	CSRF      string // the session's form token
	CreatedAt time.Time
	ExpiresAt time.Time
}

const userColumns = `u.id, u.organization_id, u.email, u.password_hash, u.created_at`

func scanUser(row interface{ Scan(...any) error }, extra ...any) (*User, error) {
	var u User
	if err := row.Scan(append([]any{&u.ID, &u.OrganizationID, &u.Email, &u.PasswordHash, &u.CreatedAt}, extra...)...); err != nil {
		return nil, err
	}
	u.CreatedAt = u.CreatedAt.UTC()
	return &u, nil
}

// UserCreate inserts a user; the email is stored lower-cased. A taken email is
// EConflict.
func (tx *Tx) UserCreate(ctx context.Context, u *User) error {
	if u.ID == "" {
		u.ID = paylink.NewID()
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = paylink.Now()
	}
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	_, err := tx.ExecContext(ctx, `INSERT INTO users (id, organization_id, email, password_hash, created_at)
		VALUES ($1, $2, $3, $4, $5)`, u.ID, u.OrganizationID, u.Email, u.PasswordHash, u.CreatedAt)
	if err := tx.Engine().TranslateError(err); paylink.IsCode(err, paylink.EConflict) {
		return paylink.Errorf(paylink.EConflict, "a user with the email %s already exists", u.Email)
	}
	return err
}

// UserGet returns a user by id; ENotFound when there is none.
func (tx *Tx) UserGet(ctx context.Context, id string) (*User, error) {
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users u WHERE u.id = $1`, id))
	return u, notFound(err, "user")
}

// UserByEmail returns the user with the email, ignoring case; ENotFound when there is none.
func (tx *Tx) UserByEmail(ctx context.Context, email string) (*User, error) {
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users u WHERE u.email = $1`,
		strings.ToLower(strings.TrimSpace(email))))
	return u, notFound(err, "user")
}

// UserSetPassword replaces a user's password hash and ends all their sessions,
// so a changed password signs out every other browser.
func (tx *Tx) UserSetPassword(ctx context.Context, userID, hash string) error {
	res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, userID)
	if err := affectedOne(res, err, "user"); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM user_sessions WHERE user_id = $1`, userID)
	return err
}

// UserSessionCreate stores a session under the hash of token. It sets ID and
// CreatedAt when they are empty.
func (tx *Tx) UserSessionCreate(ctx context.Context, s *UserSession, token string) error {
	if s.ID == "" {
		s.ID = paylink.NewID()
	}
	if s.CreatedAt.IsZero() {
		s.CreatedAt = paylink.Now()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO user_sessions (id, user_id, token_hash, csrf, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, s.ID, s.UserID, paylink.HashToken(token), s.CSRF, s.CreatedAt, s.ExpiresAt)
	return err
}

// UserSessionByToken returns the live session whose cookie holds token, with its
// user; EUnauthorized when there is none or it expired before now.
func (tx *Tx) UserSessionByToken(ctx context.Context, token string, now time.Time) (*UserSession, *User, error) {
	var s UserSession
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+`, s.id, s.csrf, s.created_at, s.expires_at
		FROM user_sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = $1 AND s.expires_at > $2`, paylink.HashToken(token), now),
		&s.ID, &s.CSRF, &s.CreatedAt, &s.ExpiresAt)
	if err != nil {
		if notFound(err, "") != err {
			return nil, nil, paylink.Errorf(paylink.EUnauthorized, "not signed in")
		}
		return nil, nil, err
	}
	s.UserID = u.ID
	s.CreatedAt, s.ExpiresAt = s.CreatedAt.UTC(), s.ExpiresAt.UTC()
	return &s, u, nil
}

// UserSessionDelete ends the session whose cookie holds token (sign-out); ending
// a session that does not exist is not an error. Expired sessions go too.
func (tx *Tx) UserSessionDelete(ctx context.Context, token string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM user_sessions WHERE token_hash = $1 OR expires_at <= $2`,
		paylink.HashToken(token), now)
	return err
}

// UserSignInTokenCreate stores a one-time sign-in token for the user, valid until expiresAt.
func (tx *Tx) UserSignInTokenCreate(ctx context.Context, userID, token string, expiresAt time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO user_sign_in_tokens (id, user_id, token_hash, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, paylink.NewID(), userID, paylink.HashToken(token), paylink.Now(), expiresAt)
	return err
}

// UserSignInTokenPeek returns the user of an unused, unexpired sign-in token
// without using it up; EGone otherwise.
func (tx *Tx) UserSignInTokenPeek(ctx context.Context, token string, now time.Time) (*User, error) {
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+`
		FROM user_sign_in_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > $2`, paylink.HashToken(token), now))
	return u, signInGone(err)
}

// UserSignInTokenUse uses up a sign-in token and returns its user. The token is
// marked used in one statement, so of two concurrent uses only one succeeds; the
// other, like an unknown, used or expired token, gets EGone.
func (tx *Tx) UserSignInTokenUse(ctx context.Context, token string, now time.Time) (*User, error) {
	var userID string
	err := tx.QueryRowContext(ctx, `UPDATE user_sign_in_tokens SET used_at = $1
		WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id`,
		now, paylink.HashToken(token)).Scan(&userID)
	if err != nil {
		return nil, signInGone(err)
	}
	return tx.UserGet(ctx, userID)
}

func signInGone(err error) error {
	if err != nil && notFound(err, "") != err {
		return paylink.Errorf(paylink.EGone, "this sign-in link has expired or was already used")
	}
	return err
}

// UserLock holds the user's row until the transaction ends, so concurrent
// requests about one user (the emailed sign-in link's rate limit) take turns.
func (tx *Tx) UserLock(ctx context.Context, userID string) error {
	var id string
	err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE id = $1`+tx.Engine().ForUpdate(false), userID).Scan(&id)
	return notFound(err, "user")
}
