// Package files is the one home of paylink's files: Polar's multipart upload
// protocol (create, PUT the parts to signed URLs, complete), their storage in a
// gocloud.dev/blob bucket, public product images and logos, and signed,
// resumable downloads. The API, the dashboard and the downloadables benefit
// call the same functions.
package files

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"gocloud.dev/blob"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// How long the URLs paylink signs stay valid. A part's URL must outlive the
// upload of every part before it (parts go one after another), so it gets an
// hour, as S3's presigned part URLs usually do; a download link is meant to be
// used at once, and a new one is issued on every visit of the page showing it;
// the receipt email's links last a week (the portal issues new ones after).
const (
	PartURLTTL         = time.Hour
	DownloadURLTTL     = 10 * time.Minute
	MailDownloadURLTTL = 7 * 24 * time.Hour
)

// Service is the files use cases. Its fields are its dependencies.
type Service struct {
	Store   *store.Store
	Bucket  *blob.Bucket
	BaseURL string // paylink's public URL, no trailing slash: the base of every URL it signs
	Now     func() time.Time
	Log     *slog.Logger
	sign    signer
}

// New returns the service, loading (or making, on a new database) the key
// that signs its URLs.
func New(ctx context.Context, s *store.Store, bucket *blob.Bucket, publicURL string, log *slog.Logger) (*Service, error) {
	key, err := s.ServerSecret(ctx, "files_url_signing")
	if err != nil {
		return nil, fmt.Errorf("files: signing key: %w", err)
	}
	return &Service{Store: s, Bucket: bucket, BaseURL: publicURL, Now: paylink.Now, Log: log,
		sign: signer{key: []byte(key)}}, nil
}

func (s *Service) now() time.Time { return s.Now().UTC() }

// UploadPart is one part of a created upload, with the URL to PUT it to.
type UploadPart struct {
	paylink.FilePart
	URL       string
	ExpiresAt time.Time
	Headers   map[string]string
}

// Create validates a FileCreate and records the file, not uploaded yet, and
// returns it with a signed URL for each part. Errors: EInvalid at body fields.
func (s *Service) Create(ctx context.Context, orgID string, in paylink.FileCreateParams) (*paylink.File, []UploadPart, error) {
	if err := in.Validate(); err != nil {
		return nil, nil, err
	}
	f := &paylink.File{ID: paylink.NewID(), OrganizationID: orgID, Service: in.Service, Name: in.Name,
		MimeType: in.MimeType, Size: in.Size, Version: in.Version, ChecksumSHA256: in.ChecksumSHA256,
		Parts: in.Parts, UploadID: paylink.NewID(), CreatedAt: s.now()}
	if err := s.Store.InTx(ctx, func(tx *store.Tx) error { return tx.FileCreate(ctx, f) }); err != nil {
		return nil, nil, err
	}
	return f, s.uploadParts(f), nil
}

func (s *Service) uploadParts(f *paylink.File) []UploadPart {
	expires := s.now().Add(PartURLTTL).Truncate(time.Second)
	out := make([]UploadPart, len(f.Parts))
	for i, p := range f.Parts {
		out[i] = UploadPart{FilePart: p, ExpiresAt: expires, Headers: map[string]string{},
			URL: s.BaseURL + partPath(f.ID, p.Number) + "?" + s.sign.sign("part", partID(f.ID, p.Number), "", expires)}
		if p.ChecksumSHA256 != nil {
			// What S3 asks for; paylink checks it against the part's declared checksum.
			out[i].Headers["x-amz-checksum-sha256"] = *p.ChecksumSHA256
			out[i].Headers["x-amz-sdk-checksum-algorithm"] = "SHA256"
		}
	}
	return out
}

func partPath(fileID string, number int) string {
	return fmt.Sprintf("/v1/files/%s/parts/%d", fileID, number)
}

func partID(fileID string, number int) string { return fmt.Sprintf("%s/%d", fileID, number) }

// Get returns one of the organization's live files; ENotFound otherwise.
func (s *Service) Get(ctx context.Context, orgID, id string) (*paylink.File, error) {
	var f *paylink.File
	err := s.Store.Read(ctx, func(tx *store.Tx) error {
		var err error
		f, err = tx.FileGet(ctx, orgID, id)
		return err
	})
	return f, err
}

// Patch renames a file or sets its version. Errors: ENotFound, EInvalid.
func (s *Service) Patch(ctx context.Context, orgID, id string, p paylink.FilePatch) (*paylink.File, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		f, err := tx.FileLock(ctx, orgID, id)
		if err != nil {
			return err
		}
		name, version := f.Name, f.Version
		if p.Name != nil {
			name = *p.Name
		}
		if p.Version != nil {
			version = p.Version
		}
		return tx.FilePatch(ctx, id, name, version, s.now())
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, orgID, id)
}

// Delete soft-deletes a file (it leaves the products and the logo it was
// on) and then removes its content from the storage. Errors: ENotFound.
func (s *Service) Delete(ctx context.Context, orgID, id string) error {
	var f *paylink.File
	if err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if f, err = tx.FileGet(ctx, orgID, id); err != nil {
			return err
		}
		return tx.FileDelete(ctx, id, s.now())
	}); err != nil {
		return err
	}
	s.removeBlobs(ctx, f)
	return nil
}

// removeBlobs deletes a file's content and parts; a failure only leaves an
// orphan in the storage, which is logged.
func (s *Service) removeBlobs(ctx context.Context, f *paylink.File) {
	keys := []string{f.Key()}
	for _, p := range f.Parts {
		keys = append(keys, f.PartKey(p.Number))
	}
	for _, k := range keys {
		if err := s.Bucket.Delete(ctx, k); err != nil && !isNotExist(err) {
			s.Log.Warn("files: could not delete from the storage", "key", k, "err", err)
		}
	}
}
