package files

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/fileblob" // file:// storage
	_ "gocloud.dev/blob/s3blob"   // s3:// storage, any S3-compatible store
)

// DefaultStorageURL is where files go when PAYLINK_STORAGE_URL is not set: a
// folder paylink-files beside the SQLite file, or ./paylink-files (in the
// working directory) for PostgreSQL.
func DefaultStorageURL(databaseURL string) (string, error) {
	dir := "paylink-files"
	if path, ok := strings.CutPrefix(databaseURL, "sqlite:"); ok {
		dir = filepath.Join(filepath.Dir(path), "paylink-files")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String(), nil
}

// OpenStorage opens the blob storage of url: file:///abs/dir (created when
// missing) or s3://bucket?endpoint=…&region=…&use_path_style=true, whose
// credentials come from the usual AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
func OpenStorage(ctx context.Context, rawURL string) (*blob.Bucket, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("PAYLINK_STORAGE_URL %q: %w", rawURL, err)
	}
	switch u.Scheme {
	case "file":
		if err := os.MkdirAll(filepath.FromSlash(u.Path), 0o750); err != nil {
			return nil, fmt.Errorf("storage folder: %w", err)
		}
		q := u.Query()
		// Temporary files beside the final ones: a rename never crosses file systems.
		q.Set("no_tmp_dir", "true")
		u.RawQuery = q.Encode()
	case "s3":
	default:
		return nil, fmt.Errorf("PAYLINK_STORAGE_URL %q: use file:///path or s3://bucket?endpoint=…&region=…", rawURL)
	}
	b, err := blob.OpenBucket(ctx, u.String())
	if err != nil {
		return nil, fmt.Errorf("open storage %s: %w", u.Redacted(), err)
	}
	return b, nil
}
