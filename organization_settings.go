package paylink

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// OrganizationNameMaxLen is the longest shop name, in characters.
const OrganizationNameMaxLen = 100

// OrganizationSettings are what a shop tells its customers: the name on the
// checkout page, receipts and the portal, a support email, and the addresses of
// its terms and privacy pages. "" means not set (the name is required).
type OrganizationSettings struct {
	Name         string
	SupportEmail string
	TermsURL     string
	PrivacyURL   string
	EmbedHosts   []string // the origins allowed to embed the checkout (NormalizeEmbedHosts)
}

// Settings returns the organization's current settings.
func (o *Organization) Settings() OrganizationSettings {
	return OrganizationSettings{Name: o.Name, SupportEmail: o.SupportEmail, TermsURL: o.TermsURL, PrivacyURL: o.PrivacyURL,
		EmbedHosts: append([]string{}, o.EmbedHosts...)}
}

// Normalize trims the settings' surrounding spaces and normalizes valid embed
// hosts (Validate reports invalid ones).
func (s *OrganizationSettings) Normalize() {
	for _, p := range []*string{&s.Name, &s.SupportEmail, &s.TermsURL, &s.PrivacyURL} {
		*p = strings.TrimSpace(*p)
	}
	if hosts, err := NormalizeEmbedHosts(s.EmbedHosts); err == nil {
		s.EmbedHosts = hosts
	}
}

// Validate checks normalized settings: a name of 1–100 characters without
// control characters, a plain email address (ValidEmail) and absolute http or
// https URLs. The error is EInvalid with one field error per bad field, at
// ("body", "name" | "email" | "terms_url" | "privacy_url"), and the embed hosts'
// at ("body", "embed_hosts", i).
func (s OrganizationSettings) Validate() error {
	var p Problems
	n := utf8.RuneCountInString(s.Name)
	switch {
	case n == 0:
		p.Add("enter the shop's name", s.Name, "body", "name")
	case n > OrganizationNameMaxLen || !utf8.ValidString(s.Name):
		p.Add("the name must be at most 100 characters", s.Name, "body", "name")
	case strings.IndexFunc(s.Name, unicode.IsControl) >= 0:
		p.Add("the name must not contain line breaks or control characters", s.Name, "body", "name")
	}
	if s.SupportEmail != "" && !ValidEmail(s.SupportEmail) {
		p.Add("enter one email address, like help@example.com", s.SupportEmail, "body", "email")
	}
	for _, u := range []struct{ field, value string }{{"terms_url", s.TermsURL}, {"privacy_url", s.PrivacyURL}} {
		if u.value == "" {
			continue
		}
		if msg := ValidateRedirectURL(u.value); msg != "" || strings.Contains(u.value, "{CHECKOUT_ID}") {
			p.Add("enter an address that starts with https:// or http://, like https://example.com/terms", u.value, "body", u.field)
		}
	}
	if _, err := NormalizeEmbedHosts(s.EmbedHosts); err != nil {
		var e *Error
		if errors.As(err, &e) {
			p = append(p, e.Fields...)
		}
	}
	return p.Err()
}
