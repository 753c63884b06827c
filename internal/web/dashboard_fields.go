package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

func (w *Web) fieldList(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	pg, offset := pageOf(r)
	page := tablePage{dashPage: w.page(r, s, "Custom fields", "fields"), Empty: "No custom fields yet. Create them through the API.",
		Lede:    "Extra questions asked at checkout for the products they are attached to. Answers are stored under the slug.",
		Columns: []string{"Name", "Slug", "Type", "Settings"}}
	err := w.Store.Read(r.Context(), func(tx *store.Tx) error {
		list, total, err := tx.CustomFieldList(r.Context(), store.CustomFieldListParams{OrganizationID: s.Org.ID,
			ListParams: store.ListParams{Limit: pageSize, Offset: offset}})
		page.Pager = newPager(r, pg, total)
		for _, f := range list {
			page.Rows = append(page.Rows, []cell{txt(f.Name), {Text: f.Slug, Mono: true}, txt(f.Type), txt(fieldSettings(f))})
		}
		return err
	})
	if err != nil {
		return err
	}
	w.render(rw, r, http.StatusOK, "dash_table", page)
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
