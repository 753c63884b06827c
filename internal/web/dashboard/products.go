package dashboard

import (
	"net/http"
	"strconv"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

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

func (w *Dashboard) products(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
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
	w.Render(rw, r, http.StatusOK, "dash_products", page)
	return nil
}

// renderProduct shows the product form with the organization's custom fields
// as rows: the posted order, or else the attached fields first, in their order.
func (w *Dashboard) renderProduct(rw http.ResponseWriter, r *http.Request, s *dashSession, status int, page productPage) error {
	var fields []*paylink.CustomField
	if err := w.Store.Read(r.Context(), func(tx *store.Tx) (err error) {
		fields, _, err = tx.CustomFieldList(r.Context(), store.CustomFieldListParams{OrganizationID: s.Org.ID,
			ListParams: store.ListParams{OrderBy: "created_at, id"}})
		return err
	}); err != nil {
		return err
	}
	f := &page.Form
	page.Images = uploadControl{ID: "medias", Service: paylink.FileProductMedia, Field: "medias", Label: "Images",
		Help:   "Shown on the checkout page. JPEG, PNG, GIF, WebP or SVG, at most 10 MB each; the first one is the main image.",
		Accept: imageAccept, MaxSize: paylink.MaxProductMediaSize, Multiple: true, Items: f.Medias, Error: page.Errors.Field["medias"]}
	attached := map[string]paylink.FieldAttachment{}
	var order []string
	for _, a := range f.Attach {
		attached[a.CustomFieldID] = a
		order = append(order, a.CustomFieldID)
	}
	if len(f.FieldOrder) > 0 {
		order = f.FieldOrder
	}
	f.Fields = nil
	for _, cf := range fields {
		a, ok := attached[cf.ID]
		f.Fields = append(f.Fields, fieldChoice{ID: cf.ID, Name: cf.Name, Type: fieldTypeNames[cf.Type], Checked: ok, Required: a.Required})
	}
	byOrder(f.Fields, order, func(c fieldChoice) string { return c.ID })
	w.Render(rw, r, formStatus(status, page.Stale, page.Errors), "dash_product", page)
	return nil
}

func (w *Dashboard) productNew(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	return w.renderProduct(rw, r, s, http.StatusOK, productPage{dashPage: w.page(r, s, "New product", "products"),
		Form: productForm{AmountType: paylink.PriceFixed, Currency: paylink.DefaultCurrency}, New: true})
}

func (w *Dashboard) productCreate(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	var errs formErrors
	f, price := readProductForm(r.PostForm, &errs)
	in := paylink.ProductParams{Name: f.Name, Description: optString(r.PostForm, "description"), Prices: []paylink.PriceInput{price},
		CustomFields: f.Attach, Medias: f.mediaIDs()}
	if f.Interval != "" {
		in.RecurringInterval = &f.Interval
		if n, err := strconv.Atoi(f.IntervalCount); err == nil {
			in.RecurringIntervalCount = &n
		} else if f.IntervalCount != "" {
			errs.add("interval_count", "Enter a whole number.")
		}
	}
	page := productPage{dashPage: w.page(r, s, "New product", "products"), Form: f, New: true}
	if moving(r.PostForm) { // a custom field's arrow, without JavaScript: nothing is saved
		return w.renderProduct(rw, r, s, http.StatusOK, page)
	}
	var err error
	if errs.Any() {
		_, err = paylink.NewProduct(s.Org.ID, in) // the rules' messages too, all at once; nothing is saved
	} else if _, err = w.Catalog.ProductCreate(r.Context(), s.Org.ID, in); err == nil {
		done(rw, r, web.DashPath+"/products", "product-created")
		return nil
	}
	if err := errs.collect(err, productField); err != nil {
		return err
	}
	page.Errors = errs
	return w.renderProduct(rw, r, s, http.StatusUnprocessableEntity, page)
}

func (w *Dashboard) productEdit(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	p, err := w.productOf(r, s)
	if err != nil {
		return err
	}
	return w.renderProduct(rw, r, s, http.StatusOK, productPage{dashPage: w.page(r, s, p.Name, "products"), Form: productFormOf(p)})
}

// productOf loads the product of the path's id, scoped to the user's organization.
func (w *Dashboard) productOf(r *http.Request, s *dashSession) (*paylink.Product, error) {
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
	return paylink.ProductPatch{Name: &name, SetDescription: true, Description: description, Prices: []paylink.PriceInput{price},
		CustomFields: f.Attach, Medias: f.mediaIDs()}
}

func (w *Dashboard) productSave(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
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
	if moving(r.PostForm) { // a custom field's arrow, without JavaScript: nothing is saved
		return w.renderProduct(rw, r, s, http.StatusOK, page)
	}
	if errs.Any() {
		_, err = productPatch(cur, f, price, description).Apply(cur) // the rules' messages too; nothing is saved
	} else {
		_, err = w.Catalog.ProductEdit(r.Context(), s.Org.ID, cur.ID, postedVersion(r),
			func(cur *paylink.Product) (paylink.ProductPatch, error) {
				return productPatch(cur, f, price, description), nil
			})
		if err == nil {
			done(rw, r, web.DashPath+"/products", "product-saved")
			return nil
		}
	}
	if msg, ok := staleMessage(err); ok {
		page.Stale, err = msg, nil
	}
	if err := errs.collect(err, productField); err != nil {
		return err
	}
	page.Errors = errs
	return w.renderProduct(rw, r, s, http.StatusUnprocessableEntity, page)
}

func (w *Dashboard) productArchive(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	id, err := pathID(r, "product")
	if err != nil {
		return err
	}
	archive := r.PostForm.Get("archived") == "1"
	if _, err := w.Catalog.ProductArchive(r.Context(), s.Org.ID, id, archive); err != nil {
		return err
	}
	if archive {
		done(rw, r, web.DashPath+"/products", "product-archived")
	} else {
		done(rw, r, web.DashPath+"/products", "product-restored")
	}
	return nil
}
