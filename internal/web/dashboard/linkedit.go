package dashboard

import (
	"fmt"
	"net/http"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/catalog"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

// choices loads what the link form offers: the organization's products and discounts.
func (w *Dashboard) choices(r *http.Request, tx *store.Tx, orgID string) ([]*paylink.Product, []*paylink.Discount, error) {
	products, _, err := tx.ProductList(r.Context(), store.ProductListParams{OrganizationID: orgID,
		ListParams: store.ListParams{OrderBy: "created_at, id"}})
	if err != nil {
		return nil, nil, err
	}
	discounts, _, err := tx.DiscountList(r.Context(), store.DiscountListParams{OrganizationID: orgID})
	return products, discounts, err
}

// renderLinkForm shows the form with its choices; status is 200, 409 for a stale
// save, or 422 when errs holds problems.
func (w *Dashboard) renderLinkForm(rw http.ResponseWriter, r *http.Request, s *dashSession, page linkPage, picked []string) error {
	err := w.Store.Read(r.Context(), func(tx *store.Tx) error {
		products, discounts, err := w.choices(r, tx, s.Org.ID)
		page.Form.withChoices(products, discounts, picked)
		return err
	})
	if err != nil {
		return err
	}
	for i, row := range page.Form.Meta {
		if msg := page.Errors.Field["meta:"+row.Key]; msg != "" && row.Error == "" {
			page.Form.Meta[i].Error = msg
		}
	}
	w.Render(rw, r, formStatus(http.StatusOK, page.Stale, page.Errors), "dash_link", page)
	return nil
}

func (w *Dashboard) linkNew(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	page := linkPage{dashPage: w.page(r, s, "New checkout link", "links"), New: true,
		Form: linkForm{AllowCodes: true, Active: true}}
	return w.renderLinkForm(rw, r, s, page, nil)
}

func (w *Dashboard) linkCreate(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	page := linkPage{dashPage: w.page(r, s, "New checkout link", "links"), New: true}
	f, in := readLinkForm(r.PostForm, &page.Errors)
	page.Form = f
	if saving(r) {
		var err error
		if page.Errors.Any() {
			_, err = paylink.NewCheckoutLink(in, paylink.Now()) // the rules' messages too; nothing is saved
		} else if _, err = w.Catalog.LinkCreate(r.Context(), s.Org.ID, catalog.LinkCreate{Input: in}); err == nil {
			done(rw, r, web.DashPath+"/links", "link-created")
			return nil
		}
		if err := page.Errors.collect(err, linkField); err != nil {
			return err
		}
	}
	return w.renderLinkForm(rw, r, s, page, in.ProductIDs)
}

func (w *Dashboard) linkEdit(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	var l *paylink.CheckoutLink
	if err := w.Store.Read(r.Context(), func(tx *store.Tx) (err error) {
		l, err = w.linkOf(r, tx, s)
		return err
	}); err != nil {
		return err
	}
	page := linkPage{dashPage: w.page(r, s, "Edit "+linkName(l), "links"), Form: linkFormOf(l), URL: w.linkURL(l)}
	return w.renderLinkForm(rw, r, s, page, l.ProductIDs)
}

func linkName(l *paylink.CheckoutLink) string {
	if l.Label != nil {
		return *l.Label
	}
	return "checkout link"
}

func (w *Dashboard) linkSave(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	var cur *paylink.CheckoutLink
	if err := w.Store.Read(r.Context(), func(tx *store.Tx) (err error) {
		cur, err = w.linkOf(r, tx, s)
		return err
	}); err != nil {
		return err
	}
	page := linkPage{dashPage: w.page(r, s, "Edit "+linkName(cur), "links"), URL: w.linkURL(cur)}
	f, in := readLinkForm(r.PostForm, &page.Errors)
	f.ID, f.Version = cur.ID, r.PostForm.Get("version")
	page.Form = f
	keepTypes(in.Metadata, cur.Metadata)
	if saving(r) {
		var err error
		if page.Errors.Any() {
			_, err = paylink.ApplyCheckoutLinkUpdate(cur, in) // the rules' messages too; nothing is saved
		} else if _, err = w.Catalog.LinkUpdate(r.Context(), s.Org.ID, cur.ID, in, postedVersion(r)); err == nil {
			done(rw, r, web.DashPath+"/links", "link-saved")
			return nil
		}
		if msg, ok := staleMessage(err); ok {
			page.Stale, err = msg, nil
		}
		if err := page.Errors.collect(err, linkField); err != nil {
			return err
		}
	}
	return w.renderLinkForm(rw, r, s, page, in.ProductIDs)
}

// keepTypes gives back their type to metadata values that the form shows as text
// (numbers and booleans set through the API) when the text was not changed.
func keepTypes(typed map[string]any, old paylink.Metadata) {
	for k, v := range typed {
		if o, ok := old[k]; ok {
			if _, isString := o.(string); !isString && fmt.Sprint(o) == v {
				typed[k] = o
			}
		}
	}
}

// saving reports whether the post saves the link, rather than adding or removing
// a metadata row or moving a product of the form (the no-script editor).
func saving(r *http.Request) bool {
	return r.PostForm.Get("action") != "add_row" && r.PostForm.Get("remove_row") == "" && !moving(r.PostForm)
}
