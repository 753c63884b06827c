package catalog

import (
	"context"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// maxMedias bounds a product's images: a gallery, not a file store.
const maxMedias = 20

// setMedias replaces a product's images by the files ids, in order, after
// checking that each is an uploaded product_media file of the organization.
// Errors: EInvalid at ["body", "medias", i].
func setMedias(ctx context.Context, tx *store.Tx, orgID, productID string, ids []string) error {
	var probs paylink.Problems
	if len(ids) > maxMedias {
		probs.Add("a product has at most 20 images", len(ids), "body", "medias")
		return probs.Err()
	}
	seen := map[string]bool{}
	clean := make([]string, 0, len(ids))
	for i, id := range ids {
		id = strings.ToLower(id)
		if !paylink.ValidID(id) || seen[id] {
			probs.Add("must be the id of an uploaded product image, once", ids[i], "body", "medias", i)
			continue
		}
		seen[id] = true
		clean = append(clean, id)
	}
	if err := probs.Err(); err != nil {
		return err
	}
	found, err := tx.FilesByIDs(ctx, orgID, clean)
	if err != nil {
		return err
	}
	byID := map[string]*paylink.File{}
	for _, f := range found {
		byID[f.ID] = f
	}
	for i, id := range clean {
		if f := byID[id]; f == nil || f.Service != paylink.FileProductMedia {
			probs.Add("must be the id of an uploaded product_media file", ids[i], "body", "medias", i)
		}
	}
	if err := probs.Err(); err != nil {
		return err
	}
	return tx.ProductMediasSet(ctx, productID, clean)
}
