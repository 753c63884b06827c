package dashboard

import (
	"net/http"

	"github.com/paylink/paylink/internal/account"
	"github.com/paylink/paylink/internal/web"
)

// Routes registers the dashboard. Every page but sign-in runs behind signedIn,
// which scopes it to the user's organization: another organization's id is a 404.
func (w *Dashboard) Routes(mux *http.ServeMux) {
	page := func(method, path string, h dashHandler) {
		mux.HandleFunc(method+" "+web.DashPath+path, w.signedIn(h))
	}

	// Signing in and out, the welcome (set-password) link, the sign-in link by email.
	mux.HandleFunc("GET "+signInPath, w.signInForm)
	mux.HandleFunc("POST "+signInPath, w.signIn)
	page("POST", "/sign-out", w.signOut)
	mux.HandleFunc("GET "+account.WelcomePath+"{token}", w.welcomeForm)
	mux.HandleFunc("POST "+account.WelcomePath+"{token}", w.welcome)
	mux.HandleFunc("GET "+emailLinkPath, w.emailLinkForm)
	mux.HandleFunc("POST "+emailLinkPath, w.emailLink)

	mux.HandleFunc("GET "+web.DashPath, func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, web.DashPath+"/overview", http.StatusSeeOther)
	})
	page("GET", "/overview", w.overview)

	page("GET", "/products", w.products)
	page("GET", "/products/new", w.productNew)
	page("POST", "/products", w.productCreate)
	page("GET", "/products/{id}", w.productEdit)
	page("POST", "/products/{id}", w.productSave)
	page("POST", "/products/{id}/archive", w.productArchive)
	page("GET", "/products/{id}/benefits", w.productBenefits)
	page("POST", "/products/{id}/benefits", w.productBenefitsSave)

	page("GET", "/custom-fields", w.fieldList)
	page("GET", "/custom-fields/new", w.fieldNew)
	page("POST", "/custom-fields", w.fieldCreate)
	page("GET", "/custom-fields/{id}", w.fieldEdit)
	page("POST", "/custom-fields/{id}", w.fieldSave)
	page("POST", "/custom-fields/{id}/delete", w.fieldDelete)

	page("GET", "/benefits", w.benefitList)
	page("GET", "/benefits/new", w.benefitNew)
	page("POST", "/benefits", w.benefitCreate)
	page("GET", "/benefits/{id}", w.benefitEdit)
	page("POST", "/benefits/{id}", w.benefitSave)
	page("POST", "/benefits/{id}/delete", w.benefitDelete)
	page("GET", "/license-keys", w.licenseKeyList)
	page("POST", "/license-keys/{id}", w.licenseKeyAction)
	page("POST", "/license-keys/{id}/activations/{activation}/delete", w.licenseKeyDeactivate)

	page("GET", "/links", w.links)
	page("GET", "/links/new", w.linkNew)
	page("POST", "/links", w.linkCreate)
	page("GET", "/links/{id}", w.linkEdit)
	page("GET", "/links/{id}/analytics", w.linkStats)
	page("GET", "/links/{id}/analytics.csv", w.linkStatsCSV)
	page("POST", "/links/{id}", w.linkSave)
	page("POST", "/links/{id}/active", w.linkActive)
	page("POST", "/links/{id}/rotate", w.linkRotate)
	page("POST", "/links/{id}/delete", w.linkDelete)

	page("GET", "/discounts", w.discounts)
	page("GET", "/discounts/new", w.discountNew)
	page("POST", "/discounts", w.discountCreate)
	page("GET", "/discounts/{id}", w.discountEdit)
	page("POST", "/discounts/{id}", w.discountSave)
	page("POST", "/discounts/{id}/delete", w.discountDelete)

	page("GET", "/checkouts", w.checkoutList)
	page("GET", "/checkouts/{id}", w.checkoutDetail)
	page("GET", "/orders", w.orderList)
	page("GET", "/orders/{id}", w.orderDetail)
	page("POST", "/orders/{id}/refund", w.refundPost)
	page("GET", "/customers", w.customerList)
	page("GET", "/customers/{id}", w.customerDetail)
	page("GET", "/subscriptions", w.subscriptionList)
	page("GET", "/subscriptions/{id}", w.subscriptionDetail)
	for _, a := range subscriptionActions { // cancel, uncancel, revoke: a confirmation page, then the post
		page("GET", "/subscriptions/{id}/"+a.Path, func(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
			return w.subscriptionConfirm(rw, r, s, a, subscriptionActionPage{}, http.StatusOK)
		})
		page("POST", "/subscriptions/{id}/"+a.Path, func(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
			return w.subscriptionAct(rw, r, s, a)
		})
	}

	page("GET", "/settings", w.settings)
	page("POST", "/settings", w.settingsSave)
	page("POST", "/files", w.fileCreate)
	page("POST", "/files/{id}/uploaded", w.fileUploaded)
	page("GET", "/team", w.team)
	page("POST", "/team", w.teamInvite)
	page("POST", "/team/{id}/remove", w.teamRemove)
	page("GET", "/tokens", w.tokens)
	page("POST", "/tokens", w.tokenCreate)
	page("POST", "/tokens/{id}/revoke", w.tokenRevoke)

	page("GET", "/webhooks", w.webhooks)
	page("POST", "/webhooks", w.webhookCreate)
	page("GET", "/webhooks/{id}", w.webhookPage)
	page("POST", "/webhooks/{id}", w.webhookSave)
	page("POST", "/webhooks/{id}/secret", w.webhookResetSecret)
	page("POST", "/webhooks/{id}/enabled", w.webhookEnable)
	page("POST", "/webhooks/{id}/delete", w.webhookDelete)
	page("POST", "/webhooks/{id}/events/{event}/redeliver", w.webhookRedeliver)

	page("GET", "/emails", w.emailList)
	page("GET", "/emails/{id}", w.emailPage)
	page("GET", "/emails/{id}/html", w.emailHTML)
}
