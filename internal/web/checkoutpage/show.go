package checkoutpage

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/checkout"
	"github.com/paylink/paylink/internal/portal"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

// partialHeader marks a fetch from checkout.js: the answer is the form alone,
// and a redirect comes as redirectHeader on a 200 (fetch must not follow it
// across origins to a success_url).
const (
	partialHeader  = "X-Paylink-Partial"
	redirectHeader = "X-Paylink-Redirect"
	// confirmedHeader marks the answer to a pay that confirmed the session.
	confirmedHeader = "X-Paylink-Confirmed"
)

// checkoutShow renders the page of an open session; a paid one goes to its
// success page, an expired one says so and offers to start again.
func (w *Page) checkoutShow(rw http.ResponseWriter, r *http.Request) {
	secret := r.PathValue("secret")
	rw.Header().Set("Cache-Control", "no-store")
	st, err := w.loadCheckout(r.Context(), secret, false)
	if err != nil {
		w.Fail(rw, r, err)
		return
	}
	em := embedOf(r, st.Org, st.C)
	switch {
	case st.C.Status == paylink.CheckoutConfirmed && w.StripeMode():
		w.showPayment(rw, r, st)
	case st.done():
		http.Redirect(rw, r, embedPath(r, secret, "/success"), http.StatusSeeOther)
	case w.Checkouts.Expired(st.C):
		w.renderExpired(rw, r, st)
	default:
		page := w.buildCheckoutPage(st, em, w.formToken(rw, r, secret, em), nil, nil, "")
		w.Render(rw, r, http.StatusOK, "checkout", page)
	}
}

// checkoutExpiredPage is what checkout_expired.html renders.
type checkoutExpiredPage struct {
	Title, Restart string
	Shop           web.ShopHeader
	TestMode       bool
	Embed          *embedMode // embed mode; nil otherwise
}

// CSP implements web's cspPage: framable by the embed origin in embed mode.
func (p checkoutExpiredPage) CSP() web.Policy { return embedPolicy(p.Embed) }

// renderExpired says the session expired and offers to start again (410).
func (w *Page) renderExpired(rw http.ResponseWriter, r *http.Request, st *checkoutState) {
	em := embedOf(r, st.Org, st.C)
	w.Render(rw, r, http.StatusGone, "checkout_expired", checkoutExpiredPage{Title: "Checkout expired · " + st.Org.Name,
		Shop: web.NewShopHeader(st.Org), TestMode: w.TestMode(), Restart: pagePath(st.C.ClientSecret, "/restart") + em.query(), Embed: em})
}

// checkoutSuccessPage is what checkout_success.html renders.
type checkoutSuccessPage struct {
	Title, Org, Product, Email, OrderID string
	Receipt                             string // the order's receipt page
	Shop                                web.ShopHeader
	TestMode                            bool
	Summary                             orderSummary
	Paid                                bool // money was taken (else it was free)
	Processing                          bool // confirmed, the payment not settled yet
	ReturnURL                           string
	Delivered                           []web.DeliveredView // the order's benefits: notes, license keys, files
	Embed                               *embedMode          // embed mode; nil otherwise
	// In embed mode, what the "success" message tells the merchant's page:
	// the address to open (the session's success_url, or this page) and whether to.
	EmbedSuccessURL string
	EmbedRedirect   bool
}

// CSP implements web's cspPage: framable by the embed origin in embed mode.
func (p checkoutSuccessPage) CSP() web.Policy { return embedPolicy(p.Embed) }

// checkoutSuccess shows what the customer bought; an open session goes back to
// its page.
func (w *Page) checkoutSuccess(rw http.ResponseWriter, r *http.Request) {
	secret := r.PathValue("secret")
	rw.Header().Set("Cache-Control", "no-store")
	st, err := w.loadCheckout(r.Context(), secret, true)
	if err != nil {
		w.Fail(rw, r, err)
		return
	}
	if st.C.Status == paylink.CheckoutConfirmed {
		var s checkout.Settlement
		// A payment still waiting for the bank is finished on the checkout page.
		if st, s = w.settle(r.Context(), st); s.ActionSecret != "" {
			http.Redirect(rw, r, embedPath(r, secret, ""), http.StatusSeeOther)
			return
		}
	}
	if !st.done() {
		http.Redirect(rw, r, embedPath(r, secret, ""), http.StatusSeeOther)
		return
	}
	c := st.C
	p := checkoutSuccessPage{Title: "Thank you · " + st.Org.Name, Org: st.Org.Name, Shop: web.NewShopHeader(st.Org), TestMode: w.TestMode(), Email: web.TextOf(c.CustomerEmail),
		Summary: summarizeCheckout(st), Paid: c.TotalAmount > 0, Processing: c.Status == paylink.CheckoutConfirmed,
		ReturnURL: web.TextOf(c.ReturnURL), Embed: embedOf(r, st.Org, c)}
	if p.Embed != nil {
		p.EmbedSuccessURL, p.EmbedRedirect = w.embedSuccess(c)
		p.ReturnURL = "" // the frame's own way back is its close button
	}
	if pr := st.product(); pr != nil {
		p.Product = pr.Name
	}
	if st.Order != nil {
		p.OrderID, p.Receipt = st.Order.ID, portal.ReceiptPath(st.Order)
	}
	if p.Delivered, err = w.delivered(r.Context(), st.Order); err != nil {
		w.Fail(rw, r, err)
		return
	}
	w.Render(rw, r, http.StatusOK, "checkout_success", p)
}

