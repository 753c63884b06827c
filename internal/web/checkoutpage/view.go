package checkoutpage

import (
	"fmt"
	"html/template"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/checkout"
	"github.com/paylink/paylink/internal/files"
	"github.com/paylink/paylink/internal/web"
)

// checkoutPage is what checkout.html renders.
type checkoutPage struct {
	Title     string
	Org       string
	Shop      web.ShopHeader
	Action    string // the form's URL
	Restart   string
	CSRF      string
	Sandbox   bool // the sandbox's card form and test cards
	TestMode  bool // the test-mode banner: the sandbox, or Stripe's test keys
	Products  []checkoutProduct
	Image     *productImage  // the selected product's first image
	Product   string         // the selected product's name
	Amount    *checkoutField // pay what you want only
	Codes     bool           // the discount code input is offered
	Applied   *checkoutDiscount
	Code      *checkoutField
	Fields    []*checkoutField // the selected product's custom fields
	Email     *checkoutField
	Name      *checkoutField
	Country   *checkoutField
	Countries []paylink.Country
	Card      []*checkoutField // number, expiry, CVC; none when free or in Stripe mode
	Stripe    *stripeForm      // Stripe mode: Stripe.js and the Payment Element; nil in the sandbox
	Payment   *checkoutField   // Stripe mode: the Payment Element's place and problem; nil when free
	Pending   *pendingPayment  // a payment waiting for the bank or for Stripe
	Summary   orderSummary
	PayLabel  string
	Free      bool  // no payment method needed, now or for renewals: no card form
	Shown     int64 // the total the pay button shows (checked on pay)
	Notice    string
	Errors    []*checkoutField // the fields in error, in page order (the error summary)
	Declined  bool             // the card was declined (the summary says so)

	Carried     []carriedValue // the other products' custom-field values, hidden (carriedValues)
	OrderOpen   bool           // the order starts expanded on a phone: the customer is working in it
	CardNote    string         // what becomes of the card (copy.go)
	PayDisabled bool           // the amount typed is invalid: nothing could be charged

	Embed *embedMode // embed mode: the close button, the theme, the messages; nil otherwise

	policy web.Policy // the page's CSP sources
}

// csp implements cspPage: Stripe's hosts in Stripe mode, and the origin of a
// plain-http success_url for form-action.
func (p *checkoutPage) CSP() web.Policy { return p.policy }

// checkoutProduct is one choice of the product list.
type checkoutProduct struct {
	ID, InputID, Name, Description, Price string
	Selected                              bool
	HTML                                  template.HTML // rendered (product_choice or product_single); "" renders it
}

// checkoutDiscount is the applied discount: its name and code, and what it takes off.
type checkoutDiscount struct {
	Label, Amount string
	Removable     bool
}

// orderSummary is the money lines of a session, formatted.
type orderSummary struct {
	Subtotal, Discount, DiscountLabel, Total, TotalLabel, Renewal string
}

// fieldProblems are messages keyed by form field name; "" holds the others.
type fieldProblems map[string]string

