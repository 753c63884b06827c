package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/catalog"
	"github.com/paylink/paylink/internal/store"
)

func (w *Web) productRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+dashPath+"/products", w.signedIn(w.products))
	mux.HandleFunc("GET "+dashPath+"/products/new", w.signedIn(w.productNew))
	mux.HandleFunc("POST "+dashPath+"/products", w.signedIn(w.productCreate))
	mux.HandleFunc("GET "+dashPath+"/products/{id}", w.signedIn(w.productEdit))
	mux.HandleFunc("POST "+dashPath+"/products/{id}", w.signedIn(w.productSave))
	mux.HandleFunc("POST "+dashPath+"/products/{id}/archive", w.signedIn(w.productArchive))
}

type productRow struct {
	ID, Name, Price, Kind, Created string
	Archived                       bool
}

type productsPage struct {
	dashPage
	Products     []productRow
	ShowArchived bool
	Pager        pager
}

func (w *Web) products(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	pg, offset := pageOf(r)
	showArchived := r.URL.Query().Get("archived") == "1"
	params := store.ProductListParams{OrganizationID: s.Org.ID, ListParams: store.ListParams{Limit: pageSize, Offset: offset,
		OrderBy: "is_archived, created_at DESC, id"}}
	if !showArchived {
		params.IsArchived = new(bool)
	}
	var list []*paylink.Product
	var total int
	if err := w.Store.Read(r.Context(), func(tx *store.Tx) (err error) {
		list, total, err = tx.ProductList(r.Context(), params)
		return err
	}); err != nil {
		return err
	}
	page := productsPage{dashPage: w.page(r, s, "Products", "products"), ShowArchived: showArchived, Pager: newPager(r, pg, total)}
	for _, p := range list {
		kind := "One-time"
		if p.IsRecurring() {
			kind = "Subscription"
		}
		page.Products = append(page.Products, productRow{ID: p.ID, Name: p.Name, Price: priceText(p), Kind: kind,
			Created: when(p.CreatedAt), Archived: p.IsArchived})
	}
	w.render(rw, r, http.StatusOK, "dash_products", page)
	return nil
}

// productForm is the create and edit form's values, as typed.
type productForm struct {
	ID, Version, Name, Description   string
	Interval, IntervalCount          string // Interval "" is one-time
	AmountType, Currency             string // fixed | custom | free
	Amount, Minimum, Maximum, Preset string
	Archived                         bool
}

type productPage struct {
	dashPage
	Form   productForm
	Errors formErrors
	Stale  string // the form was filled from an older version of the product
	New    bool
}

