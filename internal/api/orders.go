package api

import "net/http"

// TODO: stubs until this resource is built.

func (a *API) orderList(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) orderGet(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
