// Package api is paylink's JSON API, wire-compatible with Polar's public API v1
// (the zod schemas of @polar-sh/sdk@0.49.0). One file per resource; routes.go lists
// the whole surface. A handler parses, calls a service (internal/catalog,
// internal/checkout, internal/refunds) for every write or reads the store, and responds.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/account"
	"github.com/paylink/paylink/internal/benefits"
	"github.com/paylink/paylink/internal/catalog"
	"github.com/paylink/paylink/internal/checkout"
	"github.com/paylink/paylink/internal/customers"
	"github.com/paylink/paylink/internal/files"
	"github.com/paylink/paylink/internal/portal"
	"github.com/paylink/paylink/internal/ratelimit"
	"github.com/paylink/paylink/internal/refunds"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/subscriptions"
	"github.com/paylink/paylink/internal/webhook"
)

// API serves /v1. Its fields are its dependencies; none are optional.
type API struct {
	Store     *store.Store
	Log       *slog.Logger
	PublicURL string             // e.g. https://pay.example.com, no trailing slash
	Checkouts *checkout.Service  // the checkout flows (create, update, confirm)
	Catalog   *catalog.Service   // the catalog's writes (products, discounts, fields, links)
	Webhooks  *webhook.Endpoints // the webhook endpoints' writes
	Refunds   *refunds.Service   // refunds of orders
	// Subscriptions cancels, uncancels and revokes subscriptions.
	Subscriptions *subscriptions.Service
	Portal        *portal.Service // customer sessions and the customer portal
	Files         *files.Service  // uploads, storage and downloads of files
	// DownloadCheck guards the signed download URLs (files.DownloadCheck): the
	// downloadables benefit counts a download and refuses a revoked grant there.
	// nil lets any validly signed, unexpired URL download.
	DownloadCheck files.DownloadCheck
	// Customers creates, updates and deletes customers (auth integrations).
	Customers *customers.Service
	Benefits  *benefits.Service // benefits, grants and license keys
	Account   *account.Service  // the organization's own settings (embed_hosts)

	StripePublishableKey string // set in Stripe mode: checkouts carry it for the page
	// WebhookAllowPrivate lets webhook URLs resolve to private addresses
	// (PAYLINK_WEBHOOK_ALLOW_PRIVATE); cloud-metadata addresses stay refused.
	WebhookAllowPrivate bool
	// LinkVisit is the link visit (GET /buy/{secret}, internal/web/checkoutpage),
	// which Polar also serves at GET /v1/checkout-links/{secret}/redirect; nil
	// leaves that path out.
	LinkVisit http.Handler
	// PublicRate is how many calls a second one client address group may make to
	// the API's calls that take no organization token (a checkout's client calls,
	// the customer portal), with bursts of twice as many (PAYLINK_PUBLIC_API_RATE;
	// 0 means DefaultPublicRate).
	PublicRate int

	publicLimits ratelimit.Keyed
}

// DefaultPublicRate is PublicRate's default: far above what one customer's
// browser or an office behind one address needs, far below a flood.
const DefaultPublicRate = 20

// limited counts a call without an organization token against its client's
// address group (paylink.AddressGroup: behind trusted proxies, the client's)
// and answers 429 with Retry-After when the group is over PublicRate. A
// session's secret is not guessable; what this stops is a flood of confirms
// (each one a processor call) or of token tries from one place.
func (a *API) limited(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := a.takePublic(r); !ok {
			WriteError(w, r, a.Log, ratelimit.Error("requests from your address", wait))
			return
		}
		next(w, r)
	}
}

// takePublic takes one token of the client's address group's bucket.
func (a *API) takePublic(r *http.Request) (ok bool, wait time.Duration) {
	perSecond := a.PublicRate
	if perSecond <= 0 {
		perSecond = DefaultPublicRate
	}
	return a.publicLimits.Take(paylink.AddressGroup(r.RemoteAddr), float64(perSecond), 2*perSecond, time.Now())
}

// Principal is who is calling: an organization access token.
type Principal struct {
	OrgID   string
	TokenID string
	Scopes  []string
}

// handler is an authenticated API handler; a returned error is written by WriteError.
type handler func(w http.ResponseWriter, r *http.Request, p *Principal) error

// authed wraps h with bearer-token authentication and a scope check:
// 401 for a missing or bad token, 403 for a missing scope.
func (a *API) authed(scope string, h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := a.authenticate(r)
		if paylink.IsCode(err, paylink.EUnauthorized) {
			// Wrong tokens count against the address as the public calls do: a
			// guesser is slowed down, a client with a valid token never counted.
			if ok, wait := a.takePublic(r); !ok {
				err = ratelimit.Error("requests from your address", wait)
			}
		}
		if err == nil && !paylink.HasScope(p.Scopes, scope) {
			err = &paylink.Error{Code: paylink.EForbidden, Name: "InsufficientScope",
				Message: "this token lacks the scope " + scope}
		}
		if err == nil {
			err = h(w, r, p)
		}
		if err != nil {
			WriteError(w, r, a.Log, err)
		}
	}
}

// public wraps a handler that needs no token (client endpoints authorized by a secret).
func (a *API) public(h func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			WriteError(w, r, a.Log, err)
		}
	}
}

func (a *API) authenticate(r *http.Request) (*Principal, error) {
	h := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		return nil, paylink.Errorf(paylink.EUnauthorized, "missing bearer token")
	}
	var tok *paylink.AccessToken
	err := a.Store.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		tok, err = tx.AccessTokenByPlain(r.Context(), strings.TrimSpace(token))
		return err
	})
	if err != nil {
		return nil, err
	}
	return &Principal{OrgID: tok.OrganizationID, TokenID: tok.ID, Scopes: tok.Scopes}, nil
}

// pathID returns the {name} path value when it is a UUID; otherwise ENotFound for what,
// so a malformed id answers exactly like an unknown one.
func pathID(r *http.Request, name, what string) (string, error) {
	id := r.PathValue(name)
	if !paylink.ValidID(id) {
		return "", paylink.NotFound(what)
	}
	return strings.ToLower(id), nil
}

// read runs fn in a read transaction of the store.
func (a *API) read(ctx context.Context, fn func(tx *store.Tx) error) error {
	return a.Store.Read(ctx, fn)
}

// write runs fn in a transaction of the store.
func (a *API) write(ctx context.Context, fn func(tx *store.Tx) error) error {
	return a.Store.InTx(ctx, fn)
}

// Timestamp formats times the way Polar does (RFC 3339 with offset); nil stays null.
type Timestamp = time.Time
