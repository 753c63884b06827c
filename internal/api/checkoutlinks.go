package api

import "net/http"

// TODO: stubs until this resource is built.

func (a *API) checkoutLinkList(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) checkoutLinkCreate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) checkoutLinkGet(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) checkoutLinkUpdate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) checkoutLinkDelete(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) checkoutLinkRotateSecret(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
