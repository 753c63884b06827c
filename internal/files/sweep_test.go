package files_test

import (
	"context"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/files"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

func TestSweepDeletesAbandonedUploadsOnly(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		for name, storageURL := range storages(t) {
			t.Run(name, func(t *testing.T) {
				ctx := context.Background()
				rg := newRig(t, s, storageURL)
				content := randomBytes(5000)
				start := time.Now()
				rg.svc.Now = func() time.Time { return start }
				// An abandoned upload with one of its two parts sent, and a completed file, both old.
				old, parts, err := rg.svc.Create(ctx, rg.org.ID, params("abandoned.zip", content, 4096))
				if err != nil {
					t.Fatal(err)
				}
				if st, _ := put(t, parts[0].URL, content[:4096], parts[0].Headers); st != 200 {
					t.Fatalf("part: %d", st)
				}
				done, dparts, err := rg.svc.Create(ctx, rg.org.ID, params("done.zip", content, 8192))
				if err != nil {
					t.Fatal(err)
				}
				st, etag := put(t, dparts[0].URL, content, dparts[0].Headers)
				if st != 200 {
					t.Fatalf("part: %d", st)
				}
				if _, err := rg.svc.Complete(ctx, rg.org.ID, done.ID, files.Completed{UploadID: done.UploadID, Path: done.Key(),
					Parts: []files.CompletedPart{{Number: 1, ChecksumETag: etag}}}); err != nil {
					t.Fatal(err)
				}
				// A recent upload, still under way.
				rg.svc.Now = func() time.Time { return start.Add(23 * time.Hour) }
				recent, _, err := rg.svc.Create(ctx, rg.org.ID, params("recent.zip", content, 4096))
				if err != nil {
					t.Fatal(err)
				}

				rg.svc.Now = func() time.Time { return start.Add(25 * time.Hour) }
				n, err := rg.svc.SweepAbandoned(ctx, files.DefaultAbandonAfter)
				if err != nil || n != 1 {
					t.Fatalf("swept %d, %v; want the abandoned upload alone", n, err)
				}
				if _, err := rg.svc.Get(ctx, rg.org.ID, old.ID); !paylink.IsCode(err, paylink.ENotFound) {
					t.Fatalf("the abandoned upload: %v, want gone", err)
				}
				var rows int
				if err := s.Read(ctx, func(tx *store.Tx) error {
					return tx.QueryRowContext(ctx, `SELECT count(*) FROM file_parts WHERE file_id = $1`, old.ID).Scan(&rows)
				}); err != nil || rows != 0 {
					t.Fatalf("%d part rows left, %v", rows, err)
				}
				if ok, err := rg.svc.Bucket.Exists(ctx, old.PartKey(1)); err != nil || ok {
					t.Fatalf("the sent part is still in the storage: %v %v", ok, err)
				}
				for _, f := range []*paylink.File{done, recent} {
					if _, err := rg.svc.Get(ctx, rg.org.ID, f.ID); err != nil {
						t.Fatalf("%s was swept: %v", f.Name, err)
					}
				}
				if ok, _ := rg.svc.Bucket.Exists(ctx, done.Key()); !ok {
					t.Fatal("the completed file's content was deleted")
				}
				if n, err := rg.svc.SweepAbandoned(ctx, files.DefaultAbandonAfter); err != nil || n != 0 {
					t.Fatalf("a second sweep: %d, %v", n, err)
				}
			})
		}
	})
}
