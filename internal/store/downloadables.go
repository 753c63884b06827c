package store

import (
	"context"
	"strings"
	"time"

	"github.com/paylink/paylink"
)

const downloadableColumns = `d.id, d.organization_id, d.customer_id, d.benefit_id, d.grant_id, d.file_id, d.status,
	d.downloaded, d.last_downloaded_at, d.created_at, d.modified_at`

func scanDownloadable(row scanner) (*paylink.Downloadable, error) {
	var d paylink.Downloadable
	if err := row.Scan(&d.ID, &d.OrganizationID, &d.CustomerID, &d.BenefitID, &d.GrantID, &d.FileID, &d.Status,
		&d.Downloaded, &d.LastDownloadedAt, &d.CreatedAt, &d.ModifiedAt); err != nil {
		return nil, err
	}
	d.CreatedAt, d.ModifiedAt, d.LastDownloadedAt = d.CreatedAt.UTC(), utcPtr(d.ModifiedAt), utcPtr(d.LastDownloadedAt)
	return &d, nil
}

// DownloadableGrant makes d granted: a new row, or the grant's row of the same
// file granted again (its id and download count kept). d.ID is set to the
// row's id.
func (tx *Tx) DownloadableGrant(ctx context.Context, d *paylink.Downloadable) error {
	if d.ID == "" {
		d.ID = paylink.NewID()
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO downloadables (id, organization_id, customer_id, benefit_id, grant_id,
		file_id, status, downloaded, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8)
		ON CONFLICT (grant_id, file_id) DO UPDATE SET status = $7, modified_at = $8`, d.ID, d.OrganizationID,
		d.CustomerID, d.BenefitID, d.GrantID, d.FileID, paylink.DownloadableGranted, d.CreatedAt); err != nil {
		return err
	}
	return tx.QueryRowContext(ctx, `SELECT id FROM downloadables WHERE grant_id = $1 AND file_id = $2`,
		d.GrantID, d.FileID).Scan(&d.ID)
}

// DownloadablesRevoke revokes the granted downloadables of a grant, but for
// those of the files in keep (none kept when keep is empty).
func (tx *Tx) DownloadablesRevoke(ctx context.Context, grantID string, keep []string, at time.Time) error {
	var args Args
	q := `UPDATE downloadables SET status = ` + args.Add(paylink.DownloadableRevoked) + `, modified_at = ` + args.Add(at) +
		` WHERE grant_id = ` + args.Add(grantID) + ` AND status = ` + args.Add(paylink.DownloadableGranted)
	if len(keep) > 0 {
		q += ` AND file_id NOT IN ` + args.In(lowerIDs(keep))
	}
	_, err := tx.ExecContext(ctx, q, args...)
	return err
}

// DownloadableGet returns a downloadable by id, whatever its status; ENotFound
// when there is none.
func (tx *Tx) DownloadableGet(ctx context.Context, id string) (*paylink.Downloadable, error) {
	d, err := scanDownloadable(tx.QueryRowContext(ctx, `SELECT `+downloadableColumns+` FROM downloadables d
		WHERE d.id = $1`, strings.ToLower(id)))
	return d, notFound(err, "downloadable")
}

// DownloadableCounted counts a download of a granted downloadable of the file;
// ENotFound when it is not granted (revoked meanwhile) or names another file.
func (tx *Tx) DownloadableCounted(ctx context.Context, id, fileID string, at time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE downloadables SET downloaded = downloaded + 1, last_downloaded_at = $1
		WHERE id = $2 AND file_id = $3 AND status = $4`, at, id, fileID, paylink.DownloadableGranted)
	return affectedOne(res, err, "downloadable")
}

// DownloadableListParams filters DownloadableList. OrganizationID is required.
type DownloadableListParams struct {
	ListParams
	OrganizationID string
	CustomerIDs    []string
	BenefitIDs     []string
	GrantIDs       []string
	IDs            []string
}

// DownloadableList returns a page of the granted downloadables whose file is
// still there (live and uploaded), oldest first, and their count.
func (tx *Tx) DownloadableList(ctx context.Context, p DownloadableListParams) ([]*paylink.Downloadable, int, error) {
	var args Args
	where := ` WHERE d.organization_id = ` + args.Add(p.OrganizationID) + ` AND d.status = ` +
		args.Add(paylink.DownloadableGranted) + ` AND f.is_uploaded AND f.deleted_at IS NULL`
	for _, f := range []struct {
		col string
		ids []string
	}{{"d.customer_id", p.CustomerIDs}, {"d.benefit_id", p.BenefitIDs}, {"d.grant_id", p.GrantIDs}, {"d.id", p.IDs}} {
		if len(f.ids) > 0 {
			where += ` AND ` + f.col + ` IN ` + args.In(lowerIDs(f.ids))
		}
	}
	out, total, err := listPage(ctx, tx, p.ListParams, downloadableColumns,
		` FROM downloadables d JOIN files f ON f.id = d.file_id`, where, "d.created_at, d.id", args, scanDownloadable)
	return orNone(out), total, err
}
