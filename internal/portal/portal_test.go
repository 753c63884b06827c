package portal_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/portal"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// fixture is a portal service on a real store with a clock the test moves and
// SendCode capturing the codes (the lead wires the real mail queue instead).
type fixture struct {
	s     *portal.Service
	now   time.Time
	codes map[string]string // email → last code sent
	org   *paylink.Organization
	cust  *paylink.Customer
}

func newFixture(t *testing.T, st *store.Store) *fixture {
	f := &fixture{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), codes: map[string]string{}}
	f.org = storetest.Org(t, st, "Portal shop")
	f.cust = customer(t, st, f.org.ID, "Buyer@Example.com")
	f.s = &portal.Service{Store: st, PublicURL: "https://pay.example.com", Now: func() time.Time { return f.now },
		SendCode: func(_ context.Context, tx *store.Tx, org *paylink.Organization, email, code string) error {
			if tx == nil || org.ID != f.org.ID {
				t.Errorf("SendCode without the transaction or for another organization")
			}
			f.codes[strings.ToLower(email)] = code
			return nil
		}}
	return f
}

func customer(t *testing.T, st *store.Store, orgID, email string) *paylink.Customer {
	t.Helper()
	var c *paylink.Customer
	if err := st.InTx(context.Background(), func(tx *store.Tx) error {
		var err error
		c, _, err = tx.CustomerFindOrCreate(context.Background(), &paylink.Customer{OrganizationID: orgID, Email: email})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCustomerSessions(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st)
		other := storetest.Org(t, st, "Someone else")
		stranger := customer(t, st, other.ID, "buyer@example.com")

		_, _, err := f.s.CreateSession(ctx, f.org.ID, portal.Customer{ID: stranger.ID}, nil)
		if e, ok := err.(*paylink.Error); !ok || e.Code != paylink.EInvalid || e.Fields[0].Loc[1] != "customer_id" {
			t.Fatalf("another organization's customer: %v", err)
		}
		ret := "https://shop.example.com/account"
		token, signed, err := f.s.CreateSession(ctx, f.org.ID, portal.Customer{ID: f.cust.ID}, &ret)
		if err != nil || !strings.HasPrefix(token, paylink.PrefixCustomerToken) || signed.Customer.ID != f.cust.ID {
			t.Fatalf("create: %q %+v %v", token, signed, err)
		}
		if !signed.Session.ExpiresAt.Equal(f.now.Add(portal.APISessionTTL)) {
			t.Fatalf("expires at %v", signed.Session.ExpiresAt)
		}
		if got := f.s.PortalURL(f.org.Slug, token); got != "https://pay.example.com/portal/"+f.org.Slug+"?customer_session_token="+token {
			t.Fatalf("portal URL %s", got)
		}
		who, err := f.s.Authenticate(ctx, token)
		if err != nil || who.Customer.ID != f.cust.ID || who.Org.ID != f.org.ID || *who.Session.ReturnURL != ret {
			t.Fatalf("authenticate: %+v %v", who, err)
		}
		var stored int
		st.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRowContext(ctx, `SELECT count(*) FROM customer_sessions WHERE token_hash = $1`, token).Scan(&stored)
		})
		if stored != 0 {
			t.Fatal("the token is stored in plain text")
		}
		if _, _, err := f.s.Exchange(ctx, other.ID, token); !paylink.IsCode(err, paylink.EUnauthorized) {
			t.Fatalf("a token of another organization's portal: %v", err)
		}
		browser, bs, err := f.s.Exchange(ctx, f.org.ID, token)
		if err != nil || browser == token || bs.Customer.ID != f.cust.ID || !bs.Session.ExpiresAt.Equal(f.now.Add(portal.PortalSessionTTL)) {
			t.Fatalf("exchange: %v %+v", err, bs)
		}
		f.now = f.now.Add(portal.APISessionTTL)
		if _, err := f.s.Authenticate(ctx, token); !paylink.IsCode(err, paylink.EUnauthorized) {
			t.Fatalf("expired token: %v", err)
		}
		if _, err := f.s.Authenticate(ctx, browser); err != nil {
			t.Fatalf("the portal session outlives the API's: %v", err)
		}
		if err := f.s.SignOut(ctx, browser); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Authenticate(ctx, browser); !paylink.IsCode(err, paylink.EUnauthorized) {
			t.Fatalf("signed out: %v", err)
		}
	})
}

