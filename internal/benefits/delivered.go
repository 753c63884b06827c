package benefits

import (
	"context"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// Delivered is one benefit a customer has from an order: the benefit, its grant
// and, for license_keys, the key; for downloadables, the files.
type Delivered struct {
	Benefit *paylink.Benefit
	Grant   *paylink.BenefitGrant
	Key     *paylink.LicenseKey // nil unless Benefit is license_keys
	Files   []DeliveredFile     // downloadables only
}

// DeliveredFile is a file a downloadables grant delivers, with a fresh signed
// link to download it (empty when the service has no Links).
type DeliveredFile struct {
	Downloadable *paylink.Downloadable
	File         *paylink.File
	URL          string
	ExpiresAt    time.Time
}

// Links signs download links: files.Service.DownloadURL. scope names the
// downloadable, which the download's check (DownloadCheck) reads back.
type Links interface {
	DownloadURL(fileID, scope string) (string, time.Time)
}

// OfOrder returns what the order delivers now: the live grants of the order or,
// for a subscription's order, of its subscription, in the order they were
// granted, each file with a fresh download link. A revoked grant is not listed.
func (s *Service) OfOrder(ctx context.Context, o *paylink.Order) ([]Delivered, error) {
	var out []Delivered
	err := s.Store.Read(ctx, func(tx *store.Tx) error {
		var err error
		out, err = OfOrderIn(ctx, tx, o)
		return err
	})
	s.sign(out)
	return out, err
}

// portalMost bounds the grants OfCustomer lists.
const portalMost = 200

// OfCustomer returns what a customer has now from every order and
// subscription: their live grants, oldest first, each file with a fresh
// download link (the customer portal's list).
func (s *Service) OfCustomer(ctx context.Context, orgID, customerID string) ([]Delivered, error) {
	granted := true
	var out []Delivered
	err := s.Store.Read(ctx, func(tx *store.Tx) error {
		grants, _, err := tx.BenefitGrantList(ctx, store.BenefitGrantListParams{OrganizationID: orgID,
			CustomerIDs: []string{customerID}, IsGranted: &granted,
			ListParams: store.ListParams{OrderBy: "granted_at, id", Limit: portalMost}})
		if err != nil || len(grants) == 0 {
			return err
		}
		out, err = deliveredOf(ctx, tx, orgID, grants)
		return err
	})
	s.sign(out)
	return out, err
}

// sign gives every file of ds a fresh download link.
func (s *Service) sign(ds []Delivered) {
	if s.Links == nil {
		return
	}
	for _, d := range ds {
		for i := range d.Files {
			f := &d.Files[i]
			f.URL, f.ExpiresAt = s.Links.DownloadURL(f.File.ID, f.Downloadable.ID)
		}
	}
}

// OfOrderIn is OfOrder in tx, without links: what the receipt email lists, in
// the transaction that creates the order (the grants are already in it).
func OfOrderIn(ctx context.Context, tx *store.Tx, o *paylink.Order) ([]Delivered, error) {
	granted := true
	p := store.BenefitGrantListParams{OrganizationID: o.OrganizationID, OrderIDs: []string{o.ID}, IsGranted: &granted,
		ListParams: store.ListParams{OrderBy: "created_at, id"}}
	if o.SubscriptionID != nil {
		p.OrderIDs, p.SubscriptionIDs = nil, []string{*o.SubscriptionID}
	}
	grants, _, err := tx.BenefitGrantList(ctx, p)
	if err != nil || len(grants) == 0 {
		return nil, err
	}
	return deliveredOf(ctx, tx, o.OrganizationID, grants)
}

// deliveredOf reads the benefits, keys and files of grants.
func deliveredOf(ctx context.Context, tx *store.Tx, orgID string, grants []*paylink.BenefitGrant) ([]Delivered, error) {
	ids := make([]string, len(grants))
	for i, g := range grants {
		ids[i] = g.BenefitID
	}
	bs, err := tx.BenefitGetMany(ctx, orgID, ids)
	if err != nil {
		return nil, err
	}
	var out []Delivered
	for _, g := range grants {
		d := Delivered{Benefit: bs[g.BenefitID], Grant: g}
		if d.Benefit == nil {
			continue
		}
		switch d.Benefit.Type {
		case paylink.BenefitLicenseKeys:
			if d.Key, err = tx.LicenseKeyByGrantRead(ctx, g.ID); err != nil {
				return nil, err
			}
		case paylink.BenefitDownloadables:
			if d.Files, err = grantFiles(ctx, tx, g); err != nil {
				return nil, err
			}
		}
		out = append(out, d)
	}
	return out, nil
}

// grantFiles returns the granted downloadables of g with their files, in the
// order of the benefit's files.
func grantFiles(ctx context.Context, tx *store.Tx, g *paylink.BenefitGrant) ([]DeliveredFile, error) {
	ds, _, err := tx.DownloadableList(ctx, store.DownloadableListParams{OrganizationID: g.OrganizationID,
		GrantIDs: []string{g.ID}})
	if err != nil || len(ds) == 0 {
		return nil, err
	}
	return withFiles(ctx, tx, g.OrganizationID, ds)
}

// withFiles pairs downloadables with their (live, uploaded) files.
func withFiles(ctx context.Context, tx *store.Tx, orgID string, ds []*paylink.Downloadable) ([]DeliveredFile, error) {
	ids := make([]string, len(ds))
	for i, d := range ds {
		ids[i] = d.FileID
	}
	files, err := tx.FilesByIDs(ctx, orgID, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*paylink.File, len(files))
	for _, f := range files {
		byID[f.ID] = f
	}
	out := make([]DeliveredFile, 0, len(ds))
	for _, d := range ds {
		if f := byID[d.FileID]; f != nil {
			out = append(out, DeliveredFile{Downloadable: d, File: f})
		}
	}
	return out, nil
}
