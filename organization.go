package paylink

import (
	"regexp"
	"strings"
	"time"
)

// Organization is a merchant: the tenant that owns every other resource.
type Organization struct {
	ID         string
	Name       string
	Slug       string
	CreatedAt  time.Time
	ModifiedAt *time.Time
	// What the shop tells customers (OrganizationSettings); "" when not set.
	SupportEmail, TermsURL, PrivacyURL string
	AvatarFileID                       string // its logo, an organization_avatar file; "" for none
	// The origins allowed to frame the checkout page (embed.js), normalized by
	// NormalizeEmbedHosts; empty: no site may embed it.
	EmbedHosts []string
}

// AccessToken is an organization access token. Only its hash is stored.
type AccessToken struct {
	ID             string
	OrganizationID string
	Comment        string
	Scopes         []string
	CreatedAt      time.Time
	LastUsedAt     *time.Time
	RevokedAt      *time.Time
}

// Scopes, named as Polar names them. AllScopes is what a token gets by default.
var AllScopes = []string{
	"organizations:read", "organizations:write",
	"products:read", "products:write",
	"discounts:read", "discounts:write",
	"custom_fields:read", "custom_fields:write",
	"checkout_links:read", "checkout_links:write",
	"checkouts:read", "checkouts:write",
	"customers:read", "customers:write",
	"customer_sessions:write",
	"orders:read",
	"refunds:read", "refunds:write",
	"subscriptions:read", "subscriptions:write",
	"webhooks:read", "webhooks:write",
	"files:read", "files:write",
	"benefits:read", "benefits:write",
	"license_keys:read", "license_keys:write",
	"metrics:read",
}

// ValidScope reports whether s is one of AllScopes.
func ValidScope(s string) bool {
	for _, x := range AllScopes {
		if x == s {
			return true
		}
	}
	return false
}

// HasScope reports whether scopes grant want; a ":write" scope grants ":read".
func HasScope(scopes []string, want string) bool {
	for _, s := range scopes {
		if s == want {
			return true
		}
		if r, ok := strings.CutSuffix(want, ":read"); ok && s == r+":write" {
			return true
		}
	}
	return false
}

var slugRe = regexp.MustCompile(`[^a-z0-9]+`)

// Slugify turns a name into a URL slug: lower case, dashes, at most 64 characters.
func Slugify(name string) string {
	s := strings.Trim(slugRe.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if len(s) > 64 {
		s = strings.Trim(s[:64], "-")
	}
	if s == "" {
		s = "org"
	}
	return s
}

// ValidSlug reports whether s is a slug Slugify could have made.
func ValidSlug(s string) bool { return s != "" && len(s) <= 64 && Slugify(s) == s }
