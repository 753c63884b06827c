package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/paylink/paylink"
)

// Rollups and row counters (migration 0026): sums of raw rows, kept exact by
// the store functions that write those rows. A write adds its deltas to its
// transaction (Tx.counts); InTx adds them to their rows just before it commits,
// one upsert per counter row, in a fixed order (so concurrent transactions lock
// counter rows in one order), in a shard the engine picks (Engine.counterShard).
// Doing it last keeps the counter rows' locks for the commit only, not for the
// whole confirm. The PostgreSQL visit statement counts its sessions itself.
// link_breakdown_rollups is the exception: a periodic fold adds each closed
// slot's sessions, and the writers keep only the changes of folded slots
// (breakdown_fold.go, foldedBreakdown).

// BreakdownKeys are the metadata keys the rollups break sessions down by.
var BreakdownKeys = []string{"utm_source", "utm_medium", "utm_campaign", "reference_id"}

// DaySeconds is the width of link_breakdown_rollups' day buckets (UTC days).
const DaySeconds = 86400

// Spans of link_breakdown_rollups: every session is in one bucket of each.
// The hours, months and blocks (migration 0036) let LinkBreakdown read any
// range as a few buckets, some subtracted (breakdown_cover.go).
const (
	spanSlot  = 0 // bucket = SlotOf
	spanDay   = 1 // bucket = unix seconds / DaySeconds
	spanHour  = 2 // bucket = unix seconds / 3600
	spanMonth = 3 // bucket = UTC months since January 1970
	spanBlock = 4 // bucket = month × 4 + the month's days 1–8, 9–16, 17–24 or 25 on (0–3)
)

// breakdownSpans are the spans a session is counted in.
var breakdownSpans = []int{spanSlot, spanDay, spanHour, spanMonth, spanBlock}

type slotKey struct {
	link string
	slot int64
}

type slotDelta struct{ sessions, confirmed, succeeded int64 }

type moneyKey struct {
	link     string
	slot     int64
	currency string
}

type moneyDelta struct{ revenue, refunded int64 }

type breakdownKey struct {
	link, key string
	span      int
	bucket    int64
	present   bool
	value     string
	currency  string
	slot      int64 // the session's slot: flushCounts keeps the deltas of folded slots only, then zeroes it
}

type breakdownDelta struct{ sessions, succeeded, revenue int64 }

type orgSlotKey struct {
	org  string
	slot int64
}

type orgSlotDelta struct{ sessions, succeeded int64 }

type orderKey struct {
	org              string
	slot             int64
	currency, reason string
}

type orderDelta struct{ orders, revenue, refunded int64 }

// counts are a transaction's deltas.
type counts struct {
	orgSlots  map[orgSlotKey]*orgSlotDelta
	orders    map[orderKey]*orderDelta
	slots     map[slotKey]*slotDelta
	money     map[moneyKey]*moneyDelta
	breakdown map[breakdownKey]*breakdownDelta
	created   []createdSession // new link sessions: foldedBreakdown counts those of folded slots
	rows      map[string]int64
	folding   bool // breakdown is a fold's (slot zero): add it as it is
}

// createdSession is a new link session as it was inserted, for the breakdown:
// the visit batch's sessions fall in a slot not folded yet, so their sixteen
// breakdown rows are made only for the rare one a fold has passed.
type createdSession struct {
	a    *attribution
	succ int64
}

// attribution is what the rollups need of a session: its link, when it was
// created and its values of BreakdownKeys (nil: absent).
type attribution struct {
	link    string
	created time.Time
	values  [4]*string
}

func attributionOf(c *paylink.Checkout) *attribution {
	a := &attribution{created: c.CreatedAt}
	if c.CheckoutLinkID != nil {
		a.link = *c.CheckoutLinkID
	}
	a.values = breakdownValues(c.Metadata)
	return a
}

