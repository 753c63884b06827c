package paylink

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// File services, as Polar names them: what a file is for decides who may see it.
const (
	FileDownloadable       = "downloadable"        // delivered by the downloadables benefit, behind signed URLs
	FileProductMedia       = "product_media"       // a product image, public
	FileOrganizationAvatar = "organization_avatar" // the shop's logo, public
)

// Size limits of a file, by service (Polar's: 10 MB product images, 1 MB logos).
// A downloadable may be as large as MaxFileSize.
const (
	MaxProductMediaSize = 10 * 1024 * 1024
	MaxAvatarSize       = 1 * 1024 * 1024
	MaxFileSize         = 50 * 1024 * 1024 * 1024 // 50 GiB: larger than any installer, smaller than a mistake
	MaxFileParts        = 10000                   // Polar's (and S3's) limit
)

// imageMIME is the MIME types Polar accepts for product media and logos.
var imageMIME = regexp.MustCompile(`^image/(jpeg|png|gif|webp|svg\+xml)$`)

// File is an uploaded (or uploading) file of an organization. Its storage key
// is made of ids only, never of the name a client sent.
type File struct {
	ID             string
	OrganizationID string
	Service        string
	Name           string
	MimeType       string
	Size           int64
	Version        *string
	// ChecksumSHA256 is the whole file's SHA-256, base64: the client's declared
	// one until the upload completes, then the one paylink computed (they match).
	ChecksumSHA256 *string
	ChecksumHex    *string // hex of the same digest, once uploaded
	ChecksumETag   *string // the stored object's ETag, once uploaded
	Parts          []FilePart
	UploadID       string // the multipart upload's id, given back on completion
	IsUploaded     bool
	LastModifiedAt *time.Time
	CreatedAt      time.Time
	ModifiedAt     *time.Time
}

// Key is the storage key of the file's content: ids only, so it can never
// escape the storage whatever the file is called.
func (f *File) Key() string { return "files/" + f.OrganizationID + "/" + f.ID }

// PartKey is the storage key of one uploaded part until the upload completes.
func (f *File) PartKey(number int) string {
	return fmt.Sprintf("uploads/%s/%s/%05d", f.OrganizationID, f.ID, number)
}

// IsPublic reports whether the file is served to anyone (product images and
// logos), rather than only through signed download URLs.
func (f *File) IsPublic() bool {
	return f.Service == FileProductMedia || f.Service == FileOrganizationAvatar
}

// FilePart is one declared part of a multipart upload: bytes [ChunkStart,
// ChunkEnd) of the file.
type FilePart struct {
	Number         int     `json:"number"`
	ChunkStart     int64   `json:"chunk_start"`
	ChunkEnd       int64   `json:"chunk_end"`
	ChecksumSHA256 *string `json:"checksum_sha256_base64,omitempty"`
	// Set once the part arrived.
	ETag     string `json:"etag,omitempty"`
	Uploaded bool   `json:"uploaded,omitempty"`
}

// Size is the part's length in bytes.
func (p FilePart) Size() int64 { return p.ChunkEnd - p.ChunkStart }

// FileCreateParams is Polar's FileCreate.
type FileCreateParams struct {
	Service        string
	Name           string
	MimeType       string
	Size           int64
	ChecksumSHA256 *string
	Version        *string
	Parts          []FilePart
}

