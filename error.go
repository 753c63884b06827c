// Package paylink holds paylink's domain: the entities, the pure rules that govern
// them (validation, pricing, discounts, query-string prefill) and the one Error type
// every layer speaks. It imports no SQL and no HTTP.
package paylink

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies an Error; internal/api maps each code to one HTTP status.
type Code string

// The error codes. Every error a client can cause carries one of them.
const (
	EInvalid       Code = "invalid"        // 422: the request breaks a rule; Fields say where
	ENotFound      Code = "not_found"      // 404
	EConflict      Code = "conflict"       // 409: a concurrent change holds the row
	EGone          Code = "gone"           // 410: expired
	EForbidden     Code = "forbidden"      // 403: not allowed in this state or scope
	EUnauthorized  Code = "unauthorized"   // 401
	EPaymentFailed Code = "payment_failed" // 400: the processor declined
	EBadRequest    Code = "bad_request"    // 400
	ERateLimited   Code = "rate_limited"   // 429
	EInternal      Code = "internal"       // 500: never caused by client input

	// ENotImplemented (501) is a feature this server does not offer yet.
	ENotImplemented Code = "not_implemented"
)

// Error is the error type of paylink. Message is safe to show to a client.
type Error struct {
	Code    Code
	Name    string // Polar's error class name on the wire, e.g. "ResourceNotFound"; optional
	Message string
	Fields  []FieldError // for EInvalid: one entry per offending field
	// RetryAfter, for ERateLimited, is when the client may try again (the
	// Retry-After header); zero when unknown.
	RetryAfter time.Duration
}

// FieldError locates one validation failure, in Polar's 422 shape.
type FieldError struct {
	Loc   []any  // e.g. {"body", "prices", 0, "price_amount"}
	Msg   string // human readable
	Type  string // machine readable, e.g. "value_error", "missing"
	Input any    // the offending input, when useful
}

func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		f := e.Fields[0]
		return fmt.Sprintf("%s: %v: %s", e.Code, f.Loc, f.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the code and a formatted, client-safe message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// NotFound returns the ENotFound error for a kind of resource.
func NotFound(what string) *Error {
	return &Error{Code: ENotFound, Name: "ResourceNotFound", Message: what + " not found"}
}

// Invalid returns an EInvalid error carrying the field errors.
func Invalid(fields ...FieldError) *Error {
	return &Error{Code: EInvalid, Message: "validation failed", Fields: fields}
}

// FieldInvalid is a shortcut for one field error with type "value_error".
func FieldInvalid(msg string, input any, loc ...any) FieldError {
	return FieldError{Loc: loc, Msg: msg, Type: "value_error", Input: input}
}

// ErrorCode returns the code of err, EInternal for errors that are not *Error,
// and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// IsCode reports whether err is an *Error with the code.
func IsCode(err error, code Code) bool { return ErrorCode(err) == code }

// Problems collects field errors; Err returns nil when there are none.
type Problems []FieldError

// Add records one field error.
func (p *Problems) Add(msg string, input any, loc ...any) {
	*p = append(*p, FieldInvalid(msg, input, loc...))
}

// Err returns the collected errors as one EInvalid *Error, or nil.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return Invalid(p...)
}

// Merge adds the field errors of err, a 422 of several checks, to p, so that
// one answer lists them all; any other error is returned as it is.
func (p *Problems) Merge(err error) error {
	var e *Error
	if err == nil || !errors.As(err, &e) || e.Code != EInvalid {
		return err
	}
	*p = append(*p, e.Fields...)
	return nil
}
