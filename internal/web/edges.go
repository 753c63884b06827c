package web

import (
	"io/fs"
	"net/http"
	"strings"
)

// EdgeRoutes registers what a person typing the server's address meets first:
// / and /dashboard/ lead to the dashboard (signed out: its sign-in page), the
// browser's /favicon.ico is served, and any other path no route claims gets an
// HTML "Page not found" instead of Go's bare text. The more specific patterns of
// /v1/, /buy/ and /checkout/ still win, so their own not-found answers stay.
func (s *Site) EdgeRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, DashPath, http.StatusSeeOther)
	})
	mux.HandleFunc("GET "+DashPath+"/{$}", func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, DashPath, http.StatusMovedPermanently)
	})
	icon, err := fs.ReadFile(staticFS, "static/favicon.ico")
	if err != nil {
		panic(err) // embedded at build time: missing is a programming error
	}
	mux.HandleFunc("GET /favicon.ico", func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "image/x-icon")
		rw.Header().Set("Cache-Control", "public, max-age=86400")
		rw.Write(icon)
	})
	mux.HandleFunc("/", func(rw http.ResponseWriter, r *http.Request) {
		if allow := otherMethods(mux, r); allow != "" {
			// A known path asked with another method stays a 405, as before the
			// catch-all existed.
			rw.Header().Set("Allow", allow)
			http.Error(rw, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		s.notFound(rw, r)
	})
}

// otherMethods lists the methods that some route other than the catch-all
// serves at r's path ("" when none does: the path is unknown).
func otherMethods(mux *http.ServeMux, r *http.Request) string {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if m == r.Method || (m == http.MethodGet && r.Method == http.MethodHead) {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := mux.Handler(probe); pattern != "" && pattern != "/" {
			allow = append(allow, m)
		}
	}
	return strings.Join(allow, ", ")
}

// notFound renders the HTML 404 page; under /dashboard it offers the way back.
func (s *Site) notFound(rw http.ResponseWriter, r *http.Request) {
	page := Message{Title: "Page not found", Heading: "Page not found",
		Message: "There is no page at this address. Check the link, or go back to where you came from."}
	if r.URL.Path == DashPath || strings.HasPrefix(r.URL.Path, DashPath+"/") {
		page.Action = &Link{URL: DashPath, Label: "Go to the dashboard"}
	}
	s.Render(rw, r, http.StatusNotFound, "message", page)
}
