package files

import (
	"context"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// PublicPath is where a public file (a product image, a logo) is served.
func PublicPath(f *paylink.File) string { return "/files/public/" + f.ID }

// DownloadURL signs a URL that downloads the file until it expires (after
// DownloadURLTTL). scope is carried in the URL under the signature and handed
// to the download handler's check: the downloadables benefit puts the grant's
// id there, so that the check can count the download and refuse a revoked
// grant.
func (s *Service) DownloadURL(fileID, scope string) (string, time.Time) {
	return s.downloadURL(fileID, scope, DownloadURLTTL)
}

// MailDownloadURL is DownloadURL for an email (the receipt): valid for
// MailDownloadURLTTL, since an email is read later. The download check still
// runs on every use, so a revoked grant's link answers 403 all the same.
func (s *Service) MailDownloadURL(fileID, scope string) (string, time.Time) {
	return s.downloadURL(fileID, scope, MailDownloadURLTTL)
}

func (s *Service) downloadURL(fileID, scope string, ttl time.Duration) (string, time.Time) {
	expires := s.now().Add(ttl).Truncate(time.Second)
	return s.BaseURL + "/files/download/" + fileID + "?" + s.sign.sign("download", fileID, scope, expires), expires
}

// VerifyDownload checks a download URL's query for the file: its scope, or
// EForbidden (bad signature) or EGone (expired).
func (s *Service) VerifyDownload(fileID string, q url.Values) (string, error) {
	return s.sign.verify("download", fileID, q, s.now())
}

// DownloadCheck decides whether a verified download URL may still be used:
// it is called with the file and the URL's scope before any byte is sent, and
// its error (EForbidden, EGone…) is the answer. It is where a download is
// counted; a resumed download (a Range request) calls it again.
type DownloadCheck func(ctx context.Context, f *paylink.File, scope string, r *http.Request) error

// Routes registers the part uploads, the public files and the downloads.
// check guards every download; nil allows any validly signed URL.
func (s *Service) Routes(mux *http.ServeMux, check DownloadCheck, writeErr func(http.ResponseWriter, *http.Request, error)) {
	mux.HandleFunc("PUT /v1/files/{id}/parts/{number}", func(w http.ResponseWriter, r *http.Request) {
		if err := s.servePart(w, r); err != nil {
			writeErr(w, r, err)
		}
	})
	mux.HandleFunc("GET /files/public/{id}", func(w http.ResponseWriter, r *http.Request) {
		if err := s.servePublic(w, r); err != nil {
			http.Error(w, "not found", http.StatusNotFound)
		}
	})
	mux.HandleFunc("GET /files/download/{id}", func(w http.ResponseWriter, r *http.Request) {
		if err := s.serveDownload(w, r, check); err != nil {
			writeErr(w, r, err)
		}
	})
}

func (s *Service) servePart(w http.ResponseWriter, r *http.Request) error {
	id := strings.ToLower(r.PathValue("id"))
	number, err := strconv.Atoi(r.PathValue("number"))
	if !paylink.ValidID(id) || err != nil {
		return paylink.NotFound("file upload part")
	}
	// A part may be large and the link slow: it gets until its URL expires,
	// instead of the server's short body deadline.
	if exp, err := strconv.ParseInt(r.URL.Query().Get("expires"), 10, 64); err == nil {
		_ = http.NewResponseController(w).SetReadDeadline(time.Unix(exp, 0).Add(time.Minute))
	}
	etag, err := s.PutPart(r.Context(), id, number, r.URL.Query(), r.Body, r.ContentLength, r.Header.Get("x-amz-checksum-sha256"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag)
	// The dashboard's uploader and Polar's read the ETag from a cross-origin answer too.
	w.Header().Set("Access-Control-Expose-Headers", "ETag")
	w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Service) servePublic(w http.ResponseWriter, r *http.Request) error {
	id := strings.ToLower(r.PathValue("id"))
	if !paylink.ValidID(id) {
		return paylink.NotFound("file")
	}
	var f *paylink.File
	if err := s.Store.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		f, err = tx.FileGetByID(r.Context(), id)
		return err
	}); err != nil {
		return err
	}
	if !f.IsPublic() || !f.IsUploaded {
		return paylink.NotFound("file")
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	return s.serveContent(w, r, f, "inline")
}

func (s *Service) serveDownload(w http.ResponseWriter, r *http.Request, check DownloadCheck) error {
	id := strings.ToLower(r.PathValue("id"))
	if !paylink.ValidID(id) {
		return paylink.NotFound("file")
	}
	scope, err := s.VerifyDownload(id, r.URL.Query())
	if err != nil {
		return err
	}
	var f *paylink.File
	if err := s.Store.Read(r.Context(), func(tx *store.Tx) error {
		f, err = tx.FileGetByID(r.Context(), id)
		return err
	}); err != nil {
		return err
	}
	if !f.IsUploaded {
		return paylink.NotFound("file")
	}
	if check != nil {
		if err := check(r.Context(), f, scope, r); err != nil {
			return err
		}
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return s.serveContent(w, r, f, "attachment")
}

// serveContent streams the file with Range support (http.ServeContent over a
// seekable blob reader: a resumed download reads only what is missing). The
// answer runs no script whatever the file holds: an SVG logo or an HTML
// "download" opened in the browser is sandboxed and never sniffed.
func (s *Service) serveContent(w http.ResponseWriter, r *http.Request, f *paylink.File, disposition string) error {
	rd, err := s.Bucket.NewReader(r.Context(), f.Key(), nil)
	if err != nil {
		return err
	}
	defer rd.Close()
	h := w.Header()
	h.Set("Content-Type", f.MimeType)
	cd := mime.FormatMediaType(disposition, map[string]string{"filename": f.Name})
	if cd == "" { // a name mime cannot quote
		cd = disposition
	}
	h.Set("Content-Disposition", cd)
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	h.Set("X-Content-Type-Options", "nosniff")
	if f.ChecksumETag != nil {
		h.Set("ETag", *f.ChecksumETag)
	}
	mod := rd.ModTime()
	if f.LastModifiedAt != nil {
		mod = *f.LastModifiedAt
	}
	http.ServeContent(w, r, "", mod, rd)
	return nil
}
