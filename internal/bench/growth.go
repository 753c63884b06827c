package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

// growth is the growth matrix (issue 17): per engine, two running paylinks,
// each on a database of its own, whose demo links get small and large
// sessions, seeded in bulk (CheckoutCreateMany, the store path that keeps the
// counters, 5,000 a transaction, not a request each) over the 30 days before
// now; then the merchant's calls timed one after the other, small and large
// alternating call by call (growthCalls each), so that the load of a shared
// machine falls on both sizes alike; and the ratios of the p50s.
const growthCalls = 25

type growthCall struct {
	name string
	call func(ctx context.Context) error
}

func runGrowth(ctx context.Context, cfg Config, out io.Writer, tmp string) error {
	small, large := 10_000, cfg.GrowthSessions
	if large <= small {
		large = 1_000_000
	}
	smalls, dropSmall, err := benchEngines(ctx, cfg, filepath.Join(tmp, "growth-small.db"))
	if err != nil {
		return err
	}
	defer dropSmall()
	larges, dropLarge, err := benchEngines(ctx, cfg, filepath.Join(tmp, "growth-large.db"))
	if err != nil {
		return err
	}
	defer dropLarge()
	for i, e := range smalls {
		if err := growthEngine(ctx, cfg, out, e.name, [2]string{e.url, larges[i].url}, [2]int{small, large}); err != nil {
			return fmt.Errorf("%s: %w", e.name, err)
		}
	}
	return nil
}

func growthEngine(ctx context.Context, cfg Config, out io.Writer, engine string, urls [2]string, sizes [2]int) error {
	fmt.Fprintf(out, "%s growth matrix: p50 of %d calls each, one at a time, %d and %d sessions alternating\n",
		engine, growthCalls, sizes[0], sizes[1])
	var calls [2][]growthCall
	for i, u := range urls {
		cs, stop, err := growthInstance(ctx, cfg, out, engine, u, sizes[i])
		if err != nil {
			return err
		}
		defer stop()
		calls[i] = cs
	}
	var p50s [2][]time.Duration
	for c := range calls[0] {
		var ds [2][]time.Duration
		for i := range growthCalls + 3 {
			for size := range calls {
				t := time.Now()
				if err := calls[size][c].call(ctx); err != nil {
					return fmt.Errorf("%s: %w", calls[size][c].name, err)
				}
				if i >= 3 { // the first three warm caches up
					ds[size] = append(ds[size], time.Since(t))
				}
			}
		}
		for size := range ds {
			slices.Sort(ds[size])
			p50s[size] = append(p50s[size], ds[size][len(ds[size])/2])
		}
	}
	fmt.Fprintf(out, "  %-40s %12s %12s %8s\n", "call", fmt.Sprintf("p50 @ %d", sizes[0]), fmt.Sprintf("p50 @ %d", sizes[1]), "ratio")
	for i, gc := range calls[0] {
		fmt.Fprintf(out, "  %-40s %9.2f ms %9.2f ms %7.2f×\n", gc.name, ms(p50s[0][i]), ms(p50s[1][i]),
			float64(p50s[1][i])/float64(p50s[0][i]))
	}
	fmt.Fprintf(out, "  load average after: %s\n", loadAverage())
	fmt.Fprintln(out)
	return nil
}

// loadAverage is the first three fields of /proc/loadavg ("?" elsewhere).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "?"
}

// growthInstance runs a paylink on dbURL, seeds its demo link with n sessions
// and returns the matrix's calls to it, and the function that stops it.
func growthInstance(ctx context.Context, cfg Config, out io.Writer, engine, dbURL string, n int) ([]growthCall, func(), error) {
	visit, srv, stopPaylink, err := startPaylink(ctx, cfg, dbURL, engine)
	if err != nil {
		return nil, nil, err
	}
	s, err := store.Open(ctx, dbURL)
	if err != nil {
		stopPaylink()
		return nil, nil, err
	}
	stop := func() {
		s.Close()
		stopPaylink()
	}
	calls, err := growthSeed(ctx, cfg, out, visit, srv, s, n)
	if err != nil {
		stop()
		return nil, nil, err
	}
	return calls, stop, nil
}

