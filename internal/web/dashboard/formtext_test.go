package dashboard_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// A form value with a NUL or invalid UTF-8 is refused with a 422 naming the
// problem on both engines alike (PostgreSQL answered 500, SQLite stored it), and
// nothing is saved.
func TestFormsRefuseTextNoStoreKeeps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		b := dashSignedIn(t, in, in.SignIn)
		for _, name := range []string{"Kit\x00", "Kit \xff"} {
			status, doc := b.Post("/dashboard/products", url.Values{"name": {name}, "amount_type": {"fixed"}, "currency": {"usd"}, "amount": {"12"}})
			if status != http.StatusUnprocessableEntity || !strings.Contains(doc.AllText(), "cannot be saved") {
				t.Fatalf("product named %q: %d %s", name, status, doc.AllText())
			}
		}
		var list struct {
			Items []struct{ Name string } `json:"items"`
		}
		in.Must(t, "GET", "/v1/products/?limit=100", in.Token, nil, 200, &list)
		for _, p := range list.Items {
			if strings.HasPrefix(p.Name, "Kit") {
				t.Fatalf("saved %q", p.Name)
			}
		}

		c := webtest.DemoCatalog(t, in)
		s := webtest.NewShopper(t, in)
		s.Visit(webtest.CreateLink(t, in, c.Poster, ""))
		resp, doc, _ := s.Post(url.Values{"action": {"update"}, "customer_name": {"Ann\x00"}}, nil)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(doc.AllText(), "cannot be saved") {
			t.Fatalf("checkout form with a NUL: %d %s", resp.StatusCode, doc.AllText())
		}
	})
}
