package api

import "net/http"

// TODO: stubs until this resource is built.

func (a *API) checkoutList(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) checkoutCreate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) checkoutGet(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) checkoutUpdate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
