package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"maps"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/httperr"
)

// StatusOf returns the HTTP status for err (500 for errors that are not *paylink.Error).
func StatusOf(err error) int { return httperr.Status(err) }

// WriteJSON writes v as JSON with the status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-store") // API answers are one client's data (a session's email, a token's orders)
	}
	b, err := paylink.MarshalJSON(v)
	if err != nil {
		// Only our own types reach here; a value that does not encode is a bug, answered
		// as one rather than as a half-written body.
		status, b = http.StatusInternalServerError, []byte(`{"error":"InternalServerError","detail":"internal server error"}`)
	}
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// WriteError writes err in Polar's shape. Internal errors are logged and shown to
// the client only as a generic message.
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var e *paylink.Error
	if !errors.As(err, &e) {
		log.ErrorContext(r.Context(), "internal error", "err", err, "route", r.Pattern) // the pattern, never the path: paths hold secrets
		e = &paylink.Error{Code: paylink.EInternal, Message: "internal server error"}
	}
	status := httperr.Status(e)
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(e.RetryAfter.Seconds()))))
	}
	if e.Code == paylink.EInvalid {
		detail := make([]map[string]any, 0, len(e.Fields))
		for _, f := range e.Fields {
			typ := f.Type
			if typ == "" {
				typ = "value_error"
			}
			loc := f.Loc
			if loc == nil {
				loc = []any{"body"}
			}
			detail = append(detail, map[string]any{"type": typ, "loc": loc, "msg": f.Msg, "input": f.Input})
		}
		if len(detail) == 0 {
			detail = append(detail, map[string]any{"type": "value_error", "loc": []any{"body"}, "msg": e.Message, "input": nil})
		}
		WriteJSON(w, status, withRequestID(r, map[string]any{"detail": detail}))
		return
	}
	name := httperr.Name(e.Code)
	if e.Name != "" {
		name = e.Name
	}
	WriteJSON(w, status, withRequestID(r, map[string]any{"error": name, "detail": e.Message}))
}

// withRequestID adds the request's id to an error body as request_id, a field
// beside Polar's own that its SDK's error schemas let through.
func withRequestID(r *http.Request, body map[string]any) map[string]any {
	if id := httperr.RequestID(r.Context()); id != "" {
		body["request_id"] = id
	}
	return body
}

// maxBody bounds every JSON request body.
const maxBody = 1 << 20

// Decode reads a JSON object body into v (numbers as json.Number where v holds
// `any`). A malformed body is a 422 located at the body, never a 500.
func Decode(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return paylink.Invalid(paylink.FieldError{Loc: []any{"body"}, Msg: "Content-Type must be application/json", Type: "model_attributes_type"})
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return paylink.Errorf(paylink.EBadRequest, "could not read the request body")
	}
	if len(b) > maxBody {
		return paylink.Invalid(paylink.FieldError{Loc: []any{"body"}, Msg: "body is larger than 1 MiB", Type: "value_error"})
	}
	if !utf8.Valid(b) {
		return paylink.Invalid(paylink.FieldError{Loc: []any{"body"}, Msg: "the body must be UTF-8 text", Type: "json_invalid"})
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if bytes.Contains(b, []byte(`\u0000`)) {
		if loc := nulAt(b); loc != nil {
			return paylink.Invalid(paylink.FieldError{Loc: loc, Msg: "must not contain NUL characters", Type: "string_type"})
		}
	}
	if dec.More() {
		return paylink.Invalid(paylink.FieldError{Loc: []any{"body"}, Msg: "trailing data after the JSON object", Type: "json_invalid"})
	}
	return nil
}

// nulAt returns the location of the first string (or object key) of the JSON
// body b that holds a NUL, or nil. No store keeps a NUL (PostgreSQL refuses it),
// so a body with one is refused at the field on both engines alike.
func nulAt(b []byte) []any {
	var doc any
	if json.Unmarshal(b, &doc) != nil {
		return nil
	}
	var walk func(v any, loc []any) []any
	walk = func(v any, loc []any) []any {
		switch x := v.(type) {
		case string:
			if strings.IndexByte(x, 0) >= 0 {
				return loc
			}
		case []any:
			for i, e := range x {
				if l := walk(e, append(slices.Clip(loc), i)); l != nil {
					return l
				}
			}
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(x)) {
				kloc := append(slices.Clip(loc), k)
				if strings.IndexByte(k, 0) >= 0 {
					return kloc
				}
				if l := walk(x[k], kloc); l != nil {
					return l
				}
			}
		}
		return nil
	}
	return walk(doc, []any{"body"})
}

func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		loc := []any{"body"}
		for _, p := range strings.Split(te.Field, ".") {
			if p != "" {
				loc = append(loc, p)
			}
		}
		return paylink.Invalid(paylink.FieldError{Loc: loc, Msg: "expected " + friendlyType(te.Type.String()), Type: "type_error", Input: te.Value})
	}
	var fe *paylink.Error
	if errors.As(err, &fe) {
		return fe
	}
	return paylink.Invalid(paylink.FieldError{Loc: []any{"body"}, Msg: "JSON decode error: " + err.Error(), Type: "json_invalid"})
}

func friendlyType(t string) string {
	switch {
	case strings.Contains(t, "int"):
		return "an integer"
	case t == "string" || strings.HasSuffix(t, "string]"):
		return "a string"
	case t == "bool" || strings.HasSuffix(t, "bool]"):
		return "a boolean"
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map"):
		return "an object"
	}
	return t
}

var errNotImplemented = &paylink.Error{Code: paylink.EBadRequest, Name: "NotImplemented", Message: "not implemented yet"}