func productFormOf(p *paylink.Product) productForm {
	f := productForm{ID: p.ID, Version: catalog.Version(p.CreatedAt, p.ModifiedAt), Name: p.Name, Description: deref(p.Description), Archived: p.IsArchived, AmountType: "fixed", Currency: "usd"}
	if p.RecurringInterval != nil {
		f.Interval, f.IntervalCount = *p.RecurringInterval, "1"
		if p.RecurringIntervalCount != nil {
			f.IntervalCount = strconv.Itoa(*p.RecurringIntervalCount)
		}
	}
	if pr := p.Price(); pr != nil {
		f.AmountType, f.Currency = pr.AmountType, pr.Currency
		switch {
		case pr.AmountType == paylink.PriceCustom:
			f.Minimum = decimalAmount(pr.MinimumAmount, pr.Currency)
			if pr.MaximumAmount != nil {
				f.Maximum = decimalAmount(*pr.MaximumAmount, pr.Currency)
			}
			if pr.PresetAmount != nil {
				f.Preset = decimalAmount(*pr.PresetAmount, pr.Currency)
			}
		case pr.PriceAmount == 0:
			f.AmountType = paylink.PriceFree
		default:
			f.Amount = decimalAmount(pr.PriceAmount, pr.Currency)
		}
	}
	return f
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// readProductForm reads the posted form; money that does not parse is reported
// on errs at its field.
func readProductForm(v url.Values, errs *formErrors) (productForm, paylink.PriceInput) {
	f := productForm{Name: v.Get("name"), Description: v.Get("description"), Interval: v.Get("interval"),
		IntervalCount: strings.TrimSpace(v.Get("interval_count")), AmountType: v.Get("amount_type"),
		Currency: strings.ToLower(strings.TrimSpace(v.Get("currency"))), Amount: v.Get("amount"),
		Minimum: v.Get("minimum"), Maximum: v.Get("maximum"), Preset: v.Get("preset")}
	if f.Currency == "" {
		f.Currency = paylink.DefaultCurrency
	}
	in := paylink.PriceInput{AmountType: f.AmountType, Currency: f.Currency}
	money := func(field, text string) *int64 {
		n, ok, err := parseMoney(text, f.Currency)
		if err != nil {
			errs.add(field, sentence(err.Error()))
		}
		if !ok {
			return nil
		}
		return &n
	}
	switch f.AmountType {
	case paylink.PriceFixed:
		in.PriceAmount = money("amount", f.Amount)
		if in.PriceAmount == nil && errs.Field["amount"] == "" {
			errs.add("amount", "Enter a price, or choose Free.")
		}
	case paylink.PriceCustom:
		in.MinimumAmount, in.MaximumAmount, in.PresetAmount = money("minimum", f.Minimum), money("maximum", f.Maximum), money("preset", f.Preset)
	}
	return f, in
}

// productField names the form field of a product rule's 422 location.
func productField(loc []any) string {
	p := locPath(loc)
	switch {
	case p == "name", p == "description", p == "recurring_interval":
		return map[string]string{"name": "name", "description": "description", "recurring_interval": "interval"}[p]
	case p == "recurring_interval_count":
		return "interval_count"
	case strings.HasSuffix(p, "price_amount"):
		return "amount"
	case strings.HasSuffix(p, "minimum_amount"):
		return "minimum"
	case strings.HasSuffix(p, "maximum_amount"):
		return "maximum"
	case strings.HasSuffix(p, "preset_amount"):
		return "preset"
	case strings.HasSuffix(p, "price_currency"):
		return "currency"
	case strings.HasSuffix(p, "amount_type"):
		return "amount_type"
	}
	return ""
}

func (w *Web) productNew(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	w.render(rw, r, http.StatusOK, "dash_product", productPage{dashPage: w.page(r, s, "New product", "products"),
		Form: productForm{AmountType: paylink.PriceFixed, Currency: paylink.DefaultCurrency}, New: true})
	return nil
}

func (w *Web) productCreate(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	var errs formErrors
	f, price := readProductForm(r.PostForm, &errs)
	in := paylink.ProductParams{Name: f.Name, Description: optString(r.PostForm, "description"), Prices: []paylink.PriceInput{price}}
	if f.Interval != "" {
		in.RecurringInterval = &f.Interval
		if n, err := strconv.Atoi(f.IntervalCount); err == nil {
			in.RecurringIntervalCount = &n
		} else if f.IntervalCount != "" {
			errs.add("interval_count", "Enter a whole number.")
		}
	}
	var err error
	if errs.Any() {
		_, err = paylink.NewProduct(s.Org.ID, in) // the rules' messages too, all at once; nothing is saved
	} else if _, err = w.Catalog.ProductCreate(r.Context(), s.Org.ID, in); err == nil {
		done(rw, r, dashPath+"/products", "product-created")
		return nil
	}
	if err := errs.collect(err, productField); err != nil {
		return err
	}
	w.render(rw, r, http.StatusUnprocessableEntity, "dash_product", productPage{dashPage: w.page(r, s, "New product", "products"),
		Form: f, Errors: errs, New: true})
	return nil
}

func (w *Web) productEdit(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	p, err := w.productOf(r, s)
	if err != nil {
		return err
	}
	w.render(rw, r, http.StatusOK, "dash_product", productPage{dashPage: w.page(r, s, p.Name, "products"), Form: productFormOf(p)})
	return nil
}

// productOf loads the product of the path's id, scoped to the user's organization.
func (w *Web) productOf(r *http.Request, s *dashSession) (*paylink.Product, error) {
	id, err := pathID(r, "product")
	if err != nil {
		return nil, err
	}
	var p *paylink.Product
	err = w.Store.Read(r.Context(), func(tx *store.Tx) (err error) {
		p, err = tx.ProductGet(r.Context(), s.Org.ID, id)
		return err
	})
	return p, err
}

// productPatch is the change the posted form asks of cur. A price whose values
// are those cur shows is kept rather than replaced by an equal new one.
func productPatch(cur *paylink.Product, f productForm, price paylink.PriceInput, description *string) paylink.ProductPatch {
	if old := productFormOf(cur); old.AmountType == f.AmountType && old.Currency == f.Currency && old.Amount == f.Amount &&
		old.Minimum == f.Minimum && old.Maximum == f.Maximum && old.Preset == f.Preset && cur.Price() != nil {
		price = paylink.PriceInput{ID: cur.Price().ID}
	}
	name := f.Name
	return paylink.ProductPatch{Name: &name, SetDescription: true, Description: description, Prices: []paylink.PriceInput{price}}
}

func (w *Web) productSave(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	cur, err := w.productOf(r, s)
	if err != nil {
		return err
	}
	var errs formErrors
	f, price := readProductForm(r.PostForm, &errs)
	old := productFormOf(cur)
	f.ID, f.Archived, f.Version = cur.ID, cur.IsArchived, r.PostForm.Get("version")
	f.Interval, f.IntervalCount = old.Interval, old.IntervalCount // can't change
	description := optString(r.PostForm, "description")
	page := productPage{dashPage: w.page(r, s, cur.Name, "products"), Form: f}
	status := http.StatusUnprocessableEntity
	if errs.Any() {
		_, err = productPatch(cur, f, price, description).Apply(cur) // the rules' messages too; nothing is saved
	} else {
		_, err = w.Catalog.ProductEdit(r.Context(), s.Org.ID, cur.ID, postedVersion(r),
			func(cur *paylink.Product) (paylink.ProductPatch, error) {
				return productPatch(cur, f, price, description), nil
			})
		if err == nil {
			done(rw, r, dashPath+"/products", "product-saved")
			return nil
		}
	}
	if msg, ok := staleMessage(err); ok {
		page.Stale, status, err = msg, http.StatusConflict, nil
	}
	if err := errs.collect(err, productField); err != nil {
		return err
	}
	page.Errors = errs
	w.render(rw, r, status, "dash_product", page)
	return nil
}

func (w *Web) productArchive(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	id, err := pathID(r, "product")
	if err != nil {
		return err
	}
	archive := r.PostForm.Get("archived") == "1"
	if _, err := w.Catalog.ProductArchive(r.Context(), s.Org.ID, id, archive); err != nil {
		return err
	}
	if archive {
		done(rw, r, dashPath+"/products", "product-archived")
	} else {
		done(rw, r, dashPath+"/products", "product-restored")
	}
	return nil
}

// inputField is one text input of a form, for templates that range over several.
type inputField struct{ Name, Label, Value, Error string }

// PWYWFields are the pay-what-you-want inputs of the form.
func (p productPage) PWYWFields() []inputField {
	return []inputField{
		{"minimum", "Minimum", p.Form.Minimum, p.Errors.Field["minimum"]},
		{"maximum", "Maximum", p.Form.Maximum, p.Errors.Field["maximum"]},
		{"preset", "Suggested amount", p.Form.Preset, p.Errors.Field["preset"]},
	}
}
