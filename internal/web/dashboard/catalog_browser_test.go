package dashboard_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/paylink/paylink/internal/browsertest"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// wantShown fails unless exactly the ids of show are visible among all.
func wantShown(t *testing.T, ctx context.Context, when string, show []string, all ...string) {
	t.Helper()
	for _, id := range all {
		want := strings.Contains(" "+strings.Join(show, " ")+" ", " "+id+" ")
		if got := webtest.Shown(t, ctx, id); got != want {
			t.Errorf("%s: #%s shown %v, want %v", when, id, got, want)
		}
	}
}

// pickSelect chooses an option of a select as a person would: value, then change.
func pickSelect(id, value string) string {
	return `(function(){var s=document.getElementById("` + id + `"); s.value="` + value + `";
		s.dispatchEvent(new Event("change", {bubbles: true})); return s.value})()`
}

// TestBrowserMerchantEditsCatalog: the catalog forms in Chromium. Each form shows
// only the settings of the chosen type, live; a custom field is created, then
// attached to a product, required, and moved up with its arrow in place; a
// discount is restricted to a product. Without JavaScript every group shows.
func TestBrowserMerchantEditsCatalog(t *testing.T) {
	ctx := browsertest.New(t)
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	dashSignInBrowser(t, ctx, in)

	// The product form: a fixed price hides the pay-what-you-want bounds.
	price := []string{"currency", "amount", "minimum", "maximum", "preset"}
	browsertest.Do(t, ctx, chromedp.Navigate(in.URL+"/dashboard/products/new"), chromedp.WaitVisible(chromedp.CSS("#name")))
	wantShown(t, ctx, "fixed price", []string{"currency", "amount"}, price...)
	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//label[normalize-space()="Pay what you want"]`)))
	wantShown(t, ctx, "pay what you want", []string{"currency", "minimum", "maximum", "preset"}, price...)
	browsertest.Screenshot(t, ctx, "dashboard-product-pwyw")
	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//label[normalize-space()="Free"]`)))
	wantShown(t, ctx, "free", nil, price...)

	// A custom field: the type's own settings only.
	browsertest.Do(t, ctx, chromedp.Navigate(in.URL+"/dashboard/custom-fields"), chromedp.WaitVisible(chromedp.CSS("h1")))
	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//button[normalize-space()="New custom field"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.Contains(u, "/dashboard/custom-fields/new") })
	settings := []string{"min_length", "ge", "date_ge", "options"}
	wantShown(t, ctx, "text field", []string{"min_length"}, settings...)
	browsertest.Eval[string](t, ctx, pickSelect("type", "select"))
	wantShown(t, ctx, "choice list", []string{"options"}, settings...)
	browsertest.Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#name"), "Shirt size"),
		chromedp.SendKeys(chromedp.CSS("#slug"), "shirt-size"),
		chromedp.SendKeys(chromedp.CSS("#options"), "s = Small\nm = Medium\n"))
	browsertest.Screenshot(t, ctx, "dashboard-new-field")
	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//div[@class="form-actions"]/button[normalize-space()="Save"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "?done=field-created") })
	field := fieldBySlug(t, in, "shirt-size")
	if field == nil || field.Type != "select" {
		t.Fatalf("the new field: %+v", field)
	}

	// Attached to Starter Kit, required, moved first with its arrow.
	browsertest.Do(t, ctx, chromedp.Navigate(in.URL+"/dashboard/products"), chromedp.WaitVisible(chromedp.CSS("h1")),
		chromedp.Click(chromedp.Search(`//a[normalize-space()="Starter Kit"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.Contains(u, "/dashboard/products/") })
	row := `//li[label[starts-with(normalize-space(),"Shirt size")]]`
	browsertest.Do(t, ctx,
		chromedp.Click(chromedp.Search(row+`/input[@name="field"]`)),
		chromedp.Click(chromedp.Search(row+`//input[starts-with(@name,"required-")]`)))
	rows := `Array.from(document.querySelectorAll("input[name=field_order]")).map(function(e){return e.value})`
	before := browsertest.Eval[[]string](t, ctx, rows)
	browsertest.Eval[int](t, ctx, `window.samePage = 1`) // a reload would clear it
	for i := 0; i < len(before); i++ {
		browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(row+`//button[@data-move="up"]`)))
	}
	after := browsertest.Eval[[]string](t, ctx, rows)
	if len(after) == 0 || after[0] != field.ID || !browsertest.Eval[bool](t, ctx, `window.samePage === 1`) {
		t.Fatalf("after the arrows the rows are %v (were %v)", after, before)
	}
	browsertest.Screenshot(t, ctx, "dashboard-product-fields")
	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//div[@class="form-actions"]/button[normalize-space()="Save"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "?done=product-saved") })
	var products struct {
		Items []struct {
			Name     string `json:"name"`
			Attached []struct {
				ID       string `json:"custom_field_id"`
				Required bool   `json:"required"`
			} `json:"attached_custom_fields"`
		} `json:"items"`
	}
	in.Must(t, "GET", "/v1/products/?limit=100", in.Token, nil, 200, &products)
	for _, p := range products.Items {
		if p.Name == "Starter Kit" && (len(p.Attached) == 0 || p.Attached[0].ID != field.ID || !p.Attached[0].Required) {
			t.Fatalf("Starter Kit's fields %+v, want the shirt size first and required", p.Attached)
		}
	}

	// A discount restricted to one product; a percentage hides the amount.
	browsertest.Do(t, ctx, chromedp.Navigate(in.URL+"/dashboard/discounts"), chromedp.WaitVisible(chromedp.CSS("h1")),
		chromedp.Click(chromedp.Search(`//a[starts-with(normalize-space(),"Launch")]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.Contains(u, "/dashboard/discounts/") })
	wantShown(t, ctx, "percentage discount", []string{"d-percent"}, "d-percent", "d-amount", "d-currency")
	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//label[normalize-space()="Pro Plan"]`)))
	browsertest.Screenshot(t, ctx, "dashboard-edit-discount")
	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//div[@class="form-actions"]/button[normalize-space()="Save"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "?done=discount-saved") })
	var discounts struct {
		Items []struct {
			Name     string `json:"name"`
			Products []struct {
				Name string `json:"name"`
			} `json:"products"`
		} `json:"items"`
	}
	in.Must(t, "GET", "/v1/discounts/?limit=100", in.Token, nil, 200, &discounts)
	for _, d := range discounts.Items {
		if strings.HasPrefix(d.Name, "Launch") && (len(d.Products) != 1 || d.Products[0].Name != "Pro Plan") {
			t.Fatalf("the discount's products %+v, want Pro Plan", d.Products)
		}
	}

	// Without JavaScript every group shows, under its own title, and an arrow
	// posts the form, which comes back with the row moved.
	tab := browsertest.NewTab(t, ctx)
	browsertest.DisableJavaScript(t, tab)
	browsertest.Do(t, tab, chromedp.Navigate(in.URL+"/dashboard/products/new"), chromedp.WaitVisible(chromedp.CSS("#name")))
	wantShown(t, tab, "no script", price, price...)
	browsertest.Screenshot(t, tab, "dashboard-product-noscript")
	start := slices.Index(browsertest.Eval[[]string](t, tab, rows), field.ID)
	if start < 1 {
		t.Fatalf("without JavaScript the shirt size is row %d", start)
	}
	browsertest.Do(t, tab, chromedp.Click(chromedp.Search(row+`//button[@data-move="up"]`)))
	browsertest.WaitURL(t, tab, func(u string) bool { return strings.HasSuffix(u, "/dashboard/products") })
	browsertest.Do(t, tab, chromedp.WaitVisible(chromedp.CSS("#name")))
	if got := browsertest.Eval[[]string](t, tab, rows); slices.Index(got, field.ID) != start-1 {
		t.Fatalf("without JavaScript, after the up arrow the rows are %v", got)
	}
}
