package store_test

import (
	"context"
	"errors"
	"io/fs"
	"slices"
	"testing"

	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// The certificate storage keeps values by slash-separated key, lists and
// describes them as certmagic's file storage does, and deletes a key with
// everything under it.
func TestCertStorageKeys(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := s.CertStorage()
		for k, v := range map[string]string{
			"certificates/ca_one/shop.example.com/shop.example.com.crt":  "crt",
			"certificates/ca_one/shop.example.com/shop.example.com.json": "{}",
			"certificates/ca_one/www.example.com/www.example.com.crt":    "crt2",
			"certificates/ca1one/other/x":                                "not under ca_one",
			"acme/ca_one/users/ops@example.com/ops.json":                 "account",
		} {
			if err := c.Store(ctx, k, []byte(v)); err != nil {
				t.Fatal(err)
			}
		}
		const crt = "certificates/ca_one/shop.example.com/shop.example.com.crt"
		if err := c.Store(ctx, crt, []byte("renewed")); err != nil {
			t.Fatal(err)
		}
		if v, err := c.Load(ctx, crt); err != nil || string(v) != "renewed" {
			t.Errorf("Load: %q, %v", v, err)
		}
		if _, err := c.Load(ctx, "certificates/none"); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Load of a missing key: %v, want fs.ErrNotExist", err)
		}
		if info, err := c.Stat(ctx, crt); err != nil || !info.IsTerminal || info.Size != int64(len("renewed")) || info.Key != crt || info.Modified.IsZero() {
			t.Errorf("Stat of a value: %+v, %v", info, err)
		}
		if info, err := c.Stat(ctx, "certificates/ca_one"); err != nil || info.IsTerminal {
			t.Errorf("Stat of a directory: %+v, %v", info, err)
		}
		if _, err := c.Stat(ctx, "certificates/ca"); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Stat of a key's prefix that is no directory: %v", err)
		}
		if !c.Exists(ctx, "acme/ca_one") || c.Exists(ctx, "acme/ca") {
			t.Error("Exists: want true for a directory, false for a bare prefix")
		}

		list := func(prefix string, recursive bool) []string {
			keys, err := c.List(ctx, prefix, recursive)
			if err != nil {
				t.Errorf("List(%q, %v): %v", prefix, recursive, err)
			}
			return keys
		}
		if got, want := list("certificates", false), []string{"certificates/ca1one", "certificates/ca_one"}; !slices.Equal(got, want) {
			t.Errorf("List(certificates): %v, want %v", got, want)
		}
		if got, want := list("certificates/ca_one/", true), []string{
			"certificates/ca_one/shop.example.com", crt, "certificates/ca_one/shop.example.com/shop.example.com.json",
			"certificates/ca_one/www.example.com", "certificates/ca_one/www.example.com/www.example.com.crt",
		}; !slices.Equal(got, want) {
			t.Errorf("List(certificates/ca_one, recursive): %v, want %v", got, want)
		}
		if got := list("", false); !slices.Equal(got, []string{"acme", "certificates"}) {
			t.Errorf("List(\"\"): %v", got)
		}
		if _, err := c.List(ctx, "ocsp", false); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("List of nothing: %v, want fs.ErrNotExist", err)
		}

		if err := c.Delete(ctx, "certificates/ca_one"); err != nil {
			t.Fatal(err)
		}
		if err := c.Delete(ctx, "certificates/ca_one"); err != nil {
			t.Errorf("Delete of a deleted key: %v", err)
		}
		if got := list("certificates", true); !slices.Equal(got, []string{"certificates/ca1one", "certificates/ca1one/other", "certificates/ca1one/other/x"}) {
			t.Errorf("after Delete: %v", got)
		}
	})
}

// A lock is one holder's at a time, across storages (processes) on the
// database; Lock waits for it; a lock whose holder died (its lease expired) is
// taken over, one whose lease runs is not.
func TestCertStorageLocks(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := s.CertStorage(), s.CertStorage()
		if err := a.Lock(ctx, "issue_cert_shop"); err != nil {
			t.Fatal(err)
		}
		if ok, err := b.TryLock(ctx, "issue_cert_shop"); ok || err != nil {
			t.Fatalf("TryLock of a held lock: %v, %v", ok, err)
		}
		if ok, err := a.TryLock(ctx, "issue_cert_shop"); ok || err != nil {
			t.Fatalf("TryLock by its own holder again: %v, %v", ok, err)
		}
		if ok, err := b.TryLock(ctx, "issue_cert_www"); !ok || err != nil {
			t.Fatalf("TryLock of another name: %v, %v", ok, err)
		}
		b.Poll = 0
		got := make(chan error, 1)
		go func() { got <- b.Lock(ctx, "issue_cert_shop") }()
		if err := b.Unlock(ctx, "issue_cert_shop"); err != nil { // not b's: a's lock stays
			t.Fatal(err)
		}
		if ok, _ := a.TryLock(ctx, "issue_cert_shop"); ok {
			t.Fatal("another holder's Unlock released the lock")
		}
		if err := a.Unlock(ctx, "issue_cert_shop"); err != nil {
			t.Fatal(err)
		}
		if err := <-got; err != nil {
			t.Fatalf("Lock after the holder unlocked: %v", err)
		}
		if ok, _ := a.TryLock(ctx, "issue_cert_shop"); ok {
			t.Fatal("the waiter's lock was taken")
		}
		canceled, cancel := context.WithCancel(ctx)
		cancel()
		if err := a.Lock(canceled, "issue_cert_shop"); !errors.Is(err, context.Canceled) {
			t.Errorf("Lock with its context ended: %v", err)
		}

		// Holders that died: one whose lease has expired, one whose has not.
		if _, err := s.DB.ExecContext(ctx, `INSERT INTO tls_locks (name, holder, expires_ms) VALUES
			('dead_expired', 'gone', 0), ('dead_leased', 'gone', 99999999999999)`); err != nil {
			t.Fatal(err)
		}
		if ok, err := a.TryLock(ctx, "dead_expired"); !ok || err != nil {
			t.Errorf("TryLock of an expired lock: %v, %v", ok, err)
		}
		if ok, err := a.TryLock(ctx, "dead_leased"); ok || err != nil {
			t.Errorf("TryLock of a lock under lease: %v, %v", ok, err)
		}
		for _, c := range []*store.CertStorage{a, b} {
			for _, name := range []string{"issue_cert_shop", "issue_cert_www", "dead_expired"} {
				if err := c.Unlock(ctx, name); err != nil {
					t.Error(err)
				}
			}
		}
		var left int
		if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM tls_locks`).Scan(&left); err != nil || left != 1 {
			t.Errorf("locks left: %d, %v (want only dead_leased)", left, err)
		}
	})
}
