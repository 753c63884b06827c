package files

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"strings"

	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

func badPart(format string, args ...any) error {
	return &paylink.Error{Code: paylink.EBadRequest, Name: "BadRequest", Message: fmt.Sprintf(format, args...)}
}

// PutPart stores one part of an upload from body, as the signed URL of
// Create allows: body must be exactly the part's declared size and, when one
// was declared, have its SHA-256 (also when a checksum header is sent, it must
// be that one). The part streams to the storage while it is hashed, so a part
// of any size costs a few buffers of memory. It returns the part's ETag (its
// SHA-256 in hex, quoted), which the completion names. A part may be sent
// again (a retry after a failure) until the upload completes. Errors:
// EForbidden for a bad signature, EGone for an expired one, ENotFound for a
// file that is gone or complete, EBadRequest for a wrong size or checksum.
func (s *Service) PutPart(ctx context.Context, fileID string, number int, q url.Values, body io.Reader,
	contentLength int64, checksumHeader string) (string, error) {
	if _, err := s.sign.verify("part", partID(fileID, number), q, s.now()); err != nil {
		return "", err
	}
	var f *paylink.File
	if err := s.Store.Read(ctx, func(tx *store.Tx) error {
		var err error
		f, err = tx.FileGetByID(ctx, fileID)
		return err
	}); err != nil {
		return "", err
	}
	if f.IsUploaded {
		return "", paylink.NotFound("file upload")
	}
	if number < 1 || number > len(f.Parts) {
		return "", paylink.NotFound("file upload part")
	}
	part := f.Parts[number-1]
	size := part.Size()
	if contentLength >= 0 && contentLength != size {
		return "", badPart("part %d must be %d bytes, not %d", number, size, contentLength)
	}
	if checksumHeader != "" && part.ChecksumSHA256 != nil && checksumHeader != *part.ChecksumSHA256 {
		return "", badPart("the x-amz-checksum-sha256 header is not part %d's declared checksum", number)
	}
	sum, err := s.writeBlob(ctx, f.PartKey(number), "application/octet-stream", func(w io.Writer) error {
		n, err := io.Copy(w, io.LimitReader(body, size+1))
		if err != nil {
			return err
		}
		if n != size {
			return badPart("part %d must be %d bytes, got %d", number, size, n)
		}
		return nil
	}, func(sum []byte) error {
		if part.ChecksumSHA256 != nil && base64.StdEncoding.EncodeToString(sum) != *part.ChecksumSHA256 {
			return badPart("part %d's content does not have its declared SHA-256", number)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	etag := `"` + hex.EncodeToString(sum) + `"`
	err = s.Store.InTx(ctx, func(tx *store.Tx) error { return tx.FilePartUploaded(ctx, fileID, number, etag, s.now()) })
	return etag, err
}

// writeBlob writes key from fill while hashing it, and keeps it only when
// check accepts the SHA-256 of what was written; on any error the write is
// abandoned and the key left as it was.
func (s *Service) writeBlob(ctx context.Context, key, contentType string, fill func(io.Writer) error,
	check func(sum []byte) error) ([]byte, error) {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := s.Bucket.NewWriter(wctx, key, &blob.WriterOptions{ContentType: contentType})
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	err = fill(io.MultiWriter(w, h))
	var sum []byte
	if err == nil {
		sum = h.Sum(nil)
		err = check(sum)
	}
	if err != nil {
		cancel() // a canceled context makes Close abandon the write
		_ = w.Close()
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return sum, nil
}

// CompletedPart is Polar's S3FileUploadCompletedPart.
type CompletedPart struct {
	Number         int
	ChecksumETag   string
	ChecksumSHA256 *string
}

// Completed is Polar's FileUploadCompleted: the upload's id and path, as Create
// answered them, and the parts with the ETags their PUTs answered.
type Completed struct {
	UploadID, Path string
	Parts          []CompletedPart
}

// Complete finishes an upload: every declared part must have arrived, with
// the ETags the client names; the parts are streamed in order into the file's
// object while it is hashed, and the file is kept only when its SHA-256 is
// the declared one. Completing an upload again answers the file as it is.
// Errors: ENotFound, EInvalid at body fields.
func (s *Service) Complete(ctx context.Context, orgID, id string, c Completed) (*paylink.File, error) {
	f, err := s.Get(ctx, orgID, id)
	if err != nil {
		return nil, err
	}
	var probs paylink.Problems
	if c.UploadID != f.UploadID {
		probs.Add("is not the id of this file's upload", c.UploadID, "body", "id")
	}
	if c.Path != f.Key() {
		probs.Add("is not the path of this file's upload", c.Path, "body", "path")
	}
	if err := probs.Err(); err != nil || f.IsUploaded {
		return f, err
	}
	if err := checkCompletedParts(f, c.Parts); err != nil {
		return nil, err
	}
	var size int64
	sum, err := s.writeBlob(ctx, f.Key(), f.MimeType, func(w io.Writer) error {
		for _, p := range f.Parts {
			n, err := s.copyBlob(ctx, w, f.PartKey(p.Number))
			if err != nil {
				return err
			}
			size += n
		}
		return nil
	}, func(sum []byte) error {
		if size != f.Size {
			return paylink.Invalid(paylink.FieldInvalid(fmt.Sprintf("the parts hold %d bytes, not the file's %d", size, f.Size), size, "body", "parts"))
		}
		if f.ChecksumSHA256 != nil && base64.StdEncoding.EncodeToString(sum) != *f.ChecksumSHA256 {
			return paylink.Invalid(paylink.FieldInvalid("the uploaded file does not have the SHA-256 declared when it was created", nil, "body", "parts"))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	up := store.FileUploadedParams{SHA256Base64: base64.StdEncoding.EncodeToString(sum), SHA256Hex: hex.EncodeToString(sum),
		ETag: `"` + hex.EncodeToString(sum) + `"`, At: s.now()}
	if err := s.Store.InTx(ctx, func(tx *store.Tx) error { return tx.FileMarkUploaded(ctx, id, up) }); err != nil && !paylink.IsCode(err, paylink.ENotFound) {
		return nil, err // ENotFound: a concurrent completion won, with the same bytes
	}
	for _, p := range f.Parts {
		if err := s.Bucket.Delete(ctx, f.PartKey(p.Number)); err != nil && !isNotExist(err) {
			s.Log.Warn("files: could not delete an upload part", "file_id", id, "part", p.Number, "err", err)
		}
	}
	return s.Get(ctx, orgID, id)
}

// checkCompletedParts answers 422 unless parts names every declared part, in
// order, each uploaded with the ETag given.
func checkCompletedParts(f *paylink.File, parts []CompletedPart) error {
	var probs paylink.Problems
	if len(parts) != len(f.Parts) {
		probs.Add(fmt.Sprintf("must list the %d parts of the upload", len(f.Parts)), len(parts), "body", "parts")
		return probs.Err()
	}
	for i, p := range parts {
		want := f.Parts[i]
		switch {
		case p.Number != want.Number:
			probs.Add(fmt.Sprintf("expected part %d", want.Number), p.Number, "body", "parts", i, "number")
		case !want.Uploaded:
			probs.Add("this part was not uploaded", p.Number, "body", "parts", i, "number")
		case strings.Trim(strings.TrimSpace(p.ChecksumETag), `"`) != strings.Trim(want.ETag, `"`):
			probs.Add("is not the ETag of the uploaded part", p.ChecksumETag, "body", "parts", i, "checksum_etag")
		}
	}
	return probs.Err()
}

// copyBlob streams key's content to w.
func (s *Service) copyBlob(ctx context.Context, w io.Writer, key string) (int64, error) {
	r, err := s.Bucket.NewReader(ctx, key, nil)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	return io.Copy(w, r)
}

func isNotExist(err error) bool { return gcerrors.Code(err) == gcerrors.NotFound }
