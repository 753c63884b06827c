package benefits

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/paylink/paylink"
)

// FuzzProperties: the properties of every type, read from any JSON, are either
// a 422 or properties that read back to themselves (what is stored is valid).
func FuzzProperties(f *testing.F) {
	for _, s := range []string{`{}`, `{"note":"**hi**"}`, `{"note":null}`, `{"prefix":"app","limit_usage":3}`,
		`{"expires":{"ttl":2,"timeframe":"month"},"activations":{"limit":5,"enable_customer_admin":true}}`,
		`{"expires":{"ttl":999999,"timeframe":"day"}}`, `[]`, `null`, `{"limit_usage":-1}`,
		`{"files":["0b6e3a4c-9a3e-4c55-8c1e-3f2b1a0d9e11"],"archived":{"0B6E3A4C-9A3E-4C55-8C1E-3F2B1A0D9E11":true,"x":false}}`,
		`{"files":[]}`, `{"files":["a","a"]}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		for name, typ := range types {
			props, err := typ.Properties(json.RawMessage(raw))
			if err != nil {
				if !paylink.IsCode(err, paylink.EInvalid) {
					t.Fatalf("%s: %q: %v, want a 422", name, raw, err)
				}
				continue
			}
			again, _ := json.Marshal(props)
			back, err := typ.Properties(again)
			if err != nil {
				t.Fatalf("%s: stored %s does not read back: %v", name, again, err)
			}
			b1, _ := json.Marshal(back)
			if !reflect.DeepEqual(string(b1), string(again)) {
				t.Fatalf("%s: %s reads back as %s", name, again, b1)
			}
		}
	})
}
