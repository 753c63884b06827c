// Package httperr is the one table from paylink's error codes to HTTP statuses
// and Polar's error names, shared by the JSON API and the HTML pages so that an
// error answers with the same status wherever it surfaces.
package httperr

import (
	"context"
	"net/http"

	"github.com/paylink/paylink"
)

type entry struct {
	status int
	name   string
}

var table = map[paylink.Code]entry{
	paylink.EInvalid:       {http.StatusUnprocessableEntity, "RequestValidationError"},
	paylink.ENotFound:      {http.StatusNotFound, "ResourceNotFound"},
	paylink.EConflict:      {http.StatusConflict, "Conflict"},
	paylink.EGone:          {http.StatusGone, "ExpiredCheckoutError"},
	paylink.EForbidden:     {http.StatusForbidden, "NotPermitted"},
	paylink.EUnauthorized:  {http.StatusUnauthorized, "Unauthorized"},
	paylink.EPaymentFailed: {http.StatusBadRequest, "PaymentError"},
	paylink.EBadRequest:    {http.StatusBadRequest, "BadRequest"},
	paylink.ERateLimited:   {http.StatusTooManyRequests, "TooManyRequests"},
	paylink.EInternal:      {http.StatusInternalServerError, "InternalServerError"},

	paylink.ENotImplemented: {http.StatusNotImplemented, "NotImplemented"},
}

// Status returns the HTTP status of err: its code's (found through errors.As),
// 500 for an error that is not a *paylink.Error or has no code in the table.
func Status(err error) int {
	if e, ok := table[paylink.ErrorCode(err)]; ok {
		return e.status
	}
	return http.StatusInternalServerError
}

// Name returns Polar's error name for code ("InternalServerError" for an
// unknown code).
func Name(code paylink.Code) string {
	if e, ok := table[code]; ok {
		return e.name
	}
	return table[paylink.EInternal].name
}

type ctxKey struct{}

// WithRequestID returns ctx carrying the request's id (the server's
// middleware gives every request one, sent as X-Request-Id).
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// RequestID returns the id of the request ctx belongs to ("" outside one): on
// its log lines and in its error answers, JSON (request_id) and HTML, so that
// what a client quotes finds the lines.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(ctxKey{}).(string)
	return id
}
