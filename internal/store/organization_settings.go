package store

import (
	"context"
	"strings"
	"time"

	"github.com/paylink/paylink"
)

// OrganizationGetForUpdate is OrganizationGet that also locks the organization
// until the transaction ends (PostgreSQL; SQLite transactions are serialized):
// changes to the team take it so that two of them cannot both pass a check
// ("not the last member") that only one may.
func (tx *Tx) OrganizationGetForUpdate(ctx context.Context, id string) (*paylink.Organization, error) {
	o, err := scanOrg(tx.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organizations WHERE id = $1`+
		tx.Engine().ForUpdate(false), id))
	return o, notFound(err, "organization")
}

// OrganizationSettingsUpdate replaces an organization's settings (its name and
// embed hosts among them) and sets modified_at; ENotFound when there is no such
// organization. The caller validates.
func (tx *Tx) OrganizationSettingsUpdate(ctx context.Context, id string, s paylink.OrganizationSettings, at time.Time) error {
	tx.memoForget("organization")
	res, err := tx.ExecContext(ctx, `UPDATE organizations SET name = $1, support_email = $2, terms_url = $3,
		privacy_url = $4, embed_hosts = $5, modified_at = $6 WHERE id = $7`, s.Name, s.SupportEmail, s.TermsURL, s.PrivacyURL,
		strings.Join(s.EmbedHosts, " "), at, id)
	return affectedOne(res, err, "organization")
}

// OrganizationEmbedHostsUpdate replaces the origins allowed to frame the
// organization's checkout page and sets modified_at; ENotFound when there is no
// such organization. The caller normalizes (paylink.NormalizeEmbedHosts).
func (tx *Tx) OrganizationEmbedHostsUpdate(ctx context.Context, id string, hosts []string, at time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE organizations SET embed_hosts = $1, modified_at = $2 WHERE id = $3`,
		strings.Join(hosts, " "), at, id)
	return affectedOne(res, err, "organization")
}
