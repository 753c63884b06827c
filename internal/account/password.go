package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Password rules: long enough to resist guessing, short enough that hashing a
// hostile input costs nothing special.
const (
	PasswordMinLen = 10
	PasswordMaxLen = 256
)

// argon2id parameters: OWASP's minimum recommendation (19 MiB, 2 passes, 1 lane),
// which keeps a sign-in well under 100 ms on a small server.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns the argon2id hash of pw in the PHC string format
// ($argon2id$v=19$m=…,t=…,p=…$salt$hash), with a fresh random salt.
func HashPassword(pw string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// CheckPassword reports whether pw matches the encoded hash, in constant time.
// An empty or malformed hash matches nothing (a user who never set a password).
func CheckPassword(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var mem, iter uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iter, &threads); err != nil ||
		mem == 0 || mem > 1<<20 || iter == 0 || iter > 16 || threads == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, iter, mem, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when the email is unknown, so that a sign-in
// takes as long whether or not the account exists.
var dummyHash = HashPassword("paylink-no-such-user")

// PasswordProblem returns why pw can't be a password, or "".
func PasswordProblem(pw, confirm string) string {
	switch n := utf8.RuneCountInString(pw); {
	case n < PasswordMinLen:
		return fmt.Sprintf("Use at least %d characters.", PasswordMinLen)
	case n > PasswordMaxLen:
		return fmt.Sprintf("Use at most %d characters.", PasswordMaxLen)
	case pw != confirm:
		return "The two passwords do not match."
	}
	return ""
}
