// Package portalpage serves the customer portal, /portal/{slug}: a customer
// signs in with a 6-digit code sent to their email (internal/portal keeps the
// codes, the sessions and the rate limits), then sees their orders, receipts,
// subscriptions and what they were granted, and can cancel or resume a
// subscription through internal/subscriptions, the API's own service.
// routes.go lists the whole surface.
package portalpage

import (
	"embed"

	"github.com/paylink/paylink/internal/benefits"
	"github.com/paylink/paylink/internal/portal"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Portal serves the customer portal's pages.
type Portal struct {
	web.Site
	Store  *store.Store
	Portal *portal.Service // sign-in codes, customer sessions, and what a customer may change
	// Benefits lists what the customer has (notes, keys, files with fresh
	// download links); nil shows none (tests of the portal alone).
	Benefits *benefits.Service
}

// New parses the pages once.
func New(p *Portal) (*Portal, error) {
	if err := p.Parse(templateFS, nil); err != nil {
		return nil, err
	}
	return p, nil
}
