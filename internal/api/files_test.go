package api_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
)

// tinyPNG is a valid 1×1 PNG.
var tinyPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
	"\x00\x00\x00\rIDATx\xdac\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x02\x01\xa5\xf3\xe1\xd9\x00\x00\x00\x00IEND\xaeB`\x82")

func TestProductMedias(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		img := in.Upload(t, in.Token, "product_media", "cover.png", "image/png", tinyPNG)
		zip := in.Upload(t, in.Token, "downloadable", "app.zip", "application/zip", []byte("PK not really"))
		_, otherToken := in.NewOrg(t, "Other Media Shop")
		theirs := in.Upload(t, otherToken, "product_media", "theirs.png", "image/png", tinyPNG)

		body := func(medias ...any) map[string]any {
			return map[string]any{"name": "Poster", "medias": medias,
				"prices": []any{map[string]any{"amount_type": "fixed", "price_amount": 900}}}
		}
		var prod struct {
			ID     string           `json:"id"`
			Medias []map[string]any `json:"medias"`
		}
		in.Must(t, "POST", "/v1/products/", in.Token, body(img["id"]), 201, &prod)
		if len(prod.Medias) != 1 || prod.Medias[0]["id"] != img["id"] || prod.Medias[0]["service"] != "product_media" {
			t.Fatalf("medias: %+v", prod.Medias)
		}
		u, _ := prod.Medias[0]["public_url"].(string)
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !bytes.Equal(got, tinyPNG) || resp.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("public_url %s: %d %q", u, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		// A downloadable, another organization's image, an unknown id: 422 at the entry, nothing written.
		for i, bad := range []any{zip["id"], theirs["id"], "00000000-0000-7000-8000-000000000000"} {
			status, b := in.Do(t, "POST", "/v1/products/", in.Token, body(img["id"], bad))
			if status != 422 || !bytes.Contains(b, []byte(`"loc":["body","medias",1]`)) {
				t.Fatalf("bad media %d: %d %s", i, status, b)
			}
		}
		var list struct {
			Items []any `json:"items"`
		}
		in.Must(t, "GET", "/v1/products/?query=Poster", in.Token, nil, 200, &list)
		if len(list.Items) != 1 {
			t.Fatalf("a refused create wrote a product: %d", len(list.Items))
		}
		// null leaves the images, [] removes them; a deleted file leaves the product.
		in.Must(t, "PATCH", "/v1/products/"+prod.ID, in.Token, map[string]any{"medias": nil}, 200, &prod)
		if len(prod.Medias) != 1 {
			t.Fatalf("null medias changed them: %+v", prod.Medias)
		}
		in.Must(t, "PATCH", "/v1/products/"+prod.ID, in.Token, map[string]any{"medias": []any{}}, 200, &prod)
		if len(prod.Medias) != 0 {
			t.Fatalf("[] kept medias: %+v", prod.Medias)
		}
		in.Must(t, "PATCH", "/v1/products/"+prod.ID, in.Token, map[string]any{"medias": []any{img["id"]}}, 200, &prod)
		in.Must(t, "DELETE", "/v1/files/"+img["id"].(string), in.Token, nil, 204, nil)
		in.Must(t, "GET", "/v1/products/"+prod.ID, in.Token, nil, 200, &prod)
		if len(prod.Medias) != 0 {
			t.Fatalf("a deleted file is still shown: %+v", prod.Medias)
		}
		if resp, _ := http.Get(u); resp.StatusCode != 404 {
			t.Fatalf("a deleted image is still served: %d", resp.StatusCode)
		}
	})
}

func TestFilesAPIErrors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		part := map[string]any{"number": 1, "chunk_start": 0, "chunk_end": 10}
		ok := map[string]any{"name": "a.zip", "mime_type": "application/zip", "size": 10, "service": "downloadable",
			"upload": map[string]any{"parts": []any{part}}}
		with := func(k string, v any) map[string]any {
			m := map[string]any{}
			for k, v := range ok {
				m[k] = v
			}
			m[k] = v
			return m
		}
		for _, c := range []struct {
			name string
			body any
			loc  []any
		}{
			{"no name", with("name", ""), []any{"body", "name"}},
			{"no service", with("service", "support_case_attachment"), []any{"body", "service"}},
			{"image of text", with("service", "product_media"), []any{"body", "mime_type"}},
			{"negative size", with("size", -1), []any{"body", "size"}},
			{"bad checksum", with("checksum_sha256_base64", "abc"), []any{"body", "checksum_sha256_base64"}},
			{"parts short", with("size", 20), []any{"body", "upload", "parts"}},
			{"parts out of order", with("upload", map[string]any{"parts": []any{map[string]any{"number": 2, "chunk_start": 0, "chunk_end": 10}}}), []any{"body", "upload", "parts", 0, "number"}},
			{"no upload", with("upload", nil), []any{"body", "upload"}},
		} {
			t.Run(c.name, func(t *testing.T) { catalog422(t, in, in.Token, "POST", "/v1/files/", c.body, c.loc...) })
		}
		_, readOnly := in.NewOrg(t, "Read Only Files", "files:read")
		in.Must(t, "POST", "/v1/files/", readOnly, ok, 403, nil)
		in.Must(t, "GET", "/v1/files/", "", nil, 401, nil)
		in.Must(t, "PATCH", "/v1/files/not-a-uuid", in.Token, map[string]any{"name": "x"}, 404, nil)
	})
}

// TestFileUploadThroughTheServer uploads a file of several 5 MB parts through a
// running paylink: parts larger than an API body's 1 MiB pass, and the
// whole file's SHA-256 comes back.
func TestFileUploadThroughTheServer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		content := bytes.Repeat([]byte("0123456789abcdef"), 12<<20/16) // 12 MiB: three parts
		f := in.Upload(t, in.Token, "downloadable", "setup.exe", "application/octet-stream", content)
		sum := sha256.Sum256(content)
		if f["is_uploaded"] != true || f["checksum_sha256_hex"] != hex.EncodeToString(sum[:]) || f["size"] != float64(len(content)) {
			t.Fatalf("uploaded: %+v", f)
		}
		if _, ok := f["public_url"]; ok {
			t.Fatalf("a downloadable has a public_url: %+v", f)
		}
	})
}
