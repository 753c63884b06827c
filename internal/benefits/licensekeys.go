package benefits

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// KeyRequest is a public call about a key (Polar's LicenseKeyValidate, …Activate,
// …Deactivate): the organization and the key, and what the call adds.
type KeyRequest struct {
	OrganizationID string
	Key            string
	Address        string // the caller's address, for the rate limit
	ActivationID   *string
	BenefitID      *string
	CustomerID     *string
	IncrementUsage *int
	Conditions     map[string]any
	Meta           map[string]any
	Label          string
}

// Validated is a validated key, its customer and the activation the call
// named, if any.
type Validated struct {
	Key        *paylink.LicenseKey
	Customer   *paylink.Customer
	Activation *paylink.LicenseKeyActivation
}

// find rate-limits the call, then finds the key by its hash within the
// organization, locked when lock is set. A wrong key costs the same work as a
// right one (the hash and the indexed lookup); ENotFound for it.
func (s *Service) find(ctx context.Context, tx *store.Tx, r KeyRequest, lock bool) (*paylink.LicenseKey, error) {
	h := hashKey(r.Key)
	if err := s.limit(h, r.Address); err != nil {
		return nil, err
	}
	k, err := tx.LicenseKeyByHash(ctx, strings.ToLower(r.OrganizationID), h, lock)
	if paylink.IsCode(err, paylink.ENotFound) {
		return nil, paylink.NotFound("license key")
	}
	return k, err
}

// limit takes the call's tokens of the key's and the address's buckets.
func (s *Service) limit(keyHash, addr string) error {
	perAddress, perKey := s.rates()
	return s.limits.allow(keyHash, addr, perAddress, perKey, s.now())
}

// Validate is Polar's validate: 404 for an unknown, revoked, disabled or expired
// key, an unknown activation, or conditions, benefit or customer that do not
// match; 400 (Polar's BadRequest) when increment_usage exceeds what is left.
// Otherwise it counts the validation (and the usage) and returns the key. It
// reads the key from the hot keys, so a revocation holds
// every process within a second and in this one at once (hotkeys.go); without
// increment_usage it writes nothing itself (the counts are batched, see
// validations.go).
func (s *Service) Validate(ctx context.Context, r KeyRequest) (*Validated, error) {
	inc := 0
	if r.IncrementUsage != nil {
		inc = *r.IncrementUsage
	}
	var out Validated
	now := s.now()
	if inc == 0 {
		if err := s.validateRead(ctx, r, now, &out); err != nil {
			return nil, err
		}
		s.countValidation(out.Key.ID, now)
		out.Key.Validations++
		out.Key.LastValidatedAt = &now
		return &out, nil
	}
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		k, err := s.find(ctx, tx, r, true)
		if err != nil {
			return err
		}
		if out.Activation, err = checkValid(ctx, tx, k, r, now); err != nil {
			return err
		}
		if k.LimitUsage != nil {
			if left := *k.LimitUsage - k.Usage; inc > left {
				return paylink.Errorf(paylink.EBadRequest, "License key only has %d more usages.", left)
			}
		}
		if err := tx.LicenseKeyValidated(ctx, k.ID, 1, inc, now); err != nil {
			return err
		}
		hot.changed(k.ID, now)
		k.Validations++
		k.Usage += inc
		k.LastValidatedAt = &now
		out.Key = k
		out.Customer, err = tx.CustomerGet(ctx, k.OrganizationID, k.CustomerID)
		return err
	})
	return &out, err
}

// validateRead is a validation that changes nothing but the counts: from the
// hot keys when the key is there and no activation is named, else read.
func (s *Service) validateRead(ctx context.Context, r KeyRequest, now time.Time, out *Validated) error {
	org, h := strings.ToLower(r.OrganizationID), hashKey(r.Key)
	if r.ActivationID == nil {
		if k, c, ok := hot.get(org, h, now); ok {
			if err := s.limit(h, r.Address); err != nil {
				return err
			}
			out.Key, out.Customer = k, c
			_, err := checkValid(ctx, nil, k, r, now)
			return err
		}
	}
	return s.Store.Read(ctx, func(tx *store.Tx) error {
		read := s.now()
		k, err := s.find(ctx, tx, r, false)
		if err != nil {
			return err
		}
		if out.Customer, err = tx.CustomerGet(ctx, k.OrganizationID, k.CustomerID); err != nil {
			return err
		}
		hot.put(org, h, k, out.Customer, read)
		cached := *k
		out.Key = &cached
		out.Activation, err = checkValid(ctx, tx, out.Key, r, now)
		return err
	})
}

