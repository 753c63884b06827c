package files_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/files"
	"github.com/paylink/paylink/internal/store/storetest"
)

// TestUploadMemoryIsBounded uploads a 100 MB file (PAYLINK_UPLOAD_TEST_MB
// sets another size: 2048 for a 2 GB installer) through the part protocol,
// 10 MB parts as Polar's uploader cuts them, over real HTTP into the folder
// storage, and checks that the process's peak resident memory (VmHWM) grew
// by far less than the file: nothing holds a part, let alone the file, in
// memory. The content is generated while it is sent, so the client holds none
// of it either. It logs the numbers BENCHMARKS.md quotes.
func TestUploadMemoryIsBounded(t *testing.T) {
	mb := 100
	if v := os.Getenv("PAYLINK_UPLOAD_TEST_MB"); v != "" {
		mb, _ = strconv.Atoi(v)
	}
	size := int64(mb) << 20
	const partSize = 10_000_000
	s := storetest.Open(t, storetest.SQLiteURL(t))
	rg := newRig(t, s, storages(t)["file"])
	ctx := context.Background()

	// The checksums, computed from the same generated stream.
	p := paylink.FileCreateParams{Service: paylink.FileDownloadable, Name: "big.bin", MimeType: "application/octet-stream", Size: size}
	whole := sha256.New()
	for start, n := int64(0), 1; start < size; start, n = start+partSize, n+1 {
		end := min(start+partSize, size)
		h := sha256.New()
		io.Copy(io.MultiWriter(h, whole), generated(start, end)) //nolint:errcheck // never fails
		sum := base64.StdEncoding.EncodeToString(h.Sum(nil))
		p.Parts = append(p.Parts, paylink.FilePart{Number: n, ChunkStart: start, ChunkEnd: end, ChecksumSHA256: &sum})
	}
	sum := base64.StdEncoding.EncodeToString(whole.Sum(nil))
	p.ChecksumSHA256 = &sum

	before := vmHWM(t)
	f, parts, err := rg.svc.Create(ctx, rg.org.ID, p)
	if err != nil {
		t.Fatal(err)
	}
	var completed []files.CompletedPart
	for _, part := range parts {
		req, _ := http.NewRequest("PUT", part.URL, generated(part.ChunkStart, part.ChunkEnd))
		req.ContentLength = part.Size()
		for k, v := range part.Headers {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("part %d: %d", part.Number, resp.StatusCode)
		}
		completed = append(completed, files.CompletedPart{Number: part.Number, ChecksumETag: resp.Header.Get("ETag")})
	}
	done, err := rg.svc.Complete(ctx, rg.org.ID, f.ID, files.Completed{UploadID: f.UploadID, Path: f.Key(), Parts: completed})
	if err != nil {
		t.Fatal(err)
	}
	if *done.ChecksumSHA256 != sum {
		t.Fatalf("checksum %s, want %s", *done.ChecksumSHA256, sum)
	}
	after := vmHWM(t)
	t.Logf("uploaded %d MB in %d parts: peak RSS %d MB before, %d MB after (grew %d MB)",
		mb, len(parts), before>>10, after>>10, (after-before)>>10)
	if grew := (after - before) << 10; grew > 48<<20 {
		t.Fatalf("peak RSS grew by %d MB for a %d MB upload: something holds the content in memory", grew>>20, mb)
	}
}

// generated is bytes [start, end) of a fixed sequence, made as they are read.
func generated(start, end int64) io.Reader {
	return io.LimitReader(&sequence{at: start}, end-start)
}

type sequence struct{ at int64 }

func (s *sequence) Read(p []byte) (int, error) {
	for i := range p {
		x := uint64(s.at) * 0x9E3779B97F4A7C15
		p[i] = byte(x >> 56)
		s.at++
	}
	return len(p), nil
}

// vmHWM is the process's peak resident set size in KiB.
func vmHWM(t *testing.T) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status on this system")
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	t.Fatal("no VmHWM in /proc/self/status")
	return 0
}
