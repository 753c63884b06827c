package portalpage

import (
	"errors"
	"net/http"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/portal"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

// "Update payment method" on a subscription: in the sandbox a test card form
// (read by web.ReadTestCard, as the checkout page's), with Stripe the Payment
// Element in setup mode, which static/portal.js turns into a confirmation token
// (and whose 3-D Secure it finishes, posting the SetupIntent to .../confirm).
// Either way internal/portal saves the card as the customer's default, which
// every subscription of theirs then renews with.

// cardForm is the open "Update payment method" form of one subscription: what
// went wrong, or (Stripe) the 3-D Secure step still to do.
type cardForm struct {
	Problems     map[string]string // by field name: card_number, card_expiry, card_cvc
	Problem      string            // about the card as a whole (a decline)
	ClientSecret string            // a SetupIntent waiting for 3-D Secure
}

// portalCard saves the card posted for one of the customer's subscriptions.
func (w *Portal) portalCard(rw http.ResponseWriter, r *http.Request, org *paylink.Organization, who *portal.Signed) {
	if who == nil {
		http.Redirect(rw, r, portal.PortalPath(org.Slug), http.StatusSeeOther)
		return
	}
	id, ok := w.ownSubscription(rw, r, who)
	if !ok {
		return
	}
	form := &cardForm{Problems: map[string]string{}}
	token := ""
	switch {
	case w.StripeMode():
		token = strings.TrimSpace(r.PostForm.Get("confirmation_token"))
		if token == "" {
			form.Problem = "Enter your card details. This form needs JavaScript: turn it on, or open this page in another browser."
		}
	case w.Sandbox:
		token = web.ReadTestCard(r.PostForm, w.Portal.Now.Read(), form.Problems)
	default:
		form.Problem = "Cards cannot be saved here."
	}
	if form.Problem != "" || len(form.Problems) > 0 {
		w.renderCardForm(rw, r, who, id, form)
		return
	}
	res, err := w.Portal.AddPaymentMethod(r.Context(), who, portal.AddMethod{ConfirmationTokenID: token, SetDefault: true,
		ReturnURL: w.PublicURL + portal.PortalPath(org.Slug)})
	w.cardSaved(rw, r, who, id, res, err)
}

// portalCardConfirm saves the card of a SetupIntent whose 3-D Secure step the
// customer finished (Stripe mode).
func (w *Portal) portalCardConfirm(rw http.ResponseWriter, r *http.Request, org *paylink.Organization, who *portal.Signed) {
	if who == nil {
		http.Redirect(rw, r, portal.PortalPath(org.Slug), http.StatusSeeOther)
		return
	}
	id, ok := w.ownSubscription(rw, r, who)
	if !ok {
		return
	}
	res, err := w.Portal.ConfirmPaymentMethod(r.Context(), who, r.PostForm.Get("setup_intent_id"), true)
	w.cardSaved(rw, r, who, id, res, err)
}

// cardSaved answers a save: back to the portal saying so, or the form again
// with the processor's words.
func (w *Portal) cardSaved(rw http.ResponseWriter, r *http.Request, who *portal.Signed, subID string, res *portal.MethodAdded, err error) {
	var e *paylink.Error
	switch {
	case err == nil && res.Method == nil:
		w.renderCardForm(rw, r, who, subID, &cardForm{ClientSecret: res.ClientSecret})
	case err == nil:
		http.Redirect(rw, r, portal.PortalPath(who.Org.Slug)+"?done=card", http.StatusSeeOther)
	case errors.As(err, &e) && e.Name == "PaymentMethodSetupFailed":
		w.renderCardForm(rw, r, who, subID, &cardForm{Problem: e.Message})
	case paylink.IsCode(err, paylink.EInvalid):
		w.renderCardForm(rw, r, who, subID, &cardForm{Problem: "The card could not be saved. Try another card."})
	default:
		w.Fail(rw, r, err)
	}
}

// ownSubscription is the posted subscription's id when it is the customer's;
// otherwise it answers not found.
func (w *Portal) ownSubscription(rw http.ResponseWriter, r *http.Request, who *portal.Signed) (string, bool) {
	id := strings.ToLower(r.PathValue("id"))
	err := w.Store.Read(r.Context(), func(tx *store.Tx) error {
		_, err := portal.CustomerSubscription(r.Context(), tx, who, id)
		return err
	})
	if err == nil && !w.Portal.CanChangePaymentMethods() {
		err = paylink.Errorf(paylink.ENotImplemented, "Payment methods cannot be changed here.")
	}
	if err != nil {
		w.Fail(rw, r, err)
		return "", false
	}
	return id, true
}

// renderCardForm renders the portal with subID's card form open.
func (w *Portal) renderCardForm(rw http.ResponseWriter, r *http.Request, who *portal.Signed, subID string, f *cardForm) {
	status := http.StatusUnprocessableEntity
	if f.ClientSecret != "" {
		status = http.StatusOK
	}
	w.renderPortalWith(rw, r, who, status, "", nil, subID, f)
}

// cardLabel is how the portal names a saved card: "Visa •••• 4242".
func cardLabel(m *store.PaymentMethod) string {
	return payment.CardBrand(m.Brand) + " •••• " + m.Last4
}

// cardView is what the card_form template renders for one subscription.
type cardView struct {
	Sub    *portalSubscription
	Page   *portalPage
	Fields []cardField // the sandbox's test card form
}

// cardField is one field of the sandbox's card form.
type cardField struct {
	ID, Name, Label, Autocomplete, Placeholder, Error string
}

// newCardView builds the card form of ps on page p.
func newCardView(p *portalPage, ps *portalSubscription) *cardView {
	v := &cardView{Sub: ps, Page: p}
	if p.Stripe != nil {
		return v
	}
	var probs map[string]string
	if ps.CardForm != nil {
		probs = ps.CardForm.Problems
	}
	for _, f := range []cardField{
		{Name: "card_number", Label: "Card number", Autocomplete: "cc-number", Placeholder: "1234 1234 1234 1234"},
		{Name: "card_expiry", Label: "Expiry", Autocomplete: "cc-exp", Placeholder: "MM / YY"},
		{Name: "card_cvc", Label: "CVC", Autocomplete: "cc-csc", Placeholder: "123"},
	} {
		f.ID = strings.ReplaceAll(f.Name, "_", "-") + "-" + ps.ID
		if msg := probs[f.Name]; msg != "" {
			f.Error = sentence(msg)
		}
		v.Fields = append(v.Fields, f)
	}
	return v
}

// sentence makes a card problem ("enter your card number") a sentence.
func sentence(msg string) string {
	msg = strings.ToUpper(msg[:1]) + msg[1:]
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}
