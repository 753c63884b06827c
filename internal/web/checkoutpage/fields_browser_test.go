package checkoutpage_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/paylink/paylink/internal/browsertest"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// TestSwitchingProductKeepsFieldValues: switching product and back keeps the
// custom-field values typed or prefilled, with JavaScript and without, while
// the session stores only the fields of its product (issue 10 item 6), on
// every engine.
func TestSwitchingProductKeepsFieldValues(t *testing.T) {
	browser := browsertest.New(t)
	storetest.Each(t, func(t *testing.T, dbURL string) {
		in := paylinktest.Start(t, dbURL, nil)
		starter := webtest.ProductID(t, in, "Starter Kit")
		cat := webtest.DemoCatalog(t, in) // Poster, with a required Size
		var fields struct {
			Items []struct{ ID, Slug string }
		}
		in.Must(t, "GET", "/v1/custom-fields/?limit=100", in.Token, nil, 200, &fields)
		company := ""
		for _, f := range fields.Items {
			if f.Slug == "company" {
				company = f.ID
			}
		}
		var bundle struct{ ID string }
		in.Must(t, "POST", "/v1/products/", in.Token, map[string]any{"name": "Bundle",
			"prices": []map[string]any{{"amount_type": "fixed", "price_currency": "usd", "price_amount": 3900}},
			"attached_custom_fields": []map[string]any{{"custom_field_id": company, "required": false},
				{"custom_field_id": cat.SizeID, "required": false}}}, 201, &bundle)
		link := webtest.CreateLinkWith(t, in, []string{starter, bundle.ID, cat.Poster}, nil)

		for _, js := range []bool{true, false} {
			ctx := browsertest.NewTab(t, browser)
			if !js {
				browsertest.DisableJavaScript(t, ctx)
			}
			// choose picks a product as the customer would (without JavaScript, then
			// Update total) and waits for the page to show ready.
			choose := func(name, ready string) {
				t.Helper()
				radio := webtest.IDOf(t, ctx, name)
				browsertest.Do(t, ctx, chromedp.Click(chromedp.ID(radio)))
				if !js {
					browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`button[value=update]`)))
				}
				browsertest.Until(t, ctx, fmt.Sprintf(`document.readyState === "complete" && document.getElementById(%q).checked && (%s)`, radio, ready))
			}
			has := func(id string) string { return fmt.Sprintf(`document.getElementById(%q)`, id) }
			value := func(id string) string {
				return browsertest.Eval[string](t, ctx, fmt.Sprintf(`(document.getElementById(%q) || {value: "(none)"}).value`, id))
			}
			webtest.OpenCheckout(t, ctx, link+"?customer_email=switch@example.com&custom_field_data.company=Acme+Ltd")
			if got := value("cf-company"); got != "Acme Ltd" {
				t.Fatalf("js %v: Company %q, want the prefilled Acme Ltd", js, got)
			}
			webtest.TypeInto(t, ctx, "Company", "Globex")
			choose("Bundle", has("cf-size"))
			if got := value("cf-company"); got != "Globex" {
				t.Errorf("js %v: on Bundle, which has Company too, Company = %q, want Globex", js, got)
			}
			browsertest.Do(t, ctx, chromedp.SetValue(chromedp.ID("cf-size"), "m"))
			choose("Poster", "!"+has("cf-company"))
			if got := value("cf-size"); got != "m" {
				t.Errorf("js %v: on Poster, which has Size too, Size = %q, want m", js, got)
			}
			secret := webtest.SecretOf(t, browsertest.Eval[string](t, ctx, `location.pathname`))
			webtest.WithStore(t, in, func(tx *store.Tx) error {
				c, err := tx.CheckoutBySecret(context.Background(), secret, false)
				if err == nil && c.CustomFieldData["company"] != nil {
					t.Errorf("js %v: on Poster, which has no Company, the session stores company=%v", js, c.CustomFieldData["company"])
				}
				return err
			})
			choose("Starter Kit", has("cf-company")+" && !"+has("cf-size"))
			if got := value("cf-company"); got != "Globex" {
				t.Errorf("js %v: back on Starter Kit, Company = %q, want Globex", js, got)
			}
			choose("Bundle", has("cf-size"))
			if c, s := value("cf-company"), value("cf-size"); c != "Globex" || s != "m" {
				t.Errorf("js %v: back on Bundle, Company %q and Size %q, want Globex and m", js, c, s)
			}
			// Paid on Poster, the order has the Size and no Company (carried, never stored).
			choose("Poster", "!"+has("cf-company"))
			webtest.PayInBrowser(t, ctx, "4242 4242 4242 4242")
			browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/success") })
			if o := webtest.OrderOf(t, in, secret); o.CustomFieldData["size"] != "m" || o.CustomFieldData["company"] != nil {
				t.Errorf("js %v: order custom_field_data %v, want size=m and no company", js, o.CustomFieldData)
			}
		}
	})
}
