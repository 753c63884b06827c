package checkoutpage

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/checkout"
	"github.com/paylink/paylink/internal/web"
)

// checkoutPost handles the form: action "update" (also Enter in a field)
// applies the changes and shows the page again; "remove_discount" drops the
// discount; "pay" applies the changes, then confirms and charges.
func (w *Page) checkoutPost(rw http.ResponseWriter, r *http.Request) {
	secret := r.PathValue("secret")
	ctx := r.Context()
	r.Body = http.MaxBytesReader(rw, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		w.Fail(rw, r, paylink.Errorf(paylink.EBadRequest, "The form could not be read. Go back and try again."))
		return
	}
	if err := web.FormText(r.PostForm); err != nil {
		w.Fail(rw, r, err)
		return
	}
	// The session is read first (reading changes nothing): its organization
	// says whether the post comes from a page in embed mode, whose CSRF check
	// differs (embed.go).
	st, err := w.loadCheckout(ctx, secret, false)
	if err != nil {
		w.failPost(rw, r, secret, err)
		return
	}
	if em := embedOf(r, st.Org, st.C); !w.postOK(r, secret, em) {
		rw.Header().Set("Cache-Control", "no-store")
		w.Render(rw, r, http.StatusForbidden, "message", embedMessage{Message: web.Message{Title: "Please try again",
			Heading: "Please try again", Message: "This form was sent from another page or has become stale, so nothing was changed or charged. Open the checkout again and retry.",
			Action: &web.Link{URL: pagePath(secret, "") + em.query(), Label: "Back to checkout"}}, Embed: em})
		return
	}
	if st.done() {
		// This page sent a pay before (a double click, a resent form): show its outcome.
		w.showOutcome(rw, r, secret)
		return
	}
	if w.Checkouts.Expired(st.C) {
		w.redirect(rw, r, embedPath(r, secret, ""))
		return
	}
	action := r.PostForm.Get("action")
	ch, probs := readChanges(r.PostForm, st)
	if action == "pay" {
		w.pay(rw, r, st, ch, probs)
		return
	}
	if action == "remove_discount" {
		empty := ""
		ch.DiscountCode = &empty
	}
	if err := w.applyChanges(r, secret, ch, probs); err != nil {
		w.failPost(rw, r, secret, err)
		return
	}
	before := st
	if st, err = w.loadCheckout(ctx, secret, false); err != nil {
		w.failPost(rw, r, secret, err)
		return
	}
	status := http.StatusOK
	if len(probs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	notice := repriced(before, st)
	if notice == "" {
		notice = discountReplaced(before, st)
	}
	w.renderForm(rw, r, status, st, probs, notice)
}

// repriced says so when an update moved the session to a price the merchant
// changed since the page was shown (the product is the same); "" otherwise.
func repriced(before, now *checkoutState) string {
	if before.C.ProductID != now.C.ProductID || before.C.PriceID == now.C.PriceID || now.product() == nil {
		return ""
	}
	return "The price of " + now.product().Name + " changed since this page was shown: the total is now " +
		web.DisplayMoney(now.C.TotalAmount, now.C.Currency) + ". Check your order, then pay."
}

// discountReplaced says what changed when a code took the place of the
// discount applied before (it saves more, or the flow would have kept the
// other); "" otherwise.
func discountReplaced(before, now *checkoutState) string {
	b, n := before.Discount, now.Discount
	if b == nil || n == nil || b.ID == n.ID || before.C.DiscountAmount == 0 || now.C.DiscountAmount == 0 {
		return ""
	}
	return discountLabel(n) + " replaces " + b.Name + ": it takes off " + web.DisplayMoney(now.C.DiscountAmount, now.C.Currency) +
		" instead of " + web.DisplayMoney(before.C.DiscountAmount, before.C.Currency) + "."
}

// reloadAndRender shows the session as it now is, with the problems.
func (w *Page) reloadAndRender(rw http.ResponseWriter, r *http.Request, secret string, status int, probs fieldProblems, notice string) {
	st, err := w.loadCheckout(r.Context(), secret, false)
	if err != nil {
		w.failPost(rw, r, secret, err)
		return
	}
	w.renderForm(rw, r, status, st, probs, notice)
}

// applyChanges saves what is valid of ch and adds the problems of the rest to
// probs: when the flow rejects some fields, it is asked again without them, so
// one bad field never loses the customer's other changes.
func (w *Page) applyChanges(r *http.Request, secret string, ch checkout.Changes, probs fieldProblems) error {
	if changesEmpty(ch) {
		return nil
	}
	_, err := w.Checkouts.UpdateBySecret(r.Context(), secret, ch)
	var pe *paylink.Error
	if !errors.As(err, &pe) || pe.Code != paylink.EInvalid {
		return err
	}
	for _, f := range pe.Fields {
		probs.add(f)
		dropChange(&ch, f.Loc)
	}
	if changesEmpty(ch) {
		return nil
	}
	if _, err := w.Checkouts.UpdateBySecret(r.Context(), secret, ch); err != nil && !paylink.IsCode(err, paylink.EInvalid) {
		return err
	}
	return nil
}

// readChanges reads the form as changes of the session; only what differs from
// the session is set. After a product switch the amount posted belongs to the
// previous product, so it is left out; of the custom fields posted (shown, or
// carried hidden by carriedValues) those the new product has are read for it.
func readChanges(v url.Values, st *checkoutState) (checkout.Changes, fieldProblems) {
	c := st.C
	var ch checkout.Changes
	probs := fieldProblems{}
	p := st.product()
	if id := strings.TrimSpace(v.Get("product_id")); id != "" && id != c.ProductID {
		ch.ProductID, p = &id, switchedTo(st, id)
	}
	if p != nil {
		if pr := p.Price(); ch.ProductID == nil && paylink.AmountChoosable(pr) && v.Has("amount") {
			if a, err := web.ParseAmount(v.Get("amount"), c.Currency); err != nil {
				probs["amount"] = "enter the amount in numbers, like " + web.DecimalAmount(paylink.DefaultAmount(pr), c.Currency)
			} else if a != c.Amount {
				ch.Amount = &a
			}
		}
		for _, a := range p.CustomFields {
			f := a.CustomField
			if f == nil {
				continue
			}
			key, cur := "custom_field_data."+f.Slug, c.CustomFieldData[f.Slug]
			if ch.ProductID != nil && !v.Has(key) {
				continue // not in the form: the session's value, if any, stays
			}
			var val any
			if f.Type == paylink.FieldCheckbox {
				if val = v.Get(key) != ""; val == (cur == true) {
					continue
				}
			} else {
				curText := ""
				if cur != nil {
					curText = fmt.Sprint(cur)
				}
				if !v.Has(key) || v.Get(key) == curText {
					continue
				}
				val = v.Get(key)
			}
			if ch.CustomFieldData == nil {
				ch.CustomFieldData = map[string]any{}
			}
			ch.CustomFieldData[f.Slug] = val
		}
	}
	ch.CustomerEmail = changedText(v, "customer_email", c.CustomerEmail)
	ch.CustomerName = changedText(v, "customer_name", c.CustomerName)
	if cc := changedText(v, "country", c.BillingCountry); cc != nil {
		up := strings.ToUpper(*cc)
		ch.BillingCountry = &up
	}
	if code := strings.TrimSpace(v.Get("discount_code")); code != "" {
		ch.DiscountCode = &code
	}
	return ch, probs
}

// changedText returns the posted value of name when the form has it and it differs
// from cur (trimmed), else nil.
func changedText(v url.Values, name string, cur *string) *string {
	if !v.Has(name) {
		return nil
	}
	s := strings.TrimSpace(v.Get(name))
	if s == web.TextOf(cur) {
		return nil
	}
	return &s
}

// changesEmpty reports whether ch changes nothing.
func changesEmpty(ch checkout.Changes) bool {
	return ch.ProductID == nil && ch.Amount == nil && ch.DiscountCode == nil && ch.CustomerEmail == nil &&
		ch.CustomerName == nil && ch.BillingCountry == nil && len(ch.CustomFieldData) == 0
}

// dropChange removes the change a field error is about.
func dropChange(ch *checkout.Changes, loc []any) {
	switch checkoutFormName(loc) {
	case "product_id":
		ch.ProductID = nil
	case "amount":
		ch.Amount = nil
	case "discount_code":
		ch.DiscountCode = nil
	case "customer_email":
		ch.CustomerEmail = nil
	case "customer_name":
		ch.CustomerName = nil
	case "country":
		ch.BillingCountry = nil
	default:
		if slug, ok := strings.CutPrefix(checkoutFormName(loc), "custom_field_data."); ok {
			delete(ch.CustomFieldData, slug)
		}
	}
}
