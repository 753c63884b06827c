package embed_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/embed"
)

// The script listens to paylink's own origin only, whatever path the public
// URL has, and keeps @polar-sh/checkout's API.
func TestScriptNamesPaylinksOrigin(t *testing.T) {
	js := embed.Script("https://Pay.Example.com/")
	for _, want := range []string{`var ORIGIN = "https://pay.example.com";`, `ev.origin !== ORIGIN`,
		`EmbedCheckout: PolarEmbedCheckout`, `"data-polar-checkout-theme"`, `u.searchParams.set("embed_origin", window.location.origin)`,
		`iframe.allow = "payment 'self' " + ORIGIN`} {
		if !strings.Contains(js, want) {
			t.Errorf("embed.js lacks %s", want)
		}
	}
	if strings.Contains(js, "{{ORIGIN}}") || strings.Contains(js, "polar.sh") {
		t.Fatal("embed.js names another origin than paylink's")
	}
	rec := httptest.NewRecorder()
	embed.Handler("http://127.0.0.1:8080").ServeHTTP(rec, httptest.NewRequest("GET", "/embed.js", nil))
	body, _ := io.ReadAll(rec.Body)
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/javascript") ||
		!strings.Contains(string(body), `"http://127.0.0.1:8080"`) {
		t.Fatalf("GET /embed.js: %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
}

// Only an allowed origin frames the page, named exactly.
func TestAllowNamesExactlyTheAllowedOrigin(t *testing.T) {
	org := &paylink.Organization{EmbedHosts: []string{"https://shop.example", "http://127.0.0.1:5000"}}
	f, ok := embed.Allow(org, "https://SHOP.example/")
	if !ok || f.Origin != "https://shop.example" || f.FrameAncestors() != "frame-ancestors https://shop.example" {
		t.Fatalf("allowed origin: %+v %v", f, ok)
	}
	for _, o := range []string{"https://evil.example", "http://127.0.0.1:5001", "*", "", "https://shop.example.evil"} {
		if _, ok := embed.Allow(org, o); ok {
			t.Errorf("%q may frame the checkout", o)
		}
	}
	if _, ok := embed.Allow(&paylink.Organization{}, "https://shop.example"); ok {
		t.Error("an organization with no embed hosts is framed")
	}
}
