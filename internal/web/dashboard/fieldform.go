package dashboard

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/catalog"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

// fieldTypeNames are the custom field types as the form offers them.
var fieldTypeNames = map[string]string{paylink.FieldText: "Text", paylink.FieldNumber: "Number",
	paylink.FieldDate: "Date", paylink.FieldCheckbox: "Checkbox", paylink.FieldSelect: "Choice list"}

// fieldForm is the custom field form's values, as typed. Dates are YYYY-MM-DD;
// options are one per line, "value = Label" or just a label.
type fieldForm struct {
	ID, Version, Type, Slug, Name string
	Label, Help, Placeholder      string
	MinLength, MaxLength, GE, LE  string
	DateGE, DateLE, Options       string
	Textarea                      bool
}

type fieldPage struct {
	dashPage
	Form   fieldForm
	Errors formErrors
	Stale  string
	New    bool
	Types  []option
}

const dateForm = "2006-01-02"

func fieldFormOf(f *paylink.CustomField) fieldForm {
	p := f.Properties
	out := fieldForm{ID: f.ID, Version: catalog.Version(f.CreatedAt, f.ModifiedAt), Type: f.Type, Slug: f.Slug, Name: f.Name,
		Label: deref(p.FormLabel), Help: deref(p.FormHelpText), Placeholder: deref(p.FormPlaceholder),
		Textarea: p.Textarea != nil && *p.Textarea}
	itoa := func(v *int) string {
		if v == nil {
			return ""
		}
		return strconv.Itoa(*v)
	}
	bound := func(v *int64, date bool) string {
		switch {
		case v == nil:
			return ""
		case date:
			return time.Unix(*v, 0).UTC().Format(dateForm)
		}
		return strconv.FormatInt(*v, 10)
	}
	out.MinLength, out.MaxLength = itoa(p.MinLength), itoa(p.MaxLength)
	if f.Type == paylink.FieldDate {
		out.DateGE, out.DateLE = bound(p.GE, true), bound(p.LE, true)
	} else {
		out.GE, out.LE = bound(p.GE, false), bound(p.LE, false)
	}
	var lines []string
	for _, o := range p.Options {
		if o.Value == o.Label {
			lines = append(lines, o.Label)
		} else {
			lines = append(lines, o.Value+" = "+o.Label)
		}
	}
	out.Options = strings.Join(lines, "\n")
	return out
}

// readFieldForm reads the posted form and the properties of its type; numbers
// and dates that do not parse are reported on errs at their field.
func readFieldForm(v url.Values, typ string, errs *formErrors) (fieldForm, paylink.CustomFieldProperties) {
	t := func(name string) string { return strings.TrimSpace(v.Get(name)) }
	f := fieldForm{Type: typ, Slug: t("slug"), Name: t("name"), Label: t("form_label"), Help: t("form_help_text"),
		Placeholder: t("form_placeholder"), MinLength: t("min_length"), MaxLength: t("max_length"), GE: t("ge"), LE: t("le"),
		DateGE: t("date_ge"), DateLE: t("date_le"), Options: v.Get("options"), Textarea: checked(v, "textarea")}
	p := paylink.CustomFieldProperties{FormLabel: &f.Label, FormHelpText: &f.Help, FormPlaceholder: &f.Placeholder}
	whole := func(field, text string) *int64 {
		if text == "" {
			return nil
		}
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			errs.add(field, "Enter a whole number.")
			return nil
		}
		return &n
	}
	date := func(field, text string) *int64 {
		if text == "" {
			return nil
		}
		d, err := time.Parse(dateForm, text)
		if err != nil {
			errs.add(field, "Enter a date like 2030-12-31.")
			return nil
		}
		n := d.Unix()
		return &n
	}
	switch typ {
	case paylink.FieldText:
		p.Textarea = &f.Textarea
		for _, l := range []struct {
			field, text string
			dst         **int
		}{{"min_length", f.MinLength, &p.MinLength}, {"max_length", f.MaxLength, &p.MaxLength}} {
			if n := whole(l.field, l.text); n != nil {
				m := int(*n)
				*l.dst = &m
			}
		}
	case paylink.FieldNumber:
		p.GE, p.LE = whole("ge", f.GE), whole("le", f.LE)
	case paylink.FieldDate:
		p.GE, p.LE = date("date_ge", f.DateGE), date("date_le", f.DateLE)
	case paylink.FieldSelect:
		p.Options = []paylink.SelectOption{}
		for _, line := range strings.Split(f.Options, "\n") {
			if line = strings.TrimSpace(line); line == "" {
				continue
			}
			value, label, ok := strings.Cut(line, "=")
			if !ok {
				label = value
			}
			p.Options = append(p.Options, paylink.SelectOption{Value: strings.TrimSpace(value), Label: strings.TrimSpace(label)})
		}
	}
	return f, p
}

