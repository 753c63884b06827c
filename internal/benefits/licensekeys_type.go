package benefits

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// licenseKeysType is Polar's license_keys benefit: a key per grant, with the
// benefit's prefix, expiry, activation limit and usage limit.
type licenseKeysType struct{}

// keyProps are a license_keys benefit's properties (Polar's
// BenefitLicenseKeysCreateProperties).
type keyProps struct {
	Prefix  *string `json:"prefix"`
	Expires *struct {
		TTL       int    `json:"ttl"`
		Timeframe string `json:"timeframe"`
	} `json:"expires"`
	Activations *struct {
		Limit               int   `json:"limit"`
		EnableCustomerAdmin *bool `json:"enable_customer_admin"`
	} `json:"activations"`
	LimitUsage *int `json:"limit_usage"`
}

// Polar's largest ttl per timeframe (a date beyond year 9999 otherwise).
var maxTTL = map[string]int{"year": 457, "month": 1200, "day": 36500}

// maxActivations is Polar's Int32 bound, kept modest: activations are rows.
const maxActivations = 1000

func (licenseKeysType) Properties(raw json.RawMessage) (map[string]any, error) {
	var p keyProps
	if err := decodeStrict(raw, &p, "body", "properties"); err != nil {
		return nil, err
	}
	var probs paylink.Problems
	out := map[string]any{"prefix": nil, "expires": nil, "activations": nil, "limit_usage": nil}
	if p.Prefix != nil {
		if v := strings.TrimSpace(*p.Prefix); v != "" {
			if len(v) > 32 || strings.ContainsAny(v, " \t\r\n") {
				probs.Add("a prefix is at most 32 characters, without spaces", v, "body", "properties", "prefix")
			}
			out["prefix"] = v
		}
	}
	if e := p.Expires; e != nil {
		max, ok := maxTTL[e.Timeframe]
		switch {
		case !ok:
			probs.Add("Input should be 'year', 'month' or 'day'", e.Timeframe, "body", "properties", "expires", "timeframe")
		case e.TTL <= 0:
			probs.Add("Input should be greater than 0", e.TTL, "body", "properties", "expires", "ttl")
		case e.TTL > max:
			probs.Add("ttl exceeds the maximum for this timeframe", e.TTL, "body", "properties", "expires", "ttl")
		}
		out["expires"] = map[string]any{"ttl": e.TTL, "timeframe": e.Timeframe}
	}
	if a := p.Activations; a != nil {
		if a.Limit <= 0 || a.Limit > maxActivations {
			probs.Add("Input should be between 1 and 1000", a.Limit, "body", "properties", "activations", "limit")
		}
		if a.EnableCustomerAdmin == nil {
			probs = append(probs, paylink.FieldError{Loc: []any{"body", "properties", "activations", "enable_customer_admin"},
				Msg: "Field required", Type: "missing"})
		} else {
			out["activations"] = map[string]any{"limit": a.Limit, "enable_customer_admin": *a.EnableCustomerAdmin}
		}
	}
	if p.LimitUsage != nil {
		if *p.LimitUsage <= 0 {
			probs.Add("Input should be greater than 0", *p.LimitUsage, "body", "properties", "limit_usage")
		}
		out["limit_usage"] = *p.LimitUsage
	}
	return out, probs.Err()
}

// readKeyProps reads a stored benefit's properties back.
func readKeyProps(b *paylink.Benefit) keyProps {
	var p keyProps
	raw, _ := json.Marshal(b.Properties)
	_ = json.Unmarshal(raw, &p) // written by Properties: it reads back
	return p
}

// apply sets the key's limits and expiry from the benefit's properties, an
// expiry counted from now.
func (p keyProps) apply(k *paylink.LicenseKey, now time.Time) {
	k.LimitActivations, k.LimitUsage, k.ExpiresAt = nil, p.LimitUsage, nil
	if p.Activations != nil {
		k.LimitActivations = &p.Activations.Limit
	}
	if e := p.Expires; e != nil {
		var t time.Time
		switch e.Timeframe {
		case "year":
			t = now.AddDate(e.TTL, 0, 0)
		case "month":
			t = now.AddDate(0, e.TTL, 0)
		default:
			t = now.AddDate(0, 0, e.TTL)
		}
		k.ExpiresAt = &t
	}
}

func (licenseKeysType) Grant(ctx context.Context, tx *store.Tx, b *paylink.Benefit, g *paylink.BenefitGrant, now time.Time) error {
	props := readKeyProps(b)
	k, err := tx.LicenseKeyByGrant(ctx, g.ID)
	switch {
	case paylink.IsCode(err, paylink.ENotFound):
		k = &paylink.LicenseKey{OrganizationID: g.OrganizationID, CustomerID: g.CustomerID, BenefitID: b.ID,
			GrantID: g.ID, Key: newKey(props.Prefix), Status: paylink.LicenseKeyGranted, CreatedAt: now}
		props.apply(k, now)
		if err := tx.LicenseKeyCreate(ctx, k, hashKey(k.Key)); err != nil {
			return err
		}
	case err != nil:
		return err
	default: // granted again: the same key, live again, with the benefit's current limits
		hot.changed(k.ID, now)
		k.Status = paylink.LicenseKeyGranted
		props.apply(k, now)
		if err := tx.LicenseKeyUpdate(ctx, k); err != nil {
			return err
		}
	}
	g.Properties = map[string]any{"license_key_id": k.ID, "display_key": k.DisplayKey()}
	return nil
}

func (licenseKeysType) Revoke(ctx context.Context, tx *store.Tx, _ *paylink.Benefit, g *paylink.BenefitGrant, now time.Time) error {
	k, err := tx.LicenseKeyByGrant(ctx, g.ID)
	if paylink.IsCode(err, paylink.ENotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	hot.changed(k.ID, now)
	k.Status = paylink.LicenseKeyRevoked
	return tx.LicenseKeyUpdate(ctx, k)
}

// newKey returns a fresh key: 128 random bits written as an upper-case
// UUID-shaped string (Polar's look), after the prefix and a dash.
func newKey(prefix *string) string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	h := strings.ToUpper(hex.EncodeToString(b[:]))
	key := h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
	if prefix != nil && *prefix != "" {
		return strings.ToUpper(*prefix) + "-" + key
	}
	return key
}

// hashKey is what a key is found by: the hex SHA-256 of the key as given.
// Validation hashes whatever it is sent, so a wrong key costs the same lookup.
func hashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}
