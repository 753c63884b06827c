package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/caddyserver/certmagic"

	"github.com/paylink/paylink"
)

// CertStorage is certmagic's storage in the database (tables tls_storage and
// tls_locks): the HTTPS certificates, their keys and the ACME account, shared
// by every paylink process on the database. Its locks are leases: the holder
// pushes a lock's expiry forward while it holds it, and a lock whose holder
// died expires after Lease and is taken over.
type CertStorage struct {
	store *Store
	// Lease is how long a lock outlives its holder's last renewal; the holder
	// renews it every Lease/3. Poll is how often Lock tries again.
	Lease, Poll time.Duration

	mu   sync.Mutex
	held map[string]lease // lock name → the lease this storage holds
}

// lease is one taking of a lock: its holder in tls_locks.holder, new for each
// taking, so that a lease lost and taken again (by this process too) is never
// renewed or released by its earlier holder.
type lease struct {
	holder string
	stop   context.CancelFunc // stops its renewal
}

var (
	_ certmagic.Storage   = (*CertStorage)(nil)
	_ certmagic.TryLocker = (*CertStorage)(nil)
)

// CertStorage returns certmagic's storage in s.
func (s *Store) CertStorage() *CertStorage {
	return &CertStorage{store: s, Lease: 30 * time.Second, Poll: time.Second, held: map[string]lease{}}
}

func (c *CertStorage) String() string { return "paylink database" }

// Store puts value at key, replacing what was there.
func (c *CertStorage) Store(ctx context.Context, key string, value []byte) error {
	_, err := c.store.DB.ExecContext(ctx, `INSERT INTO tls_storage (key, value, modified_at) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, modified_at = excluded.modified_at`,
		key, value, paylink.Now())
	return c.store.Engine.TranslateError(err)
}

// Load returns the value at key, fs.ErrNotExist when there is none.
func (c *CertStorage) Load(ctx context.Context, key string) ([]byte, error) {
	var v []byte
	err := c.store.reader().QueryRowContext(ctx, `SELECT value FROM tls_storage WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%s: %w", key, fs.ErrNotExist)
	}
	return v, c.store.Engine.TranslateError(err)
}

// underKey is the condition "key is name or lies under it", with name as $1,
// name + "/" as $2 and its length as $3 (substr, not LIKE: keys hold
// underscores).
const underKey = `(key = $1 OR substr(key, 1, $3) = $2)`

// Delete deletes key and every key under it; a key that does not exist is no error.
func (c *CertStorage) Delete(ctx context.Context, key string) error {
	_, err := c.store.DB.ExecContext(ctx, `DELETE FROM tls_storage WHERE `+underKey, key, key+"/", utf8.RuneCountInString(key)+1)
	return c.store.Engine.TranslateError(err)
}

// Exists reports whether key is a value or has values under it.
func (c *CertStorage) Exists(ctx context.Context, key string) bool {
	_, err := c.Stat(ctx, key)
	return err == nil
}

// Stat describes key: a value (IsTerminal) or a "directory" of values.
func (c *CertStorage) Stat(ctx context.Context, key string) (certmagic.KeyInfo, error) {
	var (
		k   string
		n   int64
		mod time.Time
	)
	err := c.store.reader().QueryRowContext(ctx, `SELECT key, length(value), modified_at FROM tls_storage
		WHERE `+underKey+` ORDER BY key = $1 DESC, modified_at DESC LIMIT 1`, key, key+"/", utf8.RuneCountInString(key)+1).Scan(&k, &n, &mod)
	if errors.Is(err, sql.ErrNoRows) {
		return certmagic.KeyInfo{}, fmt.Errorf("%s: %w", key, fs.ErrNotExist)
	}
	if err != nil {
		return certmagic.KeyInfo{}, c.store.Engine.TranslateError(err)
	}
	if k != key {
		return certmagic.KeyInfo{Key: key, Modified: mod.UTC()}, nil
	}
	return certmagic.KeyInfo{Key: key, Modified: mod.UTC(), Size: n, IsTerminal: true}, nil
}

// List returns the keys under prefix, as certmagic's FileStorage does: the
// values and "directories" right under it, or with recursive everything below
// it; fs.ErrNotExist when nothing is.
func (c *CertStorage) List(ctx context.Context, prefix string, recursive bool) ([]string, error) {
	prefix = strings.Trim(prefix, "/")
	under := prefix + "/"
	if prefix == "" {
		under = ""
	}
	rows, err := c.store.reader().QueryContext(ctx, `SELECT key FROM tls_storage WHERE substr(key, 1, $2) = $1 AND key <> $3`,
		under, utf8.RuneCountInString(under), prefix)
	if err != nil {
		return nil, c.store.Engine.TranslateError(err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		parts := strings.Split(strings.TrimPrefix(k, under), "/")
		if !recursive {
			parts = parts[:1]
		}
		for i := range parts {
			seen[path.Join(prefix, path.Join(parts[:i+1]...))] = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, c.store.Engine.TranslateError(err)
	}
	if len(seen) == 0 {
		return nil, fmt.Errorf("%s: %w", prefix, fs.ErrNotExist)
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys, nil
}

// Lock takes the named lock, waiting (Poll at a time) while another process
// holds it and its lease has not expired, until ctx ends.
func (c *CertStorage) Lock(ctx context.Context, name string) error {
	for {
		ok, err := c.TryLock(ctx, name)
		if ok || err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(c.Poll):
		}
	}
}

// TryLock takes the named lock if it is free or its lease expired, and then
// renews the lease until Unlock. Expiry is compared on each process's clock:
// clocks of the processes sharing a database must agree to well within Lease.
func (c *CertStorage) TryLock(ctx context.Context, name string) (bool, error) {
	now, holder := time.Now(), paylink.NewID()
	res, err := c.store.DB.ExecContext(ctx, `INSERT INTO tls_locks (name, holder, expires_ms) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_ms = excluded.expires_ms
		WHERE tls_locks.expires_ms < $4`, name, holder, now.Add(c.Lease).UnixMilli(), now.UnixMilli())
	if err != nil {
		return false, c.store.Engine.TranslateError(err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	renewCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	c.mu.Lock()
	if earlier, ok := c.held[name]; ok {
		earlier.stop() // a lease of ours that expired: it is not ours to renew any more
	}
	c.held[name] = lease{holder, stop}
	c.mu.Unlock()
	go c.renew(renewCtx, name, holder)
	return true, nil
}

// renew pushes the named lock's expiry forward every Lease/3 until ctx ends
// (Unlock), so that only a holder that died loses it.
func (c *CertStorage) renew(ctx context.Context, name, holder string) {
	t := time.NewTicker(c.Lease / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			// A failed renewal is tried again at the next tick; the lease is
			// three ticks long.
			_, _ = c.store.DB.ExecContext(ctx, `UPDATE tls_locks SET expires_ms = $1 WHERE name = $2 AND holder = $3`,
				time.Now().Add(c.Lease).UnixMilli(), name, holder)
		}
	}
}

// Unlock releases the named lock (if another holder took it over after our
// lease expired, it stays theirs).
func (c *CertStorage) Unlock(ctx context.Context, name string) error {
	c.mu.Lock()
	l, ok := c.held[name]
	if ok {
		l.stop()
		delete(c.held, name)
	}
	c.mu.Unlock()
	if !ok {
		return nil // not held here: nothing of ours to release
	}
	_, err := c.store.DB.ExecContext(ctx, `DELETE FROM tls_locks WHERE name = $1 AND holder = $2`, name, l.holder)
	return c.store.Engine.TranslateError(err)
}
