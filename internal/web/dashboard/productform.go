package dashboard

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/catalog"
	"github.com/paylink/paylink/internal/files"
	"github.com/paylink/paylink/internal/web"
)

// productForm is the create and edit form's values, as typed.
type productForm struct {
	ID, Version, Name, Description   string
	Interval, IntervalCount          string // Interval "" is one-time
	AmountType, Currency             string // fixed | custom | free
	Amount, Minimum, Maximum, Preset string
	Archived                         bool
	Attach                           []paylink.FieldAttachment // the custom fields asked at checkout, in order
	FieldOrder                       []string                  // the fields' rows as posted, in display order
	Fields                           []fieldChoice             // every custom field of the organization, as rows
	Medias                           []uploadedItem            // its images, in order
}

// fieldChoice is one row of the product form's custom fields.
type fieldChoice struct {
	ID, Name, Type    string
	Checked, Required bool
}

type productPage struct {
	dashPage
	Form   productForm
	Images uploadControl // the images' upload control, from Form.Medias and Errors
	Errors formErrors
	Stale  string // the form was filled from an older version of the product
	New    bool
}

func productFormOf(p *paylink.Product) productForm {
	f := productForm{ID: p.ID, Version: catalog.Version(p.CreatedAt, p.ModifiedAt), Name: p.Name, Description: deref(p.Description), Archived: p.IsArchived, AmountType: "fixed", Currency: "usd"}
	for _, a := range p.CustomFields {
		f.Attach = append(f.Attach, paylink.FieldAttachment{CustomFieldID: a.CustomFieldID, Required: a.Required})
	}
	f.Medias = uploadedItems(p.Medias)
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
			f.Minimum = web.DecimalAmount(pr.MinimumAmount, pr.Currency)
			if pr.MaximumAmount != nil {
				f.Maximum = web.DecimalAmount(*pr.MaximumAmount, pr.Currency)
			}
			if pr.PresetAmount != nil {
				f.Preset = web.DecimalAmount(*pr.PresetAmount, pr.Currency)
			}
		case pr.PriceAmount == 0:
			f.AmountType = paylink.PriceFree
		default:
			f.Amount = web.DecimalAmount(pr.PriceAmount, pr.Currency)
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
	for _, id := range postedFiles(v, "medias") {
		f.Medias = append(f.Medias, uploadedItem{ID: id, Name: "Image", URL: files.PublicPath(&paylink.File{ID: id})})
	}
	f.FieldOrder = rowOrder(v, "field_order")
	f.Attach = []paylink.FieldAttachment{}
	for _, id := range picked(v, "field", f.FieldOrder) {
		f.Attach = append(f.Attach, paylink.FieldAttachment{CustomFieldID: id, Required: checked(v, "required-"+id)})
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

// inputField is one text input of a form, for templates that range over several.
type inputField struct{ Name, Label, Value, Error, Help string }

// newInput is the template function "input": one text input of a form, with
// its error and help text ("" for none).
func newInput(name, label, value, err, help string) inputField {
	return inputField{Name: name, Label: label, Value: value, Error: err, Help: help}
}

// PWYWFields are the pay-what-you-want inputs of the form.
func (p productPage) PWYWFields() []inputField {
	return []inputField{
		{"minimum", "Minimum", p.Form.Minimum, p.Errors.Field["minimum"], ""},
		{"maximum", "Maximum", p.Form.Maximum, p.Errors.Field["maximum"], ""},
		{"preset", "Suggested amount", p.Form.Preset, p.Errors.Field["preset"], ""},
	}
}

// mediaIDs is the ids of the form's images, for the product's medias.
func (f productForm) mediaIDs() []string {
	ids := make([]string, len(f.Medias))
	for i, m := range f.Medias {
		ids[i] = m.ID
	}
	return ids
}
