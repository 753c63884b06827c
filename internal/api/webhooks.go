package api

import "net/http"

// TODO: stubs until webhooks are built.

func (a *API) webhookEndpointList(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) webhookEndpointCreate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) webhookEndpointGet(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) webhookEndpointUpdate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) webhookEndpointDelete(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) webhookEndpointResetSecret(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) webhookDeliveryList(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) webhookEventRedeliver(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
