// Package account holds the use cases of an organization's own account: its
// settings (what the shop tells customers) and its team of dashboard users.
// Each write runs in its own transaction here, whoever calls it: the dashboard,
// the CLI or the demo seed.
package account

import (
	"context"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/mail"
	"github.com/paylink/paylink/internal/store"
)

// Service runs the account use cases on a store.
type Service struct {
	Store *store.Store
	Now   paylink.Clock // nil: paylink.Now
	Mail  *mail.Service // the emailed sign-in link; nil sends none
}

// UpdateSettings replaces the organization's settings (every one: embed hosts
// left nil are cleared; start from Organization.Settings) after trimming and
// validating them (OrganizationSettings.Validate: EInvalid with a field error
// per bad field) and returns the organization as saved. ENotFound for an
// unknown organization.
func (s *Service) UpdateSettings(ctx context.Context, orgID string, in paylink.OrganizationSettings) (*paylink.Organization, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var org *paylink.Organization
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.OrganizationSettingsUpdate(ctx, orgID, in, paylink.Now()); err != nil {
			return err
		}
		var err error
		org, err = tx.OrganizationGet(ctx, orgID)
		return err
	})
	return org, err
}

// UpdateEmbedHosts replaces the origins allowed to embed the organization's
// checkout (paylink.NormalizeEmbedHosts: EInvalid at ("body", "embed_hosts", i)
// for a bad one) and returns the organization as saved. ENotFound for an
// unknown organization.
func (s *Service) UpdateEmbedHosts(ctx context.Context, orgID string, hosts []string) (*paylink.Organization, error) {
	hosts, err := paylink.NormalizeEmbedHosts(hosts)
	if err != nil {
		return nil, err
	}
	var org *paylink.Organization
	err = s.Store.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.OrganizationEmbedHostsUpdate(ctx, orgID, hosts, paylink.Clock(s.Now).Read()); err != nil {
			return err
		}
		var err error
		org, err = tx.OrganizationGet(ctx, orgID)
		return err
	})
	return org, err
}
