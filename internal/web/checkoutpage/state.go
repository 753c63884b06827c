package checkoutpage

import (
	"context"
	"net/url"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// errCheckoutUnknown is what a visitor sees for a secret that opens nothing.
var errCheckoutUnknown = &paylink.Error{Code: paylink.ENotFound, Name: "ResourceNotFound",
	Message: "This checkout does not exist. Check the address, or open the seller's link again."}

// checkoutState is a session with everything its pages show.
type checkoutState struct {
	C        *paylink.Checkout
	Products []*paylink.Product // the switchable products, in the session's order
	Discount *paylink.Discount  // nil when none applies
	Org      *paylink.Organization
	Order    *paylink.Order  // for the success page; nil otherwise
	Pending  *pendingPayment // a payment the page must finish or wait for; nil otherwise
}

// loadCheckout reads a session by its client secret, with its products,
// discount and organization (and its order when withOrder and it succeeded).
func (w *Page) loadCheckout(ctx context.Context, secret string, withOrder bool) (*checkoutState, error) {
	if !paylink.CheckoutSecretFormat(secret) {
		return nil, errCheckoutUnknown
	}
	st := &checkoutState{}
	err := w.Store.Read(ctx, func(tx *store.Tx) error {
		c, err := tx.CheckoutBySecret(ctx, secret, false)
		if err != nil {
			return err
		}
		st.C = c
		// The organization and products, unless changed, as this process loaded them before.
		if st.Org, st.Products, err = tx.ShownCatalog(ctx, c.OrganizationID, c.ProductIDs); err != nil {
			return err
		}
		if c.DiscountID != nil {
			d, err := tx.DiscountGet(ctx, c.OrganizationID, *c.DiscountID)
			if err != nil && !paylink.IsCode(err, paylink.ENotFound) {
				return err
			}
			st.Discount = d
		}
		if withOrder && c.Status == paylink.CheckoutSucceeded {
			o, err := tx.OrderByCheckout(ctx, c.ID)
			if err != nil && !paylink.IsCode(err, paylink.ENotFound) {
				return err
			}
			st.Order = o
		}
		return nil
	})
	if paylink.IsCode(err, paylink.ENotFound) {
		return nil, errCheckoutUnknown
	}
	return st, err
}

// view is the session with its products and discount, for the rules of
// paylink.CheckoutView.
func (st *checkoutState) view() *paylink.CheckoutView {
	return &paylink.CheckoutView{Checkout: st.C, Products: st.Products, Discount: st.Discount}
}

// product returns the selected product, or nil when it is gone.
func (st *checkoutState) product() *paylink.Product { return st.view().Product() }

// done reports whether the session has been paid or is being paid.
func (st *checkoutState) done() bool {
	return st.C.Status == paylink.CheckoutSucceeded || st.C.Status == paylink.CheckoutConfirmed
}

// pagePath is the checkout page's own path, plus suffix ("/success", "/restart").
func pagePath(secret, suffix string) string {
	return "/checkout/" + url.PathEscape(secret) + suffix
}

// successTarget is where a paid session sends the customer: the session's
// success_url with {CHECKOUT_ID} replaced, else our success page.
func (w *Page) successTarget(c *paylink.Checkout) string {
	if c.SuccessURL != nil && *c.SuccessURL != "" {
		return strings.ReplaceAll(*c.SuccessURL, "{CHECKOUT_ID}", url.PathEscape(c.ID))
	}
	return w.PublicURL + pagePath(c.ClientSecret, "/success")
}

// formActionOrigin is the origin of the session's success_url when it is plain
// http (https is allowed already), for the page's CSP form-action: browsers
// apply form-action to the redirect that follows a form post, and a merchant
// testing locally would otherwise see the redirect blocked. "" otherwise.
func formActionOrigin(c *paylink.Checkout) string {
	if c == nil || c.SuccessURL == nil || !strings.HasPrefix(*c.SuccessURL, "http://") {
		return ""
	}
	u, err := url.Parse(*c.SuccessURL)
	if err != nil || u.Host == "" || strings.ContainsAny(u.Host, " ;,'") {
		return ""
	}
	return "http://" + u.Host
}
