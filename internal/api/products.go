package api

import (
	"net/http"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// productBody is the body of POST and PATCH /v1/products (Polar's ProductCreate
// and ProductUpdate). Fields of features paylink does not have are read only to
// answer a clear 422 when a request asks for them.
type productBody struct {
	Name                   *string        `json:"name"`
	Description            Opt[string]    `json:"description"`
	RecurringInterval      Opt[string]    `json:"recurring_interval"`
	RecurringIntervalCount Opt[int]       `json:"recurring_interval_count"`
	IsArchived             *bool          `json:"is_archived"`
	Prices                 *[]priceBody   `json:"prices"`
	AttachedCustomFields   *[]attachBody  `json:"attached_custom_fields"`
	Metadata               map[string]any `json:"metadata"`
	OrganizationID         Opt[string]    `json:"organization_id"`
	Visibility             *string        `json:"visibility"`
	Medias                 *[]string      `json:"medias"`
	TrialInterval          *string        `json:"trial_interval"`
	TrialIntervalCount     *int           `json:"trial_interval_count"`
	MeterInterval          *string        `json:"meter_interval"`
	MeterIntervalCount     *int           `json:"meter_interval_count"`
	Benefits               *[]any         `json:"benefits"`
}

// priceBody is one of Polar's ProductPriceFixedCreate, ProductPriceCustomCreate,
// ProductPriceFreeCreate or, on update, ExistingProductPrice ({"id"}).
type priceBody struct {
	ID            *string `json:"id"`
	AmountType    *string `json:"amount_type"`
	PriceCurrency *string `json:"price_currency"`
	TaxBehavior   *string `json:"tax_behavior"`
	PriceAmount   *int64  `json:"price_amount"`
	MinimumAmount *int64  `json:"minimum_amount"`
	MaximumAmount *int64  `json:"maximum_amount"`
	PresetAmount  *int64  `json:"preset_amount"`
}

// attachBody is Polar's AttachedCustomFieldCreate.
type attachBody struct {
	CustomFieldID *string `json:"custom_field_id"`
	Required      *bool   `json:"required"`
}

// check answers 422 for what paylink does not support and for missing required
// fields, and returns the prices and attachments as the rules read them.
func (b *productBody) check(p *Principal, create bool) ([]paylink.PriceInput, []paylink.FieldAttachment, error) {
	var probs paylink.Problems
	missing := func(loc ...any) {
		probs = append(probs, paylink.FieldError{Loc: append([]any{"body"}, loc...), Msg: "Field required", Type: "missing"})
	}
	unsupported := func(what string, input any, field string) {
		probs.Add(what+" is not supported by paylink", input, "body", field)
	}
	if o := b.OrganizationID; o.Set && !o.Null && !strings.EqualFold(o.Value, p.OrgID) {
		probs.Add("an organization token can only act on its own organization", o.Value, "body", "organization_id")
	}
	if create && b.Name == nil {
		missing("name")
	}
	if create && b.Prices == nil {
		missing("prices")
	}
	if v := b.Visibility; v != nil && *v != "public" {
		unsupported("a visibility other than public", *v, "visibility")
	}
	if b.Benefits != nil && len(*b.Benefits) > 0 {
		probs.Add("set a product's benefits with POST /v1/products/{id}/benefits", *b.Benefits, "body", "benefits")
	}
	if b.TrialInterval != nil || b.TrialIntervalCount != nil {
		unsupported("a free trial", b.TrialInterval, "trial_interval")
	}
	if b.MeterInterval != nil || b.MeterIntervalCount != nil {
		unsupported("a meter interval", b.MeterInterval, "meter_interval")
	}
	var prices []paylink.PriceInput
	if b.Prices != nil {
		prices = make([]paylink.PriceInput, 0, len(*b.Prices))
		for i, pb := range *b.Prices {
			in := paylink.PriceInput{PriceAmount: pb.PriceAmount, MinimumAmount: pb.MinimumAmount,
				MaximumAmount: pb.MaximumAmount, PresetAmount: pb.PresetAmount}
			switch {
			case pb.ID != nil:
				in.ID = *pb.ID
			case pb.AmountType == nil:
				missing("prices", i, "amount_type")
			default:
				in.AmountType = *pb.AmountType
			}
			if pb.PriceCurrency != nil {
				in.Currency = *pb.PriceCurrency
			}
			if pb.TaxBehavior != nil {
				probs.Add("tax behavior is not supported by paylink: prices carry no tax", *pb.TaxBehavior, "body", "prices", i, "tax_behavior")
			}
			prices = append(prices, in)
		}
	}
	var fields []paylink.FieldAttachment
	if b.AttachedCustomFields != nil {
		fields = make([]paylink.FieldAttachment, 0, len(*b.AttachedCustomFields))
		for i, ab := range *b.AttachedCustomFields {
			if ab.CustomFieldID == nil {
				missing("attached_custom_fields", i, "custom_field_id")
			}
			if ab.Required == nil {
				missing("attached_custom_fields", i, "required")
			}
			if ab.CustomFieldID != nil && ab.Required != nil {
				fields = append(fields, paylink.FieldAttachment{CustomFieldID: *ab.CustomFieldID, Required: *ab.Required})
			}
		}
	}
	return prices, fields, probs.Err()
}

func (a *API) productCreate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var b productBody
	if err := Decode(r, &b); err != nil {
		return err
	}
	prices, fields, err := b.check(p, true)
	if err != nil {
		return err
	}
	in := paylink.ProductParams{Name: *b.Name, Description: b.Description.Ptr(), RecurringInterval: b.RecurringInterval.Ptr(),
		RecurringIntervalCount: b.RecurringIntervalCount.Ptr(), Prices: prices, Metadata: b.Metadata, CustomFields: fields,
		Medias: b.medias()}
	prod, err := a.Catalog.ProductCreate(r.Context(), p.OrgID, in)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusCreated, ProductJSON(a.PublicURL, prod))
	return nil
}

