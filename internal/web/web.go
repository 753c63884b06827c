// Package web serves paylink's HTML: link visits, the hosted checkout page and the
// merchant dashboard. Templates and assets are embedded in the binary and parsed
// once; nothing is loaded from another host, except Stripe.js on the checkout
// page in Stripe mode.
package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/account"
	"github.com/paylink/paylink/internal/benefits"
	"github.com/paylink/paylink/internal/catalog"
	"github.com/paylink/paylink/internal/checkout"
	"github.com/paylink/paylink/internal/files"
	"github.com/paylink/paylink/internal/httperr"
	"github.com/paylink/paylink/internal/mail"
	"github.com/paylink/paylink/internal/portal"
	"github.com/paylink/paylink/internal/refunds"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/subscriptions"
	"github.com/paylink/paylink/internal/tokens"
	"github.com/paylink/paylink/internal/webhook"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Web serves the pages.
type Web struct {
	Store     *store.Store
	Checkouts *checkout.Service
	Account   *account.Service // settings and team; New makes one on Store when nil
	Catalog   *catalog.Service // every write to products, discounts, fields and links
	Webhooks  *webhook.Endpoints
	Tokens    *tokens.Service
	Refunds   *refunds.Service // refunds of orders; New makes one on Store and Checkouts when nil
	// Subscriptions cancels, uncancels and revokes subscriptions.
	Subscriptions *subscriptions.Service
	Portal        *portal.Service   // customer sessions: the portal's sign-in and what it may change; New makes one on Store when nil
	Mail          *mail.Service     // the Emails log's note on SMTP and the sign-in link by email; nil sends none
	Files         *files.Service    // uploads (product images, the logo) and their public URLs
	Benefits      *benefits.Service // what an order delivers (the success page); nil shows nothing
	Log           *slog.Logger
	PublicURL     string
	Sandbox       bool // the test-mode banner and test card form
	// StripePublishableKey (pk_…) puts the checkout page in Stripe mode: Stripe.js
	// and its Payment Element take the card; "" in the sandbox.
	StripePublishableKey string
	// AllowPrivateWebhooks lets the dashboard accept webhook URLs on loopback,
	// private and link-local addresses (PAYLINK_WEBHOOK_ALLOW_PRIVATE).
	AllowPrivateWebhooks bool

	pages map[string]*template.Template
}

// New parses every page once; a template error is a programming error and fails start.
func New(w *Web) (*Web, error) {
	layout, err := fs.ReadFile(templateFS, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	if w.Account == nil {
		w.Account = &account.Service{Store: w.Store}
	}
	if w.Refunds == nil && w.Checkouts != nil {
		w.Refunds = &refunds.Service{Store: w.Store, Processor: w.Checkouts.Processor, Render: w.Checkouts.Render, Log: w.Log}
	}
	if w.Portal == nil {
		w.Portal = &portal.Service{Store: w.Store, PublicURL: w.PublicURL}
	}
	w.pages = map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		body, err := fs.ReadFile(templateFS, n)
		if err != nil {
			return nil, err
		}
		t, err := template.New(name).Funcs(funcs).Parse(string(layout))
		if err == nil {
			_, err = t.Parse(string(body))
		}
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		w.pages[name] = t
	}
	return w, nil
}

var funcs = template.FuncMap{
	"money":  paylink.FormatAmount,
	"mul100": func(f float64) float64 { return f * 100 },
	"input":  newInput,
	"deref": func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	},
}

// Render writes a page with the status; it renders into a buffer first so a
// template error becomes a clean 500 rather than half a page.
func (w *Web) Render(rw http.ResponseWriter, r *http.Request, status int, page string, data any) {
	t, ok := w.pages[page]
	if !ok {
		w.Log.ErrorContext(r.Context(), "unknown page", "page", page)
		http.Error(rw, "internal server error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		w.Log.ErrorContext(r.Context(), "render page", "page", page, "err", err)
		http.Error(rw, "internal server error", http.StatusInternalServerError)
		return
	}
	h := rw.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", pagePolicy(data).String())
	rw.WriteHeader(status)
	if r.Method != http.MethodHead {
		rw.Write(buf.Bytes())
	}
}

// Routes registers the HTML routes.
func (w *Web) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /buy/{secret}", w.visit)
	mux.HandleFunc("GET /v1/checkout-links/{secret}/redirect", w.visit)
	w.checkoutRoutes(mux)
	w.dashboardRoutes(mux)
	w.receiptRoutes(mux)
	w.portalRoutes(mux)
	w.edgeRoutes(mux)
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheForever(http.FileServerFS(static))))
}

func cacheForever(h http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(rw, r)
	})
}

// Message is the data of a page that only says something.
type Message struct {
	Title   string
	Heading string
	Message string
	Action  *Link
}

type Link struct {
	URL   string
	Label string
}

// Fail renders err as a page: the *paylink.Error's message with its status, or a
// generic 500 (logged) for anything else.
func (w *Web) Fail(rw http.ResponseWriter, r *http.Request, err error) {
	var e *paylink.Error
	if !errors.As(err, &e) || e.Code == paylink.EInternal {
		w.Log.ErrorContext(r.Context(), "page error", "path", r.URL.Path, "err", err)
		w.Render(rw, r, http.StatusInternalServerError, "message", Message{Title: "Something went wrong",
			Heading: "Something went wrong", Message: "We could not open this page. Please try again in a moment."})
		return
	}
	status := httperr.Status(e)
	heading := map[int]string{404: "Link not found", 410: "This link is no longer available", 403: "Not available"}[status]
	if heading == "" {
		heading = "Something is not right"
	}
	w.Render(rw, r, status, "message", Message{Title: heading, Heading: heading, Message: e.Message})
}
