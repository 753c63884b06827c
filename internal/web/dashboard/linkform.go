package dashboard

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/catalog"
)

// metaRowsMin is how many metadata rows the form shows at least, so that a
// browser without JavaScript can add a few without a round trip.
const metaRowsMin = 3

type productChoice struct {
	ID, Name, Price string
	Checked         bool
}

type option struct{ Value, Label string }

type metaRow struct {
	Index             int
	Key, Value, Error string
}

// linkForm is the New Link and edit form's values, as typed.
type linkForm struct {
	ID, Version, Label, DiscountID, SuccessURL string
	ReturnURL                                  string
	InactiveMessage, ExpiresAt, MaxCompletions string
	AllowCodes, Active, RequireBilling         bool
	Products                                   []productChoice
	Discounts                                  []option
	Meta                                       []metaRow
	Order                                      []string // the products' rows as posted, in display order
}

type linkPage struct {
	dashPage
	Form   linkForm
	Errors formErrors
	Stale  string // the form was filled from an older version of the link
	New    bool
	URL    string
}

// linkFormOf fills the form from a stored link.
func linkFormOf(l *paylink.CheckoutLink) linkForm {
	f := linkForm{ID: l.ID, Version: catalog.Version(l.CreatedAt, l.ModifiedAt), Label: deref(l.Label), DiscountID: deref(l.DiscountID), SuccessURL: deref(l.SuccessURL),
		ReturnURL: deref(l.ReturnURL), InactiveMessage: deref(l.InactiveMessage), AllowCodes: l.AllowDiscountCodes,
		Active: l.Active, RequireBilling: l.RequireBillingAddress}
	if l.ExpiresAt != nil {
		f.ExpiresAt = l.ExpiresAt.UTC().Format("2006-01-02T15:04")
	}
	if l.MaxCompletions != nil {
		f.MaxCompletions = strconv.Itoa(*l.MaxCompletions)
	}
	for _, p := range pairs(l.Metadata) {
		f.Meta = append(f.Meta, metaRow{Key: p.Key, Value: p.Value})
	}
	return f
}

// readLinkForm reads the posted form into the form's values and the rules' input.
// Checked products come in the order of their rows (see rowOrder).
func readLinkForm(v url.Values, errs *formErrors) (linkForm, paylink.LinkInput) {
	f := linkForm{Label: strings.TrimSpace(v.Get("label")), DiscountID: v.Get("discount_id"),
		SuccessURL: strings.TrimSpace(v.Get("success_url")), ReturnURL: strings.TrimSpace(v.Get("return_url")),
		InactiveMessage: strings.TrimSpace(v.Get("inactive_message")), ExpiresAt: strings.TrimSpace(v.Get("expires_at")),
		MaxCompletions: strings.TrimSpace(v.Get("max_completions")), AllowCodes: checked(v, "allow_discount_codes"),
		Active: checked(v, "active"), RequireBilling: checked(v, "require_billing_address")}
	in := paylink.LinkInput{AllowDiscountCodes: &f.AllowCodes, Active: &f.Active, RequireBillingAddress: &f.RequireBilling,
		Null: map[string]bool{}}
	for field, val := range map[string]*string{"label": &f.Label, "discount_id": &f.DiscountID, "success_url": &f.SuccessURL,
		"return_url": &f.ReturnURL, "inactive_message": &f.InactiveMessage} {
		if *val == "" {
			in.Null[field] = true
			continue
		}
		s := *val
		switch field {
		case "label":
			in.Label = &s
		case "discount_id":
			in.DiscountID = &s
		case "success_url":
			in.SuccessURL = &s
		case "return_url":
			in.ReturnURL = &s
		case "inactive_message":
			in.InactiveMessage = &s
		}
	}
	if f.ExpiresAt == "" {
		in.Null["expires_at"] = true
	} else if t, err := time.Parse("2006-01-02T15:04", f.ExpiresAt); err == nil {
		s := t.UTC().Format(time.RFC3339)
		in.ExpiresAt = &s
	} else {
		errs.add("expires_at", "Enter a date and time, like 2030-12-31 23:59.")
	}
	if f.MaxCompletions == "" {
		in.Null["max_completions"] = true
	} else if n, err := strconv.Atoi(f.MaxCompletions); err == nil {
		in.MaxCompletions = &n
	} else {
		errs.add("max_completions", "Enter a whole number, or leave it empty for no limit.")
	}
	f.Order = rowOrder(v, "order")
	in.ProductIDs = picked(v, "product", f.Order)
	in.Metadata, f.Meta = readMeta(v, errs)
	return f, in
}

// readMeta reads the Key/Value rows (blank rows are skipped; a key used twice is
// an error at its second row) and applies the row buttons of the no-script form:
// "Add row" and each row's "Remove".
func readMeta(v url.Values, errs *formErrors) (map[string]any, []metaRow) {
	keys, vals := v["meta_key"], v["meta_value"]
	remove, _ := strconv.Atoi(v.Get("remove_row"))
	if v.Get("remove_row") == "" {
		remove = -1
	}
	meta := map[string]any{}
	var rows []metaRow
	for i := range keys {
		k, val := strings.TrimSpace(keys[i]), ""
		if i < len(vals) {
			val = strings.TrimSpace(vals[i])
		}
		if i == remove || (k == "" && val == "") {
			continue
		}
		row := metaRow{Key: k, Value: val}
		if _, dup := meta[k]; dup {
			row.Error = "This key is already used above."
			errs.add("meta", row.Error)
		} else {
			meta[k] = val
		}
		rows = append(rows, row)
	}
	if v.Get("action") == "add_row" {
		rows = append(rows, metaRow{})
	}
	return meta, rows
}

// withChoices fills in the products and discounts to choose from, marking the
// picked ones. The rows keep the order posted (f.Order) or else show the picked
// products first, in their order, so the list reads like the link. Products
// already on the link stay listed even when archived, so that an edit can
// remove them.
func (f *linkForm) withChoices(products []*paylink.Product, discounts []*paylink.Discount, picked []string) {
	f.Products = nil
	for _, p := range products {
		at := slices.Index(picked, p.ID)
		if p.IsArchived && at < 0 {
			continue
		}
		c := productChoice{ID: p.ID, Name: p.Name, Price: priceText(p), Checked: at >= 0}
		if p.IsArchived {
			c.Name += " (archived)"
		}
		f.Products = append(f.Products, c)
	}
	order := f.Order
	if len(order) == 0 {
		order = picked
	}
	byOrder(f.Products, order, func(c productChoice) string { return c.ID })
	f.Discounts = []option{{"", "None"}}
	for _, d := range discounts {
		label := d.Name
		if d.Code != nil {
			label += " (code " + *d.Code + ")"
		}
		f.Discounts = append(f.Discounts, option{d.ID, label})
	}
	for len(f.Meta) < metaRowsMin {
		f.Meta = append(f.Meta, metaRow{})
	}
	for i := range f.Meta {
		f.Meta[i].Index = i
	}
}
