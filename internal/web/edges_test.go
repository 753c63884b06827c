package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
)

// TestFirstRunEdges: what a person typing the address meets before any link.
func TestFirstRunEdges(t *testing.T) {
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	do := func(method, path string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, in.URL+path, nil)
		resp, err := in.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	// / and /dashboard/ lead to the dashboard; signed out, that ends at the sign-in page.
	for path, want := range map[string]string{"/": "/dashboard", "/dashboard/": "/dashboard"} {
		resp, _ := do("GET", path)
		if resp.StatusCode/100 != 3 || resp.Header.Get("Location") != want {
			t.Errorf("GET %s: %d to %q, want a redirect to %s", path, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
	follow := &http.Client{}
	resp, err := follow.Get(in.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/dashboard/sign-in" {
		t.Errorf("following / signed out: %d at %s, want the sign-in page", resp.StatusCode, resp.Request.URL.Path)
	}

	// The favicon: a real icon, cacheable.
	resp, body := do("GET", "/favicon.ico")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/x-icon" || !strings.HasPrefix(body, "\x00\x00\x01\x00") ||
		!strings.Contains(resp.Header.Get("Cache-Control"), "max-age") {
		t.Errorf("favicon: %d %q %q, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"), len(body))
	}

	// An unknown page is an HTML 404 page, with the way back under /dashboard.
	for _, path := range []string{"/nope", "/dashboard/nope", "/static-nope/x.css"} {
		resp, body := do("GET", path)
		if resp.StatusCode != 404 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") ||
			!strings.Contains(body, "<h1 id=\"message-heading\">Page not found</h1>") {
			t.Errorf("GET %s: %d %q\n%s", path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		if back := strings.Contains(body, `href="/dashboard"`); back != strings.HasPrefix(path, "/dashboard") {
			t.Errorf("GET %s: link to the dashboard %v", path, back)
		}
	}
	// The areas with their own answers keep them.
	if resp, body := do("GET", "/v1/nope"); resp.StatusCode != 404 || !strings.Contains(body, `"ResourceNotFound"`) {
		t.Errorf("GET /v1/nope: %d %s", resp.StatusCode, body)
	}
	for _, path := range []string{"/buy/pl_cl_nope", "/checkout/pl_cs_nope"} {
		if resp, body := do("GET", path); resp.StatusCode != 404 || strings.Contains(body, "Page not found") {
			t.Errorf("GET %s: %d, want its own not-found page\n%s", path, resp.StatusCode, body)
		}
	}
	// A known path with another method is still a 405.
	if resp, _ := do("DELETE", "/buy/pl_cl_nope"); resp.StatusCode != 405 || resp.Header.Get("Allow") == "" {
		t.Errorf("DELETE /buy/…: %d Allow %q, want 405", resp.StatusCode, resp.Header.Get("Allow"))
	}
	if resp, _ := do("POST", "/nope"); resp.StatusCode != 404 {
		t.Errorf("POST /nope: %d, want 404", resp.StatusCode)
	}
}