func (a *API) productGet(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "product")
	if err != nil {
		return err
	}
	var prod *paylink.Product
	if err := a.read(r.Context(), func(tx *store.Tx) error {
		prod, err = tx.ProductGet(r.Context(), p.OrgID, id)
		return err
	}); err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, ProductJSON(a.PublicURL, prod))
	return nil
}

func (a *API) productUpdate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "product")
	if err != nil {
		return err
	}
	var b productBody
	if err := Decode(r, &b); err != nil {
		return err
	}
	prices, fields, err := b.check(p, false)
	if err != nil {
		return err
	}
	patch := paylink.ProductPatch{Name: b.Name, SetDescription: b.Description.Set, Description: b.Description.Ptr(),
		SetRecurringInterval: b.RecurringInterval.Set, RecurringInterval: b.RecurringInterval.Ptr(),
		RecurringIntervalCount: b.RecurringIntervalCount.Ptr(), IsArchived: b.IsArchived,
		Prices: prices, Metadata: b.Metadata, CustomFields: fields, Medias: b.medias()}
	prod, err := a.Catalog.ProductUpdate(r.Context(), p.OrgID, id, patch, "")
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, ProductJSON(a.PublicURL, prod))
	return nil
}

// medias is the body's medias: nil when absent or null (unchanged), else the
// file ids, [] clearing them.
func (b *productBody) medias() []string {
	if b.Medias == nil {
		return nil
	}
	return append([]string{}, *b.Medias...)
}

// productDelete answers SDK 1.x's DELETE /v1/products/{id} by archiving the
// product: paylink keeps every product for the orders, subscriptions, links and
// discounts that name it (is_deletable is false), and an archived product is
// what Polar leaves of one in use. 204, as Polar answers a delete.
func (a *API) productDelete(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "product")
	if err != nil {
		return err
	}
	if _, err := a.Catalog.ProductArchive(r.Context(), p.OrgID, id, true); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
