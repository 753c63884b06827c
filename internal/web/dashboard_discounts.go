package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

func (w *Web) discountRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+dashPath+"/discounts", w.signedIn(w.discounts))
	mux.HandleFunc("POST "+dashPath+"/discounts", w.signedIn(w.discountCreate))
	mux.HandleFunc("POST "+dashPath+"/discounts/{id}/delete", w.signedIn(w.discountDelete))
}

type discountRow struct {
	ID, Name, Code, Value, Duration, Redemptions string
}

// discountForm is the create form's values, as typed.
type discountForm struct {
	Name, Code, Type, Percent, Amount, Currency, Duration, Months, MaxRedemptions string
}

type discountsPage struct {
	dashPage
	Discounts []discountRow
	Form      discountForm
	Errors    formErrors
	Pager     pager
}

func (w *Web) discounts(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	return w.renderDiscounts(rw, r, s, discountsPage{Form: discountForm{Type: paylink.DiscountPercentage,
		Currency: paylink.DefaultCurrency, Duration: paylink.DurationOnce}})
}

func (w *Web) renderDiscounts(rw http.ResponseWriter, r *http.Request, s *dashSession, page discountsPage) error {
	pg, offset := pageOf(r)
	page.dashPage = w.page(r, s, "Discounts", "discounts")
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
	status := http.StatusOK
	if page.Errors.Any() {
		status = http.StatusUnprocessableEntity
	}
	w.render(rw, r, status, "dash_discounts", page)
	return nil
}

func discountRowOf(d *paylink.Discount) discountRow {
	row := discountRow{ID: d.ID, Name: d.Name, Code: deref(d.Code), Redemptions: strconv.Itoa(d.RedemptionsCount)}
	if d.Type == paylink.DiscountPercentage {
		row.Value = strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(float64(d.BasisPoints)/100, 'f', 2, 64), "0"), ".") + "% off"
	} else {
		row.Value = displayMoney(d.Amount, d.Currency) + " off"
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

// discountField names the form field of a discount rule's 422 location.
func discountField(loc []any) string {
	switch p := locPath(loc); p {
	case "name", "code", "duration", "currency":
		return p
	case "basis_points":
		return "percent"
	case "amount", "amounts":
		return "amount"
	case "duration_in_months":
		return "months"
	case "max_redemptions":
		return "max_redemptions"
	}
	return ""
}

func (w *Web) discountCreate(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	v := r.PostForm
	f := discountForm{Name: strings.TrimSpace(v.Get("name")), Code: strings.TrimSpace(v.Get("code")), Type: v.Get("type"),
		Percent: strings.TrimSpace(v.Get("percent")), Amount: strings.TrimSpace(v.Get("amount")),
		Currency: strings.ToLower(strings.TrimSpace(v.Get("currency"))), Duration: v.Get("duration"),
		Months: strings.TrimSpace(v.Get("months")), MaxRedemptions: strings.TrimSpace(v.Get("max_redemptions"))}
	page := discountsPage{Form: f}
	in := paylink.DiscountInput{Name: &f.Name, Type: &f.Type, Duration: &f.Duration, Metadata: map[string]any{}}
	if f.Code != "" {
		in.Code = &f.Code
	}
	if f.Currency == "" {
		f.Currency = paylink.DefaultCurrency
	}
	whole := func(field, text string) *int {
		if text == "" {
			return nil
		}
		n, err := strconv.Atoi(text)
		if err != nil {
			page.Errors.add(field, "Enter a whole number.")
			return nil
		}
		return &n
	}
	switch f.Type {
	case paylink.DiscountPercentage:
		// Percent to basis points: the same decimal parser as money, at two decimals.
		if bp, ok, err := parseMoney(f.Percent, "usd"); err != nil || !ok {
			page.Errors.add("percent", "Enter a percentage like 20 or 12.5.")
		} else {
			n := int(bp)
			in.BasisPoints = &n
		}
	case paylink.DiscountFixed:
		in.Currency = &f.Currency
		if amt, ok, err := parseMoney(f.Amount, f.Currency); err != nil || !ok {
			page.Errors.add("amount", "Enter an amount like 5.00.")
		} else {
			in.Amount = &amt
		}
	}
	if f.Duration == paylink.DurationRepeating {
		in.DurationInMonths = whole("months", f.Months)
	}
	in.MaxRedemptions = whole("max_redemptions", f.MaxRedemptions)
	var err error
	if page.Errors.Any() {
		_, err = paylink.NewDiscount(in) // the rules' messages too; nothing is saved
	} else if _, _, err = w.Catalog.DiscountCreate(r.Context(), s.Org.ID, in); err == nil {
		done(rw, r, dashPath+"/discounts", "discount-created")
		return nil
	}
	if err := page.Errors.collect(err, discountField); err != nil {
		return err
	}
	return w.renderDiscounts(rw, r, s, page)
}

func (w *Web) discountDelete(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	id, err := pathID(r, "discount")
	if err != nil {
		return err
	}
	if err := w.Catalog.DiscountDelete(r.Context(), s.Org.ID, id); err != nil {
		return err
	}
	done(rw, r, dashPath+"/discounts", "discount-deleted")
	return nil
}
