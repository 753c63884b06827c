package paylink

import "time"

// Custom field types.
const (
	FieldText     = "text"
	FieldNumber   = "number"
	FieldDate     = "date"
	FieldCheckbox = "checkbox"
	FieldSelect   = "select"
)

// CustomField is a merchant-defined checkout field; Slug is its key in custom_field_data.
type CustomField struct {
	ID             string
	OrganizationID string
	Type           string
	Slug           string // ^[a-z0-9-_]+$, unique per organization
	Name           string
	Properties     CustomFieldProperties
	Metadata       Metadata
	CreatedAt      time.Time
	ModifiedAt     *time.Time
}

// CustomFieldProperties are the type-specific settings, stored as JSON.
type CustomFieldProperties struct {
	FormLabel       *string        `json:"form_label,omitempty"`
	FormHelpText    *string        `json:"form_help_text,omitempty"`
	FormPlaceholder *string        `json:"form_placeholder,omitempty"`
	Textarea        *bool          `json:"textarea,omitempty"`   // text
	MinLength       *int           `json:"min_length,omitempty"` // text
	MaxLength       *int           `json:"max_length,omitempty"` // text
	GE              *int64         `json:"ge,omitempty"`         // number; date as unix seconds
	LE              *int64         `json:"le,omitempty"`         // number; date as unix seconds
	Options         []SelectOption `json:"options,omitempty"`    // select
}

// SelectOption is one choice of a select field.
type SelectOption struct {
	Value string `json:"value"`
	Label string `json:"label"`
}