// checkoutRestart goes back through the session's link with the visit's
// original query string: a fresh session with the same prefill.
func (w *Page) checkoutRestart(rw http.ResponseWriter, r *http.Request) {
	secret := r.PathValue("secret")
	st, err := w.loadCheckout(r.Context(), secret, false)
	if err != nil {
		w.Fail(rw, r, err)
		return
	}
	gone := &paylink.Error{Code: paylink.EGone, Message: "This checkout cannot be started again from here. Open the seller's link again, or ask them for a new one."}
	if st.C.CheckoutLinkID == nil {
		w.Fail(rw, r, gone)
		return
	}
	var l *paylink.CheckoutLink
	err = w.Store.Read(r.Context(), func(tx *store.Tx) error {
		l, err = tx.CheckoutLinkGet(r.Context(), st.C.OrganizationID, *st.C.CheckoutLinkID)
		return err
	})
	if paylink.IsCode(err, paylink.ENotFound) {
		err = gone
	}
	if err != nil {
		w.Fail(rw, r, err)
		return
	}
	loc := w.PublicURL + "/buy/" + url.PathEscape(l.ClientSecret)
	q := st.C.QueryString
	if eq := embedQuery(r); eq != "" && !strings.Contains("&"+q, "&embed=") {
		// A session the merchant's page framed: the fresh one is framed alike.
		q = strings.TrimPrefix(q+"&"+eq[1:], "&")
	}
	if q != "" {
		loc += "?" + q
	}
	rw.Header().Set("Cache-Control", "no-store")
	http.Redirect(rw, r, loc, http.StatusSeeOther)
}

// redirect sends the customer on: a 303, or for checkout.js redirectHeader.
func (w *Page) redirect(rw http.ResponseWriter, r *http.Request, loc string) {
	rw.Header().Set("Cache-Control", "no-store")
	if r.Header.Get(partialHeader) != "" {
		rw.Header().Set(redirectHeader, loc)
		rw.WriteHeader(http.StatusOK)
		return
	}
	http.Redirect(rw, r, loc, http.StatusSeeOther)
}

// renderForm renders the page again after a post (the form alone for
// checkout.js), with the customer's input and the problems found.
func (w *Page) renderForm(rw http.ResponseWriter, r *http.Request, status int, st *checkoutState, probs fieldProblems, notice string) {
	secret := st.C.ClientSecret
	em := embedOf(r, st.Org, st.C)
	page := w.buildCheckoutPage(st, em, w.formToken(rw, r, secret, em), r.PostForm, probs, notice)
	rw.Header().Set("Cache-Control", "no-store")
	if r.Header.Get(partialHeader) == "" {
		w.Render(rw, r, status, "checkout", page)
		return
	}
	w.RenderPart(rw, r, status, "checkout", "checkout_form", page)
}

// failPost answers a post that cannot go on: an expired session sends the
// customer to its page, one that another post confirmed first shows that
// post's outcome; other errors render as a page.
func (w *Page) failPost(rw http.ResponseWriter, r *http.Request, secret string, err error) {
	switch {
	case paylink.IsCode(err, paylink.EGone):
		w.redirect(rw, r, embedPath(r, secret, ""))
	case errors.Is(err, paylink.ErrCheckoutNotOpen):
		// Another request of this page (a double click) confirmed the session first.
		w.showOutcome(rw, r, secret)
	case r.Header.Get(partialHeader) != "":
		// checkout.js shows the full page, which explains the error.
		w.redirect(rw, r, embedPath(r, secret, ""))
	default:
		w.Fail(rw, r, err)
	}
}
