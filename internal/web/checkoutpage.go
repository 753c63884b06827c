package web

import "net/http"

// checkoutRoutes registers the hosted checkout page (stub until it is built).
func (w *Web) checkoutRoutes(mux *http.ServeMux) {}
