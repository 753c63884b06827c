package dashboard_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// fieldError is the error message shown with the control labelled label, found
// the way a screen reader finds it: through the control's aria-describedby.
func fieldError(t *testing.T, doc *webtest.Elem, label string) string {
	t.Helper()
	c := doc.Control(label)
	if c == nil {
		t.Fatalf("no control labelled %q", label)
	}
	for _, id := range strings.Fields(c.Attr["aria-describedby"]) {
		if strings.HasSuffix(id, "-error") {
			if e := doc.ByID(id); e != nil {
				return e.AllText()
			}
		}
	}
	t.Fatalf("the control labelled %q has no error message", label)
	return ""
}

// snakeName is an API field name such as minimum_amount.
var snakeName = regexp.MustCompile(`\b[A-Za-z][a-z0-9]*(_[a-z0-9]+)+\b`)

// TestDashboardMessagesUseLabels: a rule's message that names another field
// names it by the form's label, the one on the page, never by its API name;
// for each dashboard form whose rules name fields.
func TestDashboardMessagesUseLabels(t *testing.T) {
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	b := dashSignedIn(t, in, in.SignIn)
	for _, tc := range []struct {
		form, path string
		values     url.Values
		at, want   string // the control's label, and what its message says
	}{
		{"product", "/dashboard/products", url.Values{"name": {"Tip Jar 2"}, "amount_type": {"custom"}, "currency": {"usd"},
			"minimum": {"10"}, "maximum": {"5"}}, "Maximum", "Must be greater than or equal to “Minimum”."},
		{"discount", "/dashboard/discounts", url.Values{"name": {"Spring"}, "type": {"percentage"}, "percent": {"10"},
			"duration": {"once"}, "max_redemptions": {"0"}}, "Max redemptions", "“Max redemptions” must be at least 1."},
		{"link", "/dashboard/links", url.Values{"label": {"Spring"}, "max_completions": {"0"}}, "Max completions", "“Max completions” must be from 1 to"},
	} {
		t.Run(tc.form, func(t *testing.T) {
			status, doc := b.Post(tc.path, tc.values)
			if status != http.StatusUnprocessableEntity {
				t.Fatalf("POST %s: %d, want 422", tc.path, status)
			}
			if got := fieldError(t, doc, tc.at); !strings.HasPrefix(got, tc.want) {
				t.Errorf("message at %s: %q, want %q", tc.at, got, tc.want)
			}
			// The quoted label is the one the page shows.
			if _, rest, ok := strings.Cut(tc.want, "“"); ok {
				label, _, _ := strings.Cut(rest, "”")
				if doc.Control(label) == nil {
					t.Errorf("the message names %q, which labels no control of the form", label)
				}
			}
			for _, e := range doc.All(func(e *webtest.Elem) bool { return strings.Contains(e.Attr["class"], "error") }) {
				if name := snakeName.FindString(e.AllText()); name != "" {
					t.Errorf("a message names the API field %s: %q", name, e.AllText())
				}
			}
		})
	}
}
