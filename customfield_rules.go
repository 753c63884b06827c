package paylink

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Custom field limits. Number bounds are 32-bit like Polar's; date bounds are unix
// seconds within the years 1–9999.
const (
	CustomFieldSlugMaxLen = 100
	CustomFieldNameMaxLen = 256
	CustomFieldMaxOptions = 1000
	dateBoundMin          = -62135596800 // 0001-01-01T00:00:00Z
	dateBoundMax          = 253402300799 // 9999-12-31T23:59:59Z
)

var customFieldSlugRe = regexp.MustCompile(`^[a-z0-9-_]+$`)

// CustomFieldParams is a custom field create request before validation.
type CustomFieldParams struct {
	Type       string
	Slug       string
	Name       string
	Properties CustomFieldProperties
	Metadata   map[string]any
}

// NewCustomField validates a create request and returns the field of orgID it
// describes: slug lower-cased, name trimmed, properties reduced to the type's own.
// Errors are EInvalid, located under "body".
func NewCustomField(orgID string, in CustomFieldParams) (*CustomField, error) {
	var p Problems
	f := &CustomField{OrganizationID: orgID, Type: in.Type}
	if !validFieldType(in.Type) {
		p.Add("must be one of text, number, date, checkbox or select", in.Type, "body", "type")
	}
	f.Slug = validateFieldSlug(in.Slug, &p)
	f.Name = validateFieldName(in.Name, &p)
	if validFieldType(in.Type) {
		props, err := ValidateCustomFieldProperties(in.Type, in.Properties, "body", "properties")
		p.mergeInvalid(err)
		f.Properties = props
	}
	md, err := ParseMetadata(in.Metadata, "body", "metadata")
	p.mergeInvalid(err)
	f.Metadata = md
	if err := p.Err(); err != nil {
		return nil, err
	}
	return f, nil
}

// CustomFieldPatch is a custom field update request before validation. Type is
// required (it selects the schema, as in Polar) and must be the field's type.
type CustomFieldPatch struct {
	Type       string
	Slug       *string
	Name       *string
	Properties *CustomFieldProperties // replaces all properties when set
	Metadata   map[string]any         // replaces the metadata when non-nil
}

// Apply validates pt against f and returns the updated copy; f is not modified.
func (pt CustomFieldPatch) Apply(f *CustomField) (*CustomField, error) {
	var p Problems
	out := *f
	if pt.Type != f.Type {
		p.Add(fmt.Sprintf("the type of a custom field can't be changed (it is %s)", f.Type), pt.Type, "body", "type")
	}
	if pt.Slug != nil {
		out.Slug = validateFieldSlug(*pt.Slug, &p)
	}
	if pt.Name != nil {
		out.Name = validateFieldName(*pt.Name, &p)
	}
	if pt.Properties != nil {
		props, err := ValidateCustomFieldProperties(f.Type, *pt.Properties, "body", "properties")
		p.mergeInvalid(err)
		out.Properties = props
	}
	if pt.Metadata != nil {
		md, err := ParseMetadata(pt.Metadata, "body", "metadata")
		p.mergeInvalid(err)
		out.Metadata = md
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return &out, nil
}

func validFieldType(t string) bool {
	switch t {
	case FieldText, FieldNumber, FieldDate, FieldCheckbox, FieldSelect:
		return true
	}
	return false
}

func validateFieldSlug(s string, p *Problems) string {
	s = strings.ToLower(s)
	switch {
	case len(s) < 1 || len(s) > CustomFieldSlugMaxLen:
		p.Add(fmt.Sprintf("must be 1 to %d characters", CustomFieldSlugMaxLen), s, "body", "slug")
	case !customFieldSlugRe.MatchString(s):
		p.Add("may contain only letters a-z, digits, hyphens and underscores", s, "body", "slug")
	}
	return s
}

func validateFieldName(s string, p *Problems) string {
	s = strings.TrimSpace(s)
	if n := utf8.RuneCountInString(s); n < 1 || n > CustomFieldNameMaxLen {
		p.Add(fmt.Sprintf("must be 1 to %d characters", CustomFieldNameMaxLen), s, "body", "name")
	}
	return s
}

// ValidateCustomFieldProperties checks the properties of a field of type typ and
// returns them keeping only the settings that type has; blank form texts are
// dropped. Errors are EInvalid, located under loc.
func ValidateCustomFieldProperties(typ string, in CustomFieldProperties, loc ...any) (CustomFieldProperties, error) {
	at := func(path ...any) []any { return append(append([]any{}, loc...), path...) }
	var p Problems
	out := CustomFieldProperties{
		FormLabel: nonBlank(in.FormLabel), FormHelpText: nonBlank(in.FormHelpText), FormPlaceholder: nonBlank(in.FormPlaceholder),
	}
	bounds := func(ge, le *int64, min, max int64) {
		for _, b := range []struct {
			name string
			v    *int64
		}{{"ge", ge}, {"le", le}} {
			if b.v != nil && (*b.v < min || *b.v > max) {
				p.Add(fmt.Sprintf("must be from %d to %d", min, max), *b.v, at(b.name)...)
			}
		}
		if ge != nil && le != nil && *ge > *le {
			p.Add("must be greater than or equal to ge", *le, at("le")...)
		}
		out.GE, out.LE = copyInt64(ge), copyInt64(le)
	}
	switch typ {
	case FieldText:
		for _, l := range []struct {
			name string
			v    *int
		}{{"min_length", in.MinLength}, {"max_length", in.MaxLength}} {
			if l.v != nil && (*l.v < 0 || *l.v > math.MaxInt32) {
				p.Add(fmt.Sprintf("must be from 0 to %d", math.MaxInt32), *l.v, at(l.name)...)
			}
		}
		if in.MinLength != nil && in.MaxLength != nil && *in.MinLength > *in.MaxLength {
			p.Add("must be greater than or equal to min_length", *in.MaxLength, at("max_length")...)
		}
		out.Textarea, out.MinLength, out.MaxLength = in.Textarea, in.MinLength, in.MaxLength
	case FieldNumber:
		bounds(in.GE, in.LE, math.MinInt32, math.MaxInt32)
	case FieldDate:
		bounds(in.GE, in.LE, dateBoundMin, dateBoundMax)
	case FieldSelect:
		out.Options = validateOptions(in.Options, at("options"), &p)
	}
	if err := p.Err(); err != nil {
		return CustomFieldProperties{}, err
	}
	return out, nil
}

func validateOptions(in []SelectOption, loc []any, p *Problems) []SelectOption {
	at := func(path ...any) []any { return append(append([]any{}, loc...), path...) }
	if len(in) < 1 || len(in) > CustomFieldMaxOptions {
		p.Add(fmt.Sprintf("a select field needs 1 to %d options", CustomFieldMaxOptions), len(in), loc...)
	}
	seen := map[string]bool{}
	out := make([]SelectOption, 0, len(in))
	for i, o := range in {
		switch {
		case strings.TrimSpace(o.Value) == "":
			p.Add("must not be empty", o.Value, at(i, "value")...)
		case seen[o.Value]:
			p.Add("another option already has this value", o.Value, at(i, "value")...)
		}
		if strings.TrimSpace(o.Label) == "" {
			p.Add("must not be empty", o.Label, at(i, "label")...)
		}
		seen[o.Value] = true
		out = append(out, o)
	}
	return out
}

func nonBlank(s *string) *string {
	if s == nil || strings.TrimSpace(*s) == "" {
		return nil
	}
	c := *s
	return &c
}
