package checkoutpage

import (
	"context"
	"html/template"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/web"
)

// deliveredView is one benefit on the success page: a note, rendered from its
// Markdown, or a license key to copy.
type deliveredView struct {
	Description string
	Note        template.HTML
	Key         string
	Expires     string
}

// delivered lists what the order delivers, for the success page. Without a
// benefits service (tests of the page alone) or an order, nothing.
func (w *Page) delivered(ctx context.Context, o *paylink.Order) ([]deliveredView, error) {
	if w.Benefits == nil || o == nil {
		return nil, nil
	}
	ds, err := w.Benefits.OfOrder(ctx, o)
	if err != nil {
		return nil, err
	}
	out := make([]deliveredView, 0, len(ds))
	for _, d := range ds {
		v := deliveredView{Description: d.Benefit.Description}
		switch {
		case d.Key != nil:
			v.Key = d.Key.Key
			if d.Key.ExpiresAt != nil {
				v.Expires = d.Key.ExpiresAt.Format("2 January 2006")
			}
		case d.Benefit.Type == paylink.BenefitCustom:
			if note, ok := d.Benefit.Properties["note"].(string); ok {
				v.Note = web.NoteHTML(note)
			}
		}
		out = append(out, v)
	}
	return out, nil
}
