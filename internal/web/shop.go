package web

import (
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/files"
)

// TextOf is *s, or "" for nil.
func TextOf(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// ShopHeader is the seller's name and the initial shown as its mark, and what
// the footer tells the customer: the shop's support email and its terms and
// privacy pages ("" when the shop has not set them, in Settings).
type ShopHeader struct{ Name, Initial, Logo, SupportEmail, TermsURL, PrivacyURL string }

// NewShopHeader is the header and footer of org's pages.
func NewShopHeader(org *paylink.Organization) ShopHeader {
	initial := "?"
	for _, r := range strings.TrimSpace(org.Name) {
		initial = strings.ToUpper(string(r))
		break
	}
	var logo string
	if org.AvatarFileID != "" {
		logo = files.PublicPath(&paylink.File{ID: org.AvatarFileID})
	}
	return ShopHeader{Name: org.Name, Initial: initial, Logo: logo, SupportEmail: org.SupportEmail, TermsURL: org.TermsURL, PrivacyURL: org.PrivacyURL}
}

// ItemLabel names what an order paid for: the product, and for a renewal that it is one.
func ItemLabel(o *paylink.Order, prod *paylink.Product) string {
	switch {
	case o.BillingReason == paylink.BillingSubscriptionCycle:
		return prod.Name + " (renewal, every " + IntervalLabel(prod) + ")"
	case prod.IsRecurring():
		return prod.Name + " (every " + IntervalLabel(prod) + ")"
	}
	return prod.Name
}
