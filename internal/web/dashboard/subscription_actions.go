package dashboard

import (
	"errors"
	"net/http"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/httperr"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

// subscriptionAction is one change: its path, the words of its page, and the
// service call that makes it.
type subscriptionAction struct {
	Path, Title, Button, Notice string
	Danger, AsksReason          bool
	// Explain says what happens, given the subscription.
	explain func(sub *paylink.Subscription) string
	// offered tells whether the subscription's page offers the change.
	offered func(sub *paylink.Subscription) bool
	do      func(w *Dashboard, r *http.Request, orgID, id string, c paylink.Cancellation) error
}

var subscriptionActions = []subscriptionAction{
	{Path: "cancel", Title: "Cancel at the end of the period", Button: "Cancel at period end", Notice: "subscription-canceled",
		AsksReason: true,
		explain: func(sub *paylink.Subscription) string {
			return "The subscription stays active until " + when(sub.EndsIfCanceled(paylink.Now())) +
				" and then ends: it is not renewed and nothing more is charged. You can take this back until then."
		},
		offered: func(sub *paylink.Subscription) bool { return sub.Billable() && !sub.CancelAtPeriodEnd },
		do: func(w *Dashboard, r *http.Request, orgID, id string, c paylink.Cancellation) error {
			_, err := w.Subscriptions.Cancel(r.Context(), orgID, id, c)
			return err
		}},
	{Path: "uncancel", Title: "Keep renewing", Button: "Keep renewing", Notice: "subscription-uncanceled",
		explain: func(sub *paylink.Subscription) string {
			return "The cancellation is taken back: instead of ending on " + whenPtr(sub.EndsAt) +
				", the subscription renews then and is charged as before."
		},
		offered: func(sub *paylink.Subscription) bool { return sub.Billable() && sub.CancelAtPeriodEnd },
		do: func(w *Dashboard, r *http.Request, orgID, id string, _ paylink.Cancellation) error {
			_, err := w.Subscriptions.Uncancel(r.Context(), orgID, id)
			return err
		}},
	{Path: "revoke", Title: "Revoke now", Button: "Revoke now", Notice: "subscription-revoked", Danger: true, AsksReason: true,
		explain: func(sub *paylink.Subscription) string {
			return "The subscription ends now, before its period ends on " + when(sub.CurrentPeriodEnd) +
				". Nothing more is charged and nothing is refunded. This cannot be undone."
		},
		offered: func(sub *paylink.Subscription) bool { return sub.Billable() },
		do: func(w *Dashboard, r *http.Request, orgID, id string, c paylink.Cancellation) error {
			_, err := w.Subscriptions.Revoke(r.Context(), orgID, id, c)
			return err
		}},
}

// cancellationReasonLabels are the words of paylink.CancellationReasons.
var cancellationReasonLabels = map[string]string{
	"customer_service": "Customer service", "low_quality": "Low quality", "missing_features": "Missing features",
	"switched_service": "Switched to another service", "too_complex": "Too complex", "too_expensive": "Too expensive",
	"unused": "Not used enough", "other": "Other",
}

// subscriptionCancelField is the form of a cancel or a revoke.
var subscriptionCancelField = formFields{
	{"customer_cancellation_reason", "reason", "Reason"},
	{"customer_cancellation_comment", "comment", "Customer's comment"},
}

// subscriptionActionPage is the confirmation page of a change.
type subscriptionActionPage struct {
	dashPage
	Action          subscriptionAction
	ID, Subject     string // the subscription, and what it is ("$9.00 / month for ann@example.com")
	Explain         string
	Reasons         []option
	Reason, Comment string // what was chosen, when the form comes back
	Errors          formErrors
}

// subscriptionConfirm shows the confirmation page of a, or a 409 page when the
// subscription no longer allows it (changed in another tab, or by the API).
func (w *Dashboard) subscriptionConfirm(rw http.ResponseWriter, r *http.Request, s *dashSession, a subscriptionAction, page subscriptionActionPage, status int) error {
	id, err := pathID(r, "subscription")
	if err != nil {
		return err
	}
	var sub *paylink.Subscription
	var cust *paylink.Customer
	if err := w.Store.Read(r.Context(), func(tx *store.Tx) error {
		if sub, err = tx.SubscriptionGet(r.Context(), s.Org.ID, id); err != nil {
			return err
		}
		cust, err = tx.CustomerGet(r.Context(), s.Org.ID, sub.CustomerID)
		return err
	}); err != nil {
		return err
	}
	count := sub.IntervalCount
	page.dashPage = w.page(r, s, a.Title, "subscriptions")
	page.Action, page.ID = a, id
	page.Subject = web.DisplayMoney(sub.Amount, sub.Currency) + intervalText(&sub.RecurringInterval, &count) + " for " + cust.Email
	if a.offered(sub) {
		page.Explain = a.explain(sub)
	} else if !page.Errors.Any() {
		page.Errors.General = append(page.Errors.General, "This subscription can no longer be changed this way: it was changed since this page was opened.")
		status = http.StatusConflict
	}
	for _, reason := range paylink.CancellationReasons {
		page.Reasons = append(page.Reasons, option{reason, cancellationReasonLabels[reason]})
	}
	w.Render(rw, r, status, "dash_subscription_action", page)
	return nil
}

// subscriptionAct makes the change through internal/subscriptions and goes back
// to the subscription's page; a refused change shows the confirmation page again
// with why.
func (w *Dashboard) subscriptionAct(rw http.ResponseWriter, r *http.Request, s *dashSession, a subscriptionAction) error {
	id, err := pathID(r, "subscription")
	if err != nil {
		return err
	}
	form := subscriptionActionPage{Reason: r.PostForm.Get("reason"), Comment: strings.TrimSpace(r.PostForm.Get("comment"))}
	var c paylink.Cancellation
	if a.AsksReason {
		if form.Reason != "" {
			c.Reason = &form.Reason
		}
		if form.Comment != "" {
			c.Comment = &form.Comment
		}
	}
	err = a.do(w, r, s.Org.ID, id, c)
	if err == nil {
		w.Log.InfoContext(r.Context(), "subscription changed", "subscription_id", id, "change", a.Path, "by_user_id", s.User.ID)
		done(rw, r, subscriptionPath(id), a.Notice)
		return nil
	}
	if cerr := form.Errors.collect(err, subscriptionCancelField); cerr != nil {
		var pe *paylink.Error
		if !errors.As(err, &pe) || pe.Code == paylink.ENotFound || httperr.Status(err) >= 500 {
			return err
		}
		form.Errors.General = append(form.Errors.General, sentence(pe.Message))
		return w.subscriptionConfirm(rw, r, s, a, form, http.StatusConflict)
	}
	return w.subscriptionConfirm(rw, r, s, a, form, http.StatusUnprocessableEntity)
}
