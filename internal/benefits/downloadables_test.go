package benefits_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/benefits"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// uploaded records an uploaded file of the organization (its content is not
// needed here: the grants and the check read rows only).
func uploaded(t *testing.T, s *store.Store, orgID, service, name string) *paylink.File {
	t.Helper()
	ctx := context.Background()
	f := &paylink.File{ID: paylink.NewID(), OrganizationID: orgID, Service: service, Name: name, MimeType: "application/zip",
		Size: 3, Parts: []paylink.FilePart{{Number: 1, ChunkStart: 0, ChunkEnd: 3}}, UploadID: paylink.NewID(),
		CreatedAt: paylink.Now()}
	if err := s.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.FileCreate(ctx, f); err != nil {
			return err
		}
		return tx.FileMarkUploaded(ctx, f.ID, store.FileUploadedParams{SHA256Base64: "x", SHA256Hex: "y", ETag: "z", At: paylink.Now()})
	}); err != nil {
		t.Fatal(err)
	}
	return f
}

// links signs nothing: its URL is the scope, so a test reads the downloadable back.
type links struct{}

func (links) DownloadURL(fileID, scope string) (string, time.Time) {
	return fileID + "|" + scope, time.Time{}
}

func TestDownloadablesAreGrantedCheckedCountedAndRevoked(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s)
		f.svc.Links = links{}
		zip := uploaded(t, s, f.org.ID, paylink.FileDownloadable, "app.zip")
		pdf := uploaded(t, s, f.org.ID, paylink.FileDownloadable, "manual.pdf")
		img := uploaded(t, s, f.org.ID, paylink.FileProductMedia, "cover.png")
		other := storetest.Org(t, s, "Other")
		theirs := uploaded(t, s, other.ID, paylink.FileDownloadable, "theirs.zip")

		// Files of another organization, product images and unknown ids are 422s at their index.
		_, err := f.svc.Create(ctx, f.org.ID, paylink.BenefitParams{Type: "downloadables", Description: "Files",
			Properties: json.RawMessage(`{"files":["` + zip.ID + `","` + theirs.ID + `","` + img.ID + `"]}`)})
		var e *paylink.Error
		if !errorsAs(err, &e) || len(e.Fields) != 2 || e.Fields[0].Loc[3] != 1 || e.Fields[1].Loc[3] != 2 {
			t.Fatalf("another organization's file and an image: %v, want 422s at files[1] and files[2]", err)
		}
		if _, err := f.svc.Create(ctx, f.org.ID, paylink.BenefitParams{Type: "downloadables", Description: "Files",
			Properties: json.RawMessage(`{"files":[]}`)}); !paylink.IsCode(err, paylink.EInvalid) {
			t.Fatalf("no files: %v, want 422", err)
		}

		b, err := f.svc.Create(ctx, f.org.ID, paylink.BenefitParams{Type: "downloadables", Description: "Files",
			Properties: json.RawMessage(`{"files":["` + zip.ID + `","` + pdf.ID + `"],"archived":{"` + pdf.ID + `":true}}`)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.SetProductBenefits(ctx, f.org.ID, f.product.ID, []string{f.note.ID, f.keys.ID, b.ID}); err != nil {
			t.Fatal(err)
		}
		f.grant(t)
		f.grant(t) // a retry: the same downloadables
		ds, err := f.svc.OfOrder(ctx, f.order)
		if err != nil || len(ds) != 3 {
			t.Fatalf("delivered: %d, %v", len(ds), err)
		}
		files := ds[2].Files
		if len(files) != 1 || files[0].File.ID != zip.ID || files[0].URL != zip.ID+"|"+files[0].Downloadable.ID {
			t.Fatalf("the order delivers %+v, want app.zip alone (manual.pdf is archived)", files)
		}
		if got := ds[2].Grant.Properties["files"]; len(got.([]any)) != 1 {
			t.Fatalf("grant properties %v", ds[2].Grant.Properties)
		}
		d := files[0].Downloadable
		get := httptest.NewRequest("GET", "/files/download/x", nil)
		for range 2 {
			if err := f.svc.DownloadCheck(ctx, zip, d.ID, get); err != nil {
				t.Fatalf("a granted download: %v", err)
			}
		}
		resume := httptest.NewRequest("GET", "/files/download/x", nil)
		resume.Header.Set("Range", "bytes=2-")
		if err := f.svc.DownloadCheck(ctx, zip, d.ID, resume); err != nil {
			t.Fatalf("a resumed download: %v", err)
		}
		if err := f.svc.DownloadCheck(ctx, pdf, d.ID, get); !paylink.IsCode(err, paylink.EForbidden) {
			t.Fatalf("the link of another file: %v, want 403", err)
		}
		if err := f.svc.DownloadCheck(ctx, zip, "", get); !paylink.IsCode(err, paylink.EForbidden) {
			t.Fatalf("a link with no scope: %v, want 403", err)
		}
		list, total, err := f.svc.CustomerDownloadables(ctx, benefits.CustomerDownloadablesParams{OrganizationID: f.org.ID,
			CustomerID: f.customerID})
		if err != nil || total != 1 || list[0].Downloadable.Downloaded != 2 || list[0].Downloadable.LastDownloadedAt == nil {
			t.Fatalf("the customer's downloadables: %+v (%d), %v; want one downloaded twice (the resumption is not counted)",
				list, total, err)
		}
		if mine, err := f.svc.OfCustomer(ctx, f.org.ID, f.customerID); err != nil || len(mine) != 3 || len(mine[2].Files) != 1 {
			t.Fatalf("the customer's benefits: %d, %v; want the note, the key and the file", len(mine), err)
		}
		if none, n, _ := f.svc.CustomerDownloadables(ctx, benefits.CustomerDownloadablesParams{OrganizationID: f.org.ID,
			CustomerID: paylink.NewID()}); n != 0 || len(none) != 0 {
			t.Fatalf("another customer sees %d downloadables", n)
		}

		// Unarchiving the manual reaches the customer who has the benefit.
		if _, err := f.svc.Update(ctx, f.org.ID, b.ID, "downloadables", paylink.BenefitPatch{
			Properties: json.RawMessage(`{"files":["` + zip.ID + `","` + pdf.ID + `"]}`)}); err != nil {
			t.Fatal(err)
		}
		if _, n, _ := f.svc.CustomerDownloadables(ctx, benefits.CustomerDownloadablesParams{OrganizationID: f.org.ID,
			CustomerID: f.customerID}); n != 2 {
			t.Fatalf("after unarchiving: %d downloadables, want 2", n)
		}

		if err := s.InTx(ctx, func(tx *store.Tx) error {
			return benefits.RevokeForOrder(ctx, tx, nil, f.org.ID, f.order.ID)
		}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.DownloadCheck(ctx, zip, d.ID, get); !paylink.IsCode(err, paylink.EForbidden) {
			t.Fatalf("a revoked download: %v, want 403", err)
		}
		if err := f.svc.DownloadCheck(ctx, zip, d.ID, resume); !paylink.IsCode(err, paylink.EForbidden) {
			t.Fatalf("a revoked resumption: %v, want 403", err)
		}
		if _, n, _ := f.svc.CustomerDownloadables(ctx, benefits.CustomerDownloadablesParams{OrganizationID: f.org.ID,
			CustomerID: f.customerID}); n != 0 {
			t.Fatalf("after the refund: %d downloadables, want 0", n)
		}
		f.grant(t) // bought again: the same link works again
		if err := f.svc.DownloadCheck(ctx, zip, d.ID, get); err != nil {
			t.Fatalf("granted again: %v", err)
		}
	})
}
