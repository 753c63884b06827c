package web

import "net/http"

// dashboardRoutes registers the merchant dashboard (stub until it is built).
func (w *Web) dashboardRoutes(mux *http.ServeMux) {}
