// Package checkoutpage serves what a customer meets: a link visit (GET
// /buy/{secret}) opens a checkout session and redirects to the hosted checkout
// page, which drives the session through internal/checkout (the same confirm
// and settle path as the API) to its success page and the printable receipt.
// routes.go lists the whole surface.
package checkoutpage

import (
	"embed"

	"github.com/paylink/paylink/internal/benefits"
	"github.com/paylink/paylink/internal/checkout"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Page serves the checkout page, link visits and receipts.
type Page struct {
	web.Site
	Store     *store.Store
	Checkouts *checkout.Service
	Benefits  *benefits.Service // what an order delivers (the success page); nil shows nothing

	embedState
	fragments pageFragments // the parts the page rendered before (fields.go)
}

// New parses the pages once.
func New(p *Page) (*Page, error) {
	p.fragments = newPageFragments()
	if err := p.Parse(templateFS, nil, "templates/embed.html"); err != nil {
		return nil, err
	}
	return p, nil
}