// optionLine prefixes the messages of options with their line number, read
// from the list index that follows "options" in the location.
func optionLine(err error) error {
	var e *paylink.Error
	if !errors.As(err, &e) {
		return err
	}
	for i, f := range e.Fields {
		for j := 0; j+1 < len(f.Loc); j++ {
			if n, isIndex := f.Loc[j+1].(int); isIndex && f.Loc[j] == "options" {
				e.Fields[i].Msg = "line " + strconv.Itoa(n+1) + ": " + f.Msg
				break
			}
		}
	}
	return e
}

func (w *Dashboard) fieldPageOf(r *http.Request, s *dashSession, title string, f fieldForm, errs formErrors) fieldPage {
	page := fieldPage{dashPage: w.page(r, s, title, "fields"), Form: f, Errors: errs}
	for _, t := range []string{paylink.FieldText, paylink.FieldNumber, paylink.FieldDate, paylink.FieldCheckbox, paylink.FieldSelect} {
		page.Types = append(page.Types, option{t, fieldTypeNames[t]})
	}
	return page
}

func (w *Dashboard) fieldNew(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	page := w.fieldPageOf(r, s, "New custom field", fieldForm{Type: paylink.FieldText}, formErrors{})
	page.New = true
	w.Render(rw, r, http.StatusOK, "dash_field", page)
	return nil
}

func (w *Dashboard) fieldCreate(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	var errs formErrors
	typ := r.PostForm.Get("type")
	f, props := readFieldForm(r.PostForm, typ, &errs)
	in := paylink.CustomFieldParams{Type: typ, Slug: f.Slug, Name: f.Name, Properties: props}
	var err error
	if errs.Any() {
		_, err = paylink.NewCustomField(s.Org.ID, in) // the rules' messages too; nothing is saved
	} else if _, err = w.Catalog.CustomFieldCreate(r.Context(), s.Org.ID, in); err == nil {
		done(rw, r, web.DashPath+"/custom-fields", "field-created")
		return nil
	}
	if err := errs.collect(optionLine(err), fieldField(typ)); err != nil {
		return err
	}
	page := w.fieldPageOf(r, s, "New custom field", f, errs)
	page.New = true
	w.Render(rw, r, http.StatusUnprocessableEntity, "dash_field", page)
	return nil
}

// fieldOf loads the custom field of the path's id, scoped to the user's organization.
func (w *Dashboard) fieldOf(r *http.Request, s *dashSession) (*paylink.CustomField, error) {
	id, err := pathID(r, "custom field")
	if err != nil {
		return nil, err
	}
	var f *paylink.CustomField
	err = w.Store.Read(r.Context(), func(tx *store.Tx) (err error) {
		f, err = tx.CustomFieldGet(r.Context(), s.Org.ID, id)
		return err
	})
	return f, err
}

func (w *Dashboard) fieldEdit(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	f, err := w.fieldOf(r, s)
	if err != nil {
		return err
	}
	w.Render(rw, r, http.StatusOK, "dash_field", w.fieldPageOf(r, s, f.Name, fieldFormOf(f), formErrors{}))
	return nil
}

func (w *Dashboard) fieldSave(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	cur, err := w.fieldOf(r, s)
	if err != nil {
		return err
	}
	var errs formErrors
	f, props := readFieldForm(r.PostForm, cur.Type, &errs) // the type never changes
	f.ID, f.Version = cur.ID, r.PostForm.Get("version")
	patch := paylink.CustomFieldPatch{Type: cur.Type, Slug: &f.Slug, Name: &f.Name, Properties: &props}
	if errs.Any() {
		_, err = patch.Apply(cur) // the rules' messages too; nothing is saved
	} else if _, err = w.Catalog.CustomFieldUpdate(r.Context(), s.Org.ID, cur.ID, patch, postedVersion(r)); err == nil {
		done(rw, r, web.DashPath+"/custom-fields", "field-saved")
		return nil
	}
	page := w.fieldPageOf(r, s, cur.Name, f, errs)
	if msg, ok := staleMessage(err); ok {
		page.Stale, err = msg, nil
	}
	if err := page.Errors.collect(optionLine(err), fieldField(cur.Type)); err != nil {
		return err
	}
	w.Render(rw, r, formStatus(http.StatusUnprocessableEntity, page.Stale, page.Errors), "dash_field", page)
	return nil
}

func (w *Dashboard) fieldDelete(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	id, err := pathID(r, "custom field")
	if err != nil {
		return err
	}
	if err := w.Catalog.CustomFieldDelete(r.Context(), s.Org.ID, id); err != nil {
		return err
	}
	done(rw, r, web.DashPath+"/custom-fields", "field-deleted")
	return nil
}
