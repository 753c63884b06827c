package dashboard

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

// cell is one table cell: text, optionally a badge, a list of key–value pairs
// (metadata) or a secondary line.
type cell struct {
	Text, Badge, Sub string
	Pairs            []kv
	IsPairs          bool
	Mono             bool
	Nowrap           bool   // dates and amounts
	URL              string // the text links to this dashboard page
	Muted            bool   // "None", "—": quiet text
}

// tablePage is a list page: a heading, column names and rows of cells.
type tablePage struct {
	dashPage
	Lede    string
	Columns []string
	Rows    [][]cell
	Empty   string
	Pager   pager
}

func txt(s string) cell { return cell{Text: s} }

// dateCell shows the day, with the time (UTC) below it.
func dateCell(t time.Time) cell {
	t = t.UTC()
	return cell{Text: t.Format("2 Jan 2006"), Sub: t.Format("15:04") + " UTC", Nowrap: true}
}

func metaCell(m map[string]any) cell { return cell{Pairs: pairs(m), IsPairs: true} }

// names are the display names of what list rows refer to, loaded once per page.
type names struct {
	products, links map[string]string
	customers       map[string]*paylink.Customer
}

// loadNames loads the names of the products, of the customers with the ids
// and of the links with the ids linkIDs (nil ones are the API's sessions): the
// page's rows' links only, so that a page reads as many links as it shows,
// however many the organization has made.
func (w *Dashboard) loadNames(r *http.Request, tx *store.Tx, orgID string, customerIDs []string, linkIDs []*string) (*names, error) {
	n := &names{customers: map[string]*paylink.Customer{}, links: map[string]string{}}
	var err error
	if n.products, err = w.productNames(r, tx, orgID); err != nil {
		return nil, err
	}
	ids := []string{}
	for _, id := range linkIDs {
		if id != nil && !slices.Contains(ids, *id) {
			ids = append(ids, *id)
		}
	}
	links, _, err := tx.CheckoutLinkList(r.Context(), store.CheckoutLinkListParams{OrganizationID: orgID, IDs: ids})
	if err != nil {
		return nil, err
	}
	for _, l := range links {
		n.links[l.ID] = deref(l.Label)
		if n.links[l.ID] == "" {
			n.links[l.ID] = "Untitled link"
		}
	}
	for _, id := range customerIDs {
		if _, ok := n.customers[id]; ok || id == "" {
			continue
		}
		c, err := tx.CustomerGet(r.Context(), orgID, id)
		if err != nil {
			return nil, err
		}
		n.customers[id] = c
	}
	return n, nil
}

// billingReasons says why an order was made, in words.
var billingReasons = map[string]string{paylink.BillingPurchase: "Purchase",
	paylink.BillingSubscriptionCreate: "New subscription", paylink.BillingSubscriptionCycle: "Renewal"}

func (n *names) link(id *string) string {
	if id == nil {
		return "API"
	}
	if s, ok := n.links[*id]; ok {
		return s
	}
	return "Deleted link"
}

func (n *names) customer(id string) cell {
	c := n.customers[id]
	if c == nil {
		return txt("")
	}
	return customerCell(c)
}

