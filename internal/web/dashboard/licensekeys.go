package dashboard

import (
	"net/http"
	"strconv"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

// keyRow is a license key with its activations, as the list shows it.
type keyRow struct {
	ID, Display, Customer, Benefit, Status, Usage, Activations, Expires string
	Live                                                                []activationRow
}

type activationRow struct{ ID, Label, Created string }

type licenseKeysPage struct {
	dashPage
	Keys  []keyRow
	Pager pager
}

func (w *Dashboard) licenseKeyList(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	pg, offset := pageOf(r)
	page := licenseKeysPage{dashPage: w.page(r, s, "License keys", "license-keys")}
	err := w.Store.Read(r.Context(), func(tx *store.Tx) error {
		list, total, err := tx.LicenseKeyList(r.Context(), store.LicenseKeyListParams{OrganizationID: s.Org.ID,
			ListParams: store.ListParams{Limit: pageSize, Offset: offset}})
		if err != nil {
			return err
		}
		page.Pager = newPager(r, pg, total)
		ids := make([]string, 0, len(list))
		for _, k := range list {
			ids = append(ids, k.BenefitID)
		}
		bs, err := tx.BenefitGetMany(r.Context(), s.Org.ID, ids)
		if err != nil {
			return err
		}
		for _, k := range list {
			c, err := tx.CustomerGet(r.Context(), s.Org.ID, k.CustomerID)
			if err != nil {
				return err
			}
			acts, err := tx.LicenseKeyActivations(r.Context(), k.ID)
			if err != nil {
				return err
			}
			row := keyRow{ID: k.ID, Display: k.DisplayKey(), Customer: c.Email, Status: k.Status,
				Usage: countOf(k.Usage, k.LimitUsage), Activations: countOf(len(acts), k.LimitActivations)}
			if b := bs[k.BenefitID]; b != nil {
				row.Benefit = b.Description
			}
			if k.ExpiresAt != nil {
				row.Expires = k.ExpiresAt.Format("2 Jan 2006")
			}
			for _, a := range acts {
				row.Live = append(row.Live, activationRow{ID: a.ID, Label: a.Label, Created: a.CreatedAt.Format(time.DateOnly)})
			}
			page.Keys = append(page.Keys, row)
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.Render(rw, r, http.StatusOK, "dash_license_keys", page)
	return nil
}

// countOf is "n" or "n of limit".
func countOf(n int, limit *int) string {
	s := strconv.Itoa(n)
	if limit != nil {
		s += " of " + strconv.Itoa(*limit)
	}
	return s
}

// licenseKeyAction is one of the list's buttons: revoke, disable, grant again
// (status) or reset the usage.
func (w *Dashboard) licenseKeyAction(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	id, err := pathID(r, "license key")
	if err != nil {
		return err
	}
	var p paylink.LicenseKeyPatch
	switch a := r.PostForm.Get("action"); a {
	case paylink.LicenseKeyRevoked, paylink.LicenseKeyDisabled, paylink.LicenseKeyGranted:
		p.Status = &a
	case "reset_usage":
		zero := 0
		p.Usage = &zero
	default:
		return paylink.Errorf(paylink.EBadRequest, "unknown action")
	}
	if _, err := w.Benefits.UpdateKey(r.Context(), s.Org.ID, id, p); err != nil {
		return err
	}
	done(rw, r, web.DashPath+"/license-keys", "license-key-saved")
	return nil
}

func (w *Dashboard) licenseKeyDeactivate(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	id, err := pathID(r, "license key")
	if err != nil {
		return err
	}
	act := r.PathValue("activation")
	if !paylink.ValidID(act) {
		return paylink.NotFound("license key activation")
	}
	if err := w.Benefits.DeactivateByMerchant(r.Context(), s.Org.ID, id, act); err != nil {
		return err
	}
	done(rw, r, web.DashPath+"/license-keys", "license-key-deactivated")
	return nil
}
