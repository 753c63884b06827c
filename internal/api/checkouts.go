package api

import (
	"context"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/checkout"
	"github.com/paylink/paylink/internal/store"
)

// checkoutSortColumns maps Polar's CheckoutSortProperty to columns.
var checkoutSortColumns = map[string]string{"created_at": "created_at", "expires_at": "expires_at", "status": "status"}

// checkoutStatuses are the values of Polar's CheckoutStatus.
var checkoutStatuses = []string{paylink.CheckoutOpen, paylink.CheckoutExpired, paylink.CheckoutConfirmed,
	paylink.CheckoutSucceeded, paylink.CheckoutFailed}

func (a *API) checkoutList(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var probs paylink.Problems
	q := r.URL.Query()
	page, list := parseList(r, &probs, checkoutSortColumns, "")
	params := store.CheckoutListParams{OrganizationID: p.OrgID, EmailContains: strings.TrimSpace(q.Get("query")),
		ListParams: list}
	products, err := QueryIDs(r, "product_id")
	mergeProblems(&probs, err)
	customers, err := QueryIDs(r, "customer_id")
	mergeProblems(&probs, err)
	orgIDs, err := QueryIDs(r, "organization_id")
	mergeProblems(&probs, err)
	links, err := QueryIDs(r, "checkout_link_id") // ours
	mergeProblems(&probs, err)
	if len(links) > 1 {
		probs.Add("give one checkout_link_id", links, "query", "checkout_link_id")
	} else if len(links) == 1 {
		params.CheckoutLinkID = strings.ToLower(links[0])
	}
	params.ProductIDs, params.CustomerIDs = lowerAll(products), lowerAll(customers)
	for _, s := range queryList(q, "status") {
		if !containsFold(checkoutStatuses, s) {
			probs.Add("must be one of open, expired, confirmed, succeeded or failed", s, "query", "status")
		}
		params.Statuses = append(params.Statuses, strings.ToLower(s))
	}
	if err := probs.Err(); err != nil {
		return err
	}
	return writeList(a, w, r, page, otherOrgsOnly(orgIDs, p),
		func(tx *store.Tx) ([]*paylink.Checkout, int, error) {
			var none bool
			var err error
			if params.CustomerIDs, none, err = byExternalCustomer(r, tx, p.OrgID, params.CustomerIDs); none || err != nil {
				return nil, 0, err
			}
			return tx.CheckoutList(r.Context(), params)
		},
		a.checkoutJSON)
}

// checkoutJSON renders a checkout with what it embeds.
func (a *API) checkoutJSON(l *loader, c *paylink.Checkout) (any, error) {
	v, err := l.checkoutView(c)
	if err != nil {
		return nil, err
	}
	return a.renderer().checkout(v), nil
}

func (a *API) checkoutCreate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var b checkoutBody
	if err := Decode(r, &b); err != nil {
		return err
	}
	var probs paylink.Problems
	b.check(&probs)
	in := checkout.CreateInput{ProductIDs: b.Products, ProductID: b.ProductID.Ptr(), PriceID: b.ProductPriceID.Ptr(),
		Amount: b.Amount.Ptr(), Currency: b.Currency.Ptr(), CustomerEmail: b.CustomerEmail.Ptr(),
		CustomerName: b.CustomerName.Ptr(), BillingCountry: b.country(&probs), AllowDiscountCodes: b.AllowDiscountCodes.Ptr(),
		RequireBillingAddress: b.RequireBillingAddress.Value, Metadata: b.Metadata, CustomFieldData: b.CustomFieldData,
		SuccessURL: b.SuccessURL.Ptr(), ReturnURL: b.ReturnURL.Ptr(), ExternalCustomerID: b.ExternalCustomerID.Ptr()}
	if e := in.ExternalCustomerID; e != nil && (*e == "" || utf8.RuneCountInString(*e) > paylink.MaxExternalIDLen || !paylink.ValidText(*e)) {
		probs.Add("an external ID has 1 to 256 characters", *e, "body", "external_customer_id")
	}
	if o := b.EmbedOrigin.Ptr(); o != nil {
		if origin, ok := paylink.ParseOrigin(*o); ok {
			in.EmbedOrigin = &origin
		} else {
			probs.Add("enter the origin of the page that embeds the checkout, like https://shop.example.com", *o, "body", "embed_origin")
		}
	}
	if id := b.DiscountID.Ptr(); id != nil {
		if !paylink.ValidID(*id) {
			probs.Add("must be a UUID", *id, "body", "discount_id")
		}
		lower := strings.ToLower(*id)
		in.DiscountID = &lower
	}
	if err := probs.Err(); err != nil {
		return err
	}
	c, err := a.Checkouts.Create(r.Context(), p.OrgID, in)
	if err != nil {
		return err
	}
	return a.writeCheckout(r.Context(), w, http.StatusCreated, c)
}

