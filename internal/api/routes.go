package api

import "net/http"

// Routes registers the whole /v1 surface on mux.
func (a *API) Routes(mux *http.ServeMux) {
	mux.Handle("GET /v1/organizations/{$}", a.authed("organizations:read", a.organizationList))
	mux.Handle("GET /v1/organizations/{id}", a.authed("organizations:read", a.organizationGet))

	mux.Handle("GET /v1/products/{$}", a.authed("products:read", a.productList))
	mux.Handle("POST /v1/products/{$}", a.authed("products:write", a.productCreate))
	mux.Handle("GET /v1/products/{id}", a.authed("products:read", a.productGet))
	mux.Handle("PATCH /v1/products/{id}", a.authed("products:write", a.productUpdate))

	mux.Handle("GET /v1/custom-fields/{$}", a.authed("custom_fields:read", a.customFieldList))
	mux.Handle("POST /v1/custom-fields/{$}", a.authed("custom_fields:write", a.customFieldCreate))
	mux.Handle("GET /v1/custom-fields/{id}", a.authed("custom_fields:read", a.customFieldGet))
	mux.Handle("PATCH /v1/custom-fields/{id}", a.authed("custom_fields:write", a.customFieldUpdate))
	mux.Handle("DELETE /v1/custom-fields/{id}", a.authed("custom_fields:write", a.customFieldDelete))

	mux.Handle("GET /v1/discounts/{$}", a.authed("discounts:read", a.discountList))
	mux.Handle("POST /v1/discounts/{$}", a.authed("discounts:write", a.discountCreate))
	mux.Handle("GET /v1/discounts/{id}", a.authed("discounts:read", a.discountGet))
	mux.Handle("PATCH /v1/discounts/{id}", a.authed("discounts:write", a.discountUpdate))
	mux.Handle("DELETE /v1/discounts/{id}", a.authed("discounts:write", a.discountDelete))

	mux.Handle("GET /v1/checkout-links/{$}", a.authed("checkout_links:read", a.checkoutLinkList))
	mux.Handle("POST /v1/checkout-links/{$}", a.authed("checkout_links:write", a.checkoutLinkCreate))
	mux.Handle("GET /v1/checkout-links/{id}", a.authed("checkout_links:read", a.checkoutLinkGet))
	mux.Handle("PATCH /v1/checkout-links/{id}", a.authed("checkout_links:write", a.checkoutLinkUpdate))
	mux.Handle("DELETE /v1/checkout-links/{id}", a.authed("checkout_links:write", a.checkoutLinkDelete))
	mux.Handle("POST /v1/checkout-links/{id}/rotate-secret", a.authed("checkout_links:write", a.checkoutLinkRotateSecret))
	mux.Handle("GET /v1/checkout-links/{id}/analytics", a.authed("checkout_links:read", a.checkoutLinkAnalytics))
	mux.Handle("GET /v1/metrics/{$}", a.authed("metrics:read", a.metricsGet))
	mux.Handle("GET /v1/metrics/limits", a.authed("metrics:read", a.metricsLimits))

	mux.Handle("GET /v1/checkouts/{$}", a.authed("checkouts:read", a.checkoutList))
	mux.Handle("POST /v1/checkouts/{$}", a.authed("checkouts:write", a.checkoutCreate))
	mux.Handle("GET /v1/checkouts/{id}", a.authed("checkouts:read", a.checkoutGet))
	mux.Handle("PATCH /v1/checkouts/{id}", a.authed("checkouts:write", a.checkoutUpdate))
	mux.Handle("GET /v1/checkouts/client/{secret}", a.public(a.checkoutClientGet))
	mux.Handle("PATCH /v1/checkouts/client/{secret}", a.public(a.checkoutClientUpdate))
	mux.Handle("POST /v1/checkouts/client/{secret}/confirm", a.public(a.checkoutClientConfirm))

	mux.Handle("GET /v1/customers/{$}", a.authed("customers:read", a.customerList))
	mux.Handle("GET /v1/customers/{id}", a.authed("customers:read", a.customerGet))
	mux.Handle("GET /v1/orders/{$}", a.authed("orders:read", a.orderList))
	mux.Handle("GET /v1/orders/{id}", a.authed("orders:read", a.orderGet))
	mux.Handle("GET /v1/refunds/{$}", a.authed("refunds:read", a.refundList))
	mux.Handle("POST /v1/refunds/{$}", a.authed("refunds:write", a.refundCreate))
	mux.Handle("GET /v1/subscriptions/{$}", a.authed("subscriptions:read", a.subscriptionList))
	mux.Handle("GET /v1/subscriptions/{id}", a.authed("subscriptions:read", a.subscriptionGet))
	mux.Handle("PATCH /v1/subscriptions/{id}", a.authed("subscriptions:write", a.subscriptionUpdate))
	mux.Handle("DELETE /v1/subscriptions/{id}", a.authed("subscriptions:write", a.subscriptionRevoke))

	mux.Handle("GET /v1/webhooks/endpoints", a.authed("webhooks:read", a.webhookEndpointList))
	mux.Handle("POST /v1/webhooks/endpoints", a.authed("webhooks:write", a.webhookEndpointCreate))
	mux.Handle("GET /v1/webhooks/endpoints/{id}", a.authed("webhooks:read", a.webhookEndpointGet))
	mux.Handle("PATCH /v1/webhooks/endpoints/{id}", a.authed("webhooks:write", a.webhookEndpointUpdate))
	mux.Handle("DELETE /v1/webhooks/endpoints/{id}", a.authed("webhooks:write", a.webhookEndpointDelete))
	mux.Handle("PATCH /v1/webhooks/endpoints/{id}/secret", a.authed("webhooks:write", a.webhookEndpointResetSecret))
	mux.Handle("GET /v1/webhooks/deliveries", a.authed("webhooks:read", a.webhookDeliveryList))
	mux.Handle("POST /v1/webhooks/events/{id}/redeliver", a.authed("webhooks:write", a.webhookEventRedeliver))
}
