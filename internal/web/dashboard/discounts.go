package dashboard

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

type discountRow struct {
	ID, Name, Code, Value, Duration, Redemptions string
}

type discountsPage struct {
	dashPage
	Discounts []discountRow
	Pager     pager
}

func (w *Dashboard) discounts(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	pg, offset := pageOf(r)
	page := discountsPage{dashPage: w.page(r, s, "Discounts", "discounts")}
	err := w.Store.Read(r.Context(), func(tx *store.Tx) error {
		list, total, err := tx.DiscountList(r.Context(), store.DiscountListParams{OrganizationID: s.Org.ID,
			ListParams: store.ListParams{Limit: pageSize, Offset: offset}})
		page.Pager = newPager(r, pg, total)
		for _, d := range list {
			page.Discounts = append(page.Discounts, discountRowOf(d))
		}
		return err
	})
	if err != nil {
		return err
	}
	w.Render(rw, r, http.StatusOK, "dash_discounts", page)
	return nil
}

func discountRowOf(d *paylink.Discount) discountRow {
	row := discountRow{ID: d.ID, Name: d.Name, Code: deref(d.Code), Redemptions: strconv.Itoa(d.RedemptionsCount)}
	if d.Type == paylink.DiscountPercentage {
		row.Value = strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(float64(d.BasisPoints)/100, 'f', 2, 64), "0"), ".") + "% off"
	} else {
		row.Value = web.DisplayMoney(d.Amount, d.Currency) + " off"
	}
	switch d.Duration {
	case paylink.DurationOnce:
		row.Duration = "First payment"
	case paylink.DurationForever:
		row.Duration = "Every payment"
	default:
		if d.DurationInMonths != nil {
			row.Duration = "For " + strconv.Itoa(*d.DurationInMonths) + " months"
		}
	}
	if d.MaxRedemptions != nil {
		row.Redemptions += " of " + strconv.Itoa(*d.MaxRedemptions)
	}
	return row
}

func (w *Dashboard) discountDelete(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	id, err := pathID(r, "discount")
	if err != nil {
		return err
	}
	if err := w.Catalog.DiscountDelete(r.Context(), s.Org.ID, id); err != nil {
		return err
	}
	done(rw, r, web.DashPath+"/discounts", "discount-deleted")
	return nil
}
