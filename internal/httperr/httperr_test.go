package httperr

import (
	"errors"
	"fmt"
	"testing"

	"github.com/paylink/paylink"
)

func TestStatus(t *testing.T) {
	for _, c := range []struct {
		err    error
		status int
		name   string
	}{
		{paylink.NotFound("product"), 404, "ResourceNotFound"},
		{fmt.Errorf("wrapped: %w", paylink.Errorf(paylink.EGone, "expired")), 410, "ExpiredCheckoutError"},
		{paylink.Errorf(paylink.EForbidden, "no"), 403, "NotPermitted"},
		{paylink.Invalid(), 422, "RequestValidationError"},
		{paylink.Errorf(paylink.ERateLimited, "slow down"), 429, "TooManyRequests"},
		{paylink.Errorf(paylink.ENotImplemented, "later"), 501, "NotImplemented"},
		{errors.New("disk on fire"), 500, "InternalServerError"},
	} {
		if got := Status(c.err); got != c.status {
			t.Errorf("Status(%v) = %d, want %d", c.err, got, c.status)
		}
		if got := Name(paylink.ErrorCode(c.err)); got != c.name {
			t.Errorf("Name(%v) = %q, want %q", c.err, got, c.name)
		}
	}
}