// checkValid is Polar's checks of a validation, in its order; it returns the
// activation the request names.
func checkValid(ctx context.Context, tx *store.Tx, k *paylink.LicenseKey, r KeyRequest, now time.Time) (*paylink.LicenseKeyActivation, error) {
	switch {
	case k.Status != paylink.LicenseKeyGranted:
		return nil, paylink.Errorf(paylink.ENotFound, "License key is no longer active.")
	case k.Expired(now):
		return nil, paylink.Errorf(paylink.ENotFound, "License key has expired.")
	}
	var a *paylink.LicenseKeyActivation
	if r.ActivationID != nil {
		if !paylink.ValidID(*r.ActivationID) {
			return nil, paylink.NotFound("license key activation")
		}
		var err error
		if a, err = tx.LicenseKeyActivationGet(ctx, k.ID, *r.ActivationID); err != nil {
			return nil, err
		}
		if len(a.Conditions) > 0 && !sameJSON(a.Conditions, r.Conditions) {
			return nil, paylink.Errorf(paylink.ENotFound, "License key does not match required conditions")
		}
	}
	if r.BenefitID != nil && !strings.EqualFold(*r.BenefitID, k.BenefitID) {
		return nil, paylink.Errorf(paylink.ENotFound, "License key does not match given benefit.")
	}
	if r.CustomerID != nil && !strings.EqualFold(*r.CustomerID, k.CustomerID) {
		return nil, paylink.Errorf(paylink.ENotFound, "License key does not match given user.")
	}
	return a, nil
}

// Activate is Polar's activate: the key is locked while its activations are
// counted, so concurrent activations never pass the limit. 404 for an unknown
// key; 403 for a key that is not granted, expired, without activations, or at
// its limit.
func (s *Service) Activate(ctx context.Context, r KeyRequest) (*paylink.LicenseKeyActivation, *paylink.LicenseKey, error) {
	if err := checkLabel(r.Label); err != nil {
		return nil, nil, err
	}
	var a *paylink.LicenseKeyActivation
	var k *paylink.LicenseKey
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if k, err = s.find(ctx, tx, r, true); err != nil {
			return err
		}
		now := s.now()
		switch {
		case k.Status != paylink.LicenseKeyGranted:
			return paylink.Errorf(paylink.EForbidden, "License key is no longer active. This license key can not be activated.")
		case k.Expired(now):
			return paylink.Errorf(paylink.EForbidden, "License key has expired.")
		case k.LimitActivations == nil:
			return paylink.Errorf(paylink.EForbidden, "This license key does not support activations. "+
				"Use the /validate endpoint instead to check license validity.")
		}
		live, err := tx.LicenseKeyActivations(ctx, k.ID)
		if err != nil {
			return err
		}
		if len(live) >= *k.LimitActivations {
			return paylink.Errorf(paylink.EForbidden, "License key activation limit already reached")
		}
		a = &paylink.LicenseKeyActivation{LicenseKeyID: k.ID, OrganizationID: k.OrganizationID, Label: r.Label,
			Conditions: r.Conditions, Meta: r.Meta, CreatedAt: now}
		return tx.LicenseKeyActivationCreate(ctx, a)
	})
	return a, k, err
}

// Deactivate is Polar's deactivate: the activation is removed (a seat freed);
// 404 for an unknown key or activation.
func (s *Service) Deactivate(ctx context.Context, r KeyRequest) error {
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		k, err := s.find(ctx, tx, r, true)
		if err != nil {
			return err
		}
		if r.ActivationID == nil || !paylink.ValidID(*r.ActivationID) {
			return paylink.NotFound("license key activation")
		}
		return tx.LicenseKeyActivationDelete(ctx, k.ID, *r.ActivationID, s.now())
	})
}

