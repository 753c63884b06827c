package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/paylink/paylink"
)

// checkoutField is one labelled control with its value and error.
type checkoutField struct {
	ID, Name, Label, Type, Value, Error, Help, Placeholder, Autocomplete, Inputmode, Prefix string
	Min, Max                                                                                string
	Required, Checked, Focus                                                                bool
	Options                                                                                 []paylink.SelectOption
}

// customFieldInput renders a merchant's field with the session's value.
func customFieldInput(a paylink.ProductCustomField, data map[string]any) *checkoutField {
	cf := a.CustomField
	pp := cf.Properties
	label := cf.Name
	if pp.FormLabel != nil && strings.TrimSpace(*pp.FormLabel) != "" {
		label = *pp.FormLabel
	}
	f := &checkoutField{ID: "cf-" + cf.Slug, Name: "custom_field_data." + cf.Slug, Label: label, Type: cf.Type,
		Required: a.Required, Help: textOf(pp.FormHelpText), Placeholder: textOf(pp.FormPlaceholder), Options: pp.Options}
	v, has := data[cf.Slug]
	switch cf.Type {
	case paylink.FieldText:
		if pp.Textarea != nil && *pp.Textarea {
			f.Type = "textarea"
		}
		if pp.MaxLength != nil {
			f.Max = strconv.Itoa(*pp.MaxLength)
		}
	case paylink.FieldNumber:
		f.Inputmode = "numeric"
		f.Min, f.Max = int64Attr(pp.GE), int64Attr(pp.LE)
	case paylink.FieldDate:
		f.Min, f.Max = dateAttr(pp.GE), dateAttr(pp.LE)
	case paylink.FieldCheckbox:
		f.Checked = v == true
		return f
	}
	if has && v != nil {
		f.Value = fmt.Sprint(v)
	}
	return f
}

// int64Attr renders an optional bound as an HTML attribute value.
func int64Attr(v *int64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatInt(*v, 10)
}

// dateAttr renders an optional date bound (unix seconds) as YYYY-MM-DD.
func dateAttr(v *int64) string {
	if v == nil {
		return ""
	}
	return time.Unix(*v, 0).UTC().Format(time.DateOnly)
}

// DescribedBy lists the ids of the field's error and hint, for aria-describedby.
func (f *checkoutField) DescribedBy() string {
	var ids []string
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	if f.Help != "" {
		ids = append(ids, f.ID+"-hint")
	}
	return strings.Join(ids, " ")
}

// countryOptions are the Billing country choices.
var countryOptions = func() []paylink.SelectOption {
	out := make([]paylink.SelectOption, len(paylink.Countries))
	for i, c := range paylink.Countries {
		out[i] = paylink.SelectOption{Value: c.Code, Label: c.Name}
	}
	return out
}()
