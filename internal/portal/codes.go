package portal

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// Sign-in codes and their limits. A code is 6 digits, lives CodeTTL, is used
// once and dies after CodeMaxAttempts wrong tries for its email. An email gets
// at most CodesPerEmail codes per CodeWindow from one organization, and one
// address (IP) asks for at most CodesPerAddress codes and tries at most
// TriesPerAddress codes per CodeWindow. Unknown emails count the same, so the
// limits tell nobody which emails are customers.
const (
	CodeDigits      = 6
	CodeTTL         = 15 * time.Minute
	CodeMaxAttempts = 5
	CodeWindow      = time.Hour
	CodesPerEmail   = 5
	CodesPerAddress = 20
	TriesPerAddress = 30
)

// ErrBadCode is the one answer to a wrong, used, expired or unknown code, and
// to a code of an email that is no customer.
var ErrBadCode = paylink.Errorf(paylink.EUnauthorized, "This code is invalid or has expired. Ask for a new one.")

var errTooMany = paylink.Errorf(paylink.ERateLimited, "Too many sign-in attempts. Please wait a while and try again.")

// RequestCode makes a sign-in code for email at org's portal and hands it to
// SendCode, when the email is one of org's customers. It answers the same for
// any valid email, customer or not: nil, or ERateLimited past the limits
// (addr is the client's IP address). An invalid email is EInvalid at
// ["body","email"]; without SendCode, ENotImplemented.
func (s *Service) RequestCode(ctx context.Context, org *paylink.Organization, email, addr string) error {
	email = strings.ToLower(strings.TrimSpace(email))
	if !paylink.ValidEmail(email) {
		return paylink.Invalid(paylink.FieldInvalid("Enter a valid email address.", email, "body", "email"))
	}
	if s.SendCode == nil {
		return paylink.Errorf(paylink.ENotImplemented, "Signing in by email is not available: this server sends no email yet.")
	}
	code := newCode()
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		now := s.now()
		if err := s.limit(ctx, tx, now, quota{"portal-code-email:" + org.ID + ":" + email, CodesPerEmail},
			quota{"portal-code-addr:" + addr, CodesPerAddress}); err != nil {
			return err
		}
		c := &store.CustomerSessionCode{OrganizationID: org.ID, Email: email, CodeHash: codeHash(org.ID, email, code),
			CreatedAt: now, ExpiresAt: now.Add(CodeTTL)}
		cust, err := tx.CustomerByEmail(ctx, org.ID, email)
		if err != nil && !paylink.IsCode(err, paylink.ENotFound) {
			return err
		}
		if cust != nil {
			c.CustomerID = &cust.ID
		}
		if err := tx.CustomerSessionCodeCreate(ctx, c); err != nil {
			return err
		}
		if cust == nil {
			return nil
		}
		return s.SendCode(ctx, tx, org, cust.Email, code)
	})
}

// SignIn uses up email's code at org's portal and starts a portal session
// (PortalSessionTTL), returning its token in plain text. A wrong code counts
// against the email's live codes. ErrBadCode for any code that does not sign
// in; ERateLimited past TriesPerAddress for addr.
func (s *Service) SignIn(ctx context.Context, org *paylink.Organization, email, code, addr string) (string, *Signed, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	code = strings.Join(strings.Fields(code), "")
	token := paylink.NewSecret(paylink.PrefixCustomerToken)
	var out *Signed
	missed := false
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		now := s.now()
		if err := s.limit(ctx, tx, now, quota{"portal-try-addr:" + addr, TriesPerAddress}); err != nil {
			return err
		}
		customerID, err := tx.CustomerSessionCodeUse(ctx, org.ID, email, codeHash(org.ID, email, code), now, CodeMaxAttempts)
		if paylink.IsCode(err, paylink.ENotFound) {
			// Committed: the miss and the try must count even though sign-in fails.
			missed = true
			return tx.CustomerSessionCodeMiss(ctx, org.ID, email, now)
		}
		if err != nil {
			return err
		}
		cust, err := tx.CustomerGet(ctx, org.ID, customerID)
		if err != nil {
			return err
		}
		out, err = s.startSession(ctx, tx, cust, token, PortalSessionTTL, nil)
		return err
	})
	if err == nil && missed {
		err = ErrBadCode
	}
	if err != nil {
		return "", nil, err
	}
	return token, out, nil
}

// quota is a rate limit: at most max hits of key per CodeWindow.
type quota struct {
	key string
	max int
}

// limit counts a hit of each quota and answers ERateLimited when one is past
// its max in the current CodeWindow.
func (s *Service) limit(ctx context.Context, tx *store.Tx, now time.Time, quotas ...quota) error {
	for _, q := range quotas {
		n, err := tx.RateLimitHit(ctx, q.key, CodeWindow, now)
		if err != nil {
			return err
		}
		if n > q.max {
			return errTooMany
		}
	}
	return nil
}

// newCode returns CodeDigits random decimal digits.
func newCode() string {
	max := big.NewInt(1)
	for range CodeDigits {
		max.Mul(max, big.NewInt(10))
	}
	n, err := rand.Int(rand.Reader, max)
	if err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return fmt.Sprintf("%0*d", CodeDigits, n)
}

// codeHash is what the store keeps of a code: its hash bound to the
// organization and the email, so a code is good for that email only.
func codeHash(orgID, email, code string) string {
	return paylink.HashToken(orgID + "\x00" + email + "\x00" + code)
}
