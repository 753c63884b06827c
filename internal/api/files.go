package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/files"
	"github.com/paylink/paylink/internal/store"
)

// FileReadJSON is what Polar's DownloadableFileRead, ProductMediaFileRead and
// OrganizationAvatarFileRead share; the public ones add public_url.
type FileReadJSON struct {
	ID                   string     `json:"id"`
	OrganizationID       string     `json:"organization_id"`
	Name                 string     `json:"name"`
	Path                 string     `json:"path"`
	MimeType             string     `json:"mime_type"`
	Size                 int64      `json:"size"`
	StorageVersion       *string    `json:"storage_version"`
	ChecksumETag         *string    `json:"checksum_etag"`
	ChecksumSHA256Base64 *string    `json:"checksum_sha256_base64"`
	ChecksumSHA256Hex    *string    `json:"checksum_sha256_hex"`
	LastModifiedAt       *time.Time `json:"last_modified_at"`
	Version              *string    `json:"version"`
	Service              string     `json:"service"`
	IsUploaded           bool       `json:"is_uploaded"`
	CreatedAt            time.Time  `json:"created_at"`
	SizeReadable         string     `json:"size_readable"`
	PublicURL            *string    `json:"public_url,omitempty"`
}

// FileJSON renders a file as Polar's FileRead of its service.
func FileJSON(base string, f *paylink.File) FileReadJSON {
	out := FileReadJSON{ID: f.ID, OrganizationID: f.OrganizationID, Name: f.Name, Path: f.Key(), MimeType: f.MimeType,
		Size: f.Size, ChecksumETag: f.ChecksumETag, ChecksumSHA256Base64: f.ChecksumSHA256, ChecksumSHA256Hex: f.ChecksumHex,
		LastModifiedAt: f.LastModifiedAt, Version: f.Version, Service: f.Service, IsUploaded: f.IsUploaded,
		CreatedAt: f.CreatedAt, SizeReadable: paylink.ReadableSize(f.Size)}
	if f.IsPublic() {
		u := base + files.PublicPath(f)
		out.PublicURL = &u
	}
	return out
}

// fileUploadJSON is Polar's FileUpload: the file and where to PUT its parts.
type fileUploadJSON struct {
	FileReadJSON
	Upload struct {
		ID    string           `json:"id"`
		Path  string           `json:"path"`
		Parts []uploadPartJSON `json:"parts"`
	} `json:"upload"`
}

// uploadPartJSON is Polar's S3FileUploadPart.
type uploadPartJSON struct {
	Number         int               `json:"number"`
	ChunkStart     int64             `json:"chunk_start"`
	ChunkEnd       int64             `json:"chunk_end"`
	ChecksumSHA256 *string           `json:"checksum_sha256_base64"`
	URL            string            `json:"url"`
	ExpiresAt      time.Time         `json:"expires_at"`
	Headers        map[string]string `json:"headers"`
}

// fileCreateBody is Polar's FileCreate.
type fileCreateBody struct {
	OrganizationID Opt[string] `json:"organization_id"`
	Name           *string     `json:"name"`
	MimeType       *string     `json:"mime_type"`
	Size           *int64      `json:"size"`
	ChecksumSHA256 *string     `json:"checksum_sha256_base64"`
	Service        *string     `json:"service"`
	Version        *string     `json:"version"`
	Upload         *struct {
		Parts []paylink.FilePart `json:"parts"`
	} `json:"upload"`
}

func (a *API) fileCreate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var b fileCreateBody
	if err := Decode(r, &b); err != nil {
		return err
	}
	var probs paylink.Problems
	if o := b.OrganizationID; o.Set && !o.Null && !strings.EqualFold(o.Value, p.OrgID) {
		probs.Add("an organization token can only act on its own organization", o.Value, "body", "organization_id")
	}
	required := map[string]bool{"name": b.Name != nil, "mime_type": b.MimeType != nil, "size": b.Size != nil,
		"service": b.Service != nil, "upload": b.Upload != nil}
	for _, f := range []string{"name", "mime_type", "size", "service", "upload"} {
		if !required[f] {
			probs = append(probs, paylink.FieldError{Loc: []any{"body", f}, Msg: "Field required", Type: "missing"})
		}
	}
	if err := probs.Err(); err != nil {
		return err
	}
	f, parts, err := a.Files.Create(r.Context(), p.OrgID, paylink.FileCreateParams{Service: *b.Service, Name: *b.Name,
		MimeType: *b.MimeType, Size: *b.Size, ChecksumSHA256: b.ChecksumSHA256, Version: b.Version, Parts: b.Upload.Parts})
	if err != nil {
		return err
	}
	out := fileUploadJSON{FileReadJSON: FileJSON(a.PublicURL, f)}
	out.PublicURL = nil // FileUpload has no public_url
	out.Upload.ID, out.Upload.Path, out.Upload.Parts = f.UploadID, f.Key(), make([]uploadPartJSON, len(parts))
	for i, u := range parts {
		out.Upload.Parts[i] = uploadPartJSON{Number: u.Number, ChunkStart: u.ChunkStart, ChunkEnd: u.ChunkEnd,
			ChecksumSHA256: u.ChecksumSHA256, URL: u.URL, ExpiresAt: u.ExpiresAt, Headers: u.Headers}
	}
	WriteJSON(w, http.StatusCreated, out)
	return nil
}