// Validate checks a FileCreate the way Polar does, plus what paylink needs to
// trust the parts: they are numbered 1…n in order and tile the file exactly.
// Errors are 422s at body fields.
func (p *FileCreateParams) Validate() error {
	var probs Problems
	switch p.Service {
	case FileDownloadable, FileProductMedia, FileOrganizationAvatar:
	default:
		probs.Add("must be one of downloadable, product_media or organization_avatar", p.Service, "body", "service")
	}
	if strings.TrimSpace(p.Name) == "" || utf8.RuneCountInString(p.Name) > 255 || !ValidText(p.Name) {
		probs.Add("must be a name of 1 to 255 characters", p.Name, "body", "name")
	}
	if !validMIME(p.MimeType) {
		probs.Add("must be a MIME type like application/zip", p.MimeType, "body", "mime_type")
	}
	max := int64(MaxFileSize)
	switch p.Service {
	case FileProductMedia:
		max = MaxProductMediaSize
	case FileOrganizationAvatar:
		max = MaxAvatarSize
	}
	if p.Service == FileProductMedia || p.Service == FileOrganizationAvatar {
		if !imageMIME.MatchString(p.MimeType) {
			probs.Add("only images are supported: image/jpeg, image/png, image/gif, image/webp or image/svg+xml", p.MimeType, "body", "mime_type")
		}
	}
	if p.Size < 0 || p.Size > max {
		probs.Add(fmt.Sprintf("must be from 0 to %d bytes for this service", max), p.Size, "body", "size")
	}
	if p.ChecksumSHA256 != nil && !validSHA256(*p.ChecksumSHA256) {
		probs.Add("must be a SHA-256 digest in base64", *p.ChecksumSHA256, "body", "checksum_sha256_base64")
	}
	if p.Version != nil && (utf8.RuneCountInString(*p.Version) > 255 || !ValidText(*p.Version)) {
		probs.Add("must be at most 255 characters", *p.Version, "body", "version")
	}
	probs = append(probs, p.validateParts()...)
	return probs.Err()
}

func (p *FileCreateParams) validateParts() Problems {
	var probs Problems
	if len(p.Parts) == 0 || len(p.Parts) > MaxFileParts {
		probs.Add(fmt.Sprintf("must have 1 to %d parts", MaxFileParts), len(p.Parts), "body", "upload", "parts")
		return probs
	}
	var at int64
	for i, part := range p.Parts {
		loc := []any{"body", "upload", "parts", i}
		switch {
		case part.Number != i+1:
			probs.Add(fmt.Sprintf("parts must be numbered 1, 2, … in order: expected %d", i+1), part.Number, append(loc, "number")...)
		case part.ChunkStart != at:
			probs.Add(fmt.Sprintf("must be %d: the parts must cover the file without gaps or overlaps", at), part.ChunkStart, append(loc, "chunk_start")...)
		case part.ChunkEnd < part.ChunkStart || part.ChunkEnd > p.Size || (part.ChunkEnd == part.ChunkStart && (p.Size > 0 || i > 0)):
			probs.Add("must be after chunk_start and at most the file's size", part.ChunkEnd, append(loc, "chunk_end")...)
		case part.ChecksumSHA256 != nil && !validSHA256(*part.ChecksumSHA256):
			probs.Add("must be a SHA-256 digest in base64", *part.ChecksumSHA256, append(loc, "checksum_sha256_base64")...)
		}
		at = part.ChunkEnd
	}
	if len(probs) == 0 && at != p.Size {
		probs.Add(fmt.Sprintf("the parts end at byte %d but the file has %d", at, p.Size), at, "body", "upload", "parts")
	}
	return probs
}

var mimeRe = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9!#$&^_.+-]{0,126}/[a-zA-Z0-9][a-zA-Z0-9!#$&^_.+-]{0,126}$`)

func validMIME(s string) bool { return mimeRe.MatchString(s) }

func validSHA256(s string) bool {
	b, err := base64.StdEncoding.DecodeString(s)
	return err == nil && len(b) == 32
}

// FilePatch is Polar's FilePatch: a nil field stays as it is.
type FilePatch struct {
	Name    *string
	Version *string
}

// Validate checks the patch; errors are 422s at body fields.
func (p FilePatch) Validate() error {
	var probs Problems
	if p.Name != nil && (strings.TrimSpace(*p.Name) == "" || utf8.RuneCountInString(*p.Name) > 255 || !ValidText(*p.Name)) {
		probs.Add("must be a name of 1 to 255 characters", *p.Name, "body", "name")
	}
	if p.Version != nil && (utf8.RuneCountInString(*p.Version) > 255 || !ValidText(*p.Version)) {
		probs.Add("must be at most 255 characters", *p.Version, "body", "version")
	}
	return probs.Err()
}

// ReadableSize is a size the way Polar's size_readable writes it ("1.5 MB",
// "512.0 B").
func ReadableSize(n int64) string {
	f := float64(n)
	for _, unit := range []string{"", "K", "M", "G", "T", "P", "E", "Z"} {
		if f < 1024 {
			return fmt.Sprintf("%3.1f %sB", f, unit)
		}
		f /= 1024
	}
	return fmt.Sprintf("%.1f YB", f)
}