// buildCheckoutPage turns a session into its page. posted holds what the
// customer sent (shown again in the fields that are in error; card fields are
// never shown again); probs the errors.
func (w *Page) buildCheckoutPage(st *checkoutState, em *embedMode, csrf string, posted url.Values, probs fieldProblems, notice string) *checkoutPage {
	c := st.C
	p := &checkoutPage{Org: st.Org.Name, Shop: web.NewShopHeader(st.Org), Embed: em,
		Action: pagePath(c.ClientSecret, "") + em.query(), Restart: pagePath(c.ClientSecret, "/restart") + em.query(),
		CSRF: csrf, Sandbox: w.Sandbox, TestMode: w.TestMode(), Pending: st.Pending, Codes: c.AllowDiscountCodes, Countries: paylink.Countries, Notice: notice}
	sel := st.product()
	if sel != nil && len(sel.Medias) > 0 {
		p.Image = &productImage{URL: files.PublicPath(sel.Medias[0]), Alt: sel.Name}
	}
	for i, pr := range st.Products {
		if pr.ID != c.ProductID && (pr.IsArchived || pr.Price() == nil) {
			continue
		}
		p.Products = append(p.Products, checkoutProduct{ID: pr.ID, InputID: "product-" + strconv.Itoa(i), Name: pr.Name,
			Description: web.TextOf(pr.Description), Price: web.PriceLabel(pr), Selected: pr.ID == c.ProductID})
	}
	var fields []*checkoutField
	used := map[string]bool{}
	add := func(f *checkoutField) *checkoutField {
		if msg, ok := probs[f.Name]; ok {
			f.Error, used[f.Name] = checkoutMessage(f.Label, msg), true
		}
		if f.Error != "" && posted != nil && !strings.HasPrefix(f.Name, "card_") {
			if f.Type == "checkbox" {
				f.Checked = posted.Get(f.Name) != ""
			} else {
				f.Value = posted.Get(f.Name)
			}
		}
		fields = append(fields, f)
		return f
	}
	if sel != nil {
		p.Product = sel.Name
		p.Title = sel.Name + " · " + st.Org.Name
		if pr := sel.Price(); paylink.AmountChoosable(pr) {
			hint := "Minimum " + web.DisplayMoney(pr.MinimumAmount, pr.Currency)
			if pr.MaximumAmount != nil {
				hint += ", maximum " + web.DisplayMoney(*pr.MaximumAmount, pr.Currency)
			}
			p.Amount = add(&checkoutField{ID: "amount", Name: "amount", Label: "Amount", Type: "text", Inputmode: "decimal",
				Value: web.DecimalAmount(c.Amount, c.Currency), Help: hint, Required: true, Autocomplete: "off",
				Prefix: currencySymbol(c.Currency)})
		}
	} else {
		p.Title = st.Org.Name
	}
	if st.Discount != nil && c.DiscountAmount > 0 {
		p.Applied = &checkoutDiscount{Label: discountLabel(st.Discount), Amount: web.DisplayMoney(-c.DiscountAmount, c.Currency), Removable: c.AllowDiscountCodes}
	}
	p.Code = add(&checkoutField{ID: "discount-code", Name: "discount_code", Label: "Discount code", Type: "text",
		Autocomplete: "off"})
	if p.Applied != nil {
		p.Code.Help = "A code replaces the discount applied only if it saves you more."
	}
	p.Email = add(&checkoutField{ID: "email", Name: "customer_email", Label: "Email", Type: "email", Required: true,
		Value: web.TextOf(c.CustomerEmail), Autocomplete: "email", Help: emailHint})
	p.Name = add(&checkoutField{ID: "name", Name: "customer_name", Label: "Name", Type: "text",
		Value: web.TextOf(c.CustomerName), Autocomplete: "name"})
	if sel != nil {
		for _, a := range sel.CustomFields {
			if a.CustomField != nil {
				f := add(customFieldInput(a, c.CustomFieldData))
				if f.Type == paylink.FieldSelect {
					f.OptionsHTML = optionsHTML(a.CustomField.Properties.Options, f.Value) // after add, as the country's
				}
				p.Fields = append(p.Fields, f)
			}
		}
	}
	// A subscription free today but not later still takes a card, for its renewals.
	p.Free = !checkout.PaymentFormRequired(c, sel, st.Discount)
	setupOnly := checkout.PaymentSetupOnly(c, sel, st.Discount)
	if w.StripeMode() {
		p.Stripe = w.stripeForm(st)
		p.policy = web.StripePolicy
		if !p.Free {
			p.Payment = add(paymentField())
		}
	} else if !p.Free {
		p.Card = []*checkoutField{
			add(&checkoutField{ID: "card-number", Name: "card_number", Label: "Card number", Type: "text", Inputmode: "numeric",
				Autocomplete: "cc-number", Placeholder: "1234 1234 1234 1234", Required: true}),
			add(&checkoutField{ID: "card-expiry", Name: "card_expiry", Label: "Expiry", Type: "text", Inputmode: "numeric",
				Autocomplete: "cc-exp", Placeholder: "MM / YY", Required: true}),
			add(&checkoutField{ID: "card-cvc", Name: "card_cvc", Label: "CVC", Type: "text", Inputmode: "numeric",
				Autocomplete: "cc-csc", Placeholder: "123", Required: true}),
		}
	}
	p.Country = add(&checkoutField{ID: "country", Name: "country", Label: "Billing country", Type: "select",
		Required: !p.Free, Value: web.TextOf(c.BillingCountry), Autocomplete: "country"})
	p.Country.OptionsHTML = countryOptionsHTML(p.Country.Value) // after add: a rejected post shows what was chosen
	p.Summary = summarizeCheckout(st)
	p.Shown = c.TotalAmount
	p.PayLabel = "Pay " + web.DisplayMoney(c.TotalAmount, c.Currency)
	if p.Free {
		p.PayLabel = "Get it free"
	} else if setupOnly {
		p.PayLabel = setupPayLabel
	}
	if p.Amount != nil && p.Amount.Error != "" {
		// The session still holds the last valid amount, but the customer asked
		// for another: no total is true until the amount is, so none is shown.
		p.Summary.Subtotal, p.Summary.Total, p.Summary.Discount, p.Summary.Renewal = "—", "—", "", ""
		p.PayLabel, p.PayDisabled = "Pay", true
	}
	if p.Pending != nil {
		pp := *p.Pending
		pp.Text, pp.Next = pendingCopy(pp.Status, setupOnly)
		p.Pending = &pp
	}
	p.Carried = carriedValues(st, posted)
	p.CardNote = cardNote(p.Stripe != nil, sel != nil && sel.IsRecurring(), p.Free)
	if setupOnly {
		p.CardNote = setupNote(p.Stripe != nil)
	}
	p.Errors = checkoutErrors(fields)
	p.Declined = strings.HasSuffix(probs[paymentProblem], declinedNote)
	if o := formActionOrigin(c); o != "" && em == nil { // in embed mode the frame never goes to success_url
		p.policy.FormAction = []string{o}
	}
	if em != nil {
		p.policy.FrameAncestor = em.Origin
	}
	if p.Notice == "" {
		// Problems with no field on this page (the product, another product's field).
		keys := slices.Sorted(maps.Keys(probs))
		for _, k := range keys {
			if !used[k] {
				p.Notice = checkoutMessage("This field", probs[k])
				break
			}
		}
	}
	// Without JavaScript every change of the order reloads the page: it opens
	// again where the customer was, as it does on a problem in it.
	p.OrderOpen = posted != nil && posted.Get("action") != "pay" || p.Notice != "" ||
		p.Amount != nil && p.Amount.Error != "" || p.Code.Error != ""
	// The products and the fields the templates render, now that nothing changes them.
	part := &w.fragments.singles
	if len(p.Products) > 1 {
		part = &w.fragments.choices
	}
	for i := range p.Products {
		p.Products[i].HTML = part.html(&w.Site, p.Products[i], true)
	}
	for _, f := range slices.Concat([]*checkoutField{p.Amount, p.Email, p.Name}, p.Fields, p.Card, []*checkoutField{p.Country}) {
		if f != nil {
			f.HTML = w.fieldHTML(f)
		}
	}
	return p
}