// fileUploadedBody is Polar's FileUploadCompleted.
type fileUploadedBody struct {
	ID    *string `json:"id"`
	Path  *string `json:"path"`
	Parts *[]struct {
		Number         *int    `json:"number"`
		ChecksumETag   *string `json:"checksum_etag"`
		ChecksumSHA256 *string `json:"checksum_sha256_base64"`
	} `json:"parts"`
}

func (a *API) fileUploaded(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "file")
	if err != nil {
		return err
	}
	var b fileUploadedBody
	if err := Decode(r, &b); err != nil {
		return err
	}
	var probs paylink.Problems
	missing := func(loc ...any) {
		probs = append(probs, paylink.FieldError{Loc: append([]any{"body"}, loc...), Msg: "Field required", Type: "missing"})
	}
	if b.ID == nil {
		missing("id")
	}
	if b.Path == nil {
		missing("path")
	}
	c := files.Completed{}
	if b.Parts == nil {
		missing("parts")
	} else {
		for i, part := range *b.Parts {
			if part.Number == nil {
				missing("parts", i, "number")
			}
			if part.ChecksumETag == nil {
				missing("parts", i, "checksum_etag")
			}
			if part.Number != nil && part.ChecksumETag != nil {
				c.Parts = append(c.Parts, files.CompletedPart{Number: *part.Number, ChecksumETag: *part.ChecksumETag,
					ChecksumSHA256: part.ChecksumSHA256})
			}
		}
	}
	if err := probs.Err(); err != nil {
		return err
	}
	c.UploadID, c.Path = *b.ID, *b.Path
	f, err := a.Files.Complete(r.Context(), p.OrgID, id, c)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, FileJSON(a.PublicURL, f))
	return nil
}

func (a *API) fileList(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var probs paylink.Problems
	page, list := parseList(r, &probs, map[string]string{"created_at": "f.created_at", "name": "f.name"}, "")
	orgIDs, err := QueryIDs(r, "organization_id")
	mergeProblems(&probs, err)
	ids, err := QueryIDs(r, "ids")
	mergeProblems(&probs, err)
	if err := probs.Err(); err != nil {
		return err
	}
	params := store.FileListParams{OrganizationID: p.OrgID, IDs: ids, ListParams: list}
	return writeList(a, w, r, page, otherOrgsOnly(orgIDs, p),
		func(tx *store.Tx) ([]*paylink.File, int, error) { return tx.FileList(r.Context(), params) },
		func(_ *loader, f *paylink.File) (any, error) { return FileJSON(a.PublicURL, f), nil })
}

// filePatchBody is Polar's FilePatch.
type filePatchBody struct {
	Name    *string `json:"name"`
	Version *string `json:"version"`
}

func (a *API) fileUpdate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "file")
	if err != nil {
		return err
	}
	var b filePatchBody
	if err := Decode(r, &b); err != nil {
		return err
	}
	f, err := a.Files.Patch(r.Context(), p.OrgID, id, paylink.FilePatch{Name: b.Name, Version: b.Version})
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, FileJSON(a.PublicURL, f))
	return nil
}

func (a *API) fileDelete(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "file")
	if err != nil {
		return err
	}
	if err := a.Files.Delete(r.Context(), p.OrgID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// mediasJSON renders a product's images as Polar's ProductMediaFileRead.
func mediasJSON(base string, medias []*paylink.File) []any {
	out := make([]any, len(medias))
	for i, f := range medias {
		out[i] = FileJSON(base, f)
	}
	return out
}
