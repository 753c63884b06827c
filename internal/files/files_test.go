package files_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/files"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// storages opens each storage paylink supports: a folder, and an in-process
// S3-compatible server reached through s3blob.
func storages(t *testing.T) map[string]string {
	backend := s3mem.New()
	if err := backend.CreateBucket("paylink"); err != nil {
		t.Fatal(err)
	}
	s3 := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(s3.Close)
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	return map[string]string{
		"file": "file://" + filepath.ToSlash(t.TempDir()),
		"s3":   "s3://paylink?endpoint=" + url.QueryEscape(s3.URL) + "&region=us-east-1&use_path_style=true&disable_https=true",
	}
}

// rig is a files service on a real store and storage, served over HTTP.
type rig struct {
	svc   *files.Service
	srv   *httptest.Server
	org   *paylink.Organization
	check files.DownloadCheck
}

func newRig(t *testing.T, s *store.Store, storageURL string) *rig {
	ctx := context.Background()
	bucket, err := files.OpenStorage(ctx, storageURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bucket.Close() })
	rg := &rig{org: storetest.Org(t, s, "Files Shop "+paylink.NewID()[28:])}
	mux := http.NewServeMux()
	rg.srv = httptest.NewServer(mux)
	t.Cleanup(rg.srv.Close)
	if rg.svc, err = files.New(ctx, s, bucket, rg.srv.URL, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	rg.svc.Routes(mux, func(ctx context.Context, f *paylink.File, scope string, r *http.Request) error {
		if rg.check != nil {
			return rg.check(ctx, f, scope, r)
		}
		return nil
	}, func(w http.ResponseWriter, r *http.Request, err error) {
		status := map[paylink.Code]int{paylink.EForbidden: 403, paylink.EGone: 410, paylink.ENotFound: 404,
			paylink.EBadRequest: 400, paylink.EInvalid: 422}[paylink.ErrorCode(err)]
		if status == 0 {
			t.Errorf("unexpected error: %v", err)
			status = 500
		}
		http.Error(w, err.Error(), status)
	})
	return rg
}

func b64(b []byte) *string {
	s := sha256.Sum256(b)
	v := base64.StdEncoding.EncodeToString(s[:])
	return &v
}

// params cuts content into parts of partSize, as a client declares them.
func params(name string, content []byte, partSize int) paylink.FileCreateParams {
	p := paylink.FileCreateParams{Service: paylink.FileDownloadable, Name: name, MimeType: "application/zip",
		Size: int64(len(content)), ChecksumSHA256: b64(content)}
	for start, n := 0, 1; start < len(content) || n == 1; start, n = start+partSize, n+1 {
		end := min(start+partSize, len(content))
		p.Parts = append(p.Parts, paylink.FilePart{Number: n, ChunkStart: int64(start), ChunkEnd: int64(end),
			ChecksumSHA256: b64(content[start:end])})
	}
	return p
}

func put(t *testing.T, u string, body []byte, headers map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("PUT", u, bytes.NewReader(body))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("ETag")
}

