package files

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/paylink/paylink"
)

// signer signs the URLs paylink hands out for uploading parts and downloading
// files: an HMAC-SHA256, with a key kept in the database (server_secrets) so
// every process verifies what another signed, over what the URL grants and
// until when.
type signer struct{ key []byte }

func (s signer) mac(fields ...string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(strings.Join(fields, "\n")))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// sign returns the query string "expires=…&signature=…" (and scope when not
// empty) that lets its holder do kind on the object id until expires.
func (s signer) sign(kind, id, scope string, expires time.Time) string {
	exp := strconv.FormatInt(expires.Unix(), 10)
	q := url.Values{"expires": {exp}, "signature": {s.mac(kind, id, scope, exp)}}
	if scope != "" {
		q.Set("scope", scope)
	}
	return q.Encode()
}

// verify checks q's signature for kind on id and returns its scope. A wrong
// or missing signature is EForbidden; an expired one EGone, so a client can
// tell "ask for a new link" from "this link was never valid".
func (s signer) verify(kind, id string, q url.Values, now time.Time) (scope string, err error) {
	exp, scope, sig := q.Get("expires"), q.Get("scope"), q.Get("signature")
	n, perr := strconv.ParseInt(exp, 10, 64)
	if perr != nil || !hmac.Equal([]byte(sig), []byte(s.mac(kind, id, scope, exp))) {
		return "", &paylink.Error{Code: paylink.EForbidden, Name: "NotPermitted", Message: "the link's signature is not valid"}
	}
	if now.Unix() > n {
		return "", &paylink.Error{Code: paylink.EGone, Name: "Gone", Message: "the link has expired; ask for a new one"}
	}
	return scope, nil
}
