package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Error is an answer of paylink (or Polar) with a status outside 2xx, in Polar's
// error shape: Name is Polar's error name ("ResourceNotFound",
// "RequestValidationError", "NotPermitted", …) and Message its detail; a 422
// lists each problem at its field in Fields.
type Error struct {
	Method, Path string
	StatusCode   int
	Name         string
	Message      string
	Fields       []FieldError
	Body         []byte // the raw answer
}

// FieldError is one problem of a 422, at Loc (e.g. ["body","prices",0,"price_amount"]).
type FieldError struct {
	Loc   []any  `json:"loc"`
	Msg   string `json:"msg"`
	Type  string `json:"type"`
	Input any    `json:"input"`
}

// Error says the call, the status and what the server said.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "paylink: %s %s: %d", e.Method, redact(e.Path), e.StatusCode)
	if e.Name != "" {
		b.WriteString(" " + e.Name)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	for _, f := range e.Fields {
		loc, _ := json.Marshal(f.Loc)
		fmt.Fprintf(&b, "; %s at %s", f.Msg, loc)
	}
	return b.String()
}

// Field returns the problem located exactly at loc (e.g. "body", "name"), or nil.
func (e *Error) Field(loc ...any) *FieldError {
	want, _ := json.Marshal(loc)
	for i := range e.Fields {
		if got, _ := json.Marshal(e.Fields[i].Loc); string(got) == string(want) {
			return &e.Fields[i]
		}
	}
	return nil
}

// StatusCode returns the HTTP status of err when it is (or wraps) an *Error, 0
// otherwise.
func StatusCode(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.StatusCode
	}
	return 0
}

// IsNotFound reports whether err is a 404 answer.
func IsNotFound(err error) bool { return StatusCode(err) == 404 }

func newError(method, path string, status int, body []byte) *Error {
	e := &Error{Method: method, Path: path, StatusCode: status, Body: body}
	var shape struct {
		Error  string          `json:"error"`
		Detail json.RawMessage `json:"detail"`
	}
	if json.Unmarshal(body, &shape) != nil {
		e.Message = strings.TrimSpace(string(body))
		if len(e.Message) > 200 {
			e.Message = e.Message[:200]
		}
		return e
	}
	e.Name = shape.Error
	if json.Unmarshal(shape.Detail, &e.Fields) != nil {
		json.Unmarshal(shape.Detail, &e.Message)
	}
	if e.Name == "" && len(e.Fields) > 0 {
		e.Name = "RequestValidationError"
	}
	return e
}

// redact cuts the client secrets out of a path (/v1/checkouts/client/pl_c_…),
// so an application that logs an error does not log a key to its customer's
// checkout.
func redact(path string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, "pl_") {
			parts[i] = "{secret}"
		}
	}
	return strings.Join(parts, "/")
}
