package store

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/paylink/paylink"
)

// ErrCustomFieldSlugTaken is what CustomFieldCreate and CustomFieldUpdate return
// when another live field of the organization has the slug. The API turns it into
// a 422 located at ["body", "slug"].
var ErrCustomFieldSlugTaken = &paylink.Error{Code: paylink.EConflict, Message: "a custom field with this slug already exists"}

// CustomFieldListParams filters CustomFieldList. OrganizationID is required.
type CustomFieldListParams struct {
	ListParams
	OrganizationID string
	IDs            []string // only these fields, when not nil
	Query          string   // case-insensitive substring of the name or the slug
	Types          []string // only fields of these types, when not empty
}

// CustomFieldSortColumns maps the API's custom field sorting fields to SQL for
// CustomFieldListParams.OrderBy.
var CustomFieldSortColumns = map[string]string{
	"created_at": "created_at", "slug": "slug", "name": "lower(name)", "type": "type",
}

// customFieldColumns reads custom_fields under the alias cf.
const customFieldColumns = `cf.id, cf.organization_id, cf.type, cf.slug, cf.name, cf.properties, cf.metadata,
	cf.created_at, cf.modified_at`

// scanCustomField scans a row whose first columns are dest, then customFieldColumns.
func scanCustomField(row interface{ Scan(...any) error }, dest ...any) (*paylink.CustomField, error) {
	var f paylink.CustomField
	var props, meta string
	dest = append(dest, &f.ID, &f.OrganizationID, &f.Type, &f.Slug, &f.Name, &props, &meta, &f.CreatedAt, &f.ModifiedAt)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(props), &f.Properties); err != nil {
		return nil, err
	}
	var err error
	if f.Metadata, err = parseMetadata(meta); err != nil {
		return nil, err
	}
	f.CreatedAt, f.ModifiedAt = f.CreatedAt.UTC(), utcPtr(f.ModifiedAt)
	return &f, nil
}

