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

// MarshalJSON encodes v as Polar does: compact, with <, > and & written as they
// are. encoding/json's Marshal escapes them (\u003c…), and a receiver that
// re-serializes a webhook body before checking its signature (the express
// adapter does JSON.stringify(JSON.parse(body))) then hashes other bytes than the
// ones signed. Every API answer, every stored event payload and every webhook
// body goes through here.
func MarshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
