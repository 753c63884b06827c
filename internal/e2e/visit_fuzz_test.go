package e2e_test

import (
	"io"
	"net/http"
	"testing"

	"path/filepath"

	"github.com/paylink/paylink/internal/paylinktest"
)

// FuzzVisitQuery sends any query string to a real link: whatever it holds, the
// visitor gets a session (303) and never a 5xx (SPEC §4).
func FuzzVisitQuery(f *testing.F) {
	for _, seed := range []string{
		"", "amount=500", "amount=-1&amount=99999999999999999999", "product_id=%00&customer_email=a@b",
		"custom_field_data.company=%ff%fe&custom_field_data.=x", "discount_code=LAUNCH20&utm_source=" + string(make([]byte, 600)),
		"a=%zz&b=%&c", ";;;&&&==", "customer_name=%1b%5b31m", "reference_id=\u202e",
	} {
		f.Add(seed)
	}
	in := paylinktest.Start(f, "sqlite:"+filepath.Join(f.TempDir(), "fuzz.db"), nil)
	if in.LinkURL == "" {
		f.Fatal("no demo link")
	}
	f.Fuzz(func(t *testing.T, raw string) {
		req, err := http.NewRequest("GET", in.LinkURL, nil)
		if err != nil {
			t.Skip()
		}
		req.URL.RawQuery = raw
		resp, err := in.Client.Do(req)
		if err != nil {
			t.Skip() // the client refused to send it: nothing reached paylink
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("query %q: status %d", raw, resp.StatusCode)
		}
	})
}
