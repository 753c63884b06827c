package checkout

import (
	"context"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// Mailer queues the customers' emails in the flow's transaction, so an email
// exists exactly when the change that causes it commits. internal/mail
// implements it.
type Mailer interface {
	// Receipt queues the receipt of a paid order, a first purchase or a renewal.
	Receipt(ctx context.Context, tx *store.Tx, o *paylink.Order) error
}

// receipt queues the order's receipt in tx, when the service has a mailer.
func (s *Service) receipt(ctx context.Context, tx *store.Tx, o *paylink.Order) error {
	if s.Mail == nil {
		return nil
	}
	return s.Mail.Receipt(ctx, tx, o)
}
