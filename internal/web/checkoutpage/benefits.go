package checkoutpage

import (
	"context"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/web"
)

// delivered lists what the order delivers, for the success page: notes, keys
// and files with fresh download links. Without a benefits service (tests of the
// page alone) or an order, nothing.
func (w *Page) delivered(ctx context.Context, o *paylink.Order) ([]web.DeliveredView, error) {
	if w.Benefits == nil || o == nil {
		return nil, nil
	}
	ds, err := w.Benefits.OfOrder(ctx, o)
	if err != nil {
		return nil, err
	}
	return web.Delivered(ds), nil
}
