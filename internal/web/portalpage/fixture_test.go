package portalpage_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/api"
	"github.com/paylink/paylink/internal/demo"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/portal"
	"github.com/paylink/paylink/internal/server"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web"
	"github.com/paylink/paylink/internal/web/checkoutpage"
	"github.com/paylink/paylink/internal/web/portalpage"
)

// portalShop is the demo shop served in process, so its portal service's
// SendCode can hand the sign-in codes to the test (in the binary, the lead wires
// SendCode to the mail queue and a test reads the code from Mailpit). Ann has
// bought the Starter Kit with a discount and the Pro Plan; Bo the Starter Kit.
type portalShop struct {
	url    string
	token  string // the demo's API token
	st     *store.Store
	org    *paylink.Organization
	portal *portal.Service
	in     *paylinktest.Instance // only its URL: for dashBrowser

	mu    sync.Mutex
	codes map[string]string // email → the last code sent

	ann, bo         *paylink.Customer
	annKit, annPlan *paylink.Order
	boKit           *paylink.Order
	annSub          *paylink.Subscription
	kit, plan       *paylink.Product
}

func newPortalShop(t *testing.T, db string) *portalShop {
	t.Helper()
	return newPortalShopOn(t, db, web.Site{Sandbox: true})
}

// newPortalShopOn is newPortalShop with the pages' site (the sandbox, or Stripe's keys).
func newPortalShopOn(t *testing.T, db string, site web.Site) *portalShop {
	t.Helper()
	ctx := context.Background()
	p := &portalShop{st: storetest.Open(t, db), codes: map[string]string{}}
	seeded, err := demo.Seed(ctx, p.st, "http://127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	p.token = seeded.Token
	p.portal = &portal.Service{Store: p.st, SendCode: func(_ context.Context, _ *store.Tx, _ *paylink.Organization, email, code string) error {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.codes[email] = code
		return nil
	}}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	site.Log = log
	pages, err := portalpage.New(&portalpage.Portal{Site: site, Store: p.st, Portal: p.portal})
	if err != nil {
		t.Fatal(err)
	}
	receipts, err := checkoutpage.New(&checkoutpage.Page{Site: web.Site{Log: log, Sandbox: true}, Store: p.st}) // the receipts
	if err != nil {
		t.Fatal(err)
	}
	a := &api.API{Store: p.st, Log: log, Portal: p.portal}
	srv := httptest.NewServer(server.New(server.Deps{Store: p.st, Log: log, API: a, Portal: pages, Checkout: receipts}))
	t.Cleanup(srv.Close)
	p.url, pages.PublicURL, receipts.PublicURL, p.portal.PublicURL, a.PublicURL = srv.URL, srv.URL, srv.URL, srv.URL, srv.URL
	p.in = &paylinktest.Instance{URL: srv.URL, Client: srv.Client()}
	p.seedOrders(t)
	return p
}

func (p *portalShop) seedOrders(t *testing.T) {
	ctx := context.Background()
	err := p.st.InTx(ctx, func(tx *store.Tx) error {
		slugs, err := tx.OrganizationSlugs(ctx, 1)
		if err != nil {
			return err
		}
		if p.org, err = tx.OrganizationGetBySlug(ctx, slugs[0]); err != nil {
			return err
		}
		products, _, err := tx.ProductList(ctx, store.ProductListParams{OrganizationID: p.org.ID})
		if err != nil {
			return err
		}
		for _, pr := range products {
			switch pr.Name {
			case "Starter Kit":
				p.kit = pr
			case "Pro Plan":
				p.plan = pr
			}
		}
		if p.ann, _, err = tx.CustomerFindOrCreate(ctx, &paylink.Customer{OrganizationID: p.org.ID, Email: "ann@example.com", Name: ptrTo("Ann Lee")}); err != nil {
			return err
		}
		if p.bo, _, err = tx.CustomerFindOrCreate(ctx, &paylink.Customer{OrganizationID: p.org.ID, Email: "bo@example.com"}); err != nil {
			return err
		}
		order := func(c *paylink.Customer, pr *paylink.Product, discount int64, reason string, sub *string) (*paylink.Order, error) {
			price := pr.Price()
			o := &paylink.Order{OrganizationID: p.org.ID, Status: "paid", BillingReason: reason, CustomerID: c.ID,
				ProductID: pr.ID, PriceID: price.ID, SubscriptionID: sub, Amount: price.PriceAmount, DiscountAmount: discount,
				NetAmount: price.PriceAmount - discount, TotalAmount: price.PriceAmount - discount, Currency: price.Currency}
			if err := tx.OrderCreate(ctx, o); err != nil {
				return nil, err
			}
			return o, tx.PaymentRecord(ctx, &store.Payment{OrganizationID: p.org.ID, OrderID: &o.ID, Processor: "sandbox",
				ProcessorRef: "sandbox_" + o.ID, Amount: o.TotalAmount, Currency: o.Currency, Status: "succeeded"})
		}
		if p.annKit, err = order(p.ann, p.kit, 500, paylink.BillingPurchase, nil); err != nil {
			return err
		}
		now := paylink.Now()
		price := p.plan.Price()
		p.annSub = &paylink.Subscription{OrganizationID: p.org.ID, Status: paylink.SubscriptionActive, CustomerID: p.ann.ID,
			ProductID: p.plan.ID, PriceID: price.ID, Amount: price.PriceAmount, Currency: price.Currency, RecurringInterval: "month",
			IntervalCount: 1, CurrentPeriodStart: now, CurrentPeriodEnd: now.AddDate(0, 1, 0), StartedAt: now}
		if err := tx.SubscriptionCreate(ctx, p.annSub); err != nil {
			return err
		}
		if p.annPlan, err = order(p.ann, p.plan, 0, paylink.BillingSubscriptionCreate, &p.annSub.ID); err != nil {
			return err
		}
		p.boKit, err = order(p.bo, p.kit, 0, paylink.BillingPurchase, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// code returns the last sign-in code sent to email ("" when none was).
func (p *portalShop) code(email string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.codes[email]
}

func ptrTo[T any](v T) *T { return &v }