func (a *API) checkoutGet(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "checkout")
	if err != nil {
		return err
	}
	var c *paylink.Checkout
	if err := a.read(r.Context(), func(tx *store.Tx) error {
		c, err = tx.CheckoutGet(r.Context(), p.OrgID, id)
		return err
	}); err != nil {
		return err
	}
	return a.writeCheckout(r.Context(), w, http.StatusOK, c)
}

func (a *API) checkoutUpdate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "checkout")
	if err != nil {
		return err
	}
	var b checkoutBody
	if err := Decode(r, &b); err != nil {
		return err
	}
	var probs paylink.Problems
	ch := b.customerChanges(&probs)
	if b.Metadata != nil {
		m, err := paylink.ParseMetadata(b.Metadata, "body", "metadata")
		mergeProblems(&probs, err)
		ch.Metadata = m
	}
	if d := b.DiscountID; d.Set && !d.Null && !paylink.ValidID(d.Value) {
		probs.Add("must be a UUID", d.Value, "body", "discount_id")
	} else if d.Set {
		ch.DiscountID = clearable(Opt[string]{Set: true, Null: d.Null, Value: strings.ToLower(d.Value)})
	}
	for _, u := range []struct {
		field string
		in    Opt[string]
		clear *bool
		set   **string
	}{{"success_url", b.SuccessURL, &ch.ClearSuccessURL, &ch.SuccessURL}, {"return_url", b.ReturnURL, &ch.ClearReturnURL, &ch.ReturnURL}} {
		if u.in.Null {
			*u.clear = true
		} else if u.in.Set {
			if msg := paylink.ValidateRedirectURL(u.in.Value); msg != "" {
				probs.Add(msg, u.in.Value, "body", u.field)
			}
			*u.set = u.in.Ptr()
		}
	}
	// null leaves a flag as it is. Turning allow_discount_codes off keeps the
	// applied discount, as Polar does: the customer can no longer change it.
	ch.AllowDiscountCodes, ch.RequireBillingAddress = b.AllowDiscountCodes.Ptr(), b.RequireBillingAddress.Ptr()
	if err := probs.Err(); err != nil {
		return err
	}
	c, err := a.Checkouts.UpdateByID(r.Context(), p.OrgID, id, ch)
	if err != nil {
		return sdkForbidden(err)
	}
	return a.writeCheckout(r.Context(), w, http.StatusOK, c)
}

// writeCheckout answers with c as Polar's Checkout.
func (a *API) writeCheckout(ctx context.Context, w http.ResponseWriter, status int, c *paylink.Checkout) error {
	var v *paylink.CheckoutView
	if err := a.read(ctx, func(tx *store.Tx) error {
		var err error
		v, err = newLoader(ctx, tx, a.PublicURL).checkoutView(c)
		return err
	}); err != nil {
		return err
	}
	WriteJSON(w, status, a.renderer().checkout(v))
	return nil
}
