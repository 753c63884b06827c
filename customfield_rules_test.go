package paylink

import (
	"reflect"
	"strings"
	"testing"
)

func TestNewCustomField(t *testing.T) {
	f, err := NewCustomField("org", CustomFieldParams{
		Type: "text", Slug: "Company-Name_2", Name: "  Company ",
		Properties: CustomFieldProperties{FormLabel: catPtr("Company"), FormHelpText: catPtr("  "), Textarea: catPtr(true),
			MinLength: catPtr(2), MaxLength: catPtr(50), GE: catPtr[int64](3), Options: []SelectOption{{"a", "A"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := CustomFieldProperties{FormLabel: catPtr("Company"), Textarea: catPtr(true), MinLength: catPtr(2), MaxLength: catPtr(50)}
	if f.Slug != "company-name_2" || f.Name != "Company" || f.OrganizationID != "org" || !reflect.DeepEqual(f.Properties, want) {
		t.Fatalf("field: %+v props %+v", f, f.Properties)
	}
	sel, err := NewCustomField("org", CustomFieldParams{Type: "select", Slug: "size", Name: "Size",
		Properties: CustomFieldProperties{Options: []SelectOption{{"s", "Small"}, {"m", "Medium"}}, MinLength: catPtr(1)}})
	if err != nil || len(sel.Properties.Options) != 2 || sel.Properties.MinLength != nil {
		t.Fatalf("select: %+v %v", sel, err)
	}
	for _, typ := range []string{"number", "date", "checkbox"} {
		if _, err := NewCustomField("org", CustomFieldParams{Type: typ, Slug: typ, Name: typ}); err != nil {
			t.Errorf("%s without properties: %v", typ, err)
		}
	}

	bad := []struct {
		name string
		in   CustomFieldParams
		locs []string
	}{
		{"bad type", CustomFieldParams{Type: "file", Slug: "a", Name: "A"}, []string{"[body type]"}},
		{"empty slug", CustomFieldParams{Type: "text", Slug: "", Name: "A"}, []string{"[body slug]"}},
		{"slug with space", CustomFieldParams{Type: "text", Slug: "a b", Name: "A"}, []string{"[body slug]"}},
		{"slug with accent", CustomFieldParams{Type: "text", Slug: "café", Name: "A"}, []string{"[body slug]"}},
		{"long slug", CustomFieldParams{Type: "text", Slug: strings.Repeat("a", 101), Name: "A"}, []string{"[body slug]"}},
		{"blank name", CustomFieldParams{Type: "text", Slug: "a", Name: "  "}, []string{"[body name]"}},
		{"text min > max", CustomFieldParams{Type: "text", Slug: "a", Name: "A",
			Properties: CustomFieldProperties{MinLength: catPtr(5), MaxLength: catPtr(4)}}, []string{"[body properties max_length]"}},
		{"text negative", CustomFieldParams{Type: "text", Slug: "a", Name: "A",
			Properties: CustomFieldProperties{MinLength: catPtr(-1)}}, []string{"[body properties min_length]"}},
		{"number ge > le", CustomFieldParams{Type: "number", Slug: "a", Name: "A",
			Properties: CustomFieldProperties{GE: catPtr[int64](10), LE: catPtr[int64](1)}}, []string{"[body properties le]"}},
		{"number beyond int32", CustomFieldParams{Type: "number", Slug: "a", Name: "A",
			Properties: CustomFieldProperties{LE: catPtr[int64](1 << 40)}}, []string{"[body properties le]"}},
		{"date ge > le", CustomFieldParams{Type: "date", Slug: "a", Name: "A",
			Properties: CustomFieldProperties{GE: catPtr[int64](1700000000), LE: catPtr[int64](1600000000)}}, []string{"[body properties le]"}},
		{"select no options", CustomFieldParams{Type: "select", Slug: "a", Name: "A"}, []string{"[body properties options]"}},
		{"select empty value", CustomFieldParams{Type: "select", Slug: "a", Name: "A",
			Properties: CustomFieldProperties{Options: []SelectOption{{"", "A"}}}}, []string{"[body properties options 0 value]"}},
		{"select empty label", CustomFieldParams{Type: "select", Slug: "a", Name: "A",
			Properties: CustomFieldProperties{Options: []SelectOption{{"a", " "}}}}, []string{"[body properties options 0 label]"}},
		{"select duplicate", CustomFieldParams{Type: "select", Slug: "a", Name: "A",
			Properties: CustomFieldProperties{Options: []SelectOption{{"a", "A"}, {"a", "B"}}}}, []string{"[body properties options 1 value]"}},
		{"bad metadata", CustomFieldParams{Type: "checkbox", Slug: "a", Name: "A", Metadata: map[string]any{"": "x"}}, []string{"[body metadata ]"}},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewCustomField("org", c.in)
			if locs := catLocs(t, err); !reflect.DeepEqual(locs, c.locs) {
				t.Fatalf("locations %v, want %v", locs, c.locs)
			}
		})
	}
}

func TestCustomFieldPatch(t *testing.T) {
	f := &CustomField{ID: NewID(), Type: FieldNumber, Slug: "age", Name: "Age",
		Properties: CustomFieldProperties{GE: catPtr[int64](18)}, Metadata: Metadata{"k": "v"}}
	got, err := CustomFieldPatch{Type: "number", Slug: catPtr("Years"), Properties: &CustomFieldProperties{LE: catPtr[int64](120)}}.Apply(f)
	if err != nil {
		t.Fatal(err)
	}
	if got.Slug != "years" || got.Name != "Age" || got.Properties.GE != nil || *got.Properties.LE != 120 || got.Metadata["k"] != "v" {
		t.Fatalf("patched: %+v", got)
	}
	if f.Slug != "age" || f.Properties.GE == nil {
		t.Fatalf("Apply modified its input: %+v", f)
	}
	if _, err := (CustomFieldPatch{Type: "text"}).Apply(f); !reflect.DeepEqual(catLocs(t, err), []string{"[body type]"}) {
		t.Fatalf("type change: %v", err)
	}
	if _, err := (CustomFieldPatch{Type: "number", Name: catPtr("")}).Apply(f); !reflect.DeepEqual(catLocs(t, err), []string{"[body name]"}) {
		t.Fatalf("blank name: %v", err)
	}
}
