package api

import "net/http"

// TODO: stubs until this resource is built.

func (a *API) customFieldList(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) customFieldCreate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) customFieldGet(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) customFieldUpdate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
func (a *API) customFieldDelete(w http.ResponseWriter, r *http.Request, p *Principal) error {
	return errNotImplemented
}
