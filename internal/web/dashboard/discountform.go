package dashboard

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/catalog"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

// discountForm is the create and edit form's values, as typed.
type discountForm struct {
	ID, Version, Name, Code, Type, Percent, Amount, Currency string
	Duration, Months, MaxRedemptions                         string
	ProductIDs                                               []string // the restriction; none is every product
	Products                                                 []productChoice
	Redeemed                                                 bool // its value and months can no longer change
}

type discountPage struct {
	dashPage
	Form   discountForm
	Errors formErrors
	Stale  string
	New    bool
}

func discountFormOf(d *paylink.Discount) discountForm {
	f := discountForm{ID: d.ID, Version: catalog.Version(d.CreatedAt, d.ModifiedAt), Name: d.Name, Code: deref(d.Code),
		Type: d.Type, Currency: paylink.DefaultCurrency, Duration: d.Duration, ProductIDs: d.ProductIDs,
		Redeemed: d.RedemptionsCount > 0}
	if d.Type == paylink.DiscountPercentage {
		f.Percent = strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(float64(d.BasisPoints)/100, 'f', 2, 64), "0"), ".")
	} else {
		f.Amount, f.Currency = web.DecimalAmount(d.Amount, d.Currency), d.Currency
	}
	if d.DurationInMonths != nil {
		f.Months = strconv.Itoa(*d.DurationInMonths)
	}
	if d.MaxRedemptions != nil {
		f.MaxRedemptions = strconv.Itoa(*d.MaxRedemptions)
	}
	return f
}

// readDiscountForm reads the posted form into the rules' input; numbers that do
// not parse are reported on errs at their field. An empty code or cap clears it.
func readDiscountForm(v url.Values, errs *formErrors) (discountForm, paylink.DiscountInput) {
	t := func(name string) string { return strings.TrimSpace(v.Get(name)) }
	f := discountForm{Name: t("name"), Code: t("code"), Type: v.Get("type"), Percent: t("percent"), Amount: t("amount"),
		Currency: strings.ToLower(t("currency")), Duration: v.Get("duration"), Months: t("months"),
		MaxRedemptions: t("max_redemptions"), ProductIDs: picked(v, "product", nil)}
	if f.Currency == "" {
		f.Currency = paylink.DefaultCurrency
	}
	in := paylink.DiscountInput{Name: &f.Name, Type: &f.Type, Duration: &f.Duration, Metadata: nil,
		ProductIDs: f.ProductIDs, Null: map[string]bool{}}
	if f.Code != "" {
		in.Code = &f.Code
	} else {
		in.Null["code"] = true
	}
	whole := func(field, text string) *int {
		if text == "" {
			return nil
		}
		n, err := strconv.Atoi(text)
		if err != nil {
			errs.add(field, "Enter a whole number.")
			return nil
		}
		return &n
	}
	switch f.Type {
	case paylink.DiscountPercentage:
		// Percent to basis points: the same decimal parser as money, at two decimals.
		if bp, ok, err := parseMoney(f.Percent, "usd"); err != nil || !ok {
			errs.add("percent", "Enter a percentage like 20 or 12.5.")
		} else {
			n := int(bp)
			in.BasisPoints = &n
		}
	case paylink.DiscountFixed:
		in.Currency = &f.Currency
		if amt, ok, err := parseMoney(f.Amount, f.Currency); err != nil || !ok {
			errs.add("amount", "Enter an amount like 5.00.")
		} else {
			in.Amount = &amt
		}
	}
	if f.Duration == paylink.DurationRepeating {
		in.DurationInMonths = whole("months", f.Months)
	}
	if in.MaxRedemptions = whole("max_redemptions", f.MaxRedemptions); in.MaxRedemptions == nil {
		in.Null["max_redemptions"] = true
	}
	return f, in
}