// breakdownValues are m's values of BreakdownKeys as text, as PostgreSQL's ->>
// gives them (a string as is, anything else as JSON; JSON null as absent).
func breakdownValues(m paylink.Metadata) (out [4]*string) {
	for i, k := range BreakdownKeys {
		v, ok := m[k]
		if !ok || v == nil {
			continue
		}
		var s string
		if str, isStr := v.(string); isStr {
			s = str
		} else {
			b, _ := json.Marshal(v)
			s = string(b)
		}
		out[i] = &s
	}
	return out
}

// Row counter names.
func orgCounter(orgID, what string) string   { return "org:" + orgID + ":" + what }
func linkCounter(linkID, what string) string { return "link:" + linkID + ":" + what }

func (tx *Tx) deltas() *counts {
	if tx.counts == nil {
		tx.counts = &counts{orgSlots: map[orgSlotKey]*orgSlotDelta{}, orders: map[orderKey]*orderDelta{}, slots: map[slotKey]*slotDelta{}, money: map[moneyKey]*moneyDelta{},
			breakdown: map[breakdownKey]*breakdownDelta{}, rows: map[string]int64{}}
	}
	return tx.counts
}

func (c *counts) orgSlot(org string, created time.Time) *orgSlotDelta {
	k := orgSlotKey{org, SlotOf(created)}
	d := c.orgSlots[k]
	if d == nil {
		d = &orgSlotDelta{}
		c.orgSlots[k] = d
	}
	return d
}

// countOrderMoney adds to the organization's order rollups (by the order's
// creation, currency and billing reason).
func (tx *Tx) countOrderMoney(o *paylink.Order, created time.Time, orders, revenue, refunded int64) {
	c := tx.deltas()
	k := orderKey{o.OrganizationID, SlotOf(created), o.Currency, o.BillingReason}
	d := c.orders[k]
	if d == nil {
		d = &orderDelta{}
		c.orders[k] = d
	}
	d.orders += orders
	d.revenue += revenue
	d.refunded += refunded
}

func (c *counts) slot(a *attribution) *slotDelta {
	k := slotKey{a.link, SlotOf(a.created)}
	d := c.slots[k]
	if d == nil {
		d = &slotDelta{}
		c.slots[k] = d
	}
	return d
}

// eachBreakdown calls fn with the breakdown row of every key and span of a's
// session in currency ("" for its sessions and succeeded).
func (c *counts) eachBreakdown(a *attribution, values [4]*string, currency string, fn func(*breakdownDelta)) {
	slot := SlotOf(a.created)
	for i, key := range BreakdownKeys {
		for _, span := range breakdownSpans {
			k := breakdownKey{link: a.link, key: key, span: span, bucket: bucketOf(span, slot), currency: currency, slot: slot}
			if v := values[i]; v != nil {
				k.present, k.value = true, *v
			}
			d := c.breakdown[k]
			if d == nil {
				d = &breakdownDelta{}
				c.breakdown[k] = d
			}
			fn(d)
		}
	}
}

// countedStatuses are the statuses whose sessions have row counters of their
// own (org:{id}:checkouts:{status} and link:{id}:sessions:{status}, migration
// 0039): every status but open, the one a visit writes, so that the visit
// writes no counter for it; the open sessions are the total less these.
var countedStatuses = []string{paylink.CheckoutConfirmed, paylink.CheckoutExpired, paylink.CheckoutFailed, paylink.CheckoutSucceeded}

// countStatus moves one session of the organization (and of its link, if not
// "") from status from to status to ("" for none: a new session).
func (tx *Tx) countStatus(org, link, from, to string) {
	if from == to {
		return
	}
	d := tx.deltas()
	for _, x := range [2]struct {
		status string
		n      int64
	}{{from, -1}, {to, 1}} {
		if x.status == "" || x.status == paylink.CheckoutOpen {
			continue
		}
		d.rows[orgCounter(org, "checkouts:"+x.status)] += x.n
		if link != "" {
			d.rows[linkCounter(link, "sessions:"+x.status)] += x.n
		}
	}
}

