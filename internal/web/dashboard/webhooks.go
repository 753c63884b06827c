package dashboard

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/webhook"
)

// The Webhooks pages: the endpoints with their last outcome and a create form
// here; one endpoint's settings and delivery log in webhook.go. The
// rules of an endpoint's settings are webhook.EndpointInput's, the API's own.

// webhookRow is one endpoint of the list.
type webhookRow struct {
	ID, URL, Name, Events string
	Enabled               bool
	Notice                *disabledNotice
	Last                  *deliveryRow // the newest attempt, nil before any
}

// disabledNotice says why and since when paylink disabled a failing endpoint.
type disabledNotice struct{ Reason, FailingSince, DisabledAt string }

// webhookForm is the endpoint form's values, as typed.
type webhookForm struct {
	URL, Name string
	Events    []eventChoice
}

// eventChoice is one event type's checkbox.
type eventChoice struct {
	Type    string
	Checked bool
}

type webhooksPage struct {
	dashPage
	Endpoints []webhookRow
	Pager     pager
	Form      webhookForm
	Errors    formErrors
	NewSecret string // the secret of the endpoint just created: shown once
	NewID     string
}

// eventChoices are the checkboxes of the form: the nine event types paylink
// emits, then any other type the endpoint subscribed to through the API, so a
// save in the dashboard does not silently drop it.
func eventChoices(checked []string) []eventChoice {
	types := slices.Clone(webhook.Emitted)
	for _, t := range checked {
		if !slices.Contains(types, t) && webhook.ValidEventType(t) {
			types = append(types, t)
		}
	}
	out := make([]eventChoice, len(types))
	for i, t := range types {
		out[i] = eventChoice{Type: t, Checked: slices.Contains(checked, t)}
	}
	return out
}

func disabledNoticeOf(e *store.WebhookEndpoint) *disabledNotice {
	if e.Enabled || e.DisabledReason == nil {
		return nil
	}
	n := &disabledNotice{Reason: *e.DisabledReason, FailingSince: whenPtr(e.FailingSince), DisabledAt: whenPtr(e.ModifiedAt)}
	return n
}

func (w *Dashboard) webhooks(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	return w.renderWebhooks(rw, r, s, webhooksPage{Form: webhookForm{Events: eventChoices(nil)}})
}

func (w *Dashboard) renderWebhooks(rw http.ResponseWriter, r *http.Request, s *dashSession, page webhooksPage) error {
	pg, offset := pageOf(r)
	page.dashPage = w.page(r, s, "Webhooks", "webhooks")
	err := w.Store.Read(r.Context(), func(tx *store.Tx) error {
		eps, total, err := tx.WebhookEndpointList(r.Context(), store.WebhookEndpointListParams{OrganizationID: s.Org.ID,
			ListParams: store.ListParams{Limit: pageSize, Offset: offset}})
		if err != nil {
			return err
		}
		page.Pager = newPager(r, pg, total)
		for _, e := range eps {
			row := webhookRow{ID: e.ID, URL: e.URL, Name: deref(e.Name), Events: strings.Join(e.Events, ", "),
				Enabled: e.Enabled, Notice: disabledNoticeOf(e)}
			last, _, err := tx.WebhookDeliveryList(r.Context(), store.WebhookDeliveryListParams{OrganizationID: s.Org.ID,
				EndpointIDs: []string{e.ID}, ListParams: store.ListParams{Limit: 1}})
			if err != nil {
				return err
			}
			if len(last) > 0 {
				d := deliveryRowOf(last[0])
				row.Last = &d
			}
			page.Endpoints = append(page.Endpoints, row)
		}
		return nil
	})
	if err != nil {
		return err
	}
	status := http.StatusOK
	if page.Errors.Any() {
		status = http.StatusUnprocessableEntity
	}
	w.Render(rw, r, status, "dash_webhooks", page)
	return nil
}

// readWebhookForm reads the endpoint form into what was typed and the change it
// asks for; a form without any event is refused here, since such an endpoint
// would never receive anything.
func (w *Dashboard) readWebhookForm(r *http.Request, errs *formErrors) (webhookForm, func(*store.WebhookEndpoint), error) {
	v := r.PostForm
	url, name, events := v.Get("url"), v.Get("name"), v["events"]
	f := webhookForm{URL: strings.TrimSpace(url), Name: strings.TrimSpace(name), Events: eventChoices(events)}
	change, probs, err := webhook.EndpointInput{URL: &url, Name: &name, Events: &events}.Change(r.Context(), w.AllowPrivateWebhooks)
	if err != nil {
		return f, nil, err
	}
	if err := errs.collect(probs.Err(), webhookField); err != nil {
		return f, nil, err
	}
	if len(events) == 0 {
		errs.add("events", "Pick at least one event.")
	}
	return f, change, nil
}

func (w *Dashboard) webhookCreate(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	var page webhooksPage
	f, change, err := w.readWebhookForm(r, &page.Errors)
	if err != nil {
		return err
	}
	page.Form = f
	if page.Errors.Any() {
		return w.renderWebhooks(rw, r, s, page)
	}
	e, err := w.Webhooks.Create(r.Context(), s.Org.ID, webhook.FormatRaw, change)
	if err != nil {
		return err
	}
	w.Log.InfoContext(r.Context(), "dashboard webhook endpoint created", "user_id", s.User.ID, "endpoint", e.ID)
	return w.renderWebhooks(rw, r, s, webhooksPage{NewSecret: e.Secret, NewID: e.ID,
		Form: webhookForm{Events: eventChoices(nil)}})
}

// durationText is a delivery's duration: "84 ms", "2.3 s".
func durationText(ms int64) string {
	if ms < 1000 {
		return strconv.FormatInt(ms, 10) + " ms"
	}
	return strconv.FormatFloat(float64(ms)/1000, 'f', 1, 64) + " s"
}
