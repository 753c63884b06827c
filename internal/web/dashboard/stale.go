package dashboard

import (
	"net/http"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/catalog"
)

// An edit form carries, in its hidden "version" field, the catalog.Version of the
// row it was filled from. The catalog refuses a save made from an older version
// (another tab, or an API call, changed the row in between): the form comes
// back with the conflict said at its top, never as a silent overwrite.

// noVersion stands for a post without a version: it matches no row, so such a
// post is refused like a stale one rather than saved unchecked.
const noVersion = "none"

// postedVersion returns the version the posted form was filled from.
func postedVersion(r *http.Request) string {
	if v := strings.TrimSpace(r.PostForm.Get("version")); v != "" {
		return v
	}
	return noVersion
}

// staleMessage returns the message to show above a form whose save err refused
// as stale, and whether it was; any other err is for the caller.
func staleMessage(err error) (string, bool) {
	if !catalog.IsStale(err) {
		return "", false
	}
	return err.(*paylink.Error).Message, true
}

// formStatus is the status of a form page: 409 when its save was stale, 422
// when it has errors, else ok.
func formStatus(ok int, stale string, errs formErrors) int {
	switch {
	case stale != "":
		return http.StatusConflict
	case errs.Any():
		return http.StatusUnprocessableEntity
	}
	return ok
}