func TestSignInCodes(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st)
		if err := f.s.RequestCode(ctx, f.org, "not an email", "10.0.0.1"); !paylink.IsCode(err, paylink.EInvalid) {
			t.Fatalf("bad email: %v", err)
		}
		// A customer and a stranger get the same answer; only the customer gets a code.
		if err := f.s.RequestCode(ctx, f.org, " BUYER@example.com ", "10.0.0.1"); err != nil {
			t.Fatal(err)
		}
		if err := f.s.RequestCode(ctx, f.org, "nobody@example.com", "10.0.0.1"); err != nil {
			t.Fatalf("unknown email: %v, want the same answer as a customer's", err)
		}
		code := f.codes["buyer@example.com"]
		if len(code) != portal.CodeDigits || len(f.codes) != 1 {
			t.Fatalf("codes sent: %v", f.codes)
		}
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		if _, _, err := f.s.SignIn(ctx, f.org, "buyer@example.com", wrong, "10.0.0.2"); err != portal.ErrBadCode {
			t.Fatalf("wrong code: %v", err)
		}
		other := storetest.Org(t, st, "Other portal")
		if _, _, err := f.s.SignIn(ctx, other, "buyer@example.com", code, "10.0.0.2"); err != portal.ErrBadCode {
			t.Fatalf("the code at another organization's portal: %v", err)
		}
		token, who, err := f.s.SignIn(ctx, f.org, "Buyer@Example.com", code[:3]+" "+code[3:], "10.0.0.2")
		if err != nil || who.Customer.ID != f.cust.ID || token == "" {
			t.Fatalf("sign in: %v", err)
		}
		if _, _, err := f.s.SignIn(ctx, f.org, "buyer@example.com", code, "10.0.0.2"); err != portal.ErrBadCode {
			t.Fatalf("a used code: %v", err)
		}

		// CodeMaxAttempts wrong tries kill the live code.
		f.RequestCode(t, "buyer@example.com")
		code = f.codes["buyer@example.com"]
		for range portal.CodeMaxAttempts {
			f.s.SignIn(ctx, f.org, "buyer@example.com", wrong, "10.0.0.3")
		}
		if _, _, err := f.s.SignIn(ctx, f.org, "buyer@example.com", code, "10.0.0.3"); err != portal.ErrBadCode {
			t.Fatalf("the right code after %d wrong ones: %v", portal.CodeMaxAttempts, err)
		}

		// A code expires after CodeTTL.
		f.RequestCode(t, "buyer@example.com")
		f.now = f.now.Add(portal.CodeTTL)
		if _, _, err := f.s.SignIn(ctx, f.org, "buyer@example.com", f.codes["buyer@example.com"], "10.0.0.4"); err != portal.ErrBadCode {
			t.Fatalf("an expired code: %v", err)
		}
	})
}

func (f *fixture) RequestCode(t *testing.T, email string) {
	t.Helper()
	if err := f.s.RequestCode(context.Background(), f.org, email, "10.9.9.9"); err != nil {
		t.Fatal(err)
	}
}

func TestSignInCodeLimits(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st)
		for _, email := range []string{"buyer@example.com", "nobody@example.com"} {
			for i := range portal.CodesPerEmail {
				if err := f.s.RequestCode(ctx, f.org, email, "10.1.0."+string(rune('0'+i))); err != nil {
					t.Fatalf("%s, request %d: %v", email, i+1, err)
				}
			}
			if err := f.s.RequestCode(ctx, f.org, email, "10.1.1.1"); !paylink.IsCode(err, paylink.ERateLimited) {
				t.Fatalf("%s past the limit per email: %v (customers and strangers alike)", email, err)
			}
		}
		for i := range portal.CodesPerAddress {
			if err := f.s.RequestCode(ctx, f.org, "p"+string(rune('a'+i))+"@example.com", "10.2.0.1"); err != nil {
				t.Fatalf("address request %d: %v", i+1, err)
			}
		}
		if err := f.s.RequestCode(ctx, f.org, "fresh@example.com", "10.2.0.1"); !paylink.IsCode(err, paylink.ERateLimited) {
			t.Fatalf("past the limit per address: %v", err)
		}
		f.now = f.now.Add(portal.CodeWindow)
		if err := f.s.RequestCode(ctx, f.org, "buyer@example.com", "10.2.0.1"); err != nil {
			t.Fatalf("a new window: %v", err)
		}
		for range portal.TriesPerAddress {
			f.s.SignIn(ctx, f.org, "buyer@example.com", "123456", "10.3.0.1")
		}
		if _, _, err := f.s.SignIn(ctx, f.org, "buyer@example.com", f.codes["buyer@example.com"], "10.3.0.1"); !paylink.IsCode(err, paylink.ERateLimited) {
			t.Fatalf("tries past the limit per address: %v", err)
		}
		f.s.SendCode = nil
		if err := f.s.RequestCode(ctx, f.org, "buyer@example.com", "10.4.0.1"); !paylink.IsCode(err, paylink.ENotImplemented) {
			t.Fatalf("without SendCode: %v", err)
		}
	})
}

// Sweep deletes what expired and keeps what is live.
func TestSweep(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st)
		old, _, err := f.s.CreateSession(ctx, f.org.ID, portal.Customer{ID: f.cust.ID}, nil)
		if err != nil {
			t.Fatal(err)
		}
		f.RequestCode(t, "buyer@example.com")
		f.now = f.now.Add(portal.CodeWindow + time.Minute)
		live, _, err := f.s.CreateSession(ctx, f.org.ID, portal.Customer{ID: f.cust.ID}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.s.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		count := func(table string) (n int) {
			st.Read(ctx, func(tx *store.Tx) error { return tx.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n) })
			return n
		}
		if s, c, r := count("customer_sessions"), count("customer_session_codes"), count("rate_limits"); s != 1 || c != 0 || r != 0 {
			t.Fatalf("after the sweep: %d sessions, %d codes, %d rate windows; want 1, 0, 0", s, c, r)
		}
		if _, err := f.s.Authenticate(ctx, live); err != nil {
			t.Fatalf("the live session: %v", err)
		}
		if _, err := f.s.Authenticate(ctx, old); !paylink.IsCode(err, paylink.EUnauthorized) {
			t.Fatalf("the expired session: %v", err)
		}
	})
}
