package store

import (
	"strings"
	"testing"

	"github.com/paylink/paylink"
)

// The visit path reads the JSON columns out of checkoutRow by position.
func TestCheckoutJSONColumnPositions(t *testing.T) {
	cols := strings.Split(strings.Join(strings.Fields(checkoutColumns), ""), ",")
	for pos, name := range map[int]string{colProductIDs: "product_ids", colCustomFieldData: "custom_field_data", colMetadata: "metadata"} {
		if cols[pos] != name {
			t.Errorf("column %d is %s, want %s", pos, cols[pos], name)
		}
	}
	c := &paylink.Checkout{ProductIDs: []string{"p"}, CustomFieldData: map[string]any{"f": "v"}, Metadata: paylink.Metadata{"m": "w"}}
	row := checkoutRow(c)
	if len(row) != len(cols) || row[colProductIDs] != `["p"]` || row[colCustomFieldData] != `{"f":"v"}` || row[colMetadata] != `{"m":"w"}` {
		t.Fatalf("row: %v", row)
	}
}
