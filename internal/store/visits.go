package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"github.com/paylink/paylink"
)

// Visit is one link visit for VisitsCreate: its session and the checkout.created
// event recorded with it.
type Visit struct {
	Checkout *paylink.Checkout // CheckoutLinkID set; ID, ClientSecret and CreatedAt filled in
	// The link as the visit saw it: the session is written only if the link still
	// belongs to the checkout's organization, has this secret and this
	// modified_at, and is usable (active, not deleted, not expired, not sold out)
	// when the batch commits.
	LinkSecret     string
	LinkModifiedAt *time.Time
	EventID        string
	// Payload is the event's JSON, or nil when the caller believed no endpoint of
	// the organization subscribes to checkout.created. The event is recorded
	// only when an enabled endpoint subscribes to it as the batch commits: an
	// event nobody subscribes to would never be read (an endpoint receives only
	// what happens after it subscribes), and writing it was a fifth of the
	// SQLite writer's work per visit.
	Payload []byte

	row []any // the session's column values (Encode)
}

// Encode fills in the session's defaults and renders its column values (JSON
// included) ahead of VisitsCreate: call it in the visitor's goroutine, so the work
// runs in parallel instead of in the single writer's turn.
func (v *Visit) Encode() {
	checkoutDefaults(v.Checkout)
	if v.EventID == "" {
		v.EventID = paylink.NewID()
	}
	v.row = checkoutRow(v.Checkout)
}

// VisitsResult tells what VisitsCreate wrote.
type VisitsResult struct {
	// Written[i] is false when visit i's link changed or became unusable since the
	// visit read it: that visit's session was not written.
	Written []bool
	// Subscribed tells, for each organization of the batch, whether an enabled
	// endpoint subscribes to checkout.created, as the transaction saw it.
	Subscribed map[string]bool
}

// NeedPayloadsError is returned by VisitsCreate, which wrote nothing, when some
// visits lack a payload but their organization has a subscribed endpoint: render
// the payloads of those organizations' visits and call again.
type NeedPayloadsError struct{ Organizations []string }

func (e *NeedPayloadsError) Error() string {
	return "store: checkout.created has subscribers; payloads are needed for " + strings.Join(e.Organizations, ", ")
}

// linkUsableAt is the condition, on checkout_links l, that a visit's session may
// be written under: the link is usable at the time the SQL expression now names.
func linkUsableAt(now string) string {
	return `l.active AND l.deleted_at IS NULL AND (l.expires_at IS NULL OR l.expires_at > ` + now + `)
	AND (l.max_completions IS NULL OR l.completions_count < l.max_completions)`
}

// VisitsCreate writes the sessions of a batch of link visits together with their
// checkout.created events (for organizations with a subscribed endpoint), atomically: on PostgreSQL as ONE statement (a single
// round trip, an implicit transaction), on SQLite in one transaction of the
// single writer. The visits are checked against the link's current row in the
// same statement or transaction, so a 303 never points at a session of a link
// that was deactivated, rotated, deleted, edited or sold out meanwhile.
//
// In the same statement or transaction it adds the counts (visits that opened
// no session) to link_visit_counts as their kind says (visit_counts.go); a
// visit that opened a session is counted by its session.
func (s *Store) VisitsCreate(ctx context.Context, vs []*Visit, counts ...VisitCount) (VisitsResult, error) {
	for _, v := range vs {
		if v.row == nil {
			v.Encode()
		}
	}
	return s.Engine.visitsCreate(ctx, s, vs, counts)
}

func appendOnce(s []string, v string) []string {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

func sameInstant(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// scanPayload reads events.payload, NULL or "" meaning none.
type scanPayload struct{ p *[]byte }

func (s scanPayload) Scan(v any) error {
	var ns sql.NullString
	if err := ns.Scan(v); err != nil {
		return err
	}
	if ns.Valid && ns.String != "" {
		*s.p = []byte(ns.String)
	} else {
		*s.p = nil
	}
	return nil
}
