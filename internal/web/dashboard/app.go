// Package dashboard serves the merchant dashboard under /dashboard: sign-in,
// then one page per area (products, links, checkouts, orders, customers,
// subscriptions, discounts, custom fields, benefits, webhooks, tokens, team,
// settings, the emails log). Every write goes through the service that owns
// it (internal/catalog, internal/refunds, internal/subscriptions, …), the same
// function the API calls; routes.go lists the whole surface.
package dashboard

import (
	"embed"
	"html/template"

	"github.com/paylink/paylink/internal/account"
	"github.com/paylink/paylink/internal/benefits"
	"github.com/paylink/paylink/internal/catalog"
	"github.com/paylink/paylink/internal/files"
	"github.com/paylink/paylink/internal/mail"
	"github.com/paylink/paylink/internal/refunds"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/subscriptions"
	"github.com/paylink/paylink/internal/tokens"
	"github.com/paylink/paylink/internal/web"
	"github.com/paylink/paylink/internal/webhook"
)

//go:embed templates/*.html
var templateFS embed.FS

// Dashboard serves the dashboard's pages.
type Dashboard struct {
	web.Site
	Store         *store.Store
	Account       *account.Service       // sign-in, settings and team
	Catalog       *catalog.Service       // every write to products, discounts, fields and links
	Webhooks      *webhook.Endpoints     // webhook endpoints and redelivery
	Tokens        *tokens.Service        // API tokens
	Refunds       *refunds.Service       // refunds of orders
	Subscriptions *subscriptions.Service // cancel, uncancel and revoke
	Mail          *mail.Service          // the Emails log's note on SMTP and the sign-in link by email; nil sends none
	Files         *files.Service         // uploads (product images, the logo) and their public URLs
	Benefits      *benefits.Service      // benefits, grants and license keys
	// AllowPrivateWebhooks lets the dashboard accept webhook URLs on loopback,
	// private and link-local addresses (PAYLINK_WEBHOOK_ALLOW_PRIVATE).
	AllowPrivateWebhooks bool
}

// New parses the dashboard's pages once, each with the shared partials of
// dash_layout.html (the shell, the navigation, the CSRF field).
func New(d *Dashboard) (*Dashboard, error) {
	if err := d.Parse(templateFS, template.FuncMap{"input": newInput}, "templates/dash_layout.html"); err != nil {
		return nil, err
	}
	return d, nil
}
