package portalpage

import "net/http"

// Routes registers the portal. Every post checks it comes from our own page
// (portalPost) and acts only for the signed-in customer.
func (w *Portal) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /portal/{slug}", w.portalHome)
	mux.HandleFunc("POST /portal/{slug}/code", w.portalPost(w.portalCode))
	mux.HandleFunc("POST /portal/{slug}/sign-in", w.portalPost(w.portalSignIn))
	mux.HandleFunc("POST /portal/{slug}/sign-out", w.portalPost(w.portalSignOut))
	mux.HandleFunc("POST /portal/{slug}/subscriptions/{id}/cancel", w.portalPost(w.portalCancel))
	mux.HandleFunc("POST /portal/{slug}/subscriptions/{id}/resume", w.portalPost(w.portalResume))
	mux.HandleFunc("POST /portal/{slug}/subscriptions/{id}/payment-method", w.portalPost(w.portalCard))
	mux.HandleFunc("POST /portal/{slug}/subscriptions/{id}/payment-method/confirm", w.portalPost(w.portalCardConfirm))
}