// UpdateKey is the merchant's update of a key (status, usage, limits, expiry).
func (s *Service) UpdateKey(ctx context.Context, orgID, id string, p paylink.LicenseKeyPatch) (*paylink.LicenseKey, error) {
	var probs paylink.Problems
	if p.Status != nil {
		switch *p.Status {
		case paylink.LicenseKeyGranted, paylink.LicenseKeyRevoked, paylink.LicenseKeyDisabled:
		default:
			probs.Add("Input should be 'granted', 'revoked' or 'disabled'", *p.Status, "body", "status")
		}
	}
	if p.Usage != nil && *p.Usage < 0 {
		probs.Add("Input should be greater than or equal to 0", *p.Usage, "body", "usage")
	}
	if p.LimitActivations != nil && (*p.LimitActivations <= 0 || *p.LimitActivations > maxActivations) {
		probs.Add("Input should be between 1 and 1000", *p.LimitActivations, "body", "limit_activations")
	}
	if p.LimitUsage != nil && *p.LimitUsage <= 0 {
		probs.Add("Input should be greater than 0", *p.LimitUsage, "body", "limit_usage")
	}
	if err := probs.Err(); err != nil {
		return nil, err
	}
	var k *paylink.LicenseKey
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if k, err = tx.LicenseKeyGet(ctx, orgID, id, true); err != nil {
			return err
		}
		if p.Status != nil && *p.Status != k.Status {
			k.Status = *p.Status
			if err := s.syncGrant(ctx, tx, k); err != nil {
				return err
			}
		}
		if p.Usage != nil {
			k.Usage = *p.Usage
		}
		if p.SetLimitActivations {
			k.LimitActivations = p.LimitActivations
		}
		if p.SetLimitUsage {
			k.LimitUsage = p.LimitUsage
		}
		if p.SetExpiresAt {
			k.ExpiresAt = p.ExpiresAt
		}
		hot.changed(k.ID, s.now())
		return tx.LicenseKeyUpdate(ctx, k)
	})
	if err == nil {
		hot.changed(k.ID, s.now()) // committed: validations from now on read it
	}
	return k, err
}

// syncGrant follows a key's new status on its grant, as Polar does: revoking
// the key revokes the grant (benefit_grant.revoked), granting it again grants
// a revoked grant again (benefit_grant.updated); disabling leaves the grant.
func (s *Service) syncGrant(ctx context.Context, tx *store.Tx, k *paylink.LicenseKey) error {
	g, err := tx.BenefitGrantGet(ctx, k.OrganizationID, k.GrantID)
	if err != nil {
		return err
	}
	now := s.now()
	switch {
	case k.Status == paylink.LicenseKeyRevoked && g.IsGranted():
		g.RevokedAt = &now
		if err := tx.BenefitGrantUpdate(ctx, g); err != nil {
			return err
		}
		return record(ctx, tx, s.Render, g.OrganizationID, "benefit_grant.revoked", g, now)
	case k.Status == paylink.LicenseKeyGranted && !g.IsGranted():
		g.GrantedAt, g.RevokedAt = &now, nil
		if err := tx.BenefitGrantUpdate(ctx, g); err != nil {
			return err
		}
		return record(ctx, tx, s.Render, g.OrganizationID, "benefit_grant.updated", g, now)
	}
	return nil
}

// DeactivateByMerchant removes one activation of one of the organization's keys
// (the dashboard's "free this seat").
func (s *Service) DeactivateByMerchant(ctx context.Context, orgID, keyID, activationID string) error {
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		k, err := tx.LicenseKeyGet(ctx, orgID, keyID, true)
		if err != nil {
			return err
		}
		return tx.LicenseKeyActivationDelete(ctx, k.ID, activationID, s.now())
	})
}

// checkLabel is Polar's rule on an activation's label: 1 to 255 characters.
func checkLabel(l string) error {
	if n := len([]rune(l)); n < 1 || n > 255 {
		return paylink.Invalid(paylink.FieldInvalid(fmt.Sprintf("the label must have 1 to 255 characters, not %d", n), l,
			"body", "label"))
	}
	return nil
}

// sameJSON compares two JSON objects as decoded (numbers as json.Number text or
// float64 alike).
func sameJSON(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if fmt.Sprint(v) != fmt.Sprint(b[k]) {
			return false
		}
	}
	return true
}
