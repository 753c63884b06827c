package api

import (
	"net/http"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/webhook"
)

func (a *API) webhookEndpointList(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var probs paylink.Problems
	page, err := ParsePage(r)
	mergeProblems(&probs, err)
	orgIDs, err := QueryIDs(r, "organization_id")
	mergeProblems(&probs, err)
	if err := probs.Err(); err != nil {
		return err
	}
	params := store.WebhookEndpointListParams{OrganizationID: p.OrgID,
		ListParams: page.Params("")}
	return writeList(a, w, r, page, otherOrgsOnly(orgIDs, p),
		func(tx *store.Tx) ([]*store.WebhookEndpoint, int, error) {
			return tx.WebhookEndpointList(r.Context(), params)
		},
		func(_ *loader, e *store.WebhookEndpoint) (any, error) { return WebhookEndpointJSON(e), nil })
}

func (a *API) webhookEndpointCreate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var b webhookEndpointBody
	if err := Decode(r, &b); err != nil {
		return err
	}
	change, err := b.validate(r.Context(), true, a.WebhookAllowPrivate, p)
	if err != nil {
		return err
	}
	e, err := a.Webhooks.Create(r.Context(), p.OrgID, "", change)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, WebhookEndpointJSON(e))
	return nil
}

func (a *API) webhookEndpointGet(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "webhook endpoint")
	if err != nil {
		return err
	}
	var e *store.WebhookEndpoint
	if err := a.read(r.Context(), func(tx *store.Tx) (err error) {
		e, err = tx.WebhookEndpointGet(r.Context(), p.OrgID, id)
		return err
	}); err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, WebhookEndpointJSON(e))
	return nil
}

func (a *API) webhookEndpointUpdate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "webhook endpoint")
	if err != nil {
		return err
	}
	var b webhookEndpointBody
	if err := Decode(r, &b); err != nil {
		return err
	}
	change, err := b.validate(r.Context(), false, a.WebhookAllowPrivate, p)
	if err != nil {
		return err
	}
	e, err := a.Webhooks.Change(r.Context(), p.OrgID, id, change)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, WebhookEndpointJSON(e))
	return nil
}

func (a *API) webhookEndpointResetSecret(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "webhook endpoint")
	if err != nil {
		return err
	}
	e, err := a.Webhooks.ResetSecret(r.Context(), p.OrgID, id)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, WebhookEndpointJSON(e))
	return nil
}

func (a *API) webhookEndpointDelete(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "webhook endpoint")
	if err != nil {
		return err
	}
	if err := a.Webhooks.Delete(r.Context(), p.OrgID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) webhookDeliveryList(w http.ResponseWriter, r *http.Request, p *Principal) error {
	params, page, err := webhookDeliveryListParams(r, p)
	if err != nil {
		return err
	}
	return writeList(a, w, r, page, false,
		func(tx *store.Tx) ([]*store.WebhookDelivery, int, error) {
			return tx.WebhookDeliveryList(r.Context(), params)
		},
		func(_ *loader, d *store.WebhookDelivery) (any, error) { return WebhookDeliveryJSON(d) })
}

// webhookDeliveryListParams reads Polar's webhooks:list_webhook_deliveries query.
func webhookDeliveryListParams(r *http.Request, p *Principal) (store.WebhookDeliveryListParams, Page, error) {
	var probs paylink.Problems
	q := r.URL.Query()
	page, err := ParsePage(r)
	mergeProblems(&probs, err)
	endpoints, err := QueryIDs(r, "endpoint_id")
	mergeProblems(&probs, err)
	params := store.WebhookDeliveryListParams{OrganizationID: p.OrgID, EndpointIDs: lowerAll(endpoints),
		Succeeded: queryBool(q, "succeeded", &probs), Query: q.Get("query"),
		ListParams: page.Params("")}
	for _, name := range []string{"start_timestamp", "end_timestamp"} {
		s := q.Get(name)
		if s == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			probs.Add("must be a date and time like 2025-01-31T12:00:00Z", s, "query", name)
			continue
		}
		t = t.UTC()
		if name == "start_timestamp" {
			params.Start = &t
		} else {
			params.End = &t
		}
	}
	if c := q.Get("http_code_class"); c != "" {
		switch c {
		case "2xx", "3xx", "4xx", "5xx":
			params.HTTPCodeClass = int(c[0] - '0')
		default:
			probs.Add("must be one of 2xx, 3xx, 4xx or 5xx", c, "query", "http_code_class")
		}
	}
	for _, t := range queryList(q, "event_type") {
		if !webhook.ValidEventType(t) {
			probs.Add("not a webhook event type", t, "query", "event_type")
		}
		params.EventTypes = append(params.EventTypes, t)
	}
	return params, page, probs.Err()
}

func (a *API) webhookEventRedeliver(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "webhook event")
	if err != nil {
		return err
	}
	if err := a.Webhooks.Redeliver(r.Context(), p.OrgID, "", id); err != nil {
		return err
	}
	WriteJSON(w, http.StatusAccepted, nil)
	return nil
}
