package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/httperr"
)

// StatusOf returns the HTTP status for err (500 for errors that are not *paylink.Error).
func StatusOf(err error) int { return httperr.Status(err) }

// WriteJSON writes v as JSON with the status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// WriteError writes err in Polar's shape. Internal errors are logged and shown to
// the client only as a generic message.
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var e *paylink.Error
	if !errors.As(err, &e) {
		log.ErrorContext(r.Context(), "internal error", "err", err, "method", r.Method, "path", r.URL.Path)
		e = &paylink.Error{Code: paylink.EInternal, Message: "internal server error"}
	}
	status := httperr.Status(e)
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
		WriteJSON(w, status, map[string]any{"detail": detail})
		return
	}
	name := httperr.Name(e.Code)
	if e.Name != "" {
		name = e.Name
	}
	WriteJSON(w, status, map[string]any{"error": name, "detail": e.Message})
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
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return paylink.Invalid(paylink.FieldError{Loc: []any{"body"}, Msg: "trailing data after the JSON object", Type: "json_invalid"})
	}
	return nil
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
