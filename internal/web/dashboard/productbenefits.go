package dashboard

import (
	"net/http"
	"sort"
	"strconv"

	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

// productBenefitRow is one of the organization's benefits on a product's
// benefits form: attached or not, and its place in the order.
type productBenefitRow struct {
	ID, Description, Type string
	Attached              bool
	Position              string
}

type productBenefitsPage struct {
	dashPage
	ProductID, ProductName string
	Rows                   []productBenefitRow
	Errors                 formErrors
}

// productBenefitsForm lists every benefit, the product's first in their order.
func (w *Dashboard) productBenefitsForm(r *http.Request, s *dashSession) (productBenefitsPage, error) {
	id, err := pathID(r, "product")
	if err != nil {
		return productBenefitsPage{}, err
	}
	var page productBenefitsPage
	err = w.Store.Read(r.Context(), func(tx *store.Tx) error {
		p, err := tx.ProductGet(r.Context(), s.Org.ID, id)
		if err != nil {
			return err
		}
		all, _, err := tx.BenefitList(r.Context(), store.BenefitListParams{OrganizationID: s.Org.ID})
		if err != nil {
			return err
		}
		page = productBenefitsPage{dashPage: w.page(r, s, "Benefits of "+p.Name, "products"), ProductID: p.ID, ProductName: p.Name}
		at := map[string]int{}
		for i, b := range p.Benefits {
			at[b.ID] = i + 1
		}
		for _, b := range all {
			row := productBenefitRow{ID: b.ID, Description: b.Description, Type: benefitTypeNames[b.Type]}
			if n, ok := at[b.ID]; ok {
				row.Attached, row.Position = true, strconv.Itoa(n)
			}
			page.Rows = append(page.Rows, row)
		}
		sort.SliceStable(page.Rows, func(i, j int) bool { return rank(page.Rows[i]) < rank(page.Rows[j]) })
		return nil
	})
	return page, err
}

// rank orders attached benefits by position before the others.
func rank(r productBenefitRow) int {
	if !r.Attached {
		return 1 << 30
	}
	n, _ := strconv.Atoi(r.Position)
	return n
}

func (w *Dashboard) productBenefits(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	page, err := w.productBenefitsForm(r, s)
	if err != nil {
		return err
	}
	w.Render(rw, r, http.StatusOK, "dash_product_benefits", page)
	return nil
}

// productBenefitsSave attaches the ticked benefits in the order of their
// "Order" numbers (ties and blanks keep the list's order).
func (w *Dashboard) productBenefitsSave(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	page, err := w.productBenefitsForm(r, s)
	if err != nil {
		return err
	}
	type pick struct {
		id  string
		pos int
	}
	var picks []pick
	for i := range page.Rows {
		row := &page.Rows[i]
		row.Attached = checked(r.PostForm, "benefit_"+row.ID)
		row.Position = r.PostForm.Get("position_" + row.ID)
		if !row.Attached {
			continue
		}
		pos := 1 << 20
		if row.Position != "" {
			n, err := strconv.Atoi(row.Position)
			if err != nil || n < 1 {
				page.Errors.add("position_"+row.ID, "Enter a whole number from 1.")
				continue
			}
			pos = n
		}
		picks = append(picks, pick{row.ID, pos})
	}
	if !page.Errors.Any() {
		sort.SliceStable(picks, func(i, j int) bool { return picks[i].pos < picks[j].pos })
		ids := make([]string, len(picks))
		for i, p := range picks {
			ids[i] = p.id
		}
		_, err := w.Benefits.SetProductBenefits(r.Context(), s.Org.ID, page.ProductID, ids)
		if err == nil {
			done(rw, r, web.DashPath+"/products/"+page.ProductID, "product-benefits-saved")
			return nil
		}
		if err := page.Errors.collect(err, formFields{{"benefits", "", "Benefits"}, {"benefits.*", "", "Benefits"}}); err != nil {
			return err
		}
	}
	w.Render(rw, r, http.StatusUnprocessableEntity, "dash_product_benefits", page)
	return nil
}
