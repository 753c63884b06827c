package portalpage

import (
	"net/http"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/benefits"
	"github.com/paylink/paylink/internal/portal"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

// portalPage is what portal.html renders: a signed-in customer's orders and
// subscriptions, or (with Confirm) the question before a cancel.
type portalPage struct {
	Title         string
	Shop          web.ShopHeader
	TestMode      bool
	Base          string // the portal's path
	CSRF          string
	Email         string
	ReturnURL     string
	Notice        string
	Orders        []portalOrder
	Subscriptions []portalSubscription
	Confirm       *portalSubscription // asks before canceling this one
	Sandbox       bool                // the card forms are the sandbox's test card form
	Stripe        *portalStripe       // the card forms are Stripe's Payment Element
	policy        web.Policy
	Delivered     []web.DeliveredView // what the customer has now: notes, keys, files
}

// portalStripe is what static/portal.js gives Stripe.js.
type portalStripe struct {
	Key, Script string
	TestCards   bool
}

// CSP widens the page's policy for Stripe.js in Stripe mode.
func (p *portalPage) CSP() web.Policy { return p.policy }

type portalOrder struct {
	Date, Product, Total, Number, Receipt string
}

type portalSubscription struct {
	ID, Product, Price, Status, StatusClass, Dates string
	CanCancel, CanResume                           bool
	CanUpdateCard                                  bool
	Card                                           string    // what it renews with ("Visa •••• 4242"), when known
	CardForm                                       *cardForm // its "Update payment method" form is open
	CardView                                       *cardView // what the form renders
	Currency                                       string    // lower case, for Stripe's Elements
}

// portalNotices are what the portal says after a change (?done=…).
var portalNotices = map[string]string{
	"canceled": "Your subscription is canceled. It stays active until the end of the period you paid for.",
	"resumed":  "Your subscription will renew again.",
	"card":     "Your new card is saved. Your subscriptions renew with it from now on.",
}

// portalMost bounds the orders and subscriptions the portal lists.
const portalMost = 100

// renderPortal renders the signed-in customer's portal with the notice of done,
// asking first about confirm when it is not nil.
func (w *Portal) renderPortal(rw http.ResponseWriter, r *http.Request, who *portal.Signed, status int, done string, confirm *string) {
	w.renderPortalWith(rw, r, who, status, done, confirm, "", nil)
}

// renderPortalWith is renderPortal with the card form of subscription cardFor
// open as form says.
func (w *Portal) renderPortalWith(rw http.ResponseWriter, r *http.Request, who *portal.Signed, status int, done string, confirm *string,
	cardFor string, form *cardForm) {
	ctx := r.Context()
	p := &portalPage{Title: "Your orders · " + who.Org.Name, Shop: web.NewShopHeader(who.Org), TestMode: w.TestMode(),
		Base: portal.PortalPath(who.Org.Slug), CSRF: who.Session.CSRF, Email: who.Customer.Email,
		ReturnURL: web.TextOf(who.Session.ReturnURL), Notice: portalNotices[done]}
	if w.StripeMode() {
		p.Stripe = &portalStripe{Key: w.StripePublishableKey, Script: web.StripeJS, TestCards: strings.HasPrefix(w.StripePublishableKey, "pk_test_")}
		p.policy = web.StripePolicy
	} else {
		p.Sandbox = w.Sandbox
	}
	cards := map[string]string{}
	err := w.Store.Read(ctx, func(tx *store.Tx) error {
		methods, _, err := tx.PaymentMethodList(ctx, who.Org.ID, who.Customer.ID, store.ListParams{Limit: portalMost})
		if err != nil {
			return err
		}
		for _, m := range methods {
			cards[m.ProcessorRef] = cardLabel(m)
		}
		orders, _, err := tx.OrderList(ctx, store.OrderListParams{OrganizationID: who.Org.ID,
			CustomerIDs: []string{who.Customer.ID}, ListParams: store.ListParams{Limit: portalMost}})
		if err != nil {
			return err
		}
		for _, o := range orders {
			prod, err := tx.ProductGet(ctx, o.OrganizationID, o.ProductID)
			if err != nil {
				return err
			}
			p.Orders = append(p.Orders, portalOrder{Date: o.CreatedAt.Format("Jan 2, 2006"), Product: web.ItemLabel(o, prod),
				Total: web.DisplayMoney(o.TotalAmount, o.Currency), Number: o.ReceiptLabel(), Receipt: portal.ReceiptPath(o)})
		}
		subs, _, err := tx.SubscriptionList(ctx, store.SubscriptionListParams{OrganizationID: who.Org.ID,
			CustomerIDs: []string{who.Customer.ID}, ListParams: store.ListParams{Limit: portalMost, OrderBy: "started_at DESC, id"}})
		if err != nil {
			return err
		}
		for _, s := range subs {
			prod, err := tx.ProductGet(ctx, s.OrganizationID, s.ProductID)
			if err != nil {
				return err
			}
			ps := w.portalSubscription(s, prod)
			ps.Currency = strings.ToLower(s.Currency)
			if s.PaymentMethodRef != nil {
				ps.Card = cards[*s.PaymentMethodRef]
			}
			ps.CanUpdateCard = s.Billable() && w.Portal.CanChangePaymentMethods() && (p.Sandbox || p.Stripe != nil)
			if ps.CanUpdateCard && s.ID == cardFor {
				ps.CardForm = form
			}
			if ps.CanUpdateCard {
				ps.CardView = newCardView(p, &ps)
			}
			p.Subscriptions = append(p.Subscriptions, ps)
			if confirm != nil && *confirm == s.ID && ps.CanCancel {
				p.Confirm = &ps
			}
		}
		return nil
	})
	if err == nil && w.Benefits != nil {
		var ds []benefits.Delivered
		if ds, err = w.Benefits.OfCustomer(ctx, who.Org.ID, who.Customer.ID); err == nil {
			p.Delivered = web.Delivered(ds)
		}
	}
	if err != nil {
		w.Fail(rw, r, err)
		return
	}
	w.Render(rw, r, status, "portal", p)
}

// portalSubscription says where a subscription stands and what the customer
// can do with it.
func (w *Portal) portalSubscription(s *paylink.Subscription, prod *paylink.Product) portalSubscription {
	date := func(t time.Time) string { return t.Format("January 2, 2006") }
	ps := portalSubscription{ID: s.ID, Product: prod.Name, StatusClass: s.Status,
		Price: web.DisplayMoney(s.Amount, s.Currency) + " every " + web.IntervalLabel(prod)}
	change := w.Portal.CanChangeSubscriptions()
	var endsAt *time.Time
	if s.CancelAtPeriodEnd {
		endsAt = s.EndsAt
	}
	switch {
	case s.Status == paylink.SubscriptionCanceled:
		ps.Status, ps.Dates = "Canceled", "Started "+date(s.StartedAt)
		if s.CanceledAt != nil {
			ps.Dates += " · ended " + date(*s.CanceledAt)
		}
	case endsAt != nil:
		ps.Status, ps.StatusClass, ps.Dates = "Ending", "ending", "Ends on "+date(*endsAt)+"; it will not renew."
		ps.CanResume = true
	case s.Status == paylink.SubscriptionPastDue:
		ps.Status, ps.Dates = "Payment due", "The last renewal payment failed; the shop will try again."
		ps.CanCancel = change
	default:
		ps.Status, ps.Dates = "Active", "Started "+date(s.StartedAt)+" · renews on "+date(s.CurrentPeriodEnd)
		ps.CanCancel = change
	}
	return ps
}

// portalCancel asks first, then sets the subscription to end at period end.
func (w *Portal) portalCancel(rw http.ResponseWriter, r *http.Request, org *paylink.Organization, who *portal.Signed) {
	if who == nil {
		http.Redirect(rw, r, portal.PortalPath(org.Slug), http.StatusSeeOther)
		return
	}
	id := r.PathValue("id")
	if r.PostForm.Get("confirm") != "yes" {
		w.renderPortal(rw, r, who, http.StatusOK, "", &id)
		return
	}
	if _, err := w.Portal.Cancel(r.Context(), who, id, nil, nil); err != nil {
		w.Fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, portal.PortalPath(org.Slug)+"?done=canceled", http.StatusSeeOther)
}

// portalResume makes a subscription set to cancel renew again.
func (w *Portal) portalResume(rw http.ResponseWriter, r *http.Request, org *paylink.Organization, who *portal.Signed) {
	if who == nil {
		http.Redirect(rw, r, portal.PortalPath(org.Slug), http.StatusSeeOther)
		return
	}
	if _, err := w.Portal.Uncancel(r.Context(), who, r.PathValue("id")); err != nil {
		w.Fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, portal.PortalPath(org.Slug)+"?done=resumed", http.StatusSeeOther)
}