func (w *Dashboard) checkoutList(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	pg, offset := pageOf(r)
	page := tablePage{dashPage: w.page(r, s, "Checkouts", "checkouts"), Empty: "No checkouts yet. Each visit to a checkout link opens one.",
		Lede:    "Every checkout session, from every link and the API, newest first.",
		Columns: []string{"Created", "Status", "Link", "Product", "Amount", "Customer"}}
	err := w.Store.Read(r.Context(), func(tx *store.Tx) error {
		list, total, err := tx.CheckoutList(r.Context(), store.CheckoutListParams{OrganizationID: s.Org.ID,
			ListParams: store.ListParams{Limit: pageSize, Offset: offset}})
		if err != nil {
			return err
		}
		page.Pager = newPager(r, pg, total)
		links := make([]*string, len(list))
		for i, c := range list {
			links[i] = c.CheckoutLinkID
		}
		n, err := w.loadNames(r, tx, s.Org.ID, nil, links)
		if err != nil {
			return err
		}
		for _, c := range list {
			amount := web.DisplayMoney(c.TotalAmount, c.Currency)
			sub := ""
			if c.DiscountAmount > 0 {
				sub = "after " + web.DisplayMoney(c.DiscountAmount, c.Currency) + " discount"
			}
			page.Rows = append(page.Rows, []cell{dateLinked(dateCell(c.CreatedAt), checkoutPath(c.ID)), {Badge: c.Status}, txt(n.link(c.CheckoutLinkID)),
				txt(n.products[c.ProductID]), {Text: amount, Sub: sub, Nowrap: true}, checkoutCustomerCell(c)})
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.Render(rw, r, http.StatusOK, "dash_table", page)
	return nil
}

func (w *Dashboard) orderList(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	pg, offset := pageOf(r)
	page := tablePage{dashPage: w.page(r, s, "Orders", "orders"), Empty: "No orders yet.",
		Columns: []string{"Created", "Customer", "Product", "Amount", "Link", "Metadata"}}
	err := w.Store.Read(r.Context(), func(tx *store.Tx) error {
		list, total, err := tx.OrderList(r.Context(), store.OrderListParams{OrganizationID: s.Org.ID,
			ListParams: store.ListParams{Limit: pageSize, Offset: offset}})
		if err != nil {
			return err
		}
		page.Pager = newPager(r, pg, total)
		fields := false
		ids, links := make([]string, len(list)), make([]*string, len(list))
		for i, o := range list {
			ids[i], links[i] = o.CustomerID, o.CheckoutLinkID
		}
		n, err := w.loadNames(r, tx, s.Org.ID, ids, links)
		if err != nil {
			return err
		}
		for _, o := range list {
			sub := ""
			if o.DiscountAmount > 0 {
				sub = web.DisplayMoney(o.DiscountAmount, o.Currency) + " discount"
			}
			if o.RefundedAmount > 0 {
				sub = strings.TrimPrefix(sub+", "+web.DisplayMoney(o.RefundedAmount, o.Currency)+" refunded", ", ")
			}
			page.Rows = append(page.Rows, []cell{dateLinked(dateCell(o.CreatedAt), orderPath(o.ID)), n.customer(o.CustomerID),
				{Text: n.products[o.ProductID], Sub: billingReasons[o.BillingReason]},
				{Text: web.DisplayMoney(o.TotalAmount, o.Currency), Sub: sub, Nowrap: true},
				txt(n.link(o.CheckoutLinkID)), metaCell(o.Metadata)})
			if len(o.CustomFieldData) > 0 {
				fields = true
			}
		}
		if fields { // a column for the answers to custom fields, when there are any
			page.Columns = append(page.Columns, "Custom fields")
			for i, o := range list {
				page.Rows[i] = append(page.Rows[i], metaCell(o.CustomFieldData))
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.Render(rw, r, http.StatusOK, "dash_table", page)
	return nil
}

func (w *Dashboard) subscriptionList(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	pg, offset := pageOf(r)
	page := tablePage{dashPage: w.page(r, s, "Subscriptions", "subscriptions"), Empty: "No subscriptions yet.",
		Columns: []string{"Started", "Status", "Customer", "Product", "Amount", "Renews", "Link", "Metadata"}}
	err := w.Store.Read(r.Context(), func(tx *store.Tx) error {
		list, total, err := tx.SubscriptionList(r.Context(), store.SubscriptionListParams{OrganizationID: s.Org.ID,
			ListParams: store.ListParams{Limit: pageSize, Offset: offset}})
		if err != nil {
			return err
		}
		page.Pager = newPager(r, pg, total)
		ids, links := make([]string, len(list)), make([]*string, len(list))
		for i, sub := range list {
			ids[i], links[i] = sub.CustomerID, sub.CheckoutLinkID
		}
		n, err := w.loadNames(r, tx, s.Org.ID, ids, links)
		if err != nil {
			return err
		}
		for _, sub := range list {
			count := sub.IntervalCount
			renews := dateCell(sub.CurrentPeriodEnd)
			switch {
			case sub.Status == paylink.SubscriptionCanceled:
				renews = txt("—")
			case sub.CancelAtPeriodEnd && sub.EndsAt != nil: // it ends then instead
				renews = dateCell(*sub.EndsAt)
				renews.Text = "Ends " + renews.Text
			}
			page.Rows = append(page.Rows, []cell{dateLinked(dateCell(sub.StartedAt), subscriptionPath(sub.ID)), {Badge: strings.ReplaceAll(sub.Status, "_", " ")},
				n.customer(sub.CustomerID), txt(n.products[sub.ProductID]),
				txt(web.DisplayMoney(sub.Amount, sub.Currency) + intervalText(&sub.RecurringInterval, &count)),
				renews, txt(n.link(sub.CheckoutLinkID)), metaCell(sub.Metadata)})
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.Render(rw, r, http.StatusOK, "dash_table", page)
	return nil
}

func (w *Dashboard) customerList(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	pg, offset := pageOf(r)
	page := tablePage{dashPage: w.page(r, s, "Customers", "customers"), Empty: "No customers yet. A customer is created with their first order.",
		Columns: []string{"Email", "Name", "Country", "Since"}}
	err := w.Store.Read(r.Context(), func(tx *store.Tx) error {
		list, total, err := tx.CustomerList(r.Context(), store.CustomerListParams{OrganizationID: s.Org.ID,
			ListParams: store.ListParams{Limit: pageSize, Offset: offset}})
		page.Pager = newPager(r, pg, total)
		for _, c := range list {
			page.Rows = append(page.Rows, []cell{linked(c.Email, customerPath(c.ID)), txt(deref(c.Name)), txt(deref(c.BillingCountry)), dateCell(c.CreatedAt)})
		}
		return err
	})
	if err != nil {
		return err
	}
	w.Render(rw, r, http.StatusOK, "dash_table", page)
	return nil
}
