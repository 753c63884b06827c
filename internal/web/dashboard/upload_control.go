package dashboard

import (
	"net/url"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/files"
)

// uploadControl is the "upload" partial of dash_layout.html: a file input that
// static/upload.js sends through the upload protocol, and the files it holds.
type uploadControl struct {
	ID, Service, Field, Label, Help, Accept, Error string
	MaxSize                                        int64
	Multiple                                       bool
	Items                                          []uploadedItem
}

// uploadedItem is one file of an upload control.
type uploadedItem struct{ ID, Name, URL string }

// imageAccept is what a browser offers for product images and logos: the
// types the rules accept (paylink.FileCreateParams.Validate).
const imageAccept = "image/jpeg,image/png,image/gif,image/webp,image/svg+xml"

func uploadedItems(fs []*paylink.File) []uploadedItem {
	out := make([]uploadedItem, len(fs))
	for i, f := range fs {
		out[i] = uploadedItem{ID: f.ID, Name: f.Name, URL: files.PublicPath(f)}
	}
	return out
}

// postedFiles is the ids an upload control posted under field: nil when the
// form had no such control (nothing to change), else the ids in order.
func postedFiles(v url.Values, field string) []string {
	if v.Get(field+"_set") == "" {
		return nil
	}
	ids := []string{}
	for _, id := range v[field] {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}
