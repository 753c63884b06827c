package store

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"time"

	"github.com/paylink/paylink"
)

// ProductMediasSet replaces a product's images by files, in order. The caller
// checked that they are the organization's uploaded product_media files.
func (tx *Tx) ProductMediasSet(ctx context.Context, productID string, fileIDs []string) error {
	tx.memoForget("product")
	if _, err := tx.ExecContext(ctx, `DELETE FROM product_medias WHERE product_id = $1`, productID); err != nil {
		return err
	}
	for i, id := range fileIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO product_medias (product_id, file_id, position) VALUES ($1, $2, $3)`,
			productID, id, i); err != nil {
			return err
		}
	}
	return nil
}

// ProductMedias returns the images of the products, in order, by product id.
func (tx *Tx) ProductMedias(ctx context.Context, productIDs []string) (map[string][]*paylink.File, error) {
	out := map[string][]*paylink.File{}
	if len(productIDs) == 0 {
		return out, nil
	}
	var args Args
	type media struct {
		productID string
		file      *paylink.File
	}
	rows, err := queryAll(ctx, tx, func(row scanner) (media, error) {
		var m media
		f, err := scanFile(prefixed{row, &m.productID})
		m.file = f
		return m, err
	}, `SELECT pm.product_id, `+fileColumns+` FROM product_medias pm JOIN files f ON f.id = pm.file_id
		WHERE pm.product_id IN `+args.In(productIDs)+` AND f.deleted_at IS NULL ORDER BY pm.product_id, pm.position`, args...)
	for _, m := range rows {
		out[m.productID] = append(out[m.productID], m.file)
	}
	return out, err
}

// prefixed is a row whose first column goes to dest before the rest are scanned.
type prefixed struct {
	row  scanner
	dest *string
}

func (p prefixed) Scan(dest ...any) error { return p.row.Scan(append([]any{p.dest}, dest...)...) }

// OrganizationAvatarSet sets (or, with "", clears) an organization's logo.
func (tx *Tx) OrganizationAvatarSet(ctx context.Context, orgID, fileID string, at time.Time) error {
	tx.memoForget("organization")
	var v any
	if fileID != "" {
		v = fileID
	}
	res, err := tx.ExecContext(ctx, `UPDATE organizations SET avatar_file_id = $1, modified_at = $2 WHERE id = $3`, v, at, orgID)
	return affectedOne(res, err, "organization")
}

// OrganizationAvatar returns the organization's logo file; ENotFound when it has none.
func (tx *Tx) OrganizationAvatar(ctx context.Context, orgID string) (*paylink.File, error) {
	f, err := scanFile(tx.QueryRowContext(ctx, `SELECT `+fileColumns+` FROM organizations o JOIN files f
		ON f.id = o.avatar_file_id WHERE o.id = $1 AND f.deleted_at IS NULL`, orgID))
	return f, notFound(err, "organization avatar")
}

// ServerSecret returns the server's secret of that name, made (32 random
// bytes, base64) by whichever process asks first; every process on the
// database gets the same one.
func (s *Store) ServerSecret(ctx context.Context, name string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	var v string
	err := s.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (name) DO NOTHING`, name, base64.StdEncoding.EncodeToString(b), paylink.Now()); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT value FROM server_secrets WHERE name = $1`, name).Scan(&v)
	})
	return v, err
}
