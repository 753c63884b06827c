package paylink

import "testing"

func TestMarshalJSONWritesHTMLCharactersRaw(t *testing.T) {
	b, err := MarshalJSON(map[string]any{"name": "A<B>&C", "metadata": Metadata{"k": "<x>"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"metadata":{"k":"<x>"},"name":"A<B>&C"}`; got != want {
		t.Fatalf("MarshalJSON = %s, want %s", got, want)
	}
}
