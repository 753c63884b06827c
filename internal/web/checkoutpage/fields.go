package checkoutpage

import (
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/web"
)

// checkoutField is one labelled control with its value and error.
type checkoutField struct {
	ID, Name, Label, Type, Value, Error, Help, Placeholder, Autocomplete, Inputmode, Prefix string
	Min, Max                                                                                string
	Required, Checked, Focus                                                                bool
	// OptionsHTML are a select's <option>s, rendered (optionsHTML): the
	// country list's 250 options were the most of a page's render.
	OptionsHTML template.HTML
	// HTML is the whole field rendered, when fieldHTML kept it; "" renders it.
	HTML template.HTML
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
		Required: a.Required, Help: web.TextOf(pp.FormHelpText), Placeholder: web.TextOf(pp.FormPlaceholder)}
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

// countryOptionsHTML returns the <option>s of countryOptions with selected
// chosen, rendered once per selected value (at most one per country and "").
func countryOptionsHTML(selected string) template.HTML {
	if h, ok := countryHTML.Load(selected); ok {
		return h.(template.HTML)
	}
	h := optionsHTML(countryOptions, selected)
	if len(selected) <= 3 { // a country code or "": the cache stays small
		countryHTML.Store(selected, h)
	}
	return h
}

var countryHTML sync.Map // selected value → template.HTML

// optionsHTML renders the <option>s of a select, with selected chosen.
func optionsHTML(options []paylink.SelectOption, selected string) template.HTML {
	var b strings.Builder
	for _, o := range options {
		b.WriteString(`<option value="`)
		b.WriteString(template.HTMLEscapeString(o.Value))
		b.WriteByte('"')
		if o.Value == selected {
			b.WriteString(` selected`)
		}
		b.WriteByte('>')
		b.WriteString(template.HTMLEscapeString(o.Label))
		b.WriteString(`</option>`)
	}
	return template.HTML(b.String())
}

// fragments keeps parts of the checkout page rendered, by all they show (K,
// the part's comparable data): most of a page is the same on every request
// (the card fields, an empty email, a product's custom fields, the product
// choices), and html/template's reflection over it was the larger part of
// the page's render. A kept fragment is html/template's own output for the
// same data, so it is escaped as the page would escape it.
type fragments[K comparable] struct {
	part string // the template that renders a K
	mu   sync.Mutex
	m    map[K]template.HTML
}

// fragmentsLimit bounds each map (values typed in make new fields); a full map
// starts again empty.
const fragmentsLimit = 4096

// html returns key rendered by c's template, as the page would render it; ""
// (the page renders it) when the template fails. keep false renders it
// without keeping it (what a rejected post shows again is not worth keeping).
func (c *fragments[K]) html(site *web.Site, key K, keep bool) template.HTML {
	c.mu.Lock()
	h, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return h
	}
	h, err := site.Fragment("checkout", c.part, &key)
	if err != nil {
		return ""
	}
	if keep {
		c.mu.Lock()
		if c.m == nil || len(c.m) >= fragmentsLimit {
			c.m = map[K]template.HTML{}
		}
		c.m[key] = h
		c.mu.Unlock()
	}
	return h
}

// pageFragments are the parts of the page Page keeps rendered.
type pageFragments struct {
	fields           fragments[checkoutField]
	choices, singles fragments[checkoutProduct]
}

func newPageFragments() pageFragments {
	return pageFragments{fields: fragments[checkoutField]{part: "field"},
		choices: fragments[checkoutProduct]{part: "product_choice"}, singles: fragments[checkoutProduct]{part: "product_single"}}
}

// fieldHTML is f rendered by the "field" template.
func (w *Page) fieldHTML(f *checkoutField) template.HTML {
	key := *f
	key.HTML = ""
	return w.fragments.fields.html(&w.Site, key, f.Error == "")
}

// carriedValue is a hidden input of the form.
type carriedValue struct{ Name, Value string }

// carriedValues are the values of the other products' custom fields that the
// selected product does not have, carried in the form as hidden inputs: a
// customer who switches product and back finds what they typed or what was
// prefilled. They come from the post (a field just left, or carried before),
// else from the session. The session never stores them for a product without
// the field: readChanges reads only the fields of the product chosen.
func carriedValues(st *checkoutState, posted url.Values) []carriedValue {
	skip := map[string]bool{}
	if p := st.product(); p != nil {
		for _, a := range p.CustomFields {
			if a.CustomField != nil {
				skip[a.CustomField.Slug] = true
			}
		}
	}
	var out []carriedValue
	for _, p := range st.Products {
		for _, a := range p.CustomFields {
			f := a.CustomField
			if f == nil || skip[f.Slug] {
				continue
			}
			skip[f.Slug] = true
			name := "custom_field_data." + f.Slug
			v := posted.Get(name)
			if !posted.Has(name) {
				if d, ok := st.C.CustomFieldData[f.Slug]; ok && d != nil {
					v = fmt.Sprint(d)
				}
			}
			// A box is posted only when checked; an unchecked one carries nothing.
			if v == "" || f.Type == paylink.FieldCheckbox && v == "false" {
				continue
			}
			out = append(out, carriedValue{Name: name, Value: v})
		}
	}
	return out
}

// switchedTo is the session's product with the id, or nil (the flow rejects it).
func switchedTo(st *checkoutState, id string) *paylink.Product {
	for _, p := range st.Products {
		if strings.EqualFold(p.ID, id) {
			return p
		}
	}
	return nil
}
