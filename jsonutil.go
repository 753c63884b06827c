package paylink

import (
	"bytes"
	"encoding/json"
)

// decodeNumbers unmarshals b keeping numbers as json.Number.
func decodeNumbers(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d.Decode(v)
}