func growthSeed(ctx context.Context, cfg Config, out io.Writer, visit target, srv served, s *store.Store, n int) ([]growthCall, error) {
	c := newClient(cfg)
	var cookie string // the dashboard's session, once signed in below
	get := func(ctx context.Context, path string, v any) error {
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.base+path, nil)
		if strings.HasPrefix(path, web.DashPath) {
			req.AddCookie(&http.Cookie{Name: "paylink_session", Value: cookie})
		} else {
			req.Header.Set("Authorization", "Bearer "+srv.token)
		}
		resp, err := c.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			return fmt.Errorf("GET %s: %d %s", path, resp.StatusCode, b)
		}
		if v != nil {
			return json.Unmarshal(b, v)
		}
		return nil
	}
	var links struct {
		Items []struct {
			ID             string `json:"id"`
			OrganizationID string `json:"organization_id"`
		} `json:"items"`
	}
	if err := get(ctx, "/v1/checkout-links/?limit=1", &links); err != nil || len(links.Items) == 0 {
		return nil, fmt.Errorf("the demo link: %v", err)
	}
	link, org := links.Items[0].ID, links.Items[0].OrganizationID
	var products struct {
		Items []struct {
			ID     string `json:"id"`
			Prices []struct {
				ID string `json:"id"`
			} `json:"prices"`
		} `json:"items"`
	}
	if err := get(ctx, "/v1/products/?limit=1", &products); err != nil || len(products.Items) == 0 || len(products.Items[0].Prices) == 0 {
		return nil, fmt.Errorf("the demo product: %v", err)
	}
	product, price := products.Items[0].ID, products.Items[0].Prices[0].ID
	var cu *paylink.Customer
	if err := s.InTx(ctx, func(tx *store.Tx) (err error) {
		cu, _, err = tx.CustomerFindOrCreate(ctx, &paylink.Customer{OrganizationID: org, Email: "growth@example.com", Metadata: paylink.Metadata{}})
		if err != nil {
			return err
		}
		// A user signed in to the dashboard, as its sign-in would leave it.
		u := &store.User{OrganizationID: org, Email: "growth-" + paylink.NewID() + "@example.com"}
		if err := tx.UserCreate(ctx, u); err != nil {
			return err
		}
		cookie = paylink.NewSecret("")
		return tx.UserSessionCreate(ctx, &store.UserSession{UserID: u.ID, CSRF: paylink.NewSecret(""),
			ExpiresAt: paylink.Now().Add(24 * time.Hour)}, cookie)
	}); err != nil {
		return nil, err
	}
	now := paylink.Now()
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	analytics := "/v1/checkout-links/" + link + "/analytics?interval=day&timezone=Europe/Berlin&start_date=" +
		day(now.AddDate(0, 0, -29)) + "&end_date=" + day(now)
	var total struct {
		Pagination struct {
			TotalCount int `json:"total_count"`
			MaxPage    int `json:"max_page"`
		} `json:"pagination"`
	}
	path := func(p string) func(ctx context.Context) error {
		return func(ctx context.Context) error { return get(ctx, p, nil) }
	}
	calls := []growthCall{
		{"GET /v1/checkouts/?limit=10", path("/v1/checkouts/?limit=10")},
		{"GET /v1/checkouts/?limit=10&page=50", path("/v1/checkouts/?limit=10&page=50")},
		{"checkouts of the link, page 1", path("/v1/checkouts/?limit=10&checkout_link_id=" + link)},
		{"checkouts of the link, page 50", path("/v1/checkouts/?limit=10&page=50&checkout_link_id=" + link)},
		{"GET /v1/orders/?limit=10", path("/v1/orders/?limit=10")},
		{"GET /v1/orders/?metadata[k]=v", path("/v1/orders/?limit=10&metadata%5Bk%5D=v")},
		{"orders?metadata[k]=none (no match)", path("/v1/orders/?limit=10&metadata%5Bk%5D=none")},
		{"orders?metadata[k]=v&metadata[n]=1", path("/v1/orders/?limit=10&metadata%5Bk%5D=v&metadata%5Bn%5D=1")},
		{"orders?product_id=", path("/v1/orders/?limit=10&product_id=" + product)},
		{"checkouts?status=succeeded", path("/v1/checkouts/?limit=10&status=succeeded")},
		{"checkouts?status=open (rare)", path("/v1/checkouts/?limit=10&status=open")},
		{"checkouts?product_id=", path("/v1/checkouts/?limit=10&product_id=" + product)},
		{"checkouts of the link, status=succeeded", path("/v1/checkouts/?limit=10&status=succeeded&checkout_link_id=" + link)},
		{"checkouts?status=succeeded, page 50", path("/v1/checkouts/?limit=10&page=50&status=succeeded")},
		{"GET /v1/checkout-links/?limit=10", path("/v1/checkout-links/?limit=10")},
		{"link analytics, 30 days by day", path(analytics)},
		{"dashboard links' counts (store)", func(ctx context.Context) error {
			return s.Read(ctx, func(tx *store.Tx) error {
				_, err := tx.CheckoutLinkCounts(ctx, org, []string{link})
				return err
			})
		}},
		{"dashboard Checkouts page", path(web.DashPath + "/checkouts")},
		{"dashboard Checkouts page 50", path(web.DashPath + "/checkouts?page=50")},
		{"dashboard Checkout Links", path(web.DashPath + "/links")},
		{"dashboard Orders page", path(web.DashPath + "/orders")},
		{"dashboard Customers page", path(web.DashPath + "/customers")},
		{"dashboard Subscriptions page", path(web.DashPath + "/subscriptions")},
		{"link visit (303)", visit.op},
	}
	t0 := time.Now()
	if err := seedSessions(ctx, s, org, link, product, price, cu.ID, 0, n, now); err != nil {
		return nil, err
	}
	if err := s.Settle(ctx); err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "  %d sessions seeded in %s (settled: store.Settle); load average %s\n", n, time.Since(t0).Round(time.Second), loadAverage())
	if err := get(ctx, "/v1/checkouts/?limit=10", &total); err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "  GET /v1/checkouts/: total_count %d, max_page %d\n", total.Pagination.TotalCount, total.Pagination.MaxPage)
	return calls, nil
}

