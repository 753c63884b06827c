package dashboard

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

type fieldRow struct{ ID, Name, Slug, Type, Settings string }

type fieldsPage struct {
	dashPage
	Fields []fieldRow
	Pager  pager
}

func (w *Dashboard) fieldList(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	pg, offset := pageOf(r)
	page := fieldsPage{dashPage: w.page(r, s, "Custom fields", "fields")}
	err := w.Store.Read(r.Context(), func(tx *store.Tx) error {
		list, total, err := tx.CustomFieldList(r.Context(), store.CustomFieldListParams{OrganizationID: s.Org.ID,
			ListParams: store.ListParams{Limit: pageSize, Offset: offset}})
		page.Pager = newPager(r, pg, total)
		for _, f := range list {
			page.Fields = append(page.Fields, fieldRow{ID: f.ID, Name: f.Name, Slug: f.Slug, Type: fieldTypeNames[f.Type],
				Settings: fieldSettings(f)})
		}
		return err
	})
	if err != nil {
		return err
	}
	w.Render(rw, r, http.StatusOK, "dash_fields", page)
	return nil
}

// fieldSettings summarizes a custom field's properties in a few words.
func fieldSettings(f *paylink.CustomField) string {
	p := f.Properties
	var parts []string
	if p.FormLabel != nil && *p.FormLabel != f.Name {
		parts = append(parts, "label “"+*p.FormLabel+"”")
	}
	if p.MinLength != nil {
		parts = append(parts, "at least "+strconv.Itoa(*p.MinLength)+" characters")
	}
	if p.MaxLength != nil {
		parts = append(parts, "at most "+strconv.Itoa(*p.MaxLength)+" characters")
	}
	bound := func(v int64) string {
		if f.Type == paylink.FieldDate { // dates are kept as unix seconds
			return time.Unix(v, 0).UTC().Format("2 Jan 2006")
		}
		return fmt.Sprint(v)
	}
	if p.GE != nil {
		parts = append(parts, "from "+bound(*p.GE))
	}
	if p.LE != nil {
		parts = append(parts, "up to "+bound(*p.LE))
	}
	if len(p.Options) > 0 {
		parts = append(parts, strconv.Itoa(len(p.Options))+" options")
	}
	if p.Textarea != nil && *p.Textarea {
		parts = append(parts, "multi-line")
	}
	return strings.Join(parts, ", ")
}
