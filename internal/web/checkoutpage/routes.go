package checkoutpage

import "net/http"

// Routes registers the customer's pages. The checkout page works with plain
// form posts; static/checkout.js posts the same form with fetch and swaps in
// the re-rendered form (one template renders both). The link visit is also
// served at Polar's API path, GET /v1/checkout-links/{secret}/redirect, which
// the API's route list mounts (api.API.LinkVisit).
func (w *Page) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /buy/{secret}", w.Visit)

	mux.HandleFunc("GET /checkout/{secret}", w.checkoutShow)
	mux.HandleFunc("POST /checkout/{secret}", w.checkoutPost)
	mux.HandleFunc("GET /checkout/{secret}/success", w.checkoutSuccess)
	mux.HandleFunc("GET /checkout/{secret}/restart", w.checkoutRestart)
	mux.HandleFunc("GET /checkout/{secret}/payment", w.checkoutPayment)

	mux.HandleFunc("GET /receipts/{token}", w.receipt)
}
