package client

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
)

// FileUpload is a file to upload with UploadFile.
type FileUpload struct {
	Name     string
	MimeType string
	Service  string // "downloadable", "product_media" or "organization_avatar"
	Content  []byte
}

// uploadPartSize is the size of each part but the last, as Polar's SDKs cut them.
const uploadPartSize = 5 << 20

// UploadFile uploads a file through Polar's protocol, as the SDKs do: POST
// /v1/files/ with the parts' checksums, a PUT of each part to its signed URL,
// then POST /v1/files/{id}/uploaded. The answer is the uploaded file.
func (c *Client) UploadFile(ctx context.Context, in *FileUpload) (*File, error) {
	type part struct {
		Number     int    `json:"number"`
		ChunkStart int    `json:"chunk_start"`
		ChunkEnd   int    `json:"chunk_end"`
		Checksum   string `json:"checksum_sha256_base64"`
	}
	sum := func(b []byte) string { s := sha256.Sum256(b); return base64.StdEncoding.EncodeToString(s[:]) }
	var parts []part
	for start, n := 0, 1; start < len(in.Content) || n == 1; start, n = start+uploadPartSize, n+1 {
		end := min(start+uploadPartSize, len(in.Content))
		parts = append(parts, part{Number: n, ChunkStart: start, ChunkEnd: end, Checksum: sum(in.Content[start:end])})
	}
	var up struct {
		ID     string `json:"id"`
		Upload struct {
			ID    string `json:"id"`
			Path  string `json:"path"`
			Parts []struct {
				part
				URL     string            `json:"url"`
				Headers map[string]string `json:"headers"`
			} `json:"parts"`
		} `json:"upload"`
	}
	err := c.Do(ctx, http.MethodPost, "/v1/files/", nil, map[string]any{"name": in.Name, "mime_type": in.MimeType,
		"size": len(in.Content), "service": in.Service, "checksum_sha256_base64": sum(in.Content),
		"upload": map[string]any{"parts": parts}}, &up)
	if err != nil {
		return nil, err
	}
	type donePart struct {
		Number   int    `json:"number"`
		ETag     string `json:"checksum_etag"`
		Checksum string `json:"checksum_sha256_base64"`
	}
	var done []donePart
	for _, p := range up.Upload.Parts {
		if p.ChunkStart < 0 || p.ChunkEnd > len(in.Content) || p.ChunkStart > p.ChunkEnd {
			return nil, fmt.Errorf("paylink client: upload part %d is out of the file (%d–%d of %d bytes)", p.Number, p.ChunkStart, p.ChunkEnd, len(in.Content))
		}
		chunk := in.Content[p.ChunkStart:p.ChunkEnd]
		req, err := http.NewRequestWithContext(ctx, http.MethodPut, p.URL, bytes.NewReader(chunk))
		if err != nil {
			return nil, err
		}
		for k, v := range p.Headers {
			req.Header.Set(k, v)
		}
		resp, err := c.http.Do(req)
		if err != nil {
			return nil, err
		}
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, newError(http.MethodPut, "part "+fmt.Sprint(p.Number), resp.StatusCode, b)
		}
		done = append(done, donePart{Number: p.Number, ETag: resp.Header.Get("ETag"), Checksum: sum(chunk)})
	}
	return send[File](ctx, c, http.MethodPost, "/v1/files/"+esc(up.ID)+"/uploaded",
		map[string]any{"id": up.Upload.ID, "path": up.Upload.Path, "parts": done})
}
