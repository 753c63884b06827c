package api

import "net/http"

// TODO: stubs until this resource is built.

func (a *API) discountList(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) discountCreate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) discountGet(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) discountUpdate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) discountDelete(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
