package dashboard

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

// relatedRows is how many related rows a detail page lists (a customer's
// orders); the list pages hold the rest.
const relatedRows = 20

func (w *Dashboard) checkoutDetail(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	return w.detail(rw, r, "checkout", func(tx *store.Tx, id string, page *detailPage) error {
		c, err := tx.CheckoutGet(r.Context(), s.Org.ID, id)
		if err != nil {
			return err
		}
		n, err := w.loadNames(r, tx, s.Org.ID, nil, []*string{c.CheckoutLinkID})
		if err != nil {
			return err
		}
		discount, err := discountCell(r, tx, s.Org.ID, c.DiscountID)
		if err != nil {
			return err
		}
		customer := cell{Text: "Not yet known", Muted: true}
		if c.CustomerID != nil {
			cust, err := tx.CustomerGet(r.Context(), s.Org.ID, *c.CustomerID)
			if err != nil {
				return err
			}
			customer = customerCell(cust)
		}
		order := cell{Text: "None", Muted: true}
		if c.Status == paylink.CheckoutSucceeded {
			o, err := tx.OrderByCheckout(r.Context(), c.ID)
			if err != nil && !paylink.IsCode(err, paylink.ENotFound) {
				return err
			}
			if o != nil {
				order = linked(web.DisplayMoney(o.TotalAmount, o.Currency)+" order", orderPath(o.ID))
			}
		}
		offered := make([]string, len(c.ProductIDs))
		for i, p := range c.ProductIDs {
			offered[i] = n.products[p]
		}
		*page = detailPage{dashPage: w.page(r, s, "Checkout "+web.DisplayMoney(c.TotalAmount, c.Currency), "checkouts"),
			Kind: "Checkout", Back: web.Link{URL: web.DashPath + "/checkouts", Label: "All checkouts"}, Badge: c.Status,
			Metadata: pairs(c.Metadata), Fields: pairs(c.CustomFieldData),
			Amounts: moneyFacts(c.Amount, c.DiscountAmount, c.NetAmount, c.TotalAmount, c.Currency)}
		page.Facts = []fact{{"Checkout ID", code(c.ID)}, {"Created", txt(when(c.CreatedAt))},
			{"Modified", orText(whenPtr(c.ModifiedAt))}, {"Expires", txt(when(c.ExpiresAt))},
			{"Product", n.productCell(c.ProductID)}, {"Products offered", txt(strings.Join(offered, ", "))},
			{"Price ID", code(c.PriceID)}, {"Discount", discount}, {"Discount codes allowed", yesNo(c.AllowDiscountCodes)},
			{"Customer", customer}, {"Customer email", orText(deref(c.CustomerEmail))},
			{"Customer name", orText(deref(c.CustomerName))}, {"Billing country", orText(deref(c.BillingCountry))},
			{"Billing address required", yesNo(c.RequireBillingAddress)},
			{"Success URL", orText(deref(c.SuccessURL))}, {"Return URL", orText(deref(c.ReturnURL))},
			{"Checkout link", n.linkCell(c.CheckoutLinkID)}, {"Order", order}}
		payments, err := tx.PaymentsByCheckout(r.Context(), c.ID)
		if err != nil {
			return err
		}
		t := detailTable{Title: "Payment attempts", Empty: "No payment was attempted.",
			Columns: []string{"Time", "Processor", "Status", "Amount", "Decline code"}}
		for _, p := range payments {
			t.Rows = append(t.Rows, []cell{dateCell(p.CreatedAt), txt(p.Processor), {Badge: p.Status},
				txtNowrap(web.DisplayMoney(p.Amount, p.Currency)), orText(deref(p.DeclineCode))})
		}
		page.Tables = []detailTable{t}
		return nil
	})
}

func (w *Dashboard) customerDetail(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	return w.detail(rw, r, "customer", func(tx *store.Tx, id string, page *detailPage) error {
		c, err := tx.CustomerGet(r.Context(), s.Org.ID, id)
		if err != nil {
			return err
		}
		n, err := w.loadNames(r, tx, s.Org.ID, nil, []*string{})
		if err != nil {
			return err
		}
		*page = detailPage{dashPage: w.page(r, s, c.Email, "customers"), Kind: "Customer",
			Back: web.Link{URL: web.DashPath + "/customers", Label: "All customers"}, Metadata: pairs(c.Metadata)}
		page.Facts = []fact{{"Customer ID", code(c.ID)}, {"Email", txt(c.Email)}, {"Name", orText(deref(c.Name))},
			{"Billing country", orText(deref(c.BillingCountry))}, {"Customer since", txt(when(c.CreatedAt))},
			{"Modified", orText(whenPtr(c.ModifiedAt))}}
		list := store.ListParams{Limit: relatedRows}
		orders, total, err := tx.OrderList(r.Context(), store.OrderListParams{OrganizationID: s.Org.ID, CustomerIDs: []string{id}, ListParams: list})
		if err != nil {
			return err
		}
		page.Tables = append(page.Tables, orderTable(n, orders, total))
		subs, total, err := tx.SubscriptionList(r.Context(), store.SubscriptionListParams{OrganizationID: s.Org.ID, CustomerIDs: []string{id}, ListParams: list})
		if err != nil {
			return err
		}
		st := detailTable{Title: countTitle("Subscriptions", len(subs), total), Empty: "No subscriptions.",
			Columns: []string{"Started", "Status", "Product", "Amount"}}
		for _, sub := range subs {
			count := sub.IntervalCount
			st.Rows = append(st.Rows, []cell{dateLinked(dateCell(sub.StartedAt), subscriptionPath(sub.ID)),
				{Badge: strings.ReplaceAll(sub.Status, "_", " ")}, n.productCell(sub.ProductID),
				txtNowrap(web.DisplayMoney(sub.Amount, sub.Currency) + intervalText(&sub.RecurringInterval, &count))})
		}
		page.Tables = append(page.Tables, st)
		checkouts, total, err := tx.CheckoutList(r.Context(), store.CheckoutListParams{OrganizationID: s.Org.ID, CustomerIDs: []string{id}, ListParams: list})
		if err != nil {
			return err
		}
		ct := detailTable{Title: countTitle("Checkouts", len(checkouts), total), Empty: "No checkouts.",
			Columns: []string{"Created", "Status", "Product", "Amount"}}
		for _, c := range checkouts {
			ct.Rows = append(ct.Rows, []cell{dateLinked(dateCell(c.CreatedAt), checkoutPath(c.ID)), {Badge: c.Status},
				n.productCell(c.ProductID), txtNowrap(web.DisplayMoney(c.TotalAmount, c.Currency))})
		}
		page.Tables = append(page.Tables, ct)
		emails, err := emailTable(r, tx, store.EmailListParams{OrganizationID: s.Org.ID, CustomerID: id})
		page.Tables = append(page.Tables, emails)
		return err
	})
}

