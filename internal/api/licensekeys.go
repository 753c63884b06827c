package api

import (
	"net"
	"net/http"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/benefits"
	"github.com/paylink/paylink/internal/store"
)

// keyBody is Polar's LicenseKeyValidate, LicenseKeyActivate and
// LicenseKeyDeactivate in one: the calls a seller's app makes.
type keyBody struct {
	Key            *string        `json:"key"`
	OrganizationID *string        `json:"organization_id"`
	ActivationID   *string        `json:"activation_id"`
	BenefitID      *string        `json:"benefit_id"`
	CustomerID     *string        `json:"customer_id"`
	IncrementUsage *int           `json:"increment_usage"`
	Conditions     map[string]any `json:"conditions"`
	Meta           map[string]any `json:"meta"`
	Label          *string        `json:"label"`
}

// keyRequest reads the body into the service's request; org, when set, is the
// calling token's organization (the merchant's variants of the calls).
func (a *API) keyRequest(r *http.Request, org string, required ...string) (benefits.KeyRequest, error) {
	var b keyBody
	if err := Decode(r, &b); err != nil {
		return benefits.KeyRequest{}, err
	}
	var probs paylink.Problems
	present := map[string]bool{"key": b.Key != nil, "organization_id": b.OrganizationID != nil || org != "",
		"activation_id": b.ActivationID != nil, "label": b.Label != nil}
	for _, f := range append([]string{"key", "organization_id"}, required...) {
		if !present[f] {
			probs = append(probs, paylink.FieldError{Loc: []any{"body", f}, Msg: "Field required", Type: "missing"})
		}
	}
	if b.IncrementUsage != nil && *b.IncrementUsage < 0 {
		probs.Add("Input should be greater than or equal to 0", *b.IncrementUsage, "body", "increment_usage")
	}
	if err := probs.Err(); err != nil {
		return benefits.KeyRequest{}, err
	}
	req := benefits.KeyRequest{Key: *b.Key, ActivationID: b.ActivationID, BenefitID: b.BenefitID,
		CustomerID: b.CustomerID, IncrementUsage: b.IncrementUsage, Conditions: b.Conditions, Meta: b.Meta}
	if org != "" {
		req.OrganizationID = org
	} else {
		req.OrganizationID = *b.OrganizationID
	}
	if !paylink.ValidID(req.OrganizationID) {
		req.OrganizationID = "00000000-0000-0000-0000-000000000000" // the same lookup, which finds nothing
	}
	if b.Label != nil {
		req.Label = *b.Label
	}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		req.Address = host
	}
	return req, nil
}

// orgOf is the organization of a merchant's call, "" for a public one.
func orgOf(p *Principal) string {
	if p == nil {
		return ""
	}
	return p.OrgID
}

func (a *API) keyValidate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	req, err := a.keyRequest(r, orgOf(p))
	if err != nil {
		return err
	}
	v, err := a.Benefits.Validate(r.Context(), req)
	if err != nil {
		return err
	}
	var act *activationJSON
	if v.Activation != nil {
		j := activationOf(v.Activation)
		act = &j
	}
	WriteJSON(w, http.StatusOK, struct {
		licenseKeyJSON
		Activation *activationJSON `json:"activation"`
	}{licenseKeyOf(v.Key, v.Customer), act})
	return nil
}

func (a *API) keyActivate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	req, err := a.keyRequest(r, orgOf(p), "label")
	if err != nil {
		return err
	}
	act, k, err := a.Benefits.Activate(r.Context(), req)
	if err != nil {
		return err
	}
	return a.writeActivation(w, r, act, k)
}

func (a *API) keyDeactivate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	req, err := a.keyRequest(r, orgOf(p), "activation_id")
	if err != nil {
		return err
	}
	if err := a.Benefits.Deactivate(r.Context(), req); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// writeActivation answers Polar's LicenseKeyActivationRead.
func (a *API) writeActivation(w http.ResponseWriter, r *http.Request, act *paylink.LicenseKeyActivation, k *paylink.LicenseKey) error {
	var out any
	if err := a.read(r.Context(), func(tx *store.Tx) error {
		kj, err := newLoader(r.Context(), tx, a.PublicURL).licenseKeyJSON(k)
		out = struct {
			activationJSON
			LicenseKey licenseKeyJSON `json:"license_key"`
		}{activationOf(act), kj}
		return err
	}); err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, out)
	return nil
}

