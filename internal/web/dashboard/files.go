package dashboard

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/files"
	"github.com/paylink/paylink/internal/httperr"
)

// uploadJSON is what the uploader needs of a created upload.
type uploadJSON struct {
	ID       string           `json:"id"`
	UploadID string           `json:"upload_id"`
	Path     string           `json:"path"`
	Out      []map[string]any `json:"parts"`
}

// fileCreate takes the form fields service, name, mime_type, size,
// checksum_sha256_base64 and parts (Polar's parts, as JSON).
func (w *Dashboard) fileCreate(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	f := r.PostForm
	size, _ := strconv.ParseInt(f.Get("size"), 10, 64)
	in := paylink.FileCreateParams{Service: f.Get("service"), Name: f.Get("name"), MimeType: f.Get("mime_type"), Size: size}
	if c := f.Get("checksum_sha256_base64"); c != "" {
		in.ChecksumSHA256 = &c
	}
	if err := json.Unmarshal([]byte(f.Get("parts")), &in.Parts); err != nil {
		return uploadFail(rw, paylink.Invalid(paylink.FieldInvalid("the parts could not be read", nil, "body", "upload", "parts")))
	}
	file, parts, err := w.Files.Create(r.Context(), s.Org.ID, in)
	if err != nil {
		return uploadFail(rw, err)
	}
	out := uploadJSON{ID: file.ID, UploadID: file.UploadID, Path: file.Key()}
	for _, p := range parts {
		out.Out = append(out.Out, map[string]any{"number": p.Number, "chunk_start": p.ChunkStart, "chunk_end": p.ChunkEnd,
			"url": p.URL, "headers": p.Headers})
	}
	writeJSON(rw, http.StatusCreated, out)
	return nil
}

// fileUploaded takes upload_id, path and parts ([{number, checksum_etag}], JSON).
func (w *Dashboard) fileUploaded(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	id, err := pathID(r, "file")
	if err != nil {
		return uploadFail(rw, err)
	}
	var parts []struct {
		Number int    `json:"number"`
		ETag   string `json:"checksum_etag"`
	}
	if err := json.Unmarshal([]byte(r.PostForm.Get("parts")), &parts); err != nil {
		return uploadFail(rw, paylink.Invalid(paylink.FieldInvalid("the parts could not be read", nil, "body", "parts")))
	}
	c := files.Completed{UploadID: r.PostForm.Get("upload_id"), Path: r.PostForm.Get("path")}
	for _, p := range parts {
		c.Parts = append(c.Parts, files.CompletedPart{Number: p.Number, ChecksumETag: p.ETag})
	}
	f, err := w.Files.Complete(r.Context(), s.Org.ID, id, c)
	if err != nil {
		return uploadFail(rw, err)
	}
	writeJSON(rw, http.StatusOK, map[string]any{"id": f.ID, "name": f.Name, "size_readable": paylink.ReadableSize(f.Size),
		"public_url": publicURLOf(f)})
	return nil
}

// publicURLOf is where a product image or a logo is shown; "" for others.
func publicURLOf(f *paylink.File) string {
	if !f.IsPublic() {
		return ""
	}
	return files.PublicPath(f)
}

// uploadFail answers the uploader's JSON with the error's status and a
// message it can show; an internal error goes on to the usual 500 page.
func uploadFail(rw http.ResponseWriter, err error) error {
	code := paylink.ErrorCode(err)
	if code == paylink.EInternal {
		return err
	}
	msg := err.Error()
	if e, ok := err.(*paylink.Error); ok {
		msg = e.Message
		if len(e.Fields) > 0 {
			var ms []string
			for _, f := range e.Fields {
				ms = append(ms, sentence(f.Msg))
			}
			msg = strings.Join(ms, " ")
		}
	}
	writeJSON(rw, httperr.Status(err), map[string]any{"error": msg})
	return nil
}

func writeJSON(rw http.ResponseWriter, status int, v any) {
	rw.Header().Set("Content-Type", "application/json")
	rw.Header().Set("X-Content-Type-Options", "nosniff")
	rw.WriteHeader(status)
	json.NewEncoder(rw).Encode(v) //nolint:errcheck // the client went away
}
