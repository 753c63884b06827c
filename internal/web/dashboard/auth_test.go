package dashboard

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/web"
)

func TestSessionCookieSecureBehindHTTPS(t *testing.T) {
	for _, tc := range []struct {
		publicURL string
		secure    bool
	}{{"https://pay.example.com", true}, {"http://127.0.0.1:8080", false}} {
		rec := httptest.NewRecorder()
		(&Dashboard{Site: web.Site{PublicURL: tc.publicURL}}).setCookie(rec, sessionCookie, "v", sessionTTL)
		c := rec.Result().Cookies()[0]
		if c.Secure != tc.secure || !c.HttpOnly || c.Path != "/dashboard" || c.MaxAge != int(sessionTTL.Seconds()) {
			t.Errorf("%s: cookie %+v", tc.publicURL, c)
		}
		if h := rec.Header().Get("Set-Cookie"); !strings.Contains(h, "SameSite=Lax") {
			t.Errorf("%s: Set-Cookie %q lacks SameSite=Lax", tc.publicURL, h)
		}
	}
}

func TestSafeNext(t *testing.T) {
	for next, want := range map[string]string{
		"/dashboard/orders":         "/dashboard/orders",
		"/dashboard/links?page=2":   "/dashboard/links?page=2",
		"https://evil.example/":     "/dashboard/overview",
		"//evil.example/dashboard/": "/dashboard/overview",
		"/dashboard/\\evil":         "/dashboard/overview",
		"/dashboard/sign-in":        "/dashboard/overview",
		"":                          "/dashboard/overview",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}
