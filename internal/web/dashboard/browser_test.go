package dashboard_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/paylink/paylink/internal/browsertest"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
)

const dashPassword = "correct horse battery"

// get runs one chromedp action that reads something and returns its value.
func dashRead[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, browsertest.Timeout)
	defer cancel()
	v, err := chromedp.Run(tctx, a)
	if err != nil {
		t.Fatalf("read the page: %v", err)
	}
	return v
}

// signInInBrowser follows the demo's one-time link, sets a password, signs out
// and signs in again with the email and the password, as a merchant would.
func dashSignInBrowser(t *testing.T, ctx context.Context, in *paylinktest.Instance) {
	t.Helper()
	if in.SignIn == "" {
		t.Fatalf("serve printed no dashboard sign-in URL:\n%s", in.Stdout)
	}
	browsertest.Do(t, ctx, chromedp.Navigate(in.SignIn),
		chromedp.WaitVisible(chromedp.CSS("#password")))
	if got := browsertest.Text(t, ctx, "h1"); got != "Set your password" {
		t.Fatalf("welcome page heading %q", got)
	}
	browsertest.Screenshot(t, ctx, "dashboard-welcome")
	browsertest.Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#password"), dashPassword),
		chromedp.SendKeys(chromedp.CSS("#confirm"), dashPassword),
		chromedp.Click(chromedp.Search(`//button[normalize-space()="Save"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/dashboard/overview") })

	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//button[normalize-space()="Sign out"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.Contains(u, "/dashboard/sign-in") })
	if got := browsertest.Text(t, ctx, ".notice"); got != "You have signed out." {
		t.Fatalf("after sign-out the page says %q", got)
	}
	browsertest.Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#email"), "demo@example.com"),
		chromedp.SendKeys(chromedp.CSS("#password"), dashPassword))
	browsertest.Screenshot(t, ctx, "dashboard-sign-in")
	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//button[normalize-space()="Sign in"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/dashboard/overview") })
	if got := browsertest.Text(t, ctx, "h1"); got != "Overview" {
		t.Fatalf("after sign-in the heading is %q", got)
	}
}

// TestBrowserMerchantCreatesLink is browser test 1 of issue 4: a merchant signs in
// and creates a link with two products, a preset discount and metadata through
// the New Link form, and copies its URL.
func TestBrowserMerchantCreatesLink(t *testing.T) {
	ctx := browsertest.New(t)
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	dashSignInBrowser(t, ctx, in)
	browsertest.Screenshot(t, ctx, "dashboard-products")

	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//nav[@aria-label="Dashboard"]//a[normalize-space()="Checkout Links"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/dashboard/links") })
	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//button[normalize-space()="New Link"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.Contains(u, "/dashboard/links/new") })

	// Two products, the second of the list moved first with its up arrow (in
	// place: the page does not reload, what was typed stays).
	pickedNames := `Array.from(document.querySelectorAll("input[name=product]:checked")).map(function(e){return e.labels[0].innerText})`
	browsertest.Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#label"), "Spring newsletter"),
		chromedp.Click(chromedp.Search(`//label[normalize-space()="Starter Kit"]`)),
		chromedp.Click(chromedp.Search(`//label[normalize-space()="Pro Plan"]`)))
	if got := browsertest.Eval[[]string](t, ctx, pickedNames); strings.Join(got, ",") != "Starter Kit,Pro Plan" {
		t.Fatalf("the list starts as %v", got)
	}
	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//li[label[normalize-space()="Pro Plan"]]//button[@data-move="up"]`)))
	if got := browsertest.Eval[[]string](t, ctx, pickedNames); strings.Join(got, ",") != "Pro Plan,Starter Kit" {
		t.Fatalf("after Pro Plan's up arrow the list is %v", got)
	}
	if got := dashRead(t, ctx, chromedp.Value(chromedp.CSS("#label"))); got != "Spring newsletter" {
		t.Fatalf("moving a product lost the label: %q", got)
	}
	discount := browsertest.Eval[string](t, ctx, `(function(){var s=document.getElementById("discount_id");
		for (var i=0;i<s.options.length;i++){ if (s.options[i].text.indexOf("Launch 20% off")===0){ s.value=s.options[i].value; } }
		return s.value})()`)
	if discount == "" {
		t.Fatal("the Preset discount list has no Launch 20% off")
	}
	// Metadata: fill two rows, add a row with the button, fill it, then remove one.
	rows := `//ol[@data-meta-rows]/li`
	browsertest.Do(t, ctx,
		chromedp.SendKeys(chromedp.Search(rows+`[1]//input[@name="meta_key"]`), "campaign"),
		chromedp.SendKeys(chromedp.Search(rows+`[1]//input[@name="meta_value"]`), "spring"),
		chromedp.SendKeys(chromedp.Search(rows+`[2]//input[@name="meta_key"]`), "temporary"),
		chromedp.SendKeys(chromedp.Search(rows+`[2]//input[@name="meta_value"]`), "remove me"),
		chromedp.Click(chromedp.Search(`//button[normalize-space()="Add row"]`)))
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("[data-meta-rows] > li").length`); n != 4 {
		t.Fatalf("after Add row there are %d metadata rows, want 4", n)
	}
	browsertest.Do(t, ctx,
		chromedp.SendKeys(chromedp.Search(rows+`[4]//input[@name="meta_key"]`), "channel"),
		chromedp.SendKeys(chromedp.Search(rows+`[4]//input[@name="meta_value"]`), "newsletter"),
		chromedp.Click(chromedp.Search(rows+`[2]//button`)))
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("[data-meta-rows] > li").length`); n != 3 {
		t.Fatalf("after Remove there are %d metadata rows, want 3", n)
	}
	browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.CSS("#success_url"), "https://example.com/thanks?c={CHECKOUT_ID}"))
	browsertest.Screenshot(t, ctx, "dashboard-new-link")
	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//div[@class="form-actions"]/button[normalize-space()="Save"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/dashboard/links?done=link-created") })
	if got := browsertest.Text(t, ctx, ".notice"); got != "Checkout link created." {
		t.Fatalf("notice %q", got)
	}

	// The new link's card: products in the chosen order, and its URL.
	card := `//li[contains(@class,"link-card")][.//h2[normalize-space()="Spring newsletter"]]`
	products := dashRead(t, ctx, chromedp.Text(chromedp.Search(card+`//p[@class="link-products"]`)))
	url := dashRead(t, ctx, chromedp.Value(chromedp.Search(card+`//input[contains(@class,"link-url")]`)))
	if want := "Products: Pro Plan · Starter Kit"; strings.Join(strings.Fields(products), " ") != want {
		t.Errorf("card products %q, want %q", products, want)
	}
	if !strings.HasPrefix(url, in.URL+"/buy/pl_cl_") {
		t.Fatalf("card URL %q, want %s/buy/pl_cl_…", url, in.URL)
	}
	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(card+`//button[contains(@class,"copy")]`)),
		chromedp.WaitVisible(chromedp.Search(card+`//button[@data-copied]`)))
	copied := browsertest.Eval[string](t, ctx, `document.querySelector("button[data-copied]").getAttribute("data-copied")`)
	if copied != url {
		t.Errorf("Copy copied %q, want the link's URL %q", copied, url)
	}
	if got := browsertest.Eval[string](t, ctx, `document.querySelector("button[data-copied]").firstChild.nodeValue`); got != "Copied" {
		t.Errorf("the Copy button says %q after a click, want Copied", got)
	}
	browsertest.Screenshot(t, ctx, "dashboard-links")

	// On a phone the list still fits: nothing scrolls sideways.
	browsertest.Viewport(t, ctx, 375, 812, true)
	browsertest.Do(t, ctx, chromedp.Reload())
	if w := browsertest.Eval[int](t, ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); w > 0 {
		t.Errorf("the links page scrolls %dpx sideways at 375px", w)
	}
	browsertest.Screenshot(t, ctx, "dashboard-links-375")
	browsertest.Viewport(t, ctx, browsertest.Width, browsertest.Height, false)

	// Its edit form shows what was saved, products checked in their order.
	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(card+`//a[starts-with(normalize-space(),"Edit")]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool {
		return strings.Contains(u, "/dashboard/links/") && !strings.HasSuffix(u, "/links")
	})
	if got := dashRead(t, ctx, chromedp.Value(chromedp.CSS("#label"))); got != "Spring newsletter" {
		t.Errorf("edit form label %q", got)
	}
	checked := browsertest.Eval[[]string](t, ctx, pickedNames)
	if strings.Join(checked, ",") != "Pro Plan,Starter Kit" {
		t.Errorf("edit form products %v, want Pro Plan then Starter Kit", checked)
	}
	browsertest.Screenshot(t, ctx, "dashboard-edit-link")

	// The API sees exactly what the form said.
	var list struct {
		Items []struct {
			Label      string         `json:"label"`
			DiscountID string         `json:"discount_id"`
			SuccessURL string         `json:"success_url"`
			Metadata   map[string]any `json:"metadata"`
			Products   []struct {
				Name string `json:"name"`
			} `json:"products"`
			URL string `json:"url"`
		} `json:"items"`
	}
	in.Must(t, "GET", "/v1/checkout-links/?limit=100", in.Token, nil, 200, &list)
	found := false
	for _, l := range list.Items {
		if l.Label != "Spring newsletter" {
			continue
		}
		found = true
		if len(l.Products) != 2 || l.Products[0].Name != "Pro Plan" || l.Products[1].Name != "Starter Kit" {
			t.Errorf("API products %+v, want Pro Plan then Starter Kit", l.Products)
		}
		if l.DiscountID != discount || l.URL != url || l.SuccessURL != "https://example.com/thanks?c={CHECKOUT_ID}" {
			t.Errorf("API link discount %q url %q success %q; want %q %q", l.DiscountID, l.URL, l.SuccessURL, discount, url)
		}
		if len(l.Metadata) != 2 || l.Metadata["campaign"] != "spring" || l.Metadata["channel"] != "newsletter" {
			t.Errorf("API metadata %v, want campaign=spring channel=newsletter", l.Metadata)
		}
	}
	if !found {
		t.Fatalf("the API does not list the new link: %+v", list.Items)
	}
	// The copied URL works: a visit opens a checkout.
	resp, err := in.Client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "/checkout/pl_c_") {
		t.Fatalf("visit of the copied URL: %d to %q", resp.StatusCode, loc)
	}
}

// buy runs a purchase through the API: the checkout's client secret, confirmed
// with the sandbox's test card token.
func dashBuy(t *testing.T, in *paylinktest.Instance, secret, email, name string) {
	t.Helper()
	var out struct {
		Status string `json:"status"`
	}
	in.Must(t, "POST", "/v1/checkouts/client/"+secret+"/confirm", "", map[string]any{
		"confirmation_token_id": "tok_visa", "customer_email": email, "customer_name": name,
		"customer_billing_address": map[string]any{"country": "GB"}}, 200, &out)
	if out.Status != "succeeded" && out.Status != "confirmed" {
		t.Fatalf("confirm: status %q", out.Status)
	}
}

// TestBrowserMerchantSeesOrders is browser test 3 of issue 4: after purchases
// through the API, the merchant sees the orders and their metadata.
func TestBrowserMerchantSeesOrders(t *testing.T) {
	ctx := browsertest.New(t)
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	var products struct {
		Items []struct{ ID, Name string } `json:"items"`
	}
	in.Must(t, "GET", "/v1/products/?limit=100", in.Token, nil, 200, &products)
	ids := map[string]string{}
	for _, p := range products.Items {
		ids[p.Name] = p.ID
	}
	// A one-time purchase of a checkout made through the API, with metadata.
	var created struct {
		ClientSecret string `json:"client_secret"`
	}
	in.Must(t, "POST", "/v1/checkouts/", in.Token, map[string]any{"products": []string{ids["Starter Kit"]},
		"metadata": map[string]any{"order_ref": "A-1001", "priority": true}}, 201, &created)
	dashBuy(t, in, created.ClientSecret, "ada@example.com", "Ada Lovelace")
	// A subscription bought through the demo link, whose metadata travels with it.
	resp, err := in.Client.Get(in.LinkURL + "?product_id=" + ids["Pro Plan"] + "&utm_source=newsletter")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	_, secret, ok := strings.Cut(loc, "/checkout/")
	if !ok {
		t.Fatalf("link visit: %d to %q", resp.StatusCode, loc)
	}
	secret, _, _ = strings.Cut(secret, "?")
	dashBuy(t, in, secret, "grace@example.com", "Grace Hopper")

	dashSignInBrowser(t, ctx, in)
	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//nav[@aria-label="Dashboard"]//a[normalize-space()="Orders"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/dashboard/orders") })
	row := func(email string) string {
		return browsertest.Eval[string](t, ctx, `(function(){var rows=document.querySelectorAll("tbody tr");
			for (var i=0;i<rows.length;i++){ if (rows[i].innerText.indexOf(`+"`"+email+"`"+`)>=0) return rows[i].innerText.replace(/\s+/g," ") }
			return ""})()`)
	}
	ada := row("ada@example.com")
	for _, want := range []string{"Ada Lovelace", "Starter Kit", "$29.00", "Purchase", "order_ref", "A-1001", "priority", "true"} {
		if !strings.Contains(ada, want) {
			t.Errorf("the orders page row of ada@example.com lacks %q: %q", want, ada)
		}
	}
	grace := row("grace@example.com")
	for _, want := range []string{"Pro Plan", "$9.00", "New subscription", "Demo: homepage", "source", "demo", "utm_source", "newsletter"} {
		if !strings.Contains(grace, want) {
			t.Errorf("the orders page row of grace@example.com lacks %q: %q", want, grace)
		}
	}
	browsertest.Screenshot(t, ctx, "dashboard-orders")

	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//nav[@aria-label="Dashboard"]//a[normalize-space()="Subscriptions"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/dashboard/subscriptions") })
	if sub := row("grace@example.com"); !strings.Contains(strings.ToLower(sub), "active") || !strings.Contains(sub, "utm_source") {
		t.Errorf("the subscriptions page row of grace@example.com: %q", sub)
	}
	browsertest.Screenshot(t, ctx, "dashboard-subscriptions")

	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//nav[@aria-label="Dashboard"]//a[normalize-space()="Checkout Links"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/dashboard/links") })
	stats := browsertest.Text(t, ctx, ".link-card .stats")
	if got := strings.ToLower(strings.Join(strings.Fields(stats), " ")); got != "visits 1 sessions 1 orders 1" {
		t.Errorf("demo link stats %q, want one visit, one session, one order", got)
	}
	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//nav[@aria-label="Dashboard"]//a[normalize-space()="Checkouts"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/dashboard/checkouts") })
	browsertest.Screenshot(t, ctx, "dashboard-checkouts")

	// A product form sent incomplete comes back with its errors, which take the focus.
	browsertest.Do(t, ctx, chromedp.Navigate(in.URL+"/dashboard/products/new"),
		chromedp.WaitVisible(chromedp.CSS("#name")),
		chromedp.SendKeys(chromedp.CSS("#amount"), "12.345"),
		chromedp.Click(chromedp.Search(`//div[@class="form-actions"]/button[normalize-space()="Save"]`)),
		chromedp.WaitVisible(chromedp.CSS("#form-errors")))
	if id := browsertest.Eval[string](t, ctx, `document.activeElement.id`); id != "form-errors" {
		t.Errorf("after a rejected form the focus is on %q, want the error summary", id)
	}
	if got := browsertest.Text(t, ctx, "#amount-error"); !strings.Contains(got, "2 decimals") {
		t.Errorf("amount error %q", got)
	}
	browsertest.Screenshot(t, ctx, "dashboard-product-errors")

	for _, page := range []string{"Discounts", "Custom fields", "Customers", "API tokens"} {
		browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//nav[@aria-label="Dashboard"]//a[normalize-space()="`+page+`"]`)))
		browsertest.WaitURL(t, ctx, func(string) bool { return browsertest.Text(t, ctx, "h1") == page })
		browsertest.Screenshot(t, ctx, "dashboard-"+strings.ReplaceAll(strings.ToLower(page), " ", "-"))
	}
}
