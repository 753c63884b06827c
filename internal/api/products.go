package api

import "net/http"

// TODO: stubs until this resource is built.

func (a *API) productList(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) productCreate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) productGet(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) productUpdate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
