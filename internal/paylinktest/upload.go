package paylinktest

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"testing"
)

// Upload sends content as a file of the service through Polar's protocol, as
// an SDK does (POST /v1/files/, a PUT of each part of at most 5 MB to its
// signed URL, POST /v1/files/{id}/uploaded), and returns the uploaded FileRead.
func (in *Instance) Upload(t testing.TB, token, service, name, mimeType string, content []byte) map[string]any {
	t.Helper()
	sum := func(b []byte) string { s := sha256.Sum256(b); return base64.StdEncoding.EncodeToString(s[:]) }
	const partSize = 5 << 20
	var parts []map[string]any
	for start, n := 0, 1; start < len(content) || n == 1; start, n = start+partSize, n+1 {
		end := min(start+partSize, len(content))
		parts = append(parts, map[string]any{"number": n, "chunk_start": start, "chunk_end": end,
			"checksum_sha256_base64": sum(content[start:end])})
	}
	var up struct {
		ID     string `json:"id"`
		Upload struct {
			ID    string `json:"id"`
			Path  string `json:"path"`
			Parts []struct {
				Number     int               `json:"number"`
				ChunkStart int               `json:"chunk_start"`
				ChunkEnd   int               `json:"chunk_end"`
				URL        string            `json:"url"`
				Headers    map[string]string `json:"headers"`
			} `json:"parts"`
		} `json:"upload"`
	}
	in.Must(t, "POST", "/v1/files/", token, map[string]any{"name": name, "mime_type": mimeType, "size": len(content),
		"service": service, "checksum_sha256_base64": sum(content), "upload": map[string]any{"parts": parts}}, 201, &up)
	var done []map[string]any
	for _, p := range up.Upload.Parts {
		req, err := http.NewRequest("PUT", p.URL, bytes.NewReader(content[p.ChunkStart:p.ChunkEnd]))
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range p.Headers {
			req.Header.Set(k, v)
		}
		resp, err := in.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("PUT part %d: %d", p.Number, resp.StatusCode)
		}
		done = append(done, map[string]any{"number": p.Number, "checksum_etag": resp.Header.Get("ETag"),
			"checksum_sha256_base64": parts[p.Number-1]["checksum_sha256_base64"]})
	}
	var file map[string]any
	in.Must(t, "POST", "/v1/files/"+up.ID+"/uploaded", token, map[string]any{"id": up.Upload.ID, "path": up.Upload.Path,
		"parts": done}, 200, &file)
	return file
}
