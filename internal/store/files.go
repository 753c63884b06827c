package store

import (
	"context"
	"time"

	"github.com/paylink/paylink"
)

// FileListParams filters FileList. OrganizationID is required.
type FileListParams struct {
	ListParams
	OrganizationID string
	IDs            []string // only these files, when not nil
}

const fileColumns = `f.id, f.organization_id, f.service, f.name, f.mime_type, f.size, f.version,
	f.checksum_sha256_base64, f.checksum_sha256_hex, f.checksum_etag, f.upload_id, f.is_uploaded,
	f.last_modified_at, f.created_at, f.modified_at`

func scanFile(row scanner) (*paylink.File, error) {
	var f paylink.File
	if err := row.Scan(&f.ID, &f.OrganizationID, &f.Service, &f.Name, &f.MimeType, &f.Size, &f.Version,
		&f.ChecksumSHA256, &f.ChecksumHex, &f.ChecksumETag, &f.UploadID, &f.IsUploaded,
		&f.LastModifiedAt, &f.CreatedAt, &f.ModifiedAt); err != nil {
		return nil, err
	}
	f.CreatedAt, f.ModifiedAt, f.LastModifiedAt = f.CreatedAt.UTC(), utcPtr(f.ModifiedAt), utcPtr(f.LastModifiedAt)
	return &f, nil
}

// FileCreate inserts a file that is not uploaded yet, with its declared parts.
func (tx *Tx) FileCreate(ctx context.Context, f *paylink.File) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO files (id, organization_id, service, name, mime_type, size, version,
		checksum_sha256_base64, upload_id, is_uploaded, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		f.ID, f.OrganizationID, f.Service, f.Name, f.MimeType, f.Size, f.Version, f.ChecksumSHA256, f.UploadID, false,
		f.CreatedAt); err != nil {
		return err
	}
	for _, p := range f.Parts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO file_parts (file_id, number, chunk_start, chunk_end,
			checksum_sha256_base64) VALUES ($1, $2, $3, $4, $5)`, f.ID, p.Number, p.ChunkStart, p.ChunkEnd,
			p.ChecksumSHA256); err != nil {
			return err
		}
	}
	return nil
}

// FileGet returns an organization's live (not deleted) file with its parts;
// ENotFound when there is none.
func (tx *Tx) FileGet(ctx context.Context, orgID, id string) (*paylink.File, error) {
	return tx.fileGet(ctx, `f.organization_id = $2 AND `, id, orgID)
}

// FileGetByID is FileGet without the organization: for the signed upload and
// download URLs, whose signature names the file.
func (tx *Tx) FileGetByID(ctx context.Context, id string) (*paylink.File, error) {
	return tx.fileGet(ctx, ``, id)
}

func (tx *Tx) fileGet(ctx context.Context, cond, id string, more ...any) (*paylink.File, error) {
	f, err := scanFile(tx.QueryRowContext(ctx, `SELECT `+fileColumns+` FROM files f WHERE `+cond+
		`f.id = $1 AND f.deleted_at IS NULL`, append([]any{id}, more...)...))
	if err != nil {
		return nil, notFound(err, "file")
	}
	f.Parts, err = queryAll(ctx, tx, scanFilePart, `SELECT number, chunk_start, chunk_end, checksum_sha256_base64,
		etag FROM file_parts WHERE file_id = $1 ORDER BY number`, id)
	return f, err
}

func scanFilePart(row scanner) (paylink.FilePart, error) {
	var p paylink.FilePart
	var etag *string
	err := row.Scan(&p.Number, &p.ChunkStart, &p.ChunkEnd, &p.ChecksumSHA256, &etag)
	if etag != nil {
		p.ETag, p.Uploaded = *etag, true
	}
	return p, err
}

// FileList returns a page of an organization's uploaded, live files, oldest
// first unless sorted, and their count.
func (tx *Tx) FileList(ctx context.Context, p FileListParams) ([]*paylink.File, int, error) {
	var args Args
	where := ` WHERE f.organization_id = ` + args.Add(p.OrganizationID) + ` AND f.is_uploaded AND f.deleted_at IS NULL`
	if p.IDs != nil {
		where += ` AND f.id IN ` + args.In(p.IDs)
	}
	files, total, err := listPage(ctx, tx, p.ListParams, fileColumns, ` FROM files f`, where, "f.created_at, f.id", args, scanFile)
	return orNone(files), total, err
}

// FilesByIDs returns the live, uploaded files of an organization among ids, in
// the order of ids (unknown ones left out).
func (tx *Tx) FilesByIDs(ctx context.Context, orgID string, ids []string) ([]*paylink.File, error) {
	var args Args
	org := args.Add(orgID)
	files, err := queryAll(ctx, tx, scanFile, `SELECT `+fileColumns+` FROM files f WHERE f.organization_id = `+org+
		` AND f.is_uploaded AND f.deleted_at IS NULL AND f.id IN `+args.In(ids), args...)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*paylink.File, len(files))
	for _, f := range files {
		byID[f.ID] = f
	}
	out := make([]*paylink.File, 0, len(ids))
	for _, id := range ids {
		if f := byID[id]; f != nil {
			out = append(out, f)
		}
	}
	return out, nil
}

// FilePartUploaded records that a part arrived with etag, while its file is
// still uploading; ENotFound when the file completed or went meanwhile.
func (tx *Tx) FilePartUploaded(ctx context.Context, fileID string, number int, etag string, at time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE file_parts SET etag = $1, uploaded_at = $2 WHERE file_id = $3 AND number = $4
		AND EXISTS (SELECT 1 FROM files WHERE id = $3 AND NOT is_uploaded AND deleted_at IS NULL)`, etag, at, fileID, number)
	return affectedOne(res, err, "file upload")
}