// countCreated counts new sessions: the organization's, and a link's in its
// rollups (as it was inserted: succeeded when created so, never confirmed,
// since an insert leaves confirmed_at NULL).
func (tx *Tx) countCreated(cs []*paylink.Checkout) {
	c := tx.deltas()
	for _, ch := range cs {
		c.rows[orgCounter(ch.OrganizationID, "checkouts")]++
		if ch.Status != paylink.CheckoutOpen {
			link := ""
			if ch.CheckoutLinkID != nil {
				link = *ch.CheckoutLinkID
			}
			tx.countStatus(ch.OrganizationID, link, "", ch.Status)
		}
		succ := b2i(ch.Status == paylink.CheckoutSucceeded)
		o := c.orgSlot(ch.OrganizationID, ch.CreatedAt)
		o.sessions++
		o.succeeded += succ
		if ch.CheckoutLinkID == nil {
			continue
		}
		a := attributionOf(ch)
		c.rows[linkCounter(a.link, "sessions")]++
		s := c.slot(a)
		s.sessions++
		s.succeeded += succ
		c.created = append(c.created, createdSession{a, succ})
	}
}

// countSaved counts what CheckoutSave changed of a link's session: from its
// status from to c.Status, first confirmed or not, from the values of old
// (the session as its lock read it) to c's.
func (tx *Tx) countSaved(ctx context.Context, old *attribution, c *paylink.Checkout, from string, firstConfirm bool) error {
	tx.countStatus(c.OrganizationID, old.link, from, c.Status)
	d := tx.deltas()
	nu := attributionOf(c)
	nu.link, nu.created = old.link, old.created
	wasSucc, isSucc := b2i(from == paylink.CheckoutSucceeded), b2i(c.Status == paylink.CheckoutSucceeded)
	if isSucc != wasSucc {
		d.orgSlot(c.OrganizationID, old.created).succeeded += isSucc - wasSucc
	}
	if old.link == "" {
		return nil
	}
	s := d.slot(old)
	s.succeeded += isSucc - wasSucc
	s.confirmed += b2i(firstConfirm)
	if old.values == nu.values || sameValues(old.values, nu.values) {
		if isSucc != wasSucc {
			d.eachBreakdown(old, old.values, "", func(b *breakdownDelta) { b.succeeded += isSucc - wasSucc })
		}
	} else {
		// The attribution changed (the metadata was updated): move the session,
		// and its order's money, from the old values' rows to the new ones'.
		d.eachBreakdown(old, old.values, "", func(b *breakdownDelta) { b.sessions--; b.succeeded -= wasSucc })
		d.eachBreakdown(old, nu.values, "", func(b *breakdownDelta) { b.sessions++; b.succeeded += isSucc })
		var net int64
		var cur string
		err := tx.QueryRowContext(ctx, `SELECT net_amount, currency FROM orders WHERE checkout_id = $1`, c.ID).Scan(&net, &cur)
		if err == nil {
			d.eachBreakdown(old, old.values, cur, func(b *breakdownDelta) { b.revenue -= net })
			d.eachBreakdown(old, nu.values, cur, func(b *breakdownDelta) { b.revenue += net })
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	old.values = nu.values
	return nil
}

func sameValues(a, b [4]*string) bool {
	for i := range a {
		if (a[i] == nil) != (b[i] == nil) || (a[i] != nil && *a[i] != *b[i]) {
			return false
		}
	}
	return true
}

// countMoney adds an order's net amount (revenue) and refunds to the rollups of
// the link session a.
func (tx *Tx) countMoney(a *attribution, currency string, revenue, refunded int64) {
	d := tx.deltas()
	k := moneyKey{a.link, SlotOf(a.created), currency}
	m := d.money[k]
	if m == nil {
		m = &moneyDelta{}
		d.money[k] = m
	}
	m.revenue += revenue
	m.refunded += refunded
	if revenue != 0 {
		d.eachBreakdown(a, a.values, currency, func(b *breakdownDelta) { b.revenue += revenue })
	}
}

// sessionAttribution is the attribution of the session id: as this
// transaction's lock read it, or else read now. nil: no such session.
func (tx *Tx) sessionAttribution(ctx context.Context, id string) (*attribution, error) {
	if a := tx.seen[id]; a != nil {
		return a, nil
	}
	var link sql.NullString
	var created time.Time
	var meta string
	err := tx.QueryRowContext(ctx, `SELECT checkout_link_id, created_at, metadata FROM checkouts WHERE id = $1`, id).
		Scan(&link, &created, &meta)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	m, err := parseMetadata(meta)
	if err != nil {
		return nil, err
	}
	a := &attribution{link: link.String, created: created, values: breakdownValues(m)}
	tx.remember(id, a)
	return a, nil
}

// remember keeps a locked session's attribution for the transaction's later
// writes (CheckoutSave, OrderCreate), so they need not read it again.
func (tx *Tx) remember(id string, a *attribution) {
	if tx.seen == nil {
		tx.seen = map[string]*attribution{}
	}
	tx.seen[id] = a
}

func (tx *Tx) rememberCheckout(c *paylink.Checkout, err error) {
	if err == nil && c != nil {
		tx.remember(c.ID, attributionOf(c))
	}
}

// Counter upserts, the same text on both engines; the engine's insertRows
// sends them (SQLite: one prepared single-row statement per row; PostgreSQL:
// multi-row statements, the rows in key order).
var (
	orgRollupUpsert = newUpsert("org_rollups", "organization_id, slot, shard, sessions, succeeded",
		`ON CONFLICT (organization_id, slot, shard) DO UPDATE SET sessions = org_rollups.sessions + excluded.sessions,
	succeeded = org_rollups.succeeded + excluded.succeeded`)
	orgOrderRollupUpsert = newUpsert("org_order_rollups", "organization_id, slot, currency, billing_reason, shard, orders, revenue, refunded",
		`ON CONFLICT (organization_id, slot, currency, billing_reason, shard) DO UPDATE SET
	orders = org_order_rollups.orders + excluded.orders, revenue = org_order_rollups.revenue + excluded.revenue,
	refunded = org_order_rollups.refunded + excluded.refunded`)
	linkRollupUpsert = newUpsert("link_rollups", "checkout_link_id, slot, shard, sessions, confirmed, succeeded",
		`ON CONFLICT (checkout_link_id, slot, shard) DO UPDATE SET sessions = link_rollups.sessions + excluded.sessions,
	confirmed = link_rollups.confirmed + excluded.confirmed, succeeded = link_rollups.succeeded + excluded.succeeded`)
	moneyRollupUpsert = newUpsert("link_money_rollups", "checkout_link_id, slot, currency, shard, revenue, refunded",
		`ON CONFLICT (checkout_link_id, slot, currency, shard) DO UPDATE SET
	revenue = link_money_rollups.revenue + excluded.revenue, refunded = link_money_rollups.refunded + excluded.refunded`)
	breakdownRollupUpsert = newUpsert("link_breakdown_rollups",
		"checkout_link_id, key, span, bucket, present, value, currency, shard, sessions, succeeded, revenue",
		`ON CONFLICT (checkout_link_id, key, span, bucket, present, value, currency, shard) DO UPDATE SET
	sessions = link_breakdown_rollups.sessions + excluded.sessions, succeeded = link_breakdown_rollups.succeeded + excluded.succeeded,
	revenue = link_breakdown_rollups.revenue + excluded.revenue`)
	rowCountUpsert = newUpsert("row_counts", "name, shard, n", `ON CONFLICT (name, shard) DO UPDATE SET n = row_counts.n + excluded.n`)
)

// counterStatements are prepared once per store (Store.prepareCounters).
var counterStatements = []string{orgRollupUpsert.row, orgOrderRollupUpsert.row, linkRollupUpsert.row, moneyRollupUpsert.row,
	breakdownRollupUpsert.row, rowCountUpsert.row}

// flushCounts adds the transaction's deltas to their rows.
func (tx *Tx) flushCounts(ctx context.Context) error {
	c := tx.counts
	if c == nil {
		return nil
	}
	tx.counts = nil
	inFlight := tx.store.flushing.Add(1) - 1
	defer tx.store.flushing.Add(-1)
	shard := tx.Engine().counterShard(int(inFlight))
	var (
		rows    [][]any
		batches []insertBatch // the upserts that need no breakdown marker, sent together
	)
	batch := func(ins insert) {
		if len(rows) > 0 {
			batches = append(batches, insertBatch{ins, rows})
			rows = nil
		}
	}
	upsert := func(ins insert) error {
		err := tx.insertRows(ctx, ins, rows)
		rows = rows[:0]
		return err
	}
	for _, k := range sortedKeys(c.orgSlots, func(a, b orgSlotKey) int {
		return cmp.Or(strings.Compare(a.org, b.org), cmp.Compare(a.slot, b.slot))
	}) {
		if d := c.orgSlots[k]; *d != (orgSlotDelta{}) {
			rows = append(rows, []any{k.org, k.slot, shard, d.sessions, d.succeeded})
		}
	}
	batch(orgRollupUpsert)
	for _, k := range sortedKeys(c.orders, func(a, b orderKey) int {
		return cmp.Or(strings.Compare(a.org, b.org), cmp.Compare(a.slot, b.slot), strings.Compare(a.currency, b.currency),
			strings.Compare(a.reason, b.reason))
	}) {
		if d := c.orders[k]; *d != (orderDelta{}) {
			rows = append(rows, []any{k.org, k.slot, k.currency, k.reason, shard, d.orders, d.revenue, d.refunded})
		}
	}
	batch(orgOrderRollupUpsert)
	for _, k := range sortedKeys(c.slots, func(a, b slotKey) int {
		return cmp.Or(strings.Compare(a.link, b.link), cmp.Compare(a.slot, b.slot))
	}) {
		if d := c.slots[k]; *d != (slotDelta{}) {
			rows = append(rows, []any{k.link, k.slot, shard, d.sessions, d.confirmed, d.succeeded})
		}
	}
	batch(linkRollupUpsert)
	for _, k := range sortedKeys(c.money, func(a, b moneyKey) int {
		return cmp.Or(strings.Compare(a.link, b.link), cmp.Compare(a.slot, b.slot), strings.Compare(a.currency, b.currency))
	}) {
		if d := c.money[k]; *d != (moneyDelta{}) {
			rows = append(rows, []any{k.link, k.slot, k.currency, shard, d.revenue, d.refunded})
		}
	}
	batch(moneyRollupUpsert)
	for _, n := range sortedKeys(c.rows, strings.Compare) {
		if c.rows[n] != 0 {
			rows = append(rows, []any{n, shard, c.rows[n]})
		}
	}
	batch(rowCountUpsert)
	if err := tx.Engine().insertBatches(ctx, tx, batches); err != nil {
		return err
	}
	breakdown, err := tx.foldedBreakdown(ctx, c)
	if err != nil {
		return err
	}
	for _, k := range sortedKeys(breakdown, func(a, b breakdownKey) int {
		return cmp.Or(strings.Compare(a.link, b.link), strings.Compare(a.key, b.key), cmp.Compare(a.span, b.span),
			cmp.Compare(a.bucket, b.bucket), cmp.Compare(b2i(a.present), b2i(b.present)), strings.Compare(a.value, b.value),
			strings.Compare(a.currency, b.currency))
	}) {
		if d := breakdown[k]; *d != (breakdownDelta{}) {
			rows = append(rows, []any{k.link, k.key, k.span, k.bucket, k.present, k.value, k.currency, shard,
				d.sessions, d.succeeded, d.revenue})
		}
	}
	return upsert(breakdownRollupUpsert)
}

// foldedBreakdown is c's breakdown deltas of the slots already folded
// (BreakdownFold), summed per row: a slot not yet folded is counted by its fold,
// from the rows as this transaction leaves them. The marker's lock (shared)
// orders this transaction and a fold: a fold that moved the marker past a slot
// committed before the lock was granted (and this transaction counts the slot's
// change itself), or it waits for this commit (and reads the change).
func (tx *Tx) foldedBreakdown(ctx context.Context, c *counts) (map[breakdownKey]*breakdownDelta, error) {
	if c.folding || len(c.breakdown) == 0 && len(c.created) == 0 {
		return c.breakdown, nil
	}
	var marker int64
	if err := tx.QueryRowContext(ctx, `SELECT slot FROM breakdown_fold WHERE id = 1`+tx.Engine().forShare()).Scan(&marker); err != nil {
		return nil, err
	}
	for _, cs := range c.created {
		if SlotOf(cs.a.created) < marker {
			c.eachBreakdown(cs.a, cs.a.values, "", func(d *breakdownDelta) { d.sessions++; d.succeeded += cs.succ })
		}
	}
	folded := &counts{breakdown: map[breakdownKey]*breakdownDelta{}}
	for k, d := range c.breakdown {
		if k.slot >= marker {
			continue
		}
		k.slot = 0
		folded.addBreakdown(k, *d)
	}
	return folded.breakdown, nil
}

func sortedKeys[K comparable, V any](m map[K]V, less func(a, b K) int) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.SortFunc(out, less)
	return out
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// RowCount is the counter name's count (0 for one never counted).
func (tx *Tx) rowCount(ctx context.Context, name string) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT coalesce(sum(n), 0) FROM row_counts WHERE name = $1`, name).Scan(&n)
	return n, err
}

// countVisits adds a tally of visits without a session to its link's totals
// (the dashboard's list; link_visit_counts has them by slot).
func (tx *Tx) countVisits(t visitTally) {
	d := tx.deltas()
	d.rows[linkCounter(t.link, "visits")] += t.visits
	d.rows[linkCounter(t.link, "bots")] += t.bots
}

// orgOrLinkCount is the organization's counter what, or, with a link, the
// link's counter linkWhat: 0 for a link that is not the organization's (a
// list filtered by another organization's link is empty, and its count must
// not tell that link's traffic).
func (tx *Tx) orgOrLinkCount(ctx context.Context, orgID, what, linkID, linkWhat string) (int, error) {
	if linkID == "" {
		return tx.rowCount(ctx, orgCounter(orgID, what))
	}
	return tx.orgOrLinkSum(ctx, orgID, linkID, []string{linkCounter(linkID, linkWhat)}, nil)
}

// checkoutStatusCount is the count of the organization's sessions (with a
// link, the link's) in any of statuses, from the counters: the counted
// statuses' own, or, with open among them, the total less the counted statuses
// not among them.
func (tx *Tx) checkoutStatusCount(ctx context.Context, orgID, linkID string, statuses []string) (int, error) {
	name := func(what string) string {
		if linkID == "" {
			return orgCounter(orgID, "checkouts"+what)
		}
		return linkCounter(linkID, "sessions"+what)
	}
	var plus, minus []string
	if slices.Contains(statuses, paylink.CheckoutOpen) {
		plus = []string{name("")}
		for _, st := range countedStatuses {
			if !slices.Contains(statuses, st) {
				minus = append(minus, name(":"+st))
			}
		}
	} else {
		for _, st := range countedStatuses { // each once, however often it is asked for
			if slices.Contains(statuses, st) {
				plus = append(plus, name(":"+st))
			}
		}
	}
	return tx.orgOrLinkSum(ctx, orgID, linkID, plus, minus)
}

// orgOrLinkSum is the sum of the counters plus less the counters minus; with a
// link, 0 unless the link is the organization's (orgOrLinkCount).
func (tx *Tx) orgOrLinkSum(ctx context.Context, orgID, linkID string, plus, minus []string) (int, error) {
	if len(plus) == 0 {
		return 0, nil
	}
	var args Args
	sum := `coalesce(sum(r.n), 0)`
	in := args.In(plus)
	if len(minus) > 0 {
		sum = `coalesce(sum(CASE WHEN r.name IN ` + in + ` THEN r.n ELSE -r.n END), 0)`
		in = args.In(append(slices.Clone(plus), minus...))
	}
	q := `SELECT ` + sum + ` FROM row_counts r WHERE r.name IN ` + in
	if linkID != "" {
		q = `SELECT ` + sum + ` FROM checkout_links l JOIN row_counts r ON r.name IN ` + in +
			` WHERE l.id = ` + args.Add(linkID) + ` AND l.organization_id = ` + args.Add(orgID)
	}
	var n int
	err := tx.QueryRowContext(ctx, q, args...).Scan(&n)
	return n, err
}