// CustomFieldCreate inserts a custom field, setting ID and CreatedAt when empty.
// A live field of the organization with the same slug makes it
// ErrCustomFieldSlugTaken (EConflict), even under concurrency.
func (tx *Tx) CustomFieldCreate(ctx context.Context, f *paylink.CustomField) error {
	if f.ID == "" {
		f.ID = paylink.NewID()
	}
	if f.CreatedAt.IsZero() {
		f.CreatedAt = paylink.Now()
	}
	// ON CONFLICT DO NOTHING (both engines) turns a taken slug into zero rows rather
	// than an error that would abort the whole PostgreSQL transaction.
	res, err := tx.ExecContext(ctx, `INSERT INTO custom_fields (id, organization_id, type, slug, name, properties,
		metadata, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
		f.ID, f.OrganizationID, f.Type, f.Slug, f.Name, jsonText(f.Properties), metadataText(f.Metadata), f.CreatedAt)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ErrCustomFieldSlugTaken
	}
	return nil
}

// CustomFieldGet returns one live custom field of the organization; ENotFound for
// an unknown, deleted or other organization's field.
func (tx *Tx) CustomFieldGet(ctx context.Context, orgID, id string) (*paylink.CustomField, error) {
	return tx.customFieldGet(ctx, orgID, id, "")
}

// CustomFieldGetForUpdate is CustomFieldGet that also locks the field until the
// transaction ends (PostgreSQL; SQLite transactions are serialized).
func (tx *Tx) CustomFieldGetForUpdate(ctx context.Context, orgID, id string) (*paylink.CustomField, error) {
	return tx.customFieldGet(ctx, orgID, id, tx.Engine().ForUpdate(false))
}

func (tx *Tx) customFieldGet(ctx context.Context, orgID, id, lock string) (*paylink.CustomField, error) {
	f, err := scanCustomField(tx.QueryRowContext(ctx, `SELECT `+customFieldColumns+` FROM custom_fields cf
		WHERE cf.id = $1 AND cf.organization_id = $2 AND cf.deleted_at IS NULL`+lock, strings.ToLower(id), orgID))
	return f, notFound(err, "custom field")
}

// CustomFieldGetMany returns the organization's live fields with these ids, in the
// order of ids. Any id that is not one of them is ENotFound.
func (tx *Tx) CustomFieldGetMany(ctx context.Context, orgID string, ids []string) ([]*paylink.CustomField, error) {
	if len(ids) == 0 {
		return []*paylink.CustomField{}, nil
	}
	found, _, err := tx.CustomFieldList(ctx, CustomFieldListParams{OrganizationID: orgID, IDs: ids})
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*paylink.CustomField, len(found))
	for _, f := range found {
		byID[f.ID] = f
	}
	out := make([]*paylink.CustomField, len(ids))
	for i, id := range ids {
		if out[i] = byID[strings.ToLower(id)]; out[i] == nil {
			return nil, paylink.NotFound("custom field")
		}
	}
	return out, nil
}

// CustomFieldList returns one page of the organization's live custom fields (by
// slug unless p.OrderBy says otherwise) and the total count of matches.
func (tx *Tx) CustomFieldList(ctx context.Context, p CustomFieldListParams) ([]*paylink.CustomField, int, error) {
	var args Args
	where := ` WHERE cf.organization_id = ` + args.Add(p.OrganizationID) + ` AND cf.deleted_at IS NULL`
	if p.IDs != nil {
		where += ` AND cf.id IN ` + args.In(lowerIDs(p.IDs))
	}
	if q := strings.TrimSpace(p.Query); q != "" {
		like := args.Add("%" + likeEscape(strings.ToLower(q)) + "%")
		where += ` AND (lower(cf.name) LIKE ` + like + ` ESCAPE '\' OR cf.slug LIKE ` + like + ` ESCAPE '\')`
	}
	if len(p.Types) > 0 {
		where += ` AND cf.type IN ` + args.In(p.Types)
	}
	out, total, err := listPage(ctx, tx, p.ListParams, customFieldColumns, ` FROM custom_fields cf`, where, "slug, id", args,
		func(row scanner) (*paylink.CustomField, error) { return scanCustomField(row) })
	return orNone(out), total, err
}

// CustomFieldUpdate writes a live field's slug, name, properties and metadata (its
// type never changes) and sets ModifiedAt. ENotFound for an unknown or deleted
// field; ErrCustomFieldSlugTaken when another live field has the slug.
func (tx *Tx) CustomFieldUpdate(ctx context.Context, f *paylink.CustomField) error {
	var taken int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM custom_fields WHERE organization_id = $1
		AND slug = $2 AND id <> $3 AND deleted_at IS NULL`, f.OrganizationID, f.Slug, f.ID).Scan(&taken); err != nil {
		return err
	}
	if taken > 0 {
		return ErrCustomFieldSlugTaken
	}
	now := paylink.Now()
	res, err := tx.ExecContext(ctx, `UPDATE custom_fields SET slug = $1, name = $2, properties = $3, metadata = $4,
		modified_at = $5 WHERE id = $6 AND organization_id = $7 AND deleted_at IS NULL`,
		f.Slug, f.Name, jsonText(f.Properties), metadataText(f.Metadata), now, f.ID, f.OrganizationID)
	if err := affectedOne(res, err, "custom field"); err != nil {
		return err
	}
	f.ModifiedAt = &now
	return nil
}

// CustomFieldDelete soft-deletes a live field and detaches it from every product;
// its slug is free again. ENotFound for an unknown, deleted or other
// organization's field.
func (tx *Tx) CustomFieldDelete(ctx context.Context, orgID, id string) error {
	now := paylink.Now()
	res, err := tx.ExecContext(ctx, `UPDATE custom_fields SET deleted_at = $1, modified_at = $1
		WHERE id = $2 AND organization_id = $3 AND deleted_at IS NULL`, now, strings.ToLower(id), orgID)
	if err := affectedOne(res, err, "custom field"); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM product_custom_fields WHERE custom_field_id = $1`, strings.ToLower(id))
	return err
}
