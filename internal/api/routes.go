package api

import "net/http"

// Routes registers the whole /v1 surface on mux.
func (a *API) Routes(mux *http.ServeMux) {
	mux.Handle("GET /v1/organizations/{$}", a.authed("organizations:read", a.organizationList))
	mux.Handle("GET /v1/organizations/{id}", a.authed("organizations:read", a.organizationGet))
	mux.Handle("PATCH /v1/organizations/{id}", a.authed("organizations:write", a.organizationUpdate))

	mux.Handle("GET /v1/products/{$}", a.authed("products:read", a.productList))
	mux.Handle("POST /v1/products/{$}", a.authed("products:write", a.productCreate))
	mux.Handle("GET /v1/products/{id}", a.authed("products:read", a.productGet))
	mux.Handle("PATCH /v1/products/{id}", a.authed("products:write", a.productUpdate))
	mux.Handle("DELETE /v1/products/{id}", a.authed("products:write", a.productDelete))

	mux.Handle("POST /v1/products/{id}/benefits", a.authed("products:write", a.productUpdateBenefits))

	mux.Handle("GET /v1/benefits/{$}", a.authed("benefits:read", a.benefitList))
	mux.Handle("POST /v1/benefits/{$}", a.authed("benefits:write", a.benefitCreate))
	mux.Handle("GET /v1/benefits/{id}", a.authed("benefits:read", a.benefitGet))
	mux.Handle("PATCH /v1/benefits/{id}", a.authed("benefits:write", a.benefitUpdate))
	mux.Handle("DELETE /v1/benefits/{id}", a.authed("benefits:write", a.benefitDelete))
	mux.Handle("GET /v1/benefits/{id}/grants", a.authed("benefits:read", a.benefitGrants))

	mux.Handle("GET /v1/license-keys/{$}", a.authed("license_keys:read", a.licenseKeyList))
	mux.Handle("GET /v1/license-keys/{id}", a.authed("license_keys:read", a.licenseKeyGet))
	mux.Handle("PATCH /v1/license-keys/{id}", a.authed("license_keys:write", a.licenseKeyUpdate))
	mux.Handle("GET /v1/license-keys/{id}/activations/{activation_id}", a.authed("license_keys:read", a.licenseKeyActivation))
	mux.Handle("POST /v1/license-keys/validate", a.authed("license_keys:write", a.keyValidate))
	mux.Handle("POST /v1/license-keys/activate", a.authed("license_keys:write", a.keyActivate))
	mux.Handle("POST /v1/license-keys/deactivate", a.authed("license_keys:write", a.keyDeactivate))
	mux.Handle("GET /v1/customer-portal/license-keys/{$}", a.customerAuthed(a.customerLicenseKeyList))
	mux.Handle("GET /v1/customer-portal/license-keys/{id}", a.customerAuthed(a.customerLicenseKeyGet))
	mux.Handle("POST /v1/customer-portal/license-keys/validate", a.publicKey(a.keyValidate))
	mux.Handle("POST /v1/customer-portal/license-keys/activate", a.publicKey(a.keyActivate))
	mux.Handle("POST /v1/customer-portal/license-keys/deactivate", a.publicKey(a.keyDeactivate))

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
	if a.LinkVisit != nil { // the link visit at Polar's API path (internal/web/checkoutpage)
		mux.Handle("GET /v1/checkout-links/{secret}/redirect", a.LinkVisit)
	}
	mux.Handle("POST /v1/checkout-links/{id}/rotate-secret", a.authed("checkout_links:write", a.checkoutLinkRotateSecret))
	mux.Handle("GET /v1/checkout-links/{id}/analytics", a.authed("checkout_links:read", a.checkoutLinkAnalytics))
	mux.Handle("GET /v1/metrics/{$}", a.authed("metrics:read", a.metricsGet))
	mux.Handle("GET /v1/metrics/limits", a.authed("metrics:read", a.metricsLimits))

	mux.Handle("GET /v1/checkouts/{$}", a.authed("checkouts:read", a.checkoutList))
	mux.Handle("POST /v1/checkouts/{$}", a.authed("checkouts:write", a.checkoutCreate))
	mux.Handle("GET /v1/checkouts/{id}", a.authed("checkouts:read", a.checkoutGet))
	mux.Handle("PATCH /v1/checkouts/{id}", a.authed("checkouts:write", a.checkoutUpdate))
	// The calls without an organization token count per client address (limited);
	// the license key ones have their own, finer limits (benefits).
	mux.Handle("GET /v1/checkouts/client/{secret}", a.limited(a.public(a.checkoutClientGet)))
	mux.Handle("PATCH /v1/checkouts/client/{secret}", a.limited(a.public(a.checkoutClientUpdate)))
	mux.Handle("POST /v1/checkouts/client/{secret}/confirm", a.limited(a.public(a.checkoutClientConfirm)))

	mux.Handle("GET /v1/customers/{$}", a.authed("customers:read", a.customerList))
	mux.Handle("POST /v1/customers/{$}", a.authed("customers:write", a.customerCreate))
	mux.Handle("GET /v1/customers/{id}", a.authed("customers:read", a.customerGet))
	mux.Handle("PATCH /v1/customers/{id}", a.authed("customers:write", a.customerUpdate))
	mux.Handle("DELETE /v1/customers/{id}", a.authed("customers:write", a.customerDelete))
	// GET /v1/customers/{id}/state and /v1/customers/external/{external_id}: one
	// pattern, as ServeMux refuses the two (external/state matches both).
	mux.Handle("GET /v1/customers/{id}/{sub}", a.authed("customers:read", a.customerGetSub))
	mux.Handle("PATCH /v1/customers/external/{external_id}", a.authed("customers:write", a.customerUpdate))
	mux.Handle("DELETE /v1/customers/external/{external_id}", a.authed("customers:write", a.customerDelete))
	mux.Handle("GET /v1/customers/external/{external_id}/state", a.authed("customers:read", a.customerState))
	mux.Handle("GET /v1/orders/{$}", a.authed("orders:read", a.orderList))
	mux.Handle("GET /v1/orders/{id}", a.authed("orders:read", a.orderGet))
	mux.Handle("GET /v1/refunds/{$}", a.authed("refunds:read", a.refundList))
	mux.Handle("POST /v1/refunds/{$}", a.authed("refunds:write", a.refundCreate))
	mux.Handle("GET /v1/subscriptions/{$}", a.authed("subscriptions:read", a.subscriptionList))
	mux.Handle("GET /v1/subscriptions/{id}", a.authed("subscriptions:read", a.subscriptionGet))
	mux.Handle("PATCH /v1/subscriptions/{id}", a.authed("subscriptions:write", a.subscriptionUpdate))
	mux.Handle("DELETE /v1/subscriptions/{id}", a.authed("subscriptions:write", a.subscriptionRevoke))

	mux.Handle("POST /v1/customer-sessions/{$}", a.authed("customer_sessions:write", a.customerSessionCreate))
	mux.Handle("GET /v1/customer-portal/customer-session/introspect", a.customerAuthed(a.customerSessionIntrospect))
	mux.Handle("GET /v1/customer-portal/customer-session/user", a.customerAuthed(a.customerSessionUser))
	mux.Handle("GET /v1/customer-portal/orders/{$}", a.customerAuthed(a.customerOrderList))
	mux.Handle("GET /v1/customer-portal/orders/{id}", a.customerAuthed(a.customerOrderGet))
	mux.Handle("GET /v1/customer-portal/orders/{id}/receipt", a.customerAuthed(a.customerOrderReceipt))
	mux.Handle("GET /v1/customer-portal/subscriptions/{$}", a.customerAuthed(a.customerSubscriptionList))
	mux.Handle("GET /v1/customer-portal/subscriptions/{id}", a.customerAuthed(a.customerSubscriptionGet))
	mux.Handle("PATCH /v1/customer-portal/subscriptions/{id}", a.customerAuthed(a.customerSubscriptionUpdate))
	mux.Handle("DELETE /v1/customer-portal/subscriptions/{id}", a.customerAuthed(a.customerSubscriptionCancel))
	mux.Handle("GET /v1/customer-portal/benefit-grants/{$}", a.customerAuthed(a.customerGrantList))
	mux.Handle("GET /v1/customer-portal/benefit-grants/{id}", a.customerAuthed(a.customerGrantGet))
	mux.Handle("PATCH /v1/customer-portal/benefit-grants/{id}", a.customerAuthed(a.customerGrantUpdate))
	mux.Handle("GET /v1/customer-portal/downloadables/{$}", a.customerAuthed(a.customerDownloadableList))
	mux.Handle("GET /v1/customer-portal/downloadables/{id}", a.customerAuthed(a.customerDownloadableGet))

	mux.Handle("GET /v1/files/{$}", a.authed("files:read", a.fileList))
	mux.Handle("POST /v1/files/{$}", a.authed("files:write", a.fileCreate))
	mux.Handle("POST /v1/files/{id}/uploaded", a.authed("files:write", a.fileUploaded))
	mux.Handle("PATCH /v1/files/{id}", a.authed("files:write", a.fileUpdate))
	mux.Handle("DELETE /v1/files/{id}", a.authed("files:write", a.fileDelete))
	// PUT /v1/files/{id}/parts/{n} (the signed part URLs), GET /files/public/{id}
	// (product images, logos) and GET /files/download/{id} (signed downloads).
	a.Files.Routes(mux, a.DownloadCheck, func(w http.ResponseWriter, r *http.Request, err error) { WriteError(w, r, a.Log, err) })

	mux.Handle("GET /v1/webhooks/endpoints", a.authed("webhooks:read", a.webhookEndpointList))
	mux.Handle("POST /v1/webhooks/endpoints", a.authed("webhooks:write", a.webhookEndpointCreate))
	mux.Handle("GET /v1/webhooks/endpoints/{id}", a.authed("webhooks:read", a.webhookEndpointGet))
	mux.Handle("PATCH /v1/webhooks/endpoints/{id}", a.authed("webhooks:write", a.webhookEndpointUpdate))
	mux.Handle("DELETE /v1/webhooks/endpoints/{id}", a.authed("webhooks:write", a.webhookEndpointDelete))
	mux.Handle("PATCH /v1/webhooks/endpoints/{id}/secret", a.authed("webhooks:write", a.webhookEndpointResetSecret))
	mux.Handle("GET /v1/webhooks/deliveries", a.authed("webhooks:read", a.webhookDeliveryList))
	mux.Handle("POST /v1/webhooks/events/{id}/redeliver", a.authed("webhooks:write", a.webhookEventRedeliver))
}
