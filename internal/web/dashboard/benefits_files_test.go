package dashboard_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
)

// The Benefits page makes a downloadables benefit of uploaded files (the
// upload control posts their ids), shows their names when editing, refuses a
// product image at the files field, and keeps a file's archived mark when the
// files are saved again.
func TestDashboardDownloadablesBenefit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		b := dashSignedIn(t, in, in.SignIn)
		zip := in.Upload(t, in.Token, "downloadable", "app-1.0.zip", "application/zip", []byte("PK\x03\x04 the app"))
		pdf := in.Upload(t, in.Token, "downloadable", "manual.pdf", "application/pdf", []byte("%PDF-1.7 the manual"))
		png := in.Upload(t, in.Token, "product_media", "cover.png", "image/png", []byte("\x89PNG\r\n\x1a\n"))

		b.Get("/dashboard/benefits/new")
		status, doc := b.Post("/dashboard/benefits", url.Values{"type": {"downloadables"}, "description": {"The app"},
			"files_set": {"1"}, "files": {zip["id"].(string), png["id"].(string)}})
		if status != 422 || doc.ByID("files-error") == nil {
			t.Fatalf("a product image as a download: %d, want 422 at the files", status)
		}
		status, _ = b.Post("/dashboard/benefits", url.Values{"type": {"downloadables"}, "description": {"The app"},
			"files_set": {"1"}, "files": {zip["id"].(string), pdf["id"].(string)}})
		if status != 200 || !strings.HasSuffix(b.Last.Request.URL.Path, "/dashboard/benefits") {
			t.Fatalf("create: %d at %s", status, b.Last.Request.URL)
		}
		var list struct {
			Items []struct {
				ID         string         `json:"id"`
				Properties map[string]any `json:"properties"`
			} `json:"items"`
		}
		in.Must(t, "GET", "/v1/benefits/?type_filter=downloadables", in.Token, nil, 200, &list)
		if len(list.Items) != 1 || len(list.Items[0].Properties["files"].([]any)) != 2 {
			t.Fatalf("benefits: %+v", list.Items)
		}
		id := list.Items[0].ID
		in.Must(t, "PATCH", "/v1/benefits/"+id, in.Token, map[string]any{"type": "downloadables",
			"properties": map[string]any{"files": []any{zip["id"], pdf["id"]}, "archived": map[string]any{pdf["id"].(string): true}}}, 200, nil)

		status, doc = b.Get("/dashboard/benefits/" + id)
		if text := doc.AllText(); status != 200 || !strings.Contains(text, "app-1.0.zip") || !strings.Contains(text, "manual.pdf") {
			t.Fatalf("edit page: %d %s", status, text)
		}
		status, _ = b.Post("/dashboard/benefits/"+id, url.Values{"type": {"downloadables"}, "description": {"The app, v2"},
			"files_set": {"1"}, "files": {pdf["id"].(string), zip["id"].(string)}})
		if status != 200 {
			t.Fatalf("save: %d", status)
		}
		var got struct {
			Description string         `json:"description"`
			Properties  map[string]any `json:"properties"`
		}
		in.Must(t, "GET", "/v1/benefits/"+id, in.Token, nil, 200, &got)
		files, archived := got.Properties["files"].([]any), got.Properties["archived"].(map[string]any)
		if got.Description != "The app, v2" || files[0] != pdf["id"] || archived[pdf["id"].(string)] != true || len(archived) != 1 {
			t.Fatalf("saved: %+v", got)
		}
	})
}