// FileUploadedParams is what completing an upload learned of the stored object.
type FileUploadedParams struct {
	SHA256Base64, SHA256Hex, ETag string
	At                            time.Time
}

// FileMarkUploaded completes an upload; ENotFound when it is no longer in
// progress (completed by a concurrent call, or deleted), so it completes once.
func (tx *Tx) FileMarkUploaded(ctx context.Context, id string, p FileUploadedParams) error {
	res, err := tx.ExecContext(ctx, `UPDATE files SET is_uploaded = $1, checksum_sha256_base64 = $2, checksum_sha256_hex = $3,
		checksum_etag = $4, last_modified_at = $5, modified_at = $5 WHERE id = $6 AND NOT is_uploaded AND deleted_at IS NULL`,
		true, p.SHA256Base64, p.SHA256Hex, p.ETag, p.At, id)
	return affectedOne(res, err, "file upload")
}

// FileLock returns an organization's live file, locked until the transaction
// ends (PostgreSQL; SQLite's writers are serialized).
func (tx *Tx) FileLock(ctx context.Context, orgID, id string) (*paylink.File, error) {
	f, err := scanFile(tx.QueryRowContext(ctx, `SELECT `+fileColumns+` FROM files f WHERE f.id = $1
		AND f.organization_id = $2 AND f.deleted_at IS NULL`+tx.Engine().ForUpdate(false), id, orgID))
	return f, notFound(err, "file")
}

// FilePatch sets a file's name and version.
func (tx *Tx) FilePatch(ctx context.Context, id, name string, version *string, at time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE files SET name = $1, version = $2, modified_at = $3 WHERE id = $4`,
		name, version, at, id)
	return affectedOne(res, err, "file")
}

// FileDelete soft-deletes a file and takes it off the products that show it
// and the organization whose logo it is.
func (tx *Tx) FileDelete(ctx context.Context, id string, at time.Time) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM product_medias WHERE file_id = $1`, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE organizations SET avatar_file_id = NULL WHERE avatar_file_id = $1`, id); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE files SET deleted_at = $1, modified_at = $1 WHERE id = $2 AND deleted_at IS NULL`, at, id)
	return affectedOne(res, err, "file")
}

// FilesAbandoned returns up to limit uploads that were never completed and
// were created before before, oldest first, with their parts.
func (tx *Tx) FilesAbandoned(ctx context.Context, before time.Time, limit int) ([]*paylink.File, error) {
	files, err := queryAll(ctx, tx, scanFile, `SELECT `+fileColumns+` FROM files f WHERE NOT f.is_uploaded
		AND f.deleted_at IS NULL AND f.created_at < $1 ORDER BY f.created_at, f.id LIMIT `+itoa(limit), before)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if f.Parts, err = queryAll(ctx, tx, scanFilePart, `SELECT number, chunk_start, chunk_end, checksum_sha256_base64,
			etag FROM file_parts WHERE file_id = $1 ORDER BY number`, f.ID); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// FileDiscard deletes the row of an upload that is still not completed (its
// parts with it); ENotFound when it completed or went meanwhile, so a
// completion and a sweep never both win.
func (tx *Tx) FileDiscard(ctx context.Context, id string) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM files WHERE id = $1 AND NOT is_uploaded AND deleted_at IS NULL`, id)
	return affectedOne(res, err, "file upload")
}
