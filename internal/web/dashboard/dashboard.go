package dashboard

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/web"
)

// dashPage is what every signed-in page shows around its content.
type dashPage struct {
	Title   string
	Section string // the navigation entry to mark as current
	CSRF    string
	OrgName string
	Email   string
	Notice  string // a one-line confirmation of the last action
}

// notices are the confirmations a redirect after a form post can ask for with
// ?done=…; only these fixed texts are ever shown.
var notices = map[string]string{
	"benefit-created": "Benefit created.", "benefit-saved": "Benefit saved.", "benefit-deleted": "Benefit deleted.",
	"product-benefits-saved": "Benefits saved.", "license-key-saved": "License key saved.",
	"license-key-deactivated": "Activation removed.",
	"product-created":         "Product created.", "product-saved": "Product saved.",
	"product-archived": "Product archived.", "product-restored": "Product restored.",
	"link-created": "Checkout link created.", "link-saved": "Checkout link saved.",
	"link-deactivated": "Checkout link deactivated.", "link-activated": "Checkout link activated.",
	"link-rotated": "New URL issued. The old URL no longer works.", "link-deleted": "Checkout link deleted.",
	"token-revoked": "API token revoked.", "discount-created": "Discount created.",
	"discount-deleted": "Discount deleted.", "discount-saved": "Discount saved.",
	"field-created": "Custom field created.", "field-saved": "Custom field saved.", "field-deleted": "Custom field deleted.",
	"webhook-saved": "Webhook endpoint saved.", "webhook-deleted": "Webhook endpoint deleted.",
	"webhook-enabled": "Webhook endpoint enabled.", "webhook-disabled": "Webhook endpoint disabled.",
	"webhook-redeliver": "The event will be sent again in a moment, with the same webhook-id.",
	"settings-saved":    "Settings saved.", "member-removed": "Member removed. Their sessions have ended.",
	"refund-created":          "Refund made. The money goes back to the customer's payment method.",
	"subscription-canceled":   "The subscription ends at the end of its period.",
	"subscription-uncanceled": "The subscription renews again.", "subscription-revoked": "The subscription has ended.",
}

func (w *Dashboard) page(r *http.Request, s *dashSession, title, section string) dashPage {
	return dashPage{Title: title, Section: section, CSRF: s.Sess.CSRF, OrgName: s.Org.Name, Email: s.User.Email,
		Notice: notices[r.URL.Query().Get("done")]}
}

// done redirects (303) to path with a confirmation notice.
func done(rw http.ResponseWriter, r *http.Request, path, notice string) {
	http.Redirect(rw, r, path+"?done="+url.QueryEscape(notice), http.StatusSeeOther)
}

// pageSize is the number of rows of a dashboard list page.
const pageSize = 50

// pager is the position in a long list.
type pager struct {
	Page, Pages, Total int
	Prev, Next         string // URLs, "" at the ends
}

// pageOf reads ?page= and returns the pager for total rows (filled in by fill) and
// the offset of the page.
func pageOf(r *http.Request) (page, offset int) {
	page, _ = strconv.Atoi(r.URL.Query().Get("page"))
	if page < 1 || page > 1_000_000 {
		page = 1
	}
	return page, (page - 1) * pageSize
}

func newPager(r *http.Request, page, total int) pager {
	p := pager{Page: page, Total: total, Pages: (total + pageSize - 1) / pageSize}
	if p.Pages < 1 {
		p.Pages = 1
	}
	at := func(n int) string { return r.URL.Path + "?page=" + strconv.Itoa(n) }
	if page > 1 {
		p.Prev = at(page - 1)
	}
	if page < p.Pages {
		p.Next = at(page + 1)
	}
	return p
}

// kv is one metadata or custom field entry, formatted for display.
type kv struct{ Key, Value string }

// pairs formats a map sorted by key: metadata, custom field data.
func pairs[M ~map[string]any](m M) []kv {
	out := make([]kv, 0, len(m))
	for k, v := range m {
		out = append(out, kv{k, fmt.Sprint(v)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// when formats a time for a table cell, in UTC.
func when(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04") + " UTC" }

// whenPtr is when for an optional time; "" for none.
func whenPtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return when(*t)
}

// priceText describes a product's live price: "$29.00", "$9.00 / month",
// "Pay what you want (from $2.00)", "Free".
func priceText(p *paylink.Product) string {
	pr := p.Price()
	if pr == nil {
		return "No price"
	}
	var s string
	switch {
	case pr.AmountType == paylink.PriceCustom:
		s = "Pay what you want, from " + web.DisplayMoney(pr.MinimumAmount, pr.Currency)
		if pr.MaximumAmount != nil {
			s += " to " + web.DisplayMoney(*pr.MaximumAmount, pr.Currency)
		}
	case pr.AmountType == paylink.PriceFree || pr.PriceAmount == 0:
		s = "Free"
	default:
		s = web.DisplayMoney(pr.PriceAmount, pr.Currency)
	}
	return s + intervalText(p.RecurringInterval, p.RecurringIntervalCount)
}

// intervalText is " / month", " / 3 months", or "" for one-time products.
func intervalText(interval *string, count *int) string {
	if interval == nil {
		return ""
	}
	if count != nil && *count > 1 {
		return fmt.Sprintf(" / %d %ss", *count, *interval)
	}
	return " / " + *interval
}
