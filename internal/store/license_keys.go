package store

import (
	"context"
	"strings"
	"time"

	"github.com/paylink/paylink"
)

const licenseKeyColumns = `id, organization_id, customer_id, benefit_id, grant_id, key, status, limit_activations,
	usage, limit_usage, validations, last_validated_at, expires_at, created_at, modified_at`

func scanLicenseKey(row scanner) (*paylink.LicenseKey, error) {
	var k paylink.LicenseKey
	if err := row.Scan(&k.ID, &k.OrganizationID, &k.CustomerID, &k.BenefitID, &k.GrantID, &k.Key, &k.Status,
		&k.LimitActivations, &k.Usage, &k.LimitUsage, &k.Validations, &k.LastValidatedAt, &k.ExpiresAt,
		&k.CreatedAt, &k.ModifiedAt); err != nil {
		return nil, err
	}
	k.CreatedAt, k.ModifiedAt = k.CreatedAt.UTC(), utcPtr(k.ModifiedAt)
	k.LastValidatedAt, k.ExpiresAt = utcPtr(k.LastValidatedAt), utcPtr(k.ExpiresAt)
	return &k, nil
}

// LicenseKeyCreate inserts a key; hash is what LicenseKeyByHash finds it by.
func (tx *Tx) LicenseKeyCreate(ctx context.Context, k *paylink.LicenseKey, hash string) error {
	if k.ID == "" {
		k.ID = paylink.NewID()
	}
	if k.CreatedAt.IsZero() {
		k.CreatedAt = paylink.Now()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO license_keys (id, organization_id, customer_id, benefit_id, grant_id,
		key, key_hash, status, limit_activations, usage, limit_usage, validations, expires_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`, k.ID, k.OrganizationID, k.CustomerID,
		k.BenefitID, k.GrantID, k.Key, hash, k.Status, k.LimitActivations, k.Usage, k.LimitUsage, k.Validations,
		k.ExpiresAt, k.CreatedAt)
	return err
}

// LicenseKeyGet returns one of the organization's keys; lock locks it.
func (tx *Tx) LicenseKeyGet(ctx context.Context, orgID, id string, lock bool) (*paylink.LicenseKey, error) {
	k, err := scanLicenseKey(tx.QueryRowContext(ctx, `SELECT `+licenseKeyColumns+` FROM license_keys
		WHERE id = $1 AND organization_id = $2`+tx.lockSuffix(lock), strings.ToLower(id), orgID))
	return k, notFound(err, "license key")
}

// LicenseKeyByHash returns the organization's key whose hash is hash; lock locks
// it until the transaction ends, so activations of one key count one at a time.
func (tx *Tx) LicenseKeyByHash(ctx context.Context, orgID, hash string, lock bool) (*paylink.LicenseKey, error) {
	k, err := scanLicenseKey(tx.QueryRowContext(ctx, `SELECT `+licenseKeyColumns+` FROM license_keys
		WHERE organization_id = $1 AND key_hash = $2`+tx.lockSuffix(lock), orgID, hash))
	return k, notFound(err, "license key")
}

// LicenseKeyByGrant returns the key of a grant, locked (the grant's changes).
func (tx *Tx) LicenseKeyByGrant(ctx context.Context, grantID string) (*paylink.LicenseKey, error) {
	return tx.licenseKeyByGrant(ctx, grantID, true)
}

// LicenseKeyByGrantRead returns the key of a grant, for reading.
func (tx *Tx) LicenseKeyByGrantRead(ctx context.Context, grantID string) (*paylink.LicenseKey, error) {
	return tx.licenseKeyByGrant(ctx, grantID, false)
}

func (tx *Tx) licenseKeyByGrant(ctx context.Context, grantID string, lock bool) (*paylink.LicenseKey, error) {
	k, err := scanLicenseKey(tx.QueryRowContext(ctx, `SELECT `+licenseKeyColumns+` FROM license_keys
		WHERE grant_id = $1`+tx.lockSuffix(lock), grantID))
	return k, notFound(err, "license key")
}

// LicenseKeyUpdate writes a key's status, usage, limits, expiry and validations.
func (tx *Tx) LicenseKeyUpdate(ctx context.Context, k *paylink.LicenseKey) error {
	now := paylink.Now()
	res, err := tx.ExecContext(ctx, `UPDATE license_keys SET status = $1, usage = $2, limit_activations = $3,
		limit_usage = $4, expires_at = $5, validations = $6, last_validated_at = $7, modified_at = $8
		WHERE id = $9 AND organization_id = $10`, k.Status, k.Usage, k.LimitActivations, k.LimitUsage,
		utcPtr(k.ExpiresAt), k.Validations, k.LastValidatedAt, now, k.ID, k.OrganizationID)
	if err := affectedOne(res, err, "license key"); err != nil {
		return err
	}
	k.ModifiedAt = &now
	return nil
}

// LicenseKeyValidated adds n validations and usage to a key, last validated at
// (unless a later validation was recorded already), without reading it back.
func (tx *Tx) LicenseKeyValidated(ctx context.Context, id string, n, usage int, at time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE license_keys SET validations = validations + $1, usage = usage + $2,
		last_validated_at = CASE WHEN last_validated_at IS NULL OR last_validated_at < $3 THEN $3
		ELSE last_validated_at END WHERE id = $4`, n, usage, at, id)
	return err
}

// LicenseKeyListParams filters LicenseKeyList.
type LicenseKeyListParams struct {
	ListParams
	OrganizationID string
	BenefitIDs     []string
	CustomerIDs    []string
}

// LicenseKeyList returns one page of the organization's keys and the total count.
func (tx *Tx) LicenseKeyList(ctx context.Context, p LicenseKeyListParams) ([]*paylink.LicenseKey, int, error) {
	var args Args
	where := ` WHERE organization_id = ` + args.Add(p.OrganizationID)
	if len(p.BenefitIDs) > 0 {
		where += ` AND benefit_id IN ` + args.In(lowerIDs(p.BenefitIDs))
	}
	if len(p.CustomerIDs) > 0 {
		where += ` AND customer_id IN ` + args.In(lowerIDs(p.CustomerIDs))
	}
	out, total, err := listPage(ctx, tx, p.ListParams, licenseKeyColumns, ` FROM license_keys`, where,
		"created_at DESC, id", args, scanLicenseKey)
	return orNone(out), total, err
}

// lockSuffix is the row-locking suffix when lock is set.
func (tx *Tx) lockSuffix(lock bool) string {
	if lock {
		return tx.Engine().ForUpdate(false)
	}
	return ""
}

const activationColumns = `id, license_key_id, organization_id, label, conditions, meta, created_at, modified_at`

func scanActivation(row scanner) (*paylink.LicenseKeyActivation, error) {
	var a paylink.LicenseKeyActivation
	var cond, meta string
	if err := row.Scan(&a.ID, &a.LicenseKeyID, &a.OrganizationID, &a.Label, &cond, &meta, &a.CreatedAt,
		&a.ModifiedAt); err != nil {
		return nil, err
	}
	var err error
	if a.Conditions, err = parseJSONMap(cond); err != nil {
		return nil, err
	}
	a.Meta, err = parseJSONMap(meta)
	a.CreatedAt, a.ModifiedAt = a.CreatedAt.UTC(), utcPtr(a.ModifiedAt)
	return &a, err
}

// LicenseKeyActivationCreate inserts an activation.
func (tx *Tx) LicenseKeyActivationCreate(ctx context.Context, a *paylink.LicenseKeyActivation) error {
	if a.ID == "" {
		a.ID = paylink.NewID()
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = paylink.Now()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO license_key_activations (`+activationColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, a.ID, a.LicenseKeyID, a.OrganizationID, a.Label,
		jsonText(orEmpty(a.Conditions)), jsonText(orEmpty(a.Meta)), a.CreatedAt, a.ModifiedAt)
	return err
}

// LicenseKeyActivationGet returns a live activation of a key; ENotFound otherwise.
func (tx *Tx) LicenseKeyActivationGet(ctx context.Context, keyID, id string) (*paylink.LicenseKeyActivation, error) {
	a, err := scanActivation(tx.QueryRowContext(ctx, `SELECT `+activationColumns+` FROM license_key_activations
		WHERE id = $1 AND license_key_id = $2 AND deleted_at IS NULL`, strings.ToLower(id), keyID))
	return a, notFound(err, "license key activation")
}

// LicenseKeyActivations returns the live activations of a key, oldest first.
func (tx *Tx) LicenseKeyActivations(ctx context.Context, keyID string) ([]*paylink.LicenseKeyActivation, error) {
	out, err := queryAll(ctx, tx, scanActivation, `SELECT `+activationColumns+` FROM license_key_activations
		WHERE license_key_id = $1 AND deleted_at IS NULL ORDER BY created_at, id`, keyID)
	return orNone(out), err
}

// LicenseKeyActivationDelete deactivates an activation (soft delete).
func (tx *Tx) LicenseKeyActivationDelete(ctx context.Context, keyID, id string, now time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE license_key_activations SET deleted_at = $1, modified_at = $1
		WHERE id = $2 AND license_key_id = $3 AND deleted_at IS NULL`, now, strings.ToLower(id), keyID)
	return affectedOne(res, err, "license key activation")
}
