package dashboard

import "github.com/paylink/paylink"

// Each dashboard form's one mapping from the location of an API rule's message
// to the form's input and the label the person reads next to it (see
// formFields in forms.go). A location is written as in a 422 after
// "body", without list indexes: ["body","prices",0,"minimum_amount"] is
// "prices.minimum_amount". A form that shows rules' messages gets a table here.

// productField is the product form (new and edit).
var productField = formFields{
	{"name", "name", "Name"},
	{"description", "description", "Description"},
	{"medias", "medias", "Images"},
	{"medias.*", "medias", "Images"},
	{"recurring_interval", "interval", "Charge"},
	{"recurring_interval_count", "interval_count", "Interval count"},
	{"prices.amount_type", "amount_type", "Price"},
	{"prices.price_currency", "currency", "Currency"},
	{"prices.price_amount", "amount", "Price"},
	{"prices.minimum_amount", "minimum", "Minimum"},
	{"prices.maximum_amount", "maximum", "Maximum"},
	{"prices.preset_amount", "preset", "Suggested amount"},
	{"prices", "", "Price"},
	{"prices.*", "", "Price"},
	{"attached_custom_fields", "fields", "Custom fields at checkout"},
	{"attached_custom_fields.*", "fields", "Custom fields at checkout"},
}

// discountField is the New discount form.
var discountField = formFields{
	{"name", "name", "Name"},
	{"type", "type", "Type"},
	{"code", "code", "Code"},
	{"duration", "duration", "Applies to"},
	{"currency", "currency", "Currency"},
	{"basis_points", "percent", "Percent off"},
	{"amount", "amount", "Amount off"},
	{"amounts", "amount", "Amount off"},
	{"amounts.*", "amount", "Amount off"},
	{"duration_in_months", "months", "Months"},
	{"max_redemptions", "max_redemptions", "Max redemptions"},
	{"starts_at", "", "Starts"},
	{"ends_at", "", "Ends"},
	{"products", "products", "Products"},
	{"products.*", "products", "Products"},
}

// linkField is the checkout link form (new and edit). A metadata key's message
// goes to its row ("meta:" and the key).
var linkField = formFields{
	{"label", "label", "Label"},
	{"products", "products", "Products"},
	{"products.*", "products", "Products"},
	{"discount_id", "discount_id", "Preset discount"},
	{"allow_discount_codes", "", "Allow discount codes"},
	{"success_url", "success_url", "Success URL"},
	{"return_url", "return_url", "Return URL"},
	{"inactive_message", "inactive_message", "Inactive message"},
	{"expires_at", "expires_at", "Expiry date"},
	{"max_completions", "max_completions", "Max completions"},
	{"require_billing_address", "", "Require a billing address"},
	{"metadata", "meta", "Metadata"},
	{"metadata.*", "meta:*", "Metadata"},
}

// webhookField is the webhook endpoint form (create and edit).
var webhookField = formFields{
	{"url", "url", "URL"},
	{"name", "name", "Name"},
	{"events", "events", "Events"},
	{"events.*", "events", "Events"},
}

// refundField is the Refund form of an order's page.
var refundField = formFields{
	{"amount", "amount", "Amount"},
	{"reason", "reason", "Reason"},
	{"comment", "comment", "Comment"},
	{"order_id", "", "Order"},
}

// settingsField is the Settings form.
var settingsField = formFields{
	{"name", "name", "Shop name"},
	{"email", "email", "Support email"},
	{"terms_url", "terms_url", "Terms of service URL"},
	{"privacy_url", "privacy_url", "Privacy policy URL"},
	{"embed_hosts", "embed_hosts", "Sites that may embed the checkout"},
	{"logo", "logo", "Logo"},
}

// fieldField is the custom field form (new and edit) of a field of type typ:
// the bounds of a date field have inputs of their own.
func fieldField(typ string) formFields {
	ge, le := formField{"properties.ge", "ge", "Smallest number"}, formField{"properties.le", "le", "Largest number"}
	if typ == paylink.FieldDate {
		ge, le = formField{"properties.ge", "date_ge", "Earliest date"}, formField{"properties.le", "date_le", "Latest date"}
	}
	return formFields{
		{"name", "name", "Name"},
		{"slug", "slug", "Slug"},
		{"type", "type", "Type"},
		{"properties.form_label", "form_label", "Label"},
		{"properties.min_length", "min_length", "Minimum length"},
		{"properties.max_length", "max_length", "Maximum length"},
		ge, le,
		{"properties.options", "options", "Options"},
		{"properties.options.*", "options", "Options"},
	}
}