// public key calls carry no token: the key is the secret.
func (a *API) publicKey(h handler) http.HandlerFunc {
	return a.public(func(w http.ResponseWriter, r *http.Request) error { return h(w, r, nil) })
}

func (a *API) licenseKeyList(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var probs paylink.Problems
	page, list := parseList(r, &probs, map[string]string{"created_at": "created_at"}, "")
	orgIDs, err := QueryIDs(r, "organization_id")
	mergeProblems(&probs, err)
	benefitIDs, err := QueryIDs(r, "benefit_id")
	mergeProblems(&probs, err)
	if err := probs.Err(); err != nil {
		return err
	}
	params := store.LicenseKeyListParams{ListParams: list, OrganizationID: p.OrgID, BenefitIDs: benefitIDs}
	return writeList(a, w, r, page, otherOrgsOnly(orgIDs, p),
		func(tx *store.Tx) ([]*paylink.LicenseKey, int, error) { return tx.LicenseKeyList(r.Context(), params) },
		func(l *loader, k *paylink.LicenseKey) (any, error) { return l.licenseKeyJSON(k) })
}

// withActivations renders Polar's LicenseKeyWithActivations.
func withActivations(l *loader, k *paylink.LicenseKey) (any, error) {
	kj, err := l.licenseKeyJSON(k)
	if err != nil {
		return nil, err
	}
	acts, err := l.tx.LicenseKeyActivations(l.ctx, k.ID)
	out := make([]activationJSON, 0, len(acts))
	for _, a := range acts {
		out = append(out, activationOf(a))
	}
	return struct {
		licenseKeyJSON
		Activations []activationJSON `json:"activations"`
	}{kj, out}, err
}

func (a *API) licenseKeyGet(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "license key")
	if err != nil {
		return err
	}
	return writeOne(a, w, r, func(tx *store.Tx) (*paylink.LicenseKey, error) {
		return tx.LicenseKeyGet(r.Context(), p.OrgID, id, false)
	}, withActivations)
}

func (a *API) licenseKeyUpdate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "license key")
	if err != nil {
		return err
	}
	var b struct {
		Status           *string        `json:"status"`
		Usage            *int           `json:"usage"`
		LimitActivations Opt[int]       `json:"limit_activations"`
		LimitUsage       Opt[int]       `json:"limit_usage"`
		ExpiresAt        Opt[time.Time] `json:"expires_at"`
	}
	if err := Decode(r, &b); err != nil {
		return err
	}
	k, err := a.Benefits.UpdateKey(r.Context(), p.OrgID, id, paylink.LicenseKeyPatch{Status: b.Status, Usage: b.Usage,
		SetLimitActivations: b.LimitActivations.Set, LimitActivations: b.LimitActivations.Ptr(),
		SetLimitUsage: b.LimitUsage.Set, LimitUsage: b.LimitUsage.Ptr(),
		SetExpiresAt: b.ExpiresAt.Set, ExpiresAt: b.ExpiresAt.Ptr()})
	if err != nil {
		return err
	}
	return writeOne(a, w, r, func(*store.Tx) (*paylink.LicenseKey, error) { return k, nil },
		func(l *loader, k *paylink.LicenseKey) (any, error) { return l.licenseKeyJSON(k) })
}

func (a *API) licenseKeyActivation(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "license key")
	if err != nil {
		return err
	}
	actID, err := pathID(r, "activation_id", "license key activation")
	if err != nil {
		return err
	}
	var act *paylink.LicenseKeyActivation
	var k *paylink.LicenseKey
	if err := a.read(r.Context(), func(tx *store.Tx) error {
		if k, err = tx.LicenseKeyGet(r.Context(), p.OrgID, id, false); err != nil {
			return err
		}
		act, err = tx.LicenseKeyActivationGet(r.Context(), k.ID, actID)
		return err
	}); err != nil {
		return err
	}
	return a.writeActivation(w, r, act, k)
}
