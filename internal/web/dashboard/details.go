package dashboard

import (
	"net/http"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/portal"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

// Dashboard paths of the pages that list rows link to.
func orderPath(id string) string        { return web.DashPath + "/orders/" + id }
func checkoutPath(id string) string     { return web.DashPath + "/checkouts/" + id }
func customerPath(id string) string     { return web.DashPath + "/customers/" + id }
func subscriptionPath(id string) string { return web.DashPath + "/subscriptions/" + id }
func productPath(id string) string      { return web.DashPath + "/products/" + id }
func linkPath(id string) string         { return web.DashPath + "/links/" + id }

// fact is one labelled value of a detail page; a cell, so it can be a link,
// a badge, code or a pair list like any table cell.
type fact struct {
	Label string
	Value cell
}

// detailTable is a list of related rows on a detail page (a customer's orders).
type detailTable struct {
	Title   string
	Columns []string
	Rows    [][]cell
	Empty   string
}

// detailPage is an order, a checkout, a customer or a subscription: what the
// API returns for it, as labelled facts, its amounts, its metadata and custom
// field answers, and the related rows.
type detailPage struct {
	dashPage
	Kind     string   // "Order", "Customer", …; a customer has no custom field answers
	Back     web.Link // the list page
	Badge    string
	Facts    []fact
	Amounts  []fact
	Metadata []kv
	Fields   []kv
	Tables   []detailTable
	Refund   *refundForm // an order's Refund form; nil when nothing is left to refund
	Actions  []web.Link  // what can be done with it, each through a confirmation page
}

// pathID reads the {id} of a detail page; anything but a UUID is ENotFound
// for what, before it reaches the store.
func pathID(r *http.Request, what string) (string, error) {
	id := strings.ToLower(r.PathValue("id"))
	if !paylink.ValidID(id) {
		return "", paylink.NotFound(what)
	}
	return id, nil
}

// detail renders a detail page: the path's id (a UUID, else ENotFound for
// what), then build fills the page in one read transaction.
func (w *Dashboard) detail(rw http.ResponseWriter, r *http.Request, what string, build func(tx *store.Tx, id string, page *detailPage) error) error {
	return w.detailStatus(rw, r, what, http.StatusOK, build)
}

// detailStatus is detail answering with status (422 for a form with errors).
func (w *Dashboard) detailStatus(rw http.ResponseWriter, r *http.Request, what string, status int, build func(tx *store.Tx, id string, page *detailPage) error) error {
	id, err := pathID(r, what)
	if err != nil {
		return err
	}
	var page detailPage
	if err := w.Store.Read(r.Context(), func(tx *store.Tx) error { return build(tx, id, &page) }); err != nil {
		return err
	}
	w.Render(rw, r, status, "dash_detail", page)
	return nil
}

// linked is a cell showing text that opens path.
func linked(text, path string) cell { return cell{Text: text, URL: path} }

// optLinked links text to path(id) when id is set, else shows none.
func optLinked(id *string, text string, path func(string) string, none string) cell {
	if id == nil {
		return cell{Text: none, Muted: true}
	}
	if text == "" {
		text = *id
	}
	return linked(text, path(*id))
}

// code is a cell in monospace: ids and references.
func code(s string) cell { return cell{Text: s, Mono: true} }

// orText is s, or a muted dash when s is empty.
func orText(s string) cell {
	if s == "" {
		return cell{Text: "—", Muted: true}
	}
	return txt(s)
}

func yesNo(b bool) cell {
	if b {
		return txt("Yes")
	}
	return txt("No")
}

// discountCell names a discount (with its code), linked to the discounts page.
func discountCell(r *http.Request, tx *store.Tx, orgID string, id *string) (cell, error) {
	if id == nil {
		return cell{Text: "None", Muted: true}, nil
	}
	d, err := tx.DiscountGet(r.Context(), orgID, *id)
	if paylink.IsCode(err, paylink.ENotFound) {
		return cell{Text: "Deleted discount", Sub: *id}, nil
	}
	if err != nil {
		return cell{}, err
	}
	c := linked(d.Name, web.DashPath+"/discounts")
	if d.Code != nil {
		c.Sub = "Code " + *d.Code
	}
	return c, nil
}

// customerCell is a customer's email linked to their page, their name below.
func customerCell(c *paylink.Customer) cell {
	out := linked(c.Email, customerPath(c.ID))
	out.Sub = deref(c.Name)
	return out
}

// checkoutCustomerCell is the email a checkout has, linked to its customer once
// there is one.
func checkoutCustomerCell(c *paylink.Checkout) cell {
	if c.CustomerID == nil {
		return txt(deref(c.CustomerEmail))
	}
	return linked(deref(c.CustomerEmail), customerPath(*c.CustomerID))
}

// linkCell names the checkout link a row came from; "API" when none.
func (n *names) linkCell(id *string) cell {
	if id == nil {
		return cell{Text: "API", Muted: true}
	}
	if _, ok := n.links[*id]; !ok {
		return txt("Deleted link")
	}
	return linked(n.links[*id], linkPath(*id))
}

// productCell names a product, linked to its page.
func (n *names) productCell(id string) cell {
	name := n.products[id]
	if name == "" {
		return code(id)
	}
	return linked(name, productPath(id))
}

// moneyFacts are the amounts of an order or checkout, subtotal to total.
func moneyFacts(amount, discount, net, total int64, currency string) []fact {
	return []fact{{"Subtotal", txtNowrap(web.DisplayMoney(amount, currency))},
		{"Discount", txtNowrap(web.DisplayMoney(-discount, currency))},
		{"Net", txtNowrap(web.DisplayMoney(net, currency))},
		{"Tax", txtNowrap(web.DisplayMoney(0, currency))},
		{"Total", txtNowrap(web.DisplayMoney(total, currency))}}
}

func txtNowrap(s string) cell { return cell{Text: s, Nowrap: true} }

func (w *Dashboard) orderDetail(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	return w.orderPage(rw, r, s, nil)
}

// orderPage renders an order's page; form is its Refund form as posted (nil
// for a fresh one), and a form with errors answers 422.
func (w *Dashboard) orderPage(rw http.ResponseWriter, r *http.Request, s *dashSession, form *refundForm) error {
	status := http.StatusOK
	if form != nil && form.Errors.Any() {
		status = http.StatusUnprocessableEntity
	}
	return w.detailStatus(rw, r, "order", status, func(tx *store.Tx, id string, page *detailPage) error {
		o, err := tx.OrderGet(r.Context(), s.Org.ID, id)
		if err != nil {
			return err
		}
		n, err := w.loadNames(r, tx, s.Org.ID, []string{o.CustomerID}, []*string{o.CheckoutLinkID})
		if err != nil {
			return err
		}
		discount, err := discountCell(r, tx, s.Org.ID, o.DiscountID)
		if err != nil {
			return err
		}
		cust := n.customers[o.CustomerID]
		*page = detailPage{dashPage: w.page(r, s, "Order "+web.DisplayMoney(o.TotalAmount, o.Currency), "orders"),
			Kind: "Order", Back: web.Link{URL: web.DashPath + "/orders", Label: "All orders"},
			Badge: strings.ReplaceAll(o.Status, "_", " "), Metadata: pairs(o.Metadata), Fields: pairs(o.CustomFieldData),
			Amounts: append(moneyFacts(o.Amount, o.DiscountAmount, o.NetAmount, o.TotalAmount, o.Currency),
				fact{"Refunded", txtNowrap(web.DisplayMoney(o.RefundedAmount, o.Currency))})}
		page.Facts = []fact{{"Order ID", code(o.ID)}, {"Receipt", linked(o.ReceiptLabel(), portal.ReceiptPath(o))},
			{"Created", txt(when(o.CreatedAt))},
			{"Modified", orText(whenPtr(o.ModifiedAt))}, {"Billing reason", txt(billingReasons[o.BillingReason])},
			{"Customer", customerCell(cust)}, {"Billing name", orText(deref(cust.Name))},
			{"Billing country", orText(deref(cust.BillingCountry))},
			{"Product", n.productCell(o.ProductID)}, {"Price ID", code(o.PriceID)}, {"Discount", discount},
			{"Subscription", optLinked(o.SubscriptionID, "", subscriptionPath, "None")},
			{"Checkout", optLinked(o.CheckoutID, "", checkoutPath, "None")},
			{"Checkout link", n.linkCell(o.CheckoutLinkID)}}
		emails, err := emailTable(r, tx, store.EmailListParams{OrganizationID: s.Org.ID, OrderID: id})
		if err != nil {
			return err
		}
		page.Tables = append(page.Tables, emails)
		return w.orderRefunds(r, tx, o, form, page)
	})
}