func get(t *testing.T, u string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestUploadInPartsAndDownload(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		for name, storageURL := range storages(t) {
			t.Run(name, func(t *testing.T) {
				ctx := context.Background()
				rg := newRig(t, s, storageURL)
				content := randomBytes(300_000)
				f, parts, err := rg.svc.Create(ctx, rg.org.ID, params("../../etc/passwd", content, 128*1024))
				if err != nil {
					t.Fatal(err)
				}
				if len(parts) != 3 || strings.Contains(f.Key(), "passwd") {
					t.Fatalf("parts %d, key %q", len(parts), f.Key())
				}
				// A bad signature, a wrong size and a wrong content are refused.
				if st, _ := put(t, strings.Replace(parts[0].URL, "signature=", "signature=x", 1), content[:128*1024], nil); st != 403 {
					t.Fatalf("bad signature: %d", st)
				}
				if st, _ := put(t, parts[0].URL, content[:1000], nil); st != 400 {
					t.Fatalf("short part: %d", st)
				}
				bad := bytes.Clone(content[:128*1024])
				bad[7] ^= 1
				if st, _ := put(t, parts[0].URL, bad, nil); st != 400 {
					t.Fatalf("corrupt part: %d", st)
				}
				var completed []files.CompletedPart
				for _, p := range parts {
					st, etag := put(t, p.URL, content[p.ChunkStart:p.ChunkEnd], p.Headers)
					if st != 200 || etag == "" {
						t.Fatalf("part %d: %d %q", p.Number, st, etag)
					}
					completed = append(completed, files.CompletedPart{Number: p.Number, ChecksumETag: etag})
				}
				if _, err := rg.svc.Complete(ctx, rg.org.ID, f.ID, files.Completed{UploadID: "nope", Path: f.Key(), Parts: completed}); !paylink.IsCode(err, paylink.EInvalid) {
					t.Fatalf("wrong upload id: %v", err)
				}
				other := storetest.Org(t, s, "Other Shop "+name)
				if _, err := rg.svc.Complete(ctx, other.ID, f.ID, files.Completed{UploadID: f.UploadID, Path: f.Key(), Parts: completed}); !paylink.IsCode(err, paylink.ENotFound) {
					t.Fatalf("other organization: %v", err)
				}
				done, err := rg.svc.Complete(ctx, rg.org.ID, f.ID, files.Completed{UploadID: f.UploadID, Path: f.Key(), Parts: completed})
				if err != nil {
					t.Fatal(err)
				}
				if !done.IsUploaded || *done.ChecksumSHA256 != *b64(content) || done.ChecksumHex == nil {
					t.Fatalf("completed: %+v", done)
				}
				// A part can no longer be sent once the file is complete.
				if st, _ := put(t, parts[0].URL, content[:128*1024], nil); st != 404 {
					t.Fatalf("part after completion: %d", st)
				}

				// The download: whole, then resumed from a byte with Range.
				var scopes []string
				rg.check = func(_ context.Context, got *paylink.File, scope string, _ *http.Request) error {
					scopes = append(scopes, scope)
					if scope == "revoked" {
						return &paylink.Error{Code: paylink.EForbidden, Message: "revoked"}
					}
					return nil
				}
				u, exp := rg.svc.DownloadURL(f.ID, "grant-1")
				if time.Until(exp) > files.DownloadURLTTL+time.Second {
					t.Fatalf("expires %v", exp)
				}
				resp, body := get(t, u)
				if resp.StatusCode != 200 || !bytes.Equal(body, content) {
					t.Fatalf("download: %d, %d bytes", resp.StatusCode, len(body))
				}
				if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || !strings.Contains(cd, "passwd") {
					t.Fatalf("Content-Disposition %q", cd)
				}
				resp, body = get(t, u, "Range", "bytes=200000-")
				if resp.StatusCode != 206 || !bytes.Equal(body, content[200000:]) {
					t.Fatalf("range: %d, %d bytes", resp.StatusCode, len(body))
				}
				if fmt.Sprint(scopes) != "[grant-1 grant-1]" {
					t.Fatalf("check saw %v", scopes)
				}
				revoked, _ := rg.svc.DownloadURL(f.ID, "revoked")
				if resp, _ := get(t, revoked); resp.StatusCode != 403 {
					t.Fatalf("revoked grant: %d", resp.StatusCode)
				}
				if resp, _ := get(t, strings.Replace(u, "grant-1", "grant-2", 1)); resp.StatusCode != 403 {
					t.Fatalf("a scope changed in the URL: %d", resp.StatusCode)
				}
				rg.svc.Now = func() time.Time { return time.Now().Add(files.DownloadURLTTL + time.Minute) }
				if resp, _ := get(t, u); resp.StatusCode != 410 {
					t.Fatalf("expired link: %d", resp.StatusCode)
				}
				rg.svc.Now = paylink.Now
				// A downloadable is never served publicly.
				if resp, _ := get(t, rg.srv.URL+files.PublicPath(f)); resp.StatusCode != 404 {
					t.Fatalf("public downloadable: %d", resp.StatusCode)
				}
				if err := rg.svc.Delete(ctx, rg.org.ID, f.ID); err != nil {
					t.Fatal(err)
				}
				if resp, _ := get(t, u); resp.StatusCode != 404 {
					t.Fatalf("deleted file: %d", resp.StatusCode)
				}
			})
		}
	})
}

func TestCompleteChecksTheWholeFile(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		rg := newRig(t, s, storages(t)["file"])
		content := bytes.Repeat([]byte("paylink "), 4096)
		p := params("a.zip", content, 10_000)
		p.ChecksumSHA256 = b64([]byte("something else"))
		f, parts, err := rg.svc.Create(ctx, rg.org.ID, p)
		if err != nil {
			t.Fatal(err)
		}
		var completed []files.CompletedPart
		for i, part := range parts {
			if i == len(parts)-1 { // the last part is missing
				if _, err := rg.svc.Complete(ctx, rg.org.ID, f.ID, files.Completed{UploadID: f.UploadID, Path: f.Key(), Parts: append(completed, files.CompletedPart{Number: part.Number, ChecksumETag: "x"})}); !paylink.IsCode(err, paylink.EInvalid) {
					t.Fatalf("missing part: %v", err)
				}
			}
			_, etag := put(t, part.URL, content[part.ChunkStart:part.ChunkEnd], nil)
			completed = append(completed, files.CompletedPart{Number: part.Number, ChecksumETag: etag})
		}
		_, err = rg.svc.Complete(ctx, rg.org.ID, f.ID, files.Completed{UploadID: f.UploadID, Path: f.Key(), Parts: completed})
		if !paylink.IsCode(err, paylink.EInvalid) || !strings.Contains(err.Error(), "SHA-256") {
			t.Fatalf("a whole-file checksum that does not match: %v", err)
		}
		got, _ := rg.svc.Get(ctx, rg.org.ID, f.ID)
		if got.IsUploaded {
			t.Fatal("a file whose checksum failed is uploaded")
		}
	})
}

// randomBytes is n bytes of a fixed pseudo-random sequence: content whose
// parts all differ.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.NewChaCha8([32]byte{1}).Read(b) //nolint:errcheck // never fails
	return b
}
