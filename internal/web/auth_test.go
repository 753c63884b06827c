package web

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestSessionCookieSecureBehindHTTPS(t *testing.T) {
	for _, tc := range []struct {
		publicURL string
		secure    bool
	}{{"https://pay.example.com", true}, {"http://127.0.0.1:8080", false}} {
		rec := httptest.NewRecorder()
		(&Web{PublicURL: tc.publicURL}).setCookie(rec, sessionCookie, "v", sessionTTL)
		c := rec.Result().Cookies()[0]
		if c.Secure != tc.secure || !c.HttpOnly || c.Path != "/dashboard" || c.MaxAge != int(sessionTTL.Seconds()) {
			t.Errorf("%s: cookie %+v", tc.publicURL, c)
		}
		if h := rec.Header().Get("Set-Cookie"); !strings.Contains(h, "SameSite=Lax") {
			t.Errorf("%s: Set-Cookie %q lacks SameSite=Lax", tc.publicURL, h)
		}
	}
}

func TestPasswordHash(t *testing.T) {
	h := hashPassword("correct horse battery")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q", h)
	}
	if h == hashPassword("correct horse battery") {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	if !checkPassword(h, "correct horse battery") || checkPassword(h, "correct horse batterY") || checkPassword(h, "") {
		t.Fatal("checkPassword does not tell the right password from wrong ones")
	}
	for _, bad := range []string{"", "plain", "$argon2id$v=19$m=0,t=2,p=1$AAAA$AAAA", "$argon2i$v=19$m=19456,t=2,p=1$AAAA$AAAA",
		"$argon2id$v=19$m=19456,t=99,p=1$AAAA$AAAA", strings.Replace(h, "$v=19$", "$v=18$", 1)} {
		if checkPassword(bad, "correct horse battery") {
			t.Errorf("malformed hash %q matched", bad)
		}
	}
}

func TestSafeNext(t *testing.T) {
	for next, want := range map[string]string{
		"/dashboard/orders":         "/dashboard/orders",
		"/dashboard/links?page=2":   "/dashboard/links?page=2",
		"https://evil.example/":     "/dashboard/products",
		"//evil.example/dashboard/": "/dashboard/products",
		"/dashboard/\\evil":         "/dashboard/products",
		"/dashboard/sign-in":        "/dashboard/products",
		"":                          "/dashboard/products",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}