// renderDiscount shows the form with the products a discount can be restricted
// to (archived ones only when already in the restriction).
func (w *Dashboard) renderDiscount(rw http.ResponseWriter, r *http.Request, s *dashSession, status int, page discountPage) error {
	var products []*paylink.Product
	if err := w.Store.Read(r.Context(), func(tx *store.Tx) (err error) {
		products, _, err = tx.ProductList(r.Context(), store.ProductListParams{OrganizationID: s.Org.ID,
			ListParams: store.ListParams{OrderBy: "created_at, id"}})
		return err
	}); err != nil {
		return err
	}
	page.Form.Products = nil
	for _, p := range products {
		on := slices.Contains(page.Form.ProductIDs, p.ID)
		if p.IsArchived && !on {
			continue
		}
		page.Form.Products = append(page.Form.Products, productChoice{ID: p.ID, Name: p.Name, Price: priceText(p), Checked: on})
	}
	w.Render(rw, r, formStatus(status, page.Stale, page.Errors), "dash_discount", page)
	return nil
}

func (w *Dashboard) discountNew(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	return w.renderDiscount(rw, r, s, http.StatusOK, discountPage{dashPage: w.page(r, s, "New discount", "discounts"), New: true,
		Form: discountForm{Type: paylink.DiscountPercentage, Currency: paylink.DefaultCurrency, Duration: paylink.DurationOnce}})
}

func (w *Dashboard) discountCreate(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	page := discountPage{dashPage: w.page(r, s, "New discount", "discounts"), New: true}
	f, in := readDiscountForm(r.PostForm, &page.Errors)
	page.Form = f
	var err error
	if page.Errors.Any() {
		_, err = paylink.NewDiscount(in) // the rules' messages too; nothing is saved
	} else if _, _, err = w.Catalog.DiscountCreate(r.Context(), s.Org.ID, in); err == nil {
		done(rw, r, web.DashPath+"/discounts", "discount-created")
		return nil
	}
	if err := page.Errors.collect(err, discountField); err != nil {
		return err
	}
	return w.renderDiscount(rw, r, s, http.StatusOK, page)
}

// discountOf loads the discount of the path's id, scoped to the user's organization.
func (w *Dashboard) discountOf(r *http.Request, s *dashSession) (*paylink.Discount, error) {
	id, err := pathID(r, "discount")
	if err != nil {
		return nil, err
	}
	var d *paylink.Discount
	err = w.Store.Read(r.Context(), func(tx *store.Tx) (err error) {
		d, err = tx.DiscountGet(r.Context(), s.Org.ID, id)
		return err
	})
	return d, err
}

func (w *Dashboard) discountEdit(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	d, err := w.discountOf(r, s)
	if err != nil {
		return err
	}
	return w.renderDiscount(rw, r, s, http.StatusOK, discountPage{dashPage: w.page(r, s, d.Name, "discounts"), Form: discountFormOf(d)})
}

func (w *Dashboard) discountSave(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	cur, err := w.discountOf(r, s)
	if err != nil {
		return err
	}
	page := discountPage{dashPage: w.page(r, s, cur.Name, "discounts")}
	r.PostForm.Set("type", cur.Type) // neither changes: the form shows them as text
	r.PostForm.Set("duration", cur.Duration)
	f, in := readDiscountForm(r.PostForm, &page.Errors)
	f.ID, f.Version, f.Redeemed = cur.ID, r.PostForm.Get("version"), cur.RedemptionsCount > 0
	page.Form = f
	if page.Errors.Any() {
		_, err = paylink.ApplyDiscountUpdate(cur, in) // the rules' messages too; nothing is saved
	} else if _, _, err = w.Catalog.DiscountUpdate(r.Context(), s.Org.ID, cur.ID, in, postedVersion(r)); err == nil {
		done(rw, r, web.DashPath+"/discounts", "discount-saved")
		return nil
	}
	if msg, ok := staleMessage(err); ok {
		page.Stale, err = msg, nil
	}
	if err := page.Errors.collect(err, discountField); err != nil {
		return err
	}
	return w.renderDiscount(rw, r, s, http.StatusOK, page)
}
