package api

import "net/http"

// TODO: stubs until this resource is built.

func (a *API) checkoutClientGet(w http.ResponseWriter, r *http.Request) error {
	return errNotImplemented
}
func (a *API) checkoutClientUpdate(w http.ResponseWriter, r *http.Request) error {
	return errNotImplemented
}
func (a *API) checkoutClientConfirm(w http.ResponseWriter, r *http.Request) error {
	return errNotImplemented
}
