package client_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/paylink/paylink/client"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
)

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// The resources the end-to-end tests do not reach, and Polar's error shape: a
// 422 names each field, a 404 is IsNotFound, a bad token a 401.
func TestClientAgainstPaylink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		ctx := t.Context()
		api := in.API(in.Token)
		_, readOnly := in.NewOrg(t, "Read Only", "organizations:read")

		_, err := api.CreateProduct(ctx, &client.ProductCreate{Name: "", Prices: []client.PriceCreate{{AmountType: "fixed", PriceAmount: -1, PriceCurrency: "usd"}}})
		var e *client.Error
		if !errors.As(err, &e) || e.StatusCode != 422 || e.Name != "RequestValidationError" ||
			e.Field("body", "prices", 0, "price_amount") == nil {
			t.Fatalf("invalid product: %#v", err)
		}
		if _, err := api.Product(ctx, "01a21296-0000-7000-8000-000000000001"); !client.IsNotFound(err) || err.(*client.Error).Name != "ResourceNotFound" {
			t.Fatalf("unknown product: %v", err)
		}
		if _, err := in.API("pl_oat_nonsense").Products(ctx, nil); client.StatusCode(err) != 401 {
			t.Fatalf("bad token: %v", err)
		}

		p := must[*client.Product](t)(api.CreateProduct(ctx, &client.ProductCreate{Name: "Mug", Metadata: client.Metadata{"sku": "m-1"},
			Prices: []client.PriceCreate{{AmountType: "fixed", PriceAmount: 1200, PriceCurrency: "eur"}}}))
		if len(p.Prices) != 1 || p.Prices[0].PriceAmount != 1200 || p.Prices[0].PriceCurrency != "eur" || p.Metadata["sku"] != "m-1" {
			t.Fatalf("product: %+v", p)
		}
		p = must[*client.Product](t)(api.UpdateProduct(ctx, p.ID, &client.ProductUpdate{Name: new("Big mug")}))
		if p.Name != "Big mug" {
			t.Fatalf("renamed: %q", p.Name)
		}
		if err := api.ArchiveProduct(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		if !must[*client.Product](t)(api.Product(ctx, p.ID)).IsArchived {
			t.Fatal("DELETE did not archive the product")
		}

		d := must[*client.Discount](t)(api.CreateDiscount(ctx, &client.DiscountCreate{Name: "Five", Type: "fixed", Amount: 500, Currency: "usd", Duration: "once", Code: "FIVE"}))
		d = must[*client.Discount](t)(api.UpdateDiscount(ctx, d.ID, &client.DiscountUpdate{MaxRedemptions: new(3)}))
		if d.Amount != 500 || deref(d.MaxRedemptions) != 3 || deref(d.Code) != "FIVE" {
			t.Fatalf("discount: %+v", d)
		}
		if err := api.DeleteDiscount(ctx, d.ID); err != nil {
			t.Fatal(err)
		}

		c := must[*client.Customer](t)(api.CreateCustomer(ctx, &client.CustomerCreate{Email: "user@example.com", ExternalID: new("user_1")}))
		if _, err := api.CreateCustomer(ctx, &client.CustomerCreate{Email: "other@example.com", ExternalID: new("user_1")}); client.StatusCode(err) != 422 ||
			err.(*client.Error).Field("body", "external_id") == nil {
			t.Fatalf("a taken external id: %v", err)
		}
		c = must[*client.Customer](t)(api.UpdateCustomer(ctx, c.ID, &client.CustomerUpdate{Name: new("Uma")}))
		if got := must[*client.Customer](t)(api.CustomerByExternalID(ctx, "user_1")); got.ID != c.ID || deref(got.Name) != "Uma" || got.AvatarURL == "" {
			t.Fatalf("by external id: %+v", got)
		}
		if st := must[*client.CustomerState](t)(api.CustomerStateByExternalID(ctx, "user_1")); st.ID != c.ID || len(st.ActiveSubscriptions) != 0 {
			t.Fatalf("state: %+v", st)
		}
		sess := must[*client.CustomerSession](t)(api.CreateCustomerSession(ctx, &client.CustomerSessionCreate{ExternalCustomerID: new("user_1")}))
		if sess.CustomerID != c.ID || sess.Token == "" || sess.CustomerPortalURL == "" {
			t.Fatalf("session: %+v", sess)
		}
		if err := api.DeleteCustomer(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := api.CustomerByExternalID(ctx, "user_1"); !client.IsNotFound(err) {
			t.Fatalf("deleted customer: %v", err)
		}

		ep := must[*client.WebhookEndpoint](t)(api.CreateWebhookEndpoint(ctx, &client.WebhookEndpointCreate{URL: "https://hooks.example/p", Events: []string{"order.paid"}}))
		ep2 := must[*client.WebhookEndpoint](t)(api.ResetWebhookEndpointSecret(ctx, ep.ID))
		if ep.Format != "raw" || ep.Secret == "" || ep2.Secret == ep.Secret {
			t.Fatalf("endpoint secrets: %q then %q (format %q)", ep.Secret, ep2.Secret, ep.Format)
		}
		ep = must[*client.WebhookEndpoint](t)(api.UpdateWebhookEndpoint(ctx, ep.ID, &client.WebhookEndpointUpdate{Events: []string{"order.paid", "order.refunded"}}))
		if len(ep.Events) != 2 {
			t.Fatalf("events: %v", ep.Events)
		}
		if err := api.DeleteWebhookEndpoint(ctx, ep.ID); err != nil {
			t.Fatal(err)
		}
		if n := must[*client.List[client.WebhookEndpoint]](t)(api.WebhookEndpoints(ctx, nil)).Pagination.TotalCount; n != 0 {
			t.Fatalf("%d endpoints after the delete", n)
		}

		content := bytes.Repeat([]byte("paylink "), 800_000) // 6.4 MB: two parts
		f := must[*client.File](t)(api.UploadFile(ctx, &client.FileUpload{Name: "manual.txt", MimeType: "text/plain",
			Service: "downloadable", Content: content}))
		if !f.IsUploaded || f.Size != int64(len(content)) || f.Name != "manual.txt" {
			t.Fatalf("uploaded file: %+v", f)
		}
		if files := must[*client.List[client.File]](t)(api.Files(ctx, nil)); len(files.Items) != 1 || files.Items[0].ID != f.ID {
			t.Fatalf("files: %+v", files.Items)
		}

		// The origins allowed to embed the checkout, and a session's embed origin.
		org := must[*client.Organization](t)(api.UpdateOrganization(ctx, in.OrgID, &client.OrganizationUpdate{
			EmbedHosts: []string{"https://Shop.example/", "http://127.0.0.1:5000", "https://shop.example"}}))
		if len(org.EmbedHosts) != 2 || org.EmbedHosts[0] != "https://shop.example" || org.EmbedHosts[1] != "http://127.0.0.1:5000" {
			t.Fatalf("embed hosts: %v", org.EmbedHosts)
		}
		if got := must[*client.List[client.Organization]](t)(api.Organizations(ctx, nil)).Items[0].EmbedHosts; len(got) != 2 {
			t.Fatalf("embed hosts read back: %v", got)
		}
		// A PATCH without embed_hosts leaves them as they are.
		var kept client.Organization
		if err := api.Do(ctx, "PATCH", "/v1/organizations/"+in.OrgID, nil, map[string]any{}, &kept); err != nil || len(kept.EmbedHosts) != 2 {
			t.Fatalf("an empty PATCH: %v %v", err, kept.EmbedHosts)
		}
		_, err = api.UpdateOrganization(ctx, in.OrgID, &client.OrganizationUpdate{EmbedHosts: []string{"https://ok.example", "https://shop.example/path"}})
		if !errors.As(err, &e) || e.Field("body", "embed_hosts", 1) == nil {
			t.Fatalf("a bad embed host: %v", err)
		}
		if err := api.Do(ctx, "PATCH", "/v1/organizations/"+in.OrgID, nil, map[string]any{"name": "Renamed"}, nil); client.StatusCode(err) != 422 {
			t.Fatalf("renaming through the API: %v", err)
		}
		if _, err := in.API(readOnly).UpdateOrganization(ctx, in.OrgID, &client.OrganizationUpdate{}); client.StatusCode(err) != 403 {
			t.Fatalf("without organizations:write: %v", err)
		}
		plan := must[*client.Product](t)(api.CreateProduct(ctx, &client.ProductCreate{Name: "Embedded", Prices: []client.PriceCreate{{AmountType: "free"}}}))
		co := must[*client.Checkout](t)(api.CreateCheckout(ctx, &client.CheckoutCreate{Products: []string{plan.ID}, EmbedOrigin: new("https://Shop.example")}))
		if deref(co.EmbedOrigin) != "https://shop.example" || deref(must[*client.Checkout](t)(in.API("").ClientCheckout(ctx, co.ClientSecret)).EmbedOrigin) != "https://shop.example" {
			t.Fatalf("embed origin: %v", co.EmbedOrigin)
		}
		if _, err := api.CreateCheckout(ctx, &client.CheckoutCreate{Products: []string{plan.ID}, EmbedOrigin: new("https://shop.example/page")}); !errors.As(err, &e) ||
			e.Field("body", "embed_origin") == nil {
			t.Fatalf("a bad embed origin: %v", err)
		}

		// A list pages as asked, and a filter narrows it.
		for _, name := range []string{"Batch Alpha", "Batch Beta", "Batch Gamma"} {
			must[*client.Product](t)(api.CreateProduct(ctx, &client.ProductCreate{Name: name, Metadata: nil,
				Prices: []client.PriceCreate{{AmountType: "free"}}}))
		}
		page := must[*client.List[client.Product]](t)(api.Products(ctx, &client.ListOptions{Limit: 2, Page: 2, Filter: map[string][]string{"query": {"batch"}}}))
		if page.Pagination.TotalCount != 3 || page.Pagination.MaxPage != 2 || len(page.Items) != 1 {
			t.Fatalf("page 2 of 2: %+v", page.Pagination)
		}
	})
}

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