func (w *Dashboard) subscriptionDetail(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	return w.detail(rw, r, "subscription", func(tx *store.Tx, id string, page *detailPage) error {
		sub, err := tx.SubscriptionGet(r.Context(), s.Org.ID, id)
		if err != nil {
			return err
		}
		n, err := w.loadNames(r, tx, s.Org.ID, []string{sub.CustomerID}, []*string{sub.CheckoutLinkID})
		if err != nil {
			return err
		}
		discount, err := discountCell(r, tx, s.Org.ID, sub.DiscountID)
		if err != nil {
			return err
		}
		count := sub.IntervalCount
		amount := web.DisplayMoney(sub.Amount, sub.Currency) + intervalText(&sub.RecurringInterval, &count)
		*page = detailPage{dashPage: w.page(r, s, "Subscription "+amount, "subscriptions"), Kind: "Subscription",
			Back:  web.Link{URL: web.DashPath + "/subscriptions", Label: "All subscriptions"},
			Badge: strings.ReplaceAll(sub.Status, "_", " "), Metadata: pairs(sub.Metadata), Fields: pairs(sub.CustomFieldData),
			Amounts: []fact{{"Amount per period", txtNowrap(amount)}}}
		page.Facts = []fact{{"Subscription ID", code(sub.ID)}, {"Started", txt(when(sub.StartedAt))},
			{"Current period", txt(when(sub.CurrentPeriodStart) + " to " + when(sub.CurrentPeriodEnd))},
			{"Past due since", orText(whenPtr(sub.PastDueAt))}, {"Canceled", orText(whenPtr(sub.CanceledAt))},
			{"Cancels at period end", yesNo(sub.CancelAtPeriodEnd)}, {"Ends", orText(whenPtr(sub.EndsAt))},
			{"Ended", orText(whenPtr(sub.EndedAt))},
			{"Cancellation reason", orText(cancellationReasonLabels[deref(sub.CustomerCancellationReason)])},
			{"Customer's comment", orText(deref(sub.CustomerCancellationComment))},
			{"Failed renewal attempts", txt(strconv.Itoa(sub.RenewalAttempts))}, {"Next attempt", orText(whenPtr(sub.NextAttemptAt))},
			{"Customer", customerCell(n.customers[sub.CustomerID])}, {"Product", n.productCell(sub.ProductID)},
			{"Price ID", code(sub.PriceID)}, {"Discount", discount},
			{"Checkout", optLinked(sub.CheckoutID, "", checkoutPath, "None")},
			{"Checkout link", n.linkCell(sub.CheckoutLinkID)}, {"Created", txt(when(sub.CreatedAt))},
			{"Modified", orText(whenPtr(sub.ModifiedAt))}}
		orders, total, err := tx.OrderList(r.Context(), store.OrderListParams{OrganizationID: s.Org.ID,
			SubscriptionIDs: []string{id}, ListParams: store.ListParams{Limit: relatedRows}})
		if err != nil {
			return err
		}
		page.Tables = []detailTable{orderTable(n, orders, total)}
		for _, a := range subscriptionActions {
			if a.offered(sub) {
				page.Actions = append(page.Actions, web.Link{URL: subscriptionPath(id) + "/" + a.Path, Label: a.Title + "…"})
			}
		}
		emails, err := emailTable(r, tx, store.EmailListParams{OrganizationID: s.Org.ID, SubscriptionID: id})
		page.Tables = append(page.Tables, emails)
		return err
	})
}

// orderTable lists orders of a customer or subscription, each linked to its page.
func orderTable(n *names, orders []*paylink.Order, total int) detailTable {
	t := detailTable{Title: countTitle("Orders", len(orders), total), Empty: "No orders.",
		Columns: []string{"Created", "Product", "Reason", "Total"}}
	for _, o := range orders {
		t.Rows = append(t.Rows, []cell{dateLinked(dateCell(o.CreatedAt), orderPath(o.ID)), n.productCell(o.ProductID),
			txt(billingReasons[o.BillingReason]), txtNowrap(web.DisplayMoney(o.TotalAmount, o.Currency))})
	}
	return t
}

// dateLinked makes a date cell open path.
func dateLinked(c cell, path string) cell { c.URL = path; return c }

// countTitle is "Orders", or "Orders (latest 20 of 31)" when the table is cut.
func countTitle(title string, shown, total int) string {
	if total > shown {
		return title + " (latest " + strconv.Itoa(shown) + " of " + strconv.Itoa(total) + ")"
	}
	return title
}
