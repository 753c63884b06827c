package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// confirmTarget returns confirms of sessions of the demo link through the
// client API, each paid by the sandbox processor and completed into an order
// (a customer of its own, the payment, the order, its events and receipt).
// Before each of its turns, untimed, link visits open enough sessions for the
// turn: twice as many as the last turn confirmed, at least 1,000.
func confirmTarget(cfg Config, srv served, engine string) confirms {
	c := newClient(cfg)
	var (
		mu   sync.Mutex
		pool []string
		last atomic.Int64
		n    atomic.Int64
	)
	body := []byte(`{"confirmation_token_id":"tok_visa","customer_name":"Bench Buyer","customer_billing_address":{"country":"US"}}`)
	visit := func(ctx context.Context) (string, error) {
		u := srv.link + "?utm_source=bench&customer_email=" + url.QueryEscape(fmt.Sprintf("buyer-%d@example.com", n.Add(1)))
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) paylink-bench")
		resp, err := c.Do(req)
		if err != nil {
			return "", err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		loc := resp.Header.Get("Location")
		i := strings.LastIndex(loc, "/checkout/")
		if resp.StatusCode != http.StatusSeeOther || i < 0 {
			return "", fmt.Errorf("visit: status %d, location %q", resp.StatusCode, loc)
		}
		return loc[i+len("/checkout/"):], nil
	}
	fill := func(ctx context.Context) error {
		want := max(1000, 2*int(last.Swap(0)))
		mu.Lock()
		need := want - len(pool)
		mu.Unlock()
		if need <= 0 {
			return nil
		}
		var wg sync.WaitGroup
		var firstErr atomic.Value
		work := make(chan struct{}, need)
		for range need {
			work <- struct{}{}
		}
		close(work)
		for range cfg.Concurrency {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range work {
					secret, err := visit(ctx)
					if err != nil {
						firstErr.CompareAndSwap(nil, err)
						return
					}
					mu.Lock()
					pool = append(pool, secret)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if e := firstErr.Load(); e != nil {
			return e.(error)
		}
		return nil
	}
	confirm := func(ctx context.Context) error {
		mu.Lock()
		if len(pool) == 0 {
			mu.Unlock()
			return fmt.Errorf("no open session left")
		}
		secret := pool[len(pool)-1]
		pool = pool[:len(pool)-1]
		mu.Unlock()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.base+"/v1/checkouts/client/"+secret+"/confirm", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.Do(req)
		if err != nil {
			return err
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("confirm: status %d: %.300s", resp.StatusCode, raw)
		}
		last.Add(1)
		return nil
	}
	return confirms{target{name: engine + ": confirm → order", op: confirm, before: fill}, visit}
}

// confirms is the confirm target and the visit that opens one session for it.
type confirms struct {
	target
	visit func(ctx context.Context) (string, error)
}

// tpcbTarget is the ceiling a confirm is measured against: pgbench's TPC-B-like
// transaction (update an account, read its balance, update a teller and a
// branch, insert a history row: five statements in one transaction) on the
// same engine, through paylink's own connection settings and Store.InTx, at
// pgbench's scale 1 (1 branch, 10 tellers, 100,000 accounts), so that, as in
// pgbench, every transaction updates the one branch row.
func tpcbTarget(ctx context.Context, dbURL, engine string) (target, func(), error) {
	s, err := store.Open(ctx, dbURL)
	if err != nil {
		return target{}, nil, err
	}
	const accounts, tellers = 100000, 10
	setup := []string{
		`CREATE TABLE bench_branches (bid INTEGER PRIMARY KEY, bbalance INTEGER NOT NULL, filler CHAR(88))`,
		`CREATE TABLE bench_tellers (tid INTEGER PRIMARY KEY, bid INTEGER NOT NULL, tbalance INTEGER NOT NULL, filler CHAR(84))`,
		`CREATE TABLE bench_accounts (aid INTEGER PRIMARY KEY, bid INTEGER NOT NULL, abalance INTEGER NOT NULL, filler CHAR(84))`,
		`CREATE TABLE bench_history (tid INTEGER, bid INTEGER, aid INTEGER, delta INTEGER, mtime TIMESTAMP, filler CHAR(22))`,
		`INSERT INTO bench_branches VALUES (1, 0, '')`,
	}
	for _, q := range setup {
		if _, err := s.DB.ExecContext(ctx, q); err != nil {
			s.Close()
			return target{}, nil, fmt.Errorf("tpc-b setup: %w", err)
		}
	}
	for t := 1; t <= tellers; t++ {
		if _, err := s.DB.ExecContext(ctx, `INSERT INTO bench_tellers VALUES ($1, 1, 0, '')`, t); err != nil {
			s.Close()
			return target{}, nil, err
		}
	}
	for from := 1; from <= accounts; from += 1000 {
		var b strings.Builder
		b.WriteString(`INSERT INTO bench_accounts VALUES `)
		for a := from; a < from+1000; a++ {
			if a > from {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "(%d, 1, 0, '')", a)
		}
		if _, err := s.DB.ExecContext(ctx, b.String()); err != nil {
			s.Close()
			return target{}, nil, err
		}
	}
	var seq atomic.Uint64
	op := func(ctx context.Context) error {
		x := seq.Add(0x9E3779B97F4A7C15) // a cheap spread of accounts and tellers
		aid, tid, delta := int(x>>16)%accounts+1, int(x>>8)%tellers+1, int(x%10001)-5000
		return s.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.ExecContext(ctx, `UPDATE bench_accounts SET abalance = abalance + $1 WHERE aid = $2`, delta, aid); err != nil {
				return err
			}
			var bal int
			if err := tx.QueryRowContext(ctx, `SELECT abalance FROM bench_accounts WHERE aid = $1`, aid).Scan(&bal); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE bench_tellers SET tbalance = tbalance + $1 WHERE tid = $2`, delta, tid); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE bench_branches SET bbalance = bbalance + $1 WHERE bid = 1`, delta); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO bench_history (tid, bid, aid, delta, mtime) VALUES ($1, 1, $2, $3, $4)`,
				tid, aid, delta, paylink.Now())
			return err
		})
	}
	return target{name: engine + ": TPC-B-like ceiling", op: op}, func() { s.Close() }, nil
}
