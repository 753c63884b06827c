package store

import (
	"context"
	"strings"
	"time"

	"github.com/paylink/paylink"
)

// OrganizationCreate inserts an organization. A taken slug is EConflict.
func (tx *Tx) OrganizationCreate(ctx context.Context, o *paylink.Organization) error {
	if o.ID == "" {
		o.ID = paylink.NewID()
	}
	if o.CreatedAt.IsZero() {
		o.CreatedAt = paylink.Now()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO organizations (id, name, slug, created_at) VALUES ($1, $2, $3, $4)`,
		o.ID, o.Name, o.Slug, o.CreatedAt)
	return err
}

const orgColumns = `id, name, slug, created_at, modified_at, support_email, terms_url, privacy_url,
	COALESCE(CAST(avatar_file_id AS TEXT), ''), embed_hosts`

func scanOrg(row interface{ Scan(...any) error }) (*paylink.Organization, error) {
	var o paylink.Organization
	var hosts string
	if err := row.Scan(&o.ID, &o.Name, &o.Slug, &o.CreatedAt, &o.ModifiedAt, &o.SupportEmail, &o.TermsURL, &o.PrivacyURL,
		&o.AvatarFileID, &hosts); err != nil {
		return nil, err
	}
	o.EmbedHosts = strings.Fields(hosts)
	o.CreatedAt, o.ModifiedAt = o.CreatedAt.UTC(), utcPtr(o.ModifiedAt)
	return &o, nil
}

// OrganizationGet returns one organization by id; ENotFound when there is none.
func (tx *Tx) OrganizationGet(ctx context.Context, id string) (*paylink.Organization, error) {
	return memoized(tx, "organization/"+id, func() (*paylink.Organization, error) {
		o, err := scanOrg(tx.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organizations WHERE id = $1`, id))
		return o, notFound(err, "organization")
	})
}

// OrganizationGetBySlug returns one organization by slug; ENotFound when there is none.
func (tx *Tx) OrganizationGetBySlug(ctx context.Context, slug string) (*paylink.Organization, error) {
	o, err := scanOrg(tx.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organizations WHERE slug = $1`, slug))
	return o, notFound(err, "organization")
}

// OrganizationCount returns how many organizations exist (the demo seed runs on 0).
func (tx *Tx) OrganizationCount(ctx context.Context) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM organizations`).Scan(&n)
	return n, err
}

// OrganizationSlugs returns the slugs of the first limit organizations, oldest
// first: what an operator types to reach each one from the command line.
func (tx *Tx) OrganizationSlugs(ctx context.Context, limit int) ([]string, error) {
	return queryAll(ctx, tx, scanString, `SELECT slug FROM organizations ORDER BY created_at, slug LIMIT $1`, limit)
}

// AccessTokenCreate stores a token by its hash.
func (tx *Tx) AccessTokenCreate(ctx context.Context, t *paylink.AccessToken, plain string) error {
	if t.ID == "" {
		t.ID = paylink.NewID()
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = paylink.Now()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO access_tokens (id, organization_id, token_hash, comment, scopes, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`,
		t.ID, t.OrganizationID, paylink.HashToken(plain), t.Comment, strings.Join(t.Scopes, " "), t.CreatedAt)
	return err
}

// AccessTokenByPlain finds a live (not revoked) token by its plain text;
// EUnauthorized when there is none.
func (tx *Tx) AccessTokenByPlain(ctx context.Context, plain string) (*paylink.AccessToken, error) {
	var t paylink.AccessToken
	var scopes string
	err := tx.QueryRowContext(ctx, `SELECT id, organization_id, comment, scopes, created_at, last_used_at, revoked_at
		FROM access_tokens WHERE token_hash = $1 AND revoked_at IS NULL`, paylink.HashToken(plain)).
		Scan(&t.ID, &t.OrganizationID, &t.Comment, &scopes, &t.CreatedAt, &t.LastUsedAt, &t.RevokedAt)
	if err != nil {
		if notFound(err, "") != err {
			return nil, paylink.Errorf(paylink.EUnauthorized, "invalid or revoked access token")
		}
		return nil, err
	}
	t.Scopes = strings.Fields(scopes)
	return &t, nil
}

// AccessTokenList returns an organization's tokens, newest first.
func (tx *Tx) AccessTokenList(ctx context.Context, orgID string) ([]*paylink.AccessToken, error) {
	return queryAll(ctx, tx, func(row scanner) (*paylink.AccessToken, error) {
		var t paylink.AccessToken
		var scopes string
		if err := row.Scan(&t.ID, &t.OrganizationID, &t.Comment, &scopes, &t.CreatedAt, &t.LastUsedAt, &t.RevokedAt); err != nil {
			return nil, err
		}
		t.Scopes = strings.Fields(scopes)
		return &t, nil
	}, `SELECT id, organization_id, comment, scopes, created_at, last_used_at, revoked_at
		FROM access_tokens WHERE organization_id = $1 ORDER BY created_at DESC`, orgID)
}

// AccessTokenRevoke revokes one of an organization's tokens; ENotFound otherwise.
func (tx *Tx) AccessTokenRevoke(ctx context.Context, orgID, id string, at time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE access_tokens SET revoked_at = $1
		WHERE id = $2 AND organization_id = $3 AND revoked_at IS NULL`, at, id, orgID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return paylink.NotFound("access token")
	}
	return nil
}

// Event is one recorded domain event (the outbox row).
type Event struct {
	ID             string
	OrganizationID string
	Type           string
	Payload        []byte // JSON of the full object, as the API returns it
	CreatedAt      time.Time
}

// EventRecord writes an event in the caller's transaction, so it exists exactly
// when the change that caused it does.
func (tx *Tx) EventRecord(ctx context.Context, e *Event) error {
	return tx.EventRecordMany(ctx, []*Event{e})
}

var eventInsert = newInsert("events", "id, organization_id, type, payload, created_at")

// EventRecordMany writes events, each with its payload and waiting for the
// webhook dispatcher.
func (tx *Tx) EventRecordMany(ctx context.Context, es []*Event) error {
	rows := make([][]any, len(es))
	for i, e := range es {
		eventDefaults(e)
		rows[i] = []any{e.ID, e.OrganizationID, e.Type, string(e.Payload), e.CreatedAt}
	}
	return tx.insertRows(ctx, eventInsert, rows)
}

func eventDefaults(e *Event) {
	if e.ID == "" {
		e.ID = paylink.NewID()
	}
	if e.CreatedAt.IsZero() {
		e.CreatedAt = paylink.Now()
	}
}

// EventList returns an organization's events of a type ("" for all), oldest first.
func (tx *Tx) EventList(ctx context.Context, orgID, typ string) ([]*Event, error) {
	return queryAll(ctx, tx, scanEvent, `SELECT `+eventColumns+` FROM events
		WHERE organization_id = $1 AND ($2 = '' OR type = $2) ORDER BY created_at, id`, orgID, typ)
}

// eventColumns are the columns scanEvent reads.
const eventColumns = `id, organization_id, type, payload, created_at`

func scanEvent(row scanner) (*Event, error) {
	var e Event
	if err := row.Scan(&e.ID, &e.OrganizationID, &e.Type, scanPayload{&e.Payload}, &e.CreatedAt); err != nil {
		return nil, err
	}
	return &e, nil
}
