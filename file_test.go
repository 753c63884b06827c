package paylink

import (
	"fmt"
	"testing"
)

func TestFileCreateValidate(t *testing.T) {
	sum := "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=" // SHA-256 of nothing
	part := func(n int, start, end int64) FilePart { return FilePart{Number: n, ChunkStart: start, ChunkEnd: end} }
	ok := func() FileCreateParams {
		return FileCreateParams{Service: FileDownloadable, Name: "a.zip", MimeType: "application/zip", Size: 30,
			Parts: []FilePart{part(1, 0, 10), part(2, 10, 30)}}
	}
	for _, c := range []struct {
		name string
		edit func(*FileCreateParams)
		loc  string // "" when valid
	}{
		{"valid", func(*FileCreateParams) {}, ""},
		{"empty file, one empty part", func(p *FileCreateParams) { p.Size, p.Parts = 0, []FilePart{part(1, 0, 0)} }, ""},
		{"image", func(p *FileCreateParams) { p.Service, p.MimeType = FileProductMedia, "image/webp" }, ""},
		{"checksum", func(p *FileCreateParams) { p.ChecksumSHA256 = &sum }, ""},
		{"unknown service", func(p *FileCreateParams) { p.Service = "support_case_attachment" }, "[body service]"},
		{"blank name", func(p *FileCreateParams) { p.Name = "  " }, "[body name]"},
		{"bad MIME type", func(p *FileCreateParams) { p.MimeType = "zip" }, "[body mime_type]"},
		{"image of another type", func(p *FileCreateParams) { p.Service = FileOrganizationAvatar }, "[body mime_type]"},
		{"logo too large", func(p *FileCreateParams) {
			p.Service, p.MimeType, p.Size = FileOrganizationAvatar, "image/png", MaxAvatarSize+1
			p.Parts = []FilePart{part(1, 0, MaxAvatarSize+1)}
		}, "[body size]"},
		{"no parts", func(p *FileCreateParams) { p.Parts = nil }, "[body upload parts]"},
		{"numbered from 0", func(p *FileCreateParams) { p.Parts[0].Number = 0 }, "[body upload parts 0 number]"},
		{"a gap", func(p *FileCreateParams) { p.Parts[1].ChunkStart = 11 }, "[body upload parts 1 chunk_start]"},
		{"an empty part", func(p *FileCreateParams) { p.Parts[1] = part(2, 10, 10) }, "[body upload parts 1 chunk_end]"},
		{"past the end", func(p *FileCreateParams) { p.Parts[1].ChunkEnd = 31 }, "[body upload parts 1 chunk_end]"},
		{"short of the end", func(p *FileCreateParams) { p.Parts[1].ChunkEnd = 29 }, "[body upload parts]"},
		{"bad part checksum", func(p *FileCreateParams) { bad := "AAAA"; p.Parts[0].ChecksumSHA256 = &bad }, "[body upload parts 0 checksum_sha256_base64]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := ok()
			c.edit(&p)
			err := p.Validate()
			if c.loc == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			e, _ := err.(*Error)
			if e == nil || len(e.Fields) == 0 || fmt.Sprint(e.Fields[0].Loc) != c.loc {
				t.Fatalf("got %v, want an error at %s", err, c.loc)
			}
		})
	}
}

func TestReadableSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0.0 B", 512: "512.0 B", 1536: "1.5 KB", 700_000: "683.6 KB", 2 << 30: "2.0 GB"} {
		if got := ReadableSize(n); got != want {
			t.Errorf("ReadableSize(%d) = %q, want %q (Polar's size_readable)", n, got, want)
		}
	}
}

// FuzzFileCreateValidate: whatever a client declares, Validate answers without
// panicking, and accepts only parts that tile the file.
func FuzzFileCreateValidate(f *testing.F) {
	f.Add(int64(30), int64(0), int64(10), int64(10), int64(30))
	f.Add(int64(0), int64(0), int64(0), int64(0), int64(0))
	f.Fuzz(func(t *testing.T, size, s1, e1, s2, e2 int64) {
		p := FileCreateParams{Service: FileDownloadable, Name: "f", MimeType: "application/zip", Size: size,
			Parts: []FilePart{{Number: 1, ChunkStart: s1, ChunkEnd: e1}, {Number: 2, ChunkStart: s2, ChunkEnd: e2}}}
		if p.Validate() == nil && (s1 != 0 || e1 != s2 || e2 != size || e1 <= s1 || e2 <= s2) {
			t.Fatalf("accepted parts that do not tile %d bytes: %+v", size, p.Parts)
		}
	})
}
