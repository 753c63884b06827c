package dashboard

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
	"github.com/paylink/paylink/internal/webhook"
)

// excerptLen is how much of a response body the delivery log shows; the store
// keeps more, which the API returns in full.
const excerptLen = 160

// deliveryRow is one attempt of the delivery log. Excerpt is the receiver's
// text: untrusted, shown only as escaped text.
type deliveryRow struct {
	EventID, Time, Type, Status, Duration, Excerpt, Attempt string
	Succeeded                                               bool
	Redeliver                                               bool // the newest attempt of its event on this page
}

func deliveryRowOf(d *store.WebhookDelivery) deliveryRow {
	row := deliveryRow{EventID: d.WebhookEventID, Time: when(d.CreatedAt), Type: d.Event.Type, Status: "No response",
		Duration: durationText(d.DurationMS), Succeeded: d.Succeeded, Attempt: strconv.Itoa(d.Attempt)}
	if d.HTTPCode != nil {
		row.Status = strconv.Itoa(*d.HTTPCode)
	}
	if d.Response != nil {
		row.Excerpt = excerpt(*d.Response, excerptLen)
	}
	return row
}

// excerpt is the start of s, at most n characters on one line, "…" when cut.
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "�")), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

type webhookPage struct {
	dashPage
	Endpoint   webhookRow
	Form       webhookForm
	Errors     formErrors
	NewSecret  string // after a reset: shown once
	Deliveries []deliveryRow
	Pager      pager
}

// webhookEndpoint reads the path's endpoint of the signed-in organization;
// another organization's is ENotFound.
func (w *Dashboard) webhookEndpoint(r *http.Request, tx *store.Tx, s *dashSession) (*store.WebhookEndpoint, error) {
	id := strings.ToLower(r.PathValue("id"))
	if !paylink.ValidID(id) {
		return nil, paylink.NotFound("webhook endpoint")
	}
	return tx.WebhookEndpointGet(r.Context(), s.Org.ID, id)
}

func (w *Dashboard) webhookPage(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	return w.renderWebhook(rw, r, s, webhookPage{}, nil)
}

// renderWebhook shows an endpoint: its settings form (page.Form when the form
// came back with errors, else the saved values) and a page of its delivery log.
func (w *Dashboard) renderWebhook(rw http.ResponseWriter, r *http.Request, s *dashSession, page webhookPage, typed *webhookForm) error {
	pg, offset := pageOf(r)
	err := w.Store.Read(r.Context(), func(tx *store.Tx) error {
		e, err := w.webhookEndpoint(r, tx, s)
		if err != nil {
			return err
		}
		page.Endpoint = webhookRow{ID: e.ID, URL: e.URL, Name: deref(e.Name), Enabled: e.Enabled, Notice: disabledNoticeOf(e)}
		page.Form = webhookForm{URL: e.URL, Name: deref(e.Name), Events: eventChoices(e.Events)}
		if typed != nil {
			page.Form = *typed
		}
		ds, total, err := tx.WebhookDeliveryList(r.Context(), store.WebhookDeliveryListParams{OrganizationID: s.Org.ID,
			EndpointIDs: []string{e.ID}, ListParams: store.ListParams{Limit: pageSize, Offset: offset}})
		page.Pager = newPager(r, pg, total)
		seen := map[string]bool{}
		for _, d := range ds {
			row := deliveryRowOf(d)
			row.Redeliver = e.Enabled && !seen[d.WebhookEventID]
			seen[d.WebhookEventID] = true
			page.Deliveries = append(page.Deliveries, row)
		}
		return err
	})
	if err != nil {
		return err
	}
	title := page.Endpoint.Name
	if title == "" {
		title = page.Endpoint.URL
	}
	page.dashPage = w.page(r, s, title, "webhooks")
	status := http.StatusOK
	if page.Errors.Any() {
		status = http.StatusUnprocessableEntity
	}
	w.Render(rw, r, status, "dash_webhook", page)
	return nil
}

// webhookChange applies change to the path's endpoint (webhook.Endpoints.Change).
func (w *Dashboard) webhookChange(r *http.Request, s *dashSession, change func(*store.WebhookEndpoint)) (*store.WebhookEndpoint, error) {
	id, err := pathID(r, "webhook endpoint")
	if err != nil {
		return nil, err
	}
	return w.Webhooks.Change(r.Context(), s.Org.ID, id, change)
}

func (w *Dashboard) webhookSave(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	var page webhookPage
	f, change, err := w.readWebhookForm(r, &page.Errors)
	if err != nil {
		return err
	}
	if page.Errors.Any() {
		return w.renderWebhook(rw, r, s, page, &f)
	}
	e, err := w.webhookChange(r, s, change)
	if err != nil {
		return err
	}
	done(rw, r, web.DashPath+"/webhooks/"+e.ID, "webhook-saved")
	return nil
}

func (w *Dashboard) webhookResetSecret(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	id, err := pathID(r, "webhook endpoint")
	if err != nil {
		return err
	}
	e, err := w.Webhooks.ResetSecret(r.Context(), s.Org.ID, id)
	if err != nil {
		return err
	}
	w.Log.InfoContext(r.Context(), "dashboard webhook secret reset", "user_id", s.User.ID)
	return w.renderWebhook(rw, r, s, webhookPage{NewSecret: e.Secret}, nil)
}

func (w *Dashboard) webhookEnable(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	on := r.PostForm.Get("enabled") == "1"
	e, err := w.webhookChange(r, s, func(e *store.WebhookEndpoint) { webhook.SetEnabled(e, on) })
	if err != nil {
		return err
	}
	notice := "webhook-disabled"
	if on {
		notice = "webhook-enabled"
	}
	done(rw, r, web.DashPath+"/webhooks/"+e.ID, notice)
	return nil
}

func (w *Dashboard) webhookDelete(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	id, err := pathID(r, "webhook endpoint")
	if err != nil {
		return err
	}
	if err := w.Webhooks.Delete(r.Context(), s.Org.ID, id); err != nil {
		return err
	}
	done(rw, r, web.DashPath+"/webhooks", "webhook-deleted")
	return nil
}

// webhookRedeliver sends an event of the path's endpoint again, with the rule
// the API follows (webhook.Redeliver): not while the endpoint is disabled.
func (w *Dashboard) webhookRedeliver(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	id, err := pathID(r, "webhook endpoint")
	if err != nil {
		return err
	}
	eventID := strings.ToLower(r.PathValue("event"))
	if !paylink.ValidID(eventID) {
		return paylink.NotFound("webhook event")
	}
	if err := w.Webhooks.Redeliver(r.Context(), s.Org.ID, id, eventID); err != nil {
		return err
	}
	done(rw, r, web.DashPath+"/webhooks/"+id, "webhook-redeliver")
	return nil
}
