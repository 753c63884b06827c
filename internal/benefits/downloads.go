package benefits

import (
	"context"
	"net/http"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// errRevoked is the answer to a download link whose downloadable was revoked
// (a refund with revoke_benefits, the end of a subscription, a file taken off
// the benefit): 403, as Polar answers a revoked grant.
var errRevoked = &paylink.Error{Code: paylink.EForbidden, Name: "NotPermitted",
	Message: "access to this file has been revoked"}

// errBadLink is the answer to a signed link that names no downloadable of its file.
var errBadLink = &paylink.Error{Code: paylink.EForbidden, Name: "NotPermitted",
	Message: "this link does not grant this file"}

// DownloadCheck is the files.DownloadCheck of downloadables: scope, under the
// link's signature, is the downloadable's id. A revoked downloadable (or one of
// another file) is 403. A download that starts at the first byte is counted;
// the resumptions of it (a Range further on) are not.
func (s *Service) DownloadCheck(ctx context.Context, f *paylink.File, scope string, r *http.Request) error {
	if !paylink.ValidID(scope) {
		return errBadLink
	}
	check := func(tx *store.Tx) error {
		d, err := tx.DownloadableGet(ctx, scope)
		switch {
		case paylink.IsCode(err, paylink.ENotFound):
			return errBadLink
		case err != nil:
			return err
		case d.FileID != f.ID || d.OrganizationID != f.OrganizationID:
			return errBadLink
		case d.Status != paylink.DownloadableGranted:
			return errRevoked
		}
		return nil
	}
	if rg := r.Header.Get("Range"); rg != "" && !strings.HasPrefix(strings.ReplaceAll(rg, " ", ""), "bytes=0-") {
		return s.Store.Read(ctx, check)
	}
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		if err := check(tx); err != nil {
			return err
		}
		err := tx.DownloadableCounted(ctx, scope, f.ID, s.now())
		if paylink.IsCode(err, paylink.ENotFound) { // revoked between the two statements (PostgreSQL)
			return errRevoked
		}
		return err
	})
}

// CustomerDownloadablesParams filters CustomerDownloadables.
type CustomerDownloadablesParams struct {
	store.ListParams
	OrganizationID, CustomerID string
	BenefitIDs                 []string
	IDs                        []string
}

// CustomerDownloadables returns a page of the files one customer may download
// now (granted, their file still there), each with a fresh link, and their
// count: Polar's customerPortal.downloadables.list.
func (s *Service) CustomerDownloadables(ctx context.Context, p CustomerDownloadablesParams) ([]DeliveredFile, int, error) {
	var out []DeliveredFile
	var total int
	err := s.Store.Read(ctx, func(tx *store.Tx) error {
		ds, n, err := tx.DownloadableList(ctx, store.DownloadableListParams{ListParams: p.ListParams,
			OrganizationID: p.OrganizationID, CustomerIDs: []string{p.CustomerID}, BenefitIDs: p.BenefitIDs, IDs: p.IDs})
		if err != nil {
			return err
		}
		total = n
		out, err = withFiles(ctx, tx, p.OrganizationID, ds)
		return err
	})
	s.sign([]Delivered{{Files: out}})
	return out, total, err
}

// CustomerDownload returns one downloadable of the customer with a fresh link
// (what GET /v1/customer-portal/downloadables/{id} redirects to); ENotFound when
// it is not theirs or not granted.
func (s *Service) CustomerDownload(ctx context.Context, orgID, customerID, id string) (*DeliveredFile, error) {
	fs, _, err := s.CustomerDownloadables(ctx, CustomerDownloadablesParams{OrganizationID: orgID, CustomerID: customerID,
		IDs: []string{id}})
	if err != nil {
		return nil, err
	}
	if len(fs) == 0 {
		return nil, paylink.NotFound("downloadable")
	}
	return &fs[0], nil
}
