// Package web is what paylink's three page applications share: the checkout
// page (package checkoutpage: link visits, the hosted checkout, receipts), the
// merchant dashboard (package dashboard) and the customer portal (package
// portalpage). It holds the layout every page is rendered in, the static
// assets, the Content-Security-Policy, the error page (statuses from the one
// table in internal/httperr, shared with the API), money formatting and the
// form helpers. Templates and assets are embedded in the binary and parsed
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
	"slices"
	"strings"
	"sync"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/httperr"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Site is what every page application is served with, and its parsed pages.
// Each application embeds its own Site (its own pages, the same settings).
type Site struct {
	Log       *slog.Logger
	PublicURL string
	Sandbox   bool // the test-mode banner and test card form
	// StripePublishableKey (pk_…) puts the checkout page in Stripe mode: Stripe.js
	// and its Payment Element take the card; "" in the sandbox.
	StripePublishableKey string

	pages map[string]*template.Template
}

// Parse parses every templates/*.html page of app once, each inside the shared
// layout and with the partials (paths in app) added to it; the shared pages
// ("message") come along; a nil app parses those alone. A template error is a programming error and fails start.
func (s *Site) Parse(app fs.FS, more template.FuncMap, partials ...string) error {
	layout, err := fs.ReadFile(templateFS, "templates/layout.html")
	if err != nil {
		return err
	}
	fm := template.FuncMap{}
	for k, v := range funcs {
		fm[k] = v
	}
	for k, v := range more {
		fm[k] = v
	}
	var extra []string
	for _, p := range partials {
		b, err := fs.ReadFile(app, p)
		if err != nil {
			return err
		}
		extra = append(extra, string(b))
	}
	s.pages = map[string]*template.Template{}
	for _, src := range []fs.FS{templateFS, app} {
		if src == nil {
			continue
		}
		names, err := fs.Glob(src, "templates/*.html")
		if err != nil {
			return err
		}
		for _, n := range names {
			name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
			if name == "layout" || slices.Contains(partials, n) {
				continue
			}
			body, err := fs.ReadFile(src, n)
			if err != nil {
				return err
			}
			t, err := template.New(name).Funcs(fm).Parse(string(layout))
			if err == nil {
				_, err = t.Parse(string(body))
			}
			for _, p := range extra {
				if err == nil && src == app {
					_, err = t.Parse(p)
				}
			}
			if err != nil {
				return fmt.Errorf("template %s: %w", name, err)
			}
			s.pages[name] = t
		}
	}
	return nil
}

var funcs = template.FuncMap{
	"money":  paylink.FormatAmount,
	"mul100": func(f float64) float64 { return f * 100 },
	"deref": func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	},
}

// Render writes a page with the status; it renders into a buffer first so a
// template error becomes a clean 500 rather than half a page.
func (s *Site) Render(rw http.ResponseWriter, r *http.Request, status int, page string, data any) {
	t, ok := s.pages[page]
	if !ok {
		s.Log.ErrorContext(r.Context(), "unknown page", "page", page)
		http.Error(rw, "internal server error", http.StatusInternalServerError)
		return
	}
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer putRenderBuffer(buf)
	if err := t.ExecuteTemplate(buf, "layout", data); err != nil {
		s.Log.ErrorContext(r.Context(), "render page", "page", page, "err", err)
		http.Error(rw, "internal server error", http.StatusInternalServerError)
		return
	}
	h := rw.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	pol := pagePolicy(data)
	if !pol.Framable() {
		// X-Frame-Options knows no single origin: a framable page (the checkout
		// in embed mode) relies on its CSP's frame-ancestors alone.
		h.Set("X-Frame-Options", "DENY")
	}
	h.Set("Content-Security-Policy", pol.String())
	rw.WriteHeader(status)
	if r.Method != http.MethodHead {
		rw.Write(buf.Bytes())
	}
}

// renderBuffers are the buffers pages execute into, reused across requests.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putRenderBuffer gives buf back to renderBuffers, unless a rare huge page grew it.
func putRenderBuffer(buf *bytes.Buffer) {
	if buf.Cap() <= 1<<20 {
		buf.Reset()
		renderBuffers.Put(buf)
	}
}

// RenderPart writes one named template of a page alone, without the layout:
// the fragment a script swaps into the page it already shows.
func (s *Site) RenderPart(rw http.ResponseWriter, r *http.Request, status int, page, part string, data any) {
	var buf bytes.Buffer
	t, ok := s.pages[page]
	if !ok {
		s.Log.ErrorContext(r.Context(), "unknown page", "page", page)
		http.Error(rw, "internal server error", http.StatusInternalServerError)
		return
	}
	if err := t.ExecuteTemplate(&buf, part, data); err != nil {
		s.Log.ErrorContext(r.Context(), "render page part", "page", page, "part", part, "err", err)
		http.Error(rw, "internal server error", http.StatusInternalServerError)
		return
	}
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.Header().Set("X-Content-Type-Options", "nosniff")
	rw.WriteHeader(status)
	rw.Write(buf.Bytes())
}

// Fragment executes the template part of page with data, for a caller that
// keeps the HTML to show again (part's output depends on data alone). It is
// html/template's own output, escaped as in the page.
func (s *Site) Fragment(page, part string, data any) (template.HTML, error) {
	t, ok := s.pages[page]
	if !ok {
		return "", fmt.Errorf("unknown page %q", page)
	}
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, part, data); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

// Static serves the embedded assets under /static/.
func Static() http.Handler {
	static, _ := fs.Sub(staticFS, "static")
	return http.StripPrefix("/static/", cacheForever(http.FileServerFS(static)))
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
	// RequestID is shown on an error page, for a customer to quote.
	RequestID string
}

// Link is a link a page offers.
type Link struct {
	URL   string
	Label string
}

// Fail renders err as a page: the *paylink.Error's message with its status, or a
// generic 500 (logged) for anything else.
func (s *Site) Fail(rw http.ResponseWriter, r *http.Request, err error) {
	var e *paylink.Error
	if !errors.As(err, &e) || e.Code == paylink.EInternal {
		s.Log.ErrorContext(r.Context(), "page error", "route", r.Pattern, "err", err) // the pattern, never the path: paths hold secrets
		s.Render(rw, r, http.StatusInternalServerError, "message", Message{Title: "Something went wrong",
			Heading: "Something went wrong", Message: "We could not open this page. Please try again in a moment.",
			RequestID: httperr.RequestID(r.Context())})
		return
	}
	status := httperr.Status(e)
	heading := map[int]string{404: "Link not found", 410: "This link is no longer available", 403: "Not available"}[status]
	if heading == "" {
		heading = "Something is not right"
	}
	s.Render(rw, r, status, "message", Message{Title: heading, Heading: heading, Message: e.Message,
		RequestID: httperr.RequestID(r.Context())})
}
