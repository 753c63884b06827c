package dashboard

import (
	"errors"
	"net/http"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

// refundReasons are the reasons the form offers, in its order, with their labels.
var refundReasons = []option{
	{"customer_request", "Customer request"}, {"duplicate", "Duplicate"}, {"fraudulent", "Fraudulent"},
	{"service_disruption", "Service disruption"}, {"satisfaction_guarantee", "Satisfaction guarantee"},
	{"other", "Other"},
}

// refundReasonLabel is the label of a reason; one the form does not offer
// (Polar's dispute_prevention) is spelt as words.
func refundReasonLabel(reason string) string {
	for _, o := range refundReasons {
		if o.Value == reason {
			return o.Label
		}
	}
	return strings.ReplaceAll(reason, "_", " ")
}

// refundForm is the Refund form of an order's page: what was typed, its errors,
// and what is left to refund.
type refundForm struct {
	OrderID, CSRF           string
	Amount, Reason, Comment string
	Errors                  formErrors
	Left                    string // what is left to refund, e.g. "$15.00"
	Currency                string // upper case, next to the amount
	Reasons                 []option
}

// refundReview is the confirmation step of a refund.
type refundReview struct {
	dashPage
	OrderID                         string
	Amount, Total, Customer, Reason string
	AmountValue, ReasonValue        string // the form's values, posted again on confirm
	Comment                         string
	RefundID                        string // minted here, so a double click on confirm refunds once
	Full                            bool   // the refund gives back all that is left
}

// readRefundForm reads the posted form; an amount that is not a number is an
// error at its input before any rule runs.
func readRefundForm(r *http.Request, orderID, currency string) (refundForm, paylink.RefundInput) {
	v := r.PostForm
	f := refundForm{Amount: strings.TrimSpace(v.Get("amount")), Reason: v.Get("reason"), Comment: v.Get("comment")}
	in := paylink.RefundInput{ID: strings.TrimSpace(v.Get("refund_id")), OrderID: orderID, Reason: f.Reason,
		Comment: optString(v, "comment")}
	n, ok, err := parseMoney(f.Amount, currency)
	switch {
	case err != nil:
		f.Errors.add("amount", sentence(err.Error()))
	case !ok:
		f.Errors.add("amount", "Enter the amount to refund.")
	default:
		in.Amount = n
	}
	return f, in
}

func (w *Dashboard) refundPost(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	id, err := pathID(r, "order")
	if err != nil {
		return err
	}
	var o *paylink.Order
	var email string
	if err := w.Store.Read(r.Context(), func(tx *store.Tx) error {
		if o, err = tx.OrderGet(r.Context(), s.Org.ID, id); err != nil {
			return err
		}
		c, err := tx.CustomerGet(r.Context(), s.Org.ID, o.CustomerID)
		if err == nil {
			email = c.Email
		}
		return err
	}); err != nil {
		return err
	}
	form, in := readRefundForm(r, id, o.Currency)
	if form.Errors.Any() {
		return w.orderPage(rw, r, s, &form)
	}
	if r.PostForm.Get("confirm") != "yes" {
		if _, err := w.Refunds.Review(r.Context(), s.Org.ID, in); err != nil {
			return w.refundRefused(rw, r, s, &form, err)
		}
		w.refundConfirm(rw, r, s, o, email, form, in)
		return nil
	}
	if _, err := w.Refunds.Create(r.Context(), s.Org.ID, in); err != nil {
		return w.refundRefused(rw, r, s, &form, err)
	}
	w.Log.InfoContext(r.Context(), "order refunded", "organization_id", s.Org.ID, "order_id", id, "amount", in.Amount)
	done(rw, r, orderPath(id), "refund-created")
	return nil
}

// isRefundRefusal reports whether err is a refusal the form shows (a rule, an
// order refunded already, the processor declining) rather than a failure.
func isRefundRefusal(err error) bool {
	var e *paylink.Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Code {
	case paylink.EInvalid, paylink.EForbidden, paylink.EBadRequest, paylink.EPaymentFailed:
		return true
	}
	return false
}

// refundRefused shows the order's page again with a refusal in the form's
// words; any other error fails the request.
func (w *Dashboard) refundRefused(rw http.ResponseWriter, r *http.Request, s *dashSession, form *refundForm, err error) error {
	if !isRefundRefusal(err) {
		return err
	}
	if e := (*paylink.Error)(nil); form.Errors.collect(err, refundField) != nil && errors.As(err, &e) {
		form.Errors.General = append(form.Errors.General, sentence(e.Message)) // a refusal of the whole refund
	}
	return w.orderPage(rw, r, s, form)
}

// refundConfirm shows the confirmation step: what will be refunded, to whom.
func (w *Dashboard) refundConfirm(rw http.ResponseWriter, r *http.Request, s *dashSession, o *paylink.Order, email string, f refundForm, in paylink.RefundInput) {
	amount := web.DisplayMoney(in.Amount, o.Currency)
	w.Render(rw, r, http.StatusOK, "dash_refund", refundReview{
		dashPage: w.page(r, s, "Refund "+amount, "orders"), OrderID: o.ID, Amount: amount,
		Total: web.DisplayMoney(o.TotalAmount, o.Currency), Customer: email, Reason: refundReasonLabel(in.Reason),
		AmountValue: f.Amount, ReasonValue: in.Reason, Comment: f.Comment, Full: in.Amount == paylink.RefundableAmount(o),
		RefundID: paylink.NewID()})
}

// orderRefunds adds an order's refunds to its page, and its Refund form while
// something is left to refund (form as posted, or a fresh one for all of it).
func (w *Dashboard) orderRefunds(r *http.Request, tx *store.Tx, o *paylink.Order, form *refundForm, page *detailPage) error {
	list, total, err := tx.RefundList(r.Context(), store.RefundListParams{OrganizationID: o.OrganizationID,
		OrderIDs: []string{o.ID}, ListParams: store.ListParams{Limit: relatedRows}})
	if err != nil {
		return err
	}
	t := detailTable{Title: countTitle("Refunds", len(list), total), Empty: "No refunds.",
		Columns: []string{"Created", "Status", "Reason", "Amount", "Comment"}}
	for _, ref := range list {
		status := cell{Badge: ref.Status}
		if ref.FailureReason != nil {
			status.Sub = strings.ReplaceAll(*ref.FailureReason, "_", " ")
		}
		t.Rows = append(t.Rows, []cell{dateCell(ref.CreatedAt), status, txt(refundReasonLabel(ref.Reason)),
			txtNowrap(web.DisplayMoney(ref.Amount, ref.Currency)), orText(deref(ref.Comment))})
	}
	page.Tables = append(page.Tables, t)
	left := paylink.RefundableAmount(o)
	if left <= 0 && (form == nil || !form.Errors.Any()) {
		return nil
	}
	if form == nil {
		form = &refundForm{Amount: web.DecimalAmount(left, o.Currency), Reason: "customer_request"}
	}
	form.OrderID, form.CSRF, form.Left, form.Currency, form.Reasons = o.ID, page.CSRF, web.DisplayMoney(left, o.Currency), strings.ToUpper(o.Currency), refundReasons
	page.Refund = form
	return nil
}
