// Package catalog is the one home of every write to the catalog: products with
// their price and attached custom fields, discounts, custom fields and checkout
// links. Each use case runs in its own transaction, locks the row it changes,
// checks what it references and maps the store's conflicts to the domain's errors;
// the rules themselves stay in the root package. The API and the dashboard call
// the same functions, so neither can drift from the other.
package catalog

import (
	"context"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// Service runs the catalog's use cases on a store.
type Service struct {
	Store *store.Store
	Now   func() time.Time // the clock; paylink.Now when nil
}

func (s *Service) now() time.Time { return paylink.Clock(s.Now).Read() }

// read runs fn in a read transaction; write in a write transaction.
func (s *Service) read(ctx context.Context, fn func(tx *store.Tx) error) error {
	return s.Store.Read(ctx, fn)
}

func (s *Service) write(ctx context.Context, fn func(tx *store.Tx) error) error {
	return s.Store.InTx(ctx, fn)
}

// Version is the optimistic version of a row: the time it was last written
// (modified_at, or created_at before any change), as text. A form carries the
// version it was filled from; a save whose version is no longer the row's is
// refused (ErrStale) instead of overwriting the change made in between.
func Version(created time.Time, modified *time.Time) string {
	t := created
	if modified != nil {
		t = *modified
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// Stale is the EConflict error of a save made from an outdated form: the row
// (a product, a checkout link…) was changed since the form was opened.
func Stale(what string) *paylink.Error {
	return &paylink.Error{Code: paylink.EConflict, Name: "StaleEdit",
		Message: "This " + what + " was changed since you opened it. Reload the page to see the changes, then make yours again."}
}

// IsStale reports whether err is the error of Stale.
func IsStale(err error) bool {
	e, ok := err.(*paylink.Error)
	return ok && e.Code == paylink.EConflict && e.Name == "StaleEdit"
}

// checkVersion is nil when want is "" (no check asked: the API's patch applies
// to whatever the row holds now) or the row's current version; else Stale.
func checkVersion(want, what string, created time.Time, modified *time.Time) error {
	if want == "" || want == Version(created, modified) {
		return nil
	}
	return Stale(what)
}