// seedSessions adds sessions from..to-1 over the 30 days before end: nine in
// ten of the link (five utm_source values, a thousand reference_id values),
// one in ten through the API; one in ten succeeded (the others expired), one in
// a hundred with an order (one order in ten with metadata k=v, the others k=w;
// n counts 0 to 9).
func seedSessions(ctx context.Context, s *store.Store, org, link, product, price, customer string, from, to int, end time.Time) error {
	const perTx = 5000
	step := 30 * 24 * time.Hour / time.Duration(to)
	for done := from; done < to; {
		var n int
		err := retryBusy(ctx, s, func(tx *store.Tx) error {
			cs := make([]*paylink.Checkout, 0, perTx)
			for i := done; i < min(done+perTx, to); i++ {
				// Sessions an hour past their expiry are expired, as the sweep
				// would have left them long ago: open ones would keep the sweep
				// (and on SQLite the single writer) busy for the whole run.
				st := paylink.CheckoutExpired
				if i%10 == 0 {
					st = paylink.CheckoutSucceeded
				}
				at := end.Add(-time.Duration(i+1) * step)
				c := &paylink.Checkout{OrganizationID: org, Status: st, ProductIDs: []string{product}, ProductID: product, PriceID: price,
					Amount: 1000, NetAmount: 1000, TotalAmount: 1000, Currency: "usd", ExpiresAt: at.Add(time.Hour), CreatedAt: at,
					Metadata: paylink.Metadata{"utm_source": fmt.Sprint("src", i%5), "reference_id": fmt.Sprint("ref", i%1000)}}
				if i%10 != 5 {
					c.CheckoutLinkID = &link
				}
				cs = append(cs, c)
			}
			if err := tx.CheckoutCreateMany(ctx, cs); err != nil {
				return err
			}
			for i, c := range cs {
				if (done+i)%100 == 0 {
					meta := paylink.Metadata{"k": "w", "n": int64((done + i) / 100 % 10)}
					if (done+i)%1000 == 0 {
						meta["k"] = "v"
					}
					if err := tx.OrderCreate(ctx, &paylink.Order{OrganizationID: org, Status: "paid", BillingReason: "purchase",
						CustomerID: customer, ProductID: c.ProductID, PriceID: c.PriceID, CheckoutID: &c.ID, CheckoutLinkID: c.CheckoutLinkID,
						Amount: 1000, NetAmount: 1000, TotalAmount: 1000, Currency: "usd", CreatedAt: c.CreatedAt, Metadata: meta}); err != nil {
						return err
					}
				}
			}
			n = len(cs)
			return nil
		})
		if err != nil {
			return err
		}
		done += n // after the commit: a transaction tried again writes its rows again
	}
	return nil
}

// retryBusy is s.InTx, again while the database answers busy (SQLite: the
// running paylink's writer held the file longer than the busy timeout).
func retryBusy(ctx context.Context, s *store.Store, fn func(tx *store.Tx) error) error {
	for attempt := 0; ; attempt++ {
		err := s.InTx(ctx, fn)
		if !paylink.IsCode(err, paylink.EConflict) || attempt == 20 {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}
