package api

import "net/http"

// TODO: stubs until this resource is built.

func (a *API) customerList(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) customerGet(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
