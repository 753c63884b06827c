package api

import (
	"net/http"

	"github.com/paylink/paylink/internal/store"
)

// writeList answers one page of a list: list reads the page in a read
// transaction and render turns each item into its wire shape with a loader that
// reads what items embed once. With skip (a filter no row can match, such as
// another organization) the page is empty without a query.
func writeList[T any](a *API, w http.ResponseWriter, r *http.Request, page Page, skip bool,
	list func(tx *store.Tx) ([]T, int, error), render func(l *loader, item T) (any, error)) error {
	return writePage(a, w, r, page, skip, func(tx *store.Tx) ([]any, int, error) {
		rows, n, err := list(tx)
		if err != nil {
			return nil, 0, err
		}
		l := newLoader(r.Context(), tx, a.PublicURL)
		items := make([]any, 0, len(rows))
		for _, row := range rows {
			j, err := render(l, row)
			if err != nil {
				return nil, 0, err
			}
			items = append(items, j)
		}
		return items, n, nil
	})
}

// writePage is writeList for lists that render their page as a whole (links and
// discounts read the products of all their items in one query): list reads and
// renders the page in a read transaction, unless skip.
func writePage(a *API, w http.ResponseWriter, r *http.Request, page Page, skip bool,
	list func(tx *store.Tx) ([]any, int, error)) error {
	items, total := []any{}, 0
	if !skip {
		err := a.read(r.Context(), func(tx *store.Tx) error {
			var err error
			items, total, err = list(tx)
			return err
		})
		if err != nil {
			return err
		}
	}
	WriteJSON(w, http.StatusOK, NewList(items, total, page))
	return nil
}

// writeOne answers one object: get reads it (ENotFound for another
// organization's) and render gives its wire shape.
func writeOne[T any](a *API, w http.ResponseWriter, r *http.Request,
	get func(tx *store.Tx) (T, error), render func(l *loader, item T) (any, error)) error {
	var out any
	if err := a.read(r.Context(), func(tx *store.Tx) error {
		item, err := get(tx)
		if err != nil {
			return err
		}
		out, err = render(newLoader(r.Context(), tx, a.PublicURL), item)
		return err
	}); err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, out)
	return nil
}
