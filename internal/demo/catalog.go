package demo

import (
	"context"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

func init() {
	seeders = append(seeders, seedCatalog)
}

func ptr[T any](v T) *T { return &v }

// seedCatalog creates a product of each price kind (one-time and recurring), a
// custom field, a discount with a code and a checkout link offering three of them.
func seedCatalog(ctx context.Context, tx *store.Tx, org *paylink.Organization, publicURL string, res *Result) error {
	field := &paylink.CustomField{OrganizationID: org.ID, Type: paylink.FieldText, Slug: "company", Name: "Company",
		Properties: paylink.CustomFieldProperties{FormLabel: ptr("Company"), MaxLength: ptr(120),
			FormHelpText: ptr("Printed on your invoice.")}}
	if err := tx.CustomFieldCreate(ctx, field); err != nil {
		return err
	}
	month := paylink.IntervalMonth
	products := []*paylink.Product{
		{Name: "Starter Kit", Description: ptr("A one-time download with every template."),
			Prices:       []*paylink.Price{{AmountType: paylink.PriceFixed, Currency: "usd", PriceAmount: 2900}},
			CustomFields: []paylink.ProductCustomField{{CustomFieldID: field.ID, Required: false, Order: 0, CustomField: field}}},
		{Name: "Pro Plan", Description: ptr("Everything, billed monthly."),
			RecurringInterval: &month, RecurringIntervalCount: ptr(1),
			Prices: []*paylink.Price{{AmountType: paylink.PriceFixed, Currency: "usd", PriceAmount: 900}}},
		{Name: "Tip Jar", Description: ptr("Pay what you want, from $2."),
			Prices: []*paylink.Price{{AmountType: paylink.PriceCustom, Currency: "usd", MinimumAmount: 200,
				MaximumAmount: ptr(int64(50000)), PresetAmount: ptr(int64(500))}}},
		{Name: "Free Sampler", Description: ptr("Three free templates."),
			Prices: []*paylink.Price{{AmountType: paylink.PriceFree, Currency: "usd"}}},
	}
	for _, p := range products {
		p.OrganizationID = org.ID
		p.Metadata = paylink.Metadata{}
		if err := tx.ProductCreate(ctx, p); err != nil {
			return err
		}
	}
	discount := &paylink.Discount{OrganizationID: org.ID, Name: "Launch 20% off", Type: paylink.DiscountPercentage,
		BasisPoints: 2000, Duration: paylink.DurationOnce, Code: ptr("LAUNCH20"), Metadata: paylink.Metadata{}}
	if err := tx.DiscountCreate(ctx, discount); err != nil {
		return err
	}
	link := &paylink.CheckoutLink{OrganizationID: org.ID, Label: ptr("Demo: homepage"),
		ProductIDs:         []string{products[0].ID, products[1].ID, products[2].ID},
		AllowDiscountCodes: true, Active: true, Metadata: paylink.Metadata{"source": "demo"}}
	if err := tx.CheckoutLinkCreate(ctx, link); err != nil {
		return err
	}
	res.LinkURL = publicURL + "/buy/" + link.ClientSecret
	return nil
}
