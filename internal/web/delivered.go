package web

import (
	"html/template"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/benefits"
)

// DeliveredView is one benefit as the success page and the customer portal
// show it (the "delivered" partial of layout.html): a note rendered from its
// Markdown, a license key to copy, or files with their download links.
type DeliveredView struct {
	Description string
	Note        template.HTML
	Key         string
	Expires     string
	Files       []FileView
}

// FileView is a file to download: its name, readable size and a fresh signed
// link (never the file itself).
type FileView struct {
	Name, Size, URL string
}

// Delivered turns what benefits delivers into the views the pages show.
func Delivered(ds []benefits.Delivered) []DeliveredView {
	out := make([]DeliveredView, 0, len(ds))
	for _, d := range ds {
		v := DeliveredView{Description: d.Benefit.Description}
		switch {
		case d.Key != nil:
			v.Key = d.Key.Key
			if d.Key.ExpiresAt != nil {
				v.Expires = d.Key.ExpiresAt.Format("2 January 2006")
			}
		case d.Benefit.Type == paylink.BenefitCustom:
			if note, ok := d.Benefit.Properties["note"].(string); ok {
				v.Note = NoteHTML(note)
			}
		}
		for _, f := range d.Files {
			v.Files = append(v.Files, FileView{Name: f.File.Name, Size: paylink.ReadableSize(f.File.Size), URL: f.URL})
		}
		out = append(out, v)
	}
	return out
}
