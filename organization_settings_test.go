package paylink

import (
	"strings"
	"testing"
)

func TestOrganizationSettingsValidate(t *testing.T) {
	ok := OrganizationSettings{Name: "Ann's Shop", SupportEmail: "help@example.com",
		TermsURL: "https://example.com/terms", PrivacyURL: "http://example.com/privacy"}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid settings: %v", err)
	}
	if err := (OrganizationSettings{Name: "Only a name"}).Validate(); err != nil {
		t.Fatalf("the optional fields empty: %v", err)
	}
	for _, tc := range []struct {
		name  string
		s     OrganizationSettings
		field string
	}{
		{"no name", OrganizationSettings{}, "name"},
		{"long name", OrganizationSettings{Name: strings.Repeat("a", 101)}, "name"},
		{"line break", OrganizationSettings{Name: "a\nb"}, "name"},
		{"display name", OrganizationSettings{Name: "a", SupportEmail: "Ann <ann@example.com>"}, "email"},
		{"no domain", OrganizationSettings{Name: "a", SupportEmail: "ann@"}, "email"},
		{"two emails", OrganizationSettings{Name: "a", SupportEmail: "a@example.com, b@example.com"}, "email"},
		{"javascript", OrganizationSettings{Name: "a", TermsURL: "javascript:alert(1)"}, "terms_url"},
		{"relative", OrganizationSettings{Name: "a", PrivacyURL: "/privacy"}, "privacy_url"},
		{"ftp", OrganizationSettings{Name: "a", TermsURL: "ftp://example.com/terms"}, "terms_url"},
		{"space", OrganizationSettings{Name: "a", TermsURL: "https://example.com/our terms"}, "terms_url"},
		{"placeholder", OrganizationSettings{Name: "a", TermsURL: "https://example.com/{CHECKOUT_ID}"}, "terms_url"},
	} {
		err := tc.s.Validate()
		e, isErr := err.(*Error)
		if !isErr || e.Code != EInvalid || len(e.Fields) != 1 || e.Fields[0].Loc[1] != tc.field {
			t.Errorf("%s: %v, want one error at %s", tc.name, err, tc.field)
		}
	}
	s := OrganizationSettings{Name: "  Shop  ", SupportEmail: " help@example.com "}
	s.Normalize()
	if s.Name != "Shop" || s.SupportEmail != "help@example.com" {
		t.Errorf("Normalize: %+v", s)
	}
}