// discountLabel names a discount as the page shows it: its name, and its code.
func discountLabel(d *paylink.Discount) string {
	if d.Code == nil {
		return d.Name
	}
	return d.Name + " (" + strings.ToUpper(*d.Code) + ")"
}

// checkoutErrors lists the fields in error in page order and gives the first
// the focus (autofocus: it works without JavaScript too).
func checkoutErrors(fields []*checkoutField) []*checkoutField {
	var out []*checkoutField
	for _, f := range fields {
		if f.Error != "" {
			out = append(out, f)
		}
	}
	if len(out) > 0 {
		out[0].Focus = true
	}
	return out
}

// summarizeCheckout computes the order summary lines of a session.
func summarizeCheckout(st *checkoutState) orderSummary {
	c := st.C
	s := orderSummary{Subtotal: web.DisplayMoney(c.Amount, c.Currency), Total: web.DisplayMoney(c.TotalAmount, c.Currency), TotalLabel: "Total"}
	if c.DiscountAmount > 0 {
		s.Discount = web.DisplayMoney(-c.DiscountAmount, c.Currency)
		s.DiscountLabel = "Discount"
		if st.Discount != nil {
			s.DiscountLabel = st.Discount.Name
		}
	}
	p := st.product()
	if iv := web.IntervalLabel(p); iv != "" {
		s.TotalLabel = "Total due today"
		next := c.NetAmount
		if st.Discount != nil && st.Discount.Duration == paylink.DurationOnce {
			next = c.Amount
		}
		s.Renewal = "Then " + web.DisplayMoney(next, c.Currency) + " every " + iv
		if st.Discount != nil && st.Discount.Duration == paylink.DurationRepeating && st.Discount.DurationInMonths != nil {
			s.Renewal += fmt.Sprintf(" for %d months, then %s", *st.Discount.DurationInMonths, web.DisplayMoney(c.Amount, c.Currency))
		}
		s.Renewal += ". " + renewalTerms
	}
	return s
}

// currencySymbol is the prefix of the Amount field: "$", or the ISO code.
func currencySymbol(currency string) string {
	if s, ok := paylink.CurrencySymbol(currency); ok {
		return s
	}
	return strings.ToUpper(currency)
}

// productImage is a product's picture on the checkout page.
type productImage struct{ URL, Alt string }
