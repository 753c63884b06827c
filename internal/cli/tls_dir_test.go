package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// Where certificates are kept: beside the SQLite file; on PostgreSQL in the
// database, unless the folder earlier versions used there holds some (an
// upgrade keeps its certificates and ACME account instead of ordering all
// again); PAYLINK_TLS_CACHE_DIR wins over both.
func TestTLSCertificatesFolder(t *testing.T) {
	t.Chdir(t.TempDir())
	env := map[string]string{}
	dir := func(databaseURL string) string {
		t.Helper()
		var c TLSConfig
		if err := tlsFinish(func(k string) string { return env[k] }, &c, databaseURL); err != nil {
			t.Fatal(err)
		}
		return c.CacheDir
	}
	const pg = "postgres://postgres@127.0.0.1:5432/shop"
	if got, want := dir("sqlite:data/paylink.db"), filepath.Join("data", "certificates"); got != want {
		t.Errorf("SQLite: %q, want %q", got, want)
	}
	if got := dir(pg); got != "" {
		t.Errorf("PostgreSQL: %q, want the database (\"\")", got)
	}
	if err := os.Mkdir(legacyTLSDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if got := dir(pg); got != "" {
		t.Errorf("PostgreSQL with an empty %s: %q, want the database", legacyTLSDir, got)
	}
	if err := os.WriteFile(filepath.Join(legacyTLSDir, "acme"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if got := dir(pg); got != legacyTLSDir {
		t.Errorf("PostgreSQL upgraded with certificates in %s: %q, want that folder", legacyTLSDir, got)
	}
	env["PAYLINK_TLS_CACHE_DIR"] = "/var/lib/paylink/tls"
	if got := dir(pg); got != "/var/lib/paylink/tls" {
		t.Errorf("PAYLINK_TLS_CACHE_DIR: %q", got)
	}
}
