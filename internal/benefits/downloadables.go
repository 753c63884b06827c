package benefits

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// downloadablesType is Polar's downloadables benefit: files (uploaded with the
// service downloadable) that its customers download through signed links. A
// grant makes one downloadable per file; revoking the grant revokes them, and
// their links answer 403 from then on (DownloadCheck).
type downloadablesType struct{}

// maxBenefitFiles bounds the files of one benefit; Polar sets none, a success
// page must still list them.
const maxBenefitFiles = 100

// fileProps are a downloadables benefit's properties (Polar's
// BenefitDownloadablesCreateProperties): its files, in order, and which of
// them are archived (kept by the customers who have them, not given to new ones).
type fileProps struct {
	Files    []string        `json:"files"`
	Archived map[string]bool `json:"archived"`
}

func (downloadablesType) Properties(raw json.RawMessage) (map[string]any, error) {
	var p fileProps
	if err := decodeStrict(raw, &p, "body", "properties"); err != nil {
		return nil, err
	}
	var probs paylink.Problems
	switch {
	case p.Files == nil:
		probs = append(probs, paylink.FieldError{Loc: []any{"body", "properties", "files"}, Msg: "Field required", Type: "missing"})
	case len(p.Files) == 0:
		probs.Add("List should have at least 1 item after validation, not 0", p.Files, "body", "properties", "files")
	case len(p.Files) > maxBenefitFiles:
		probs.Add("List should have at most 100 items after validation", len(p.Files), "body", "properties", "files")
	}
	files := make([]any, 0, len(p.Files))
	seen := map[string]bool{}
	for i, id := range p.Files {
		l := strings.ToLower(id)
		switch {
		case !paylink.ValidID(id):
			probs.Add("Input should be a valid UUID", id, "body", "properties", "files", i)
		case seen[l]:
			probs.Add("this file is listed twice", id, "body", "properties", "files", i)
		}
		seen[l] = true
		files = append(files, l)
	}
	// archived names files of the list; any other key means nothing and is dropped.
	archived := map[string]any{}
	for id, v := range p.Archived {
		if l := strings.ToLower(id); seen[l] && paylink.ValidID(id) {
			archived[l] = v
		}
	}
	if err := probs.Err(); err != nil {
		return nil, err
	}
	return map[string]any{"files": files, "archived": archived}, nil
}

// CheckProperties checks that every file is one of the organization's live,
// uploaded downloadable files; a 422 at ["body","properties","files",i] otherwise.
func (downloadablesType) CheckProperties(ctx context.Context, tx *store.Tx, orgID string, props map[string]any) error {
	p := readFileProps(props)
	found, err := tx.FilesByIDs(ctx, orgID, p.Files)
	if err != nil {
		return err
	}
	byID := make(map[string]*paylink.File, len(found))
	for _, f := range found {
		byID[f.ID] = f
	}
	var probs paylink.Problems
	for i, id := range p.Files {
		switch f := byID[id]; {
		case f == nil:
			probs.Add("file not found: upload it first (POST /v1/files/ with service downloadable)", id,
				"body", "properties", "files", i)
		case f.Service != paylink.FileDownloadable:
			probs.Add("only a file uploaded with the service downloadable can be delivered", id,
				"body", "properties", "files", i)
		}
	}
	return probs.Err()
}

// readFileProps reads stored properties back (written by Properties).
func readFileProps(props map[string]any) fileProps {
	var p fileProps
	raw, _ := json.Marshal(props)
	_ = json.Unmarshal(raw, &p)
	return p
}

// active is the files a new grant gets: those not archived, in order.
func (p fileProps) active() []string {
	out := make([]string, 0, len(p.Files))
	for _, id := range p.Files {
		if !p.Archived[id] {
			out = append(out, id)
		}
	}
	return out
}

// regrants reports that a change of the benefit's properties reaches the
// grants it has: a file added is delivered to them too, one removed is taken away.
func (downloadablesType) regrants() bool { return true }

// Grant delivers the benefit's active files (those still uploaded and not
// deleted) to g's customer, and takes away the files the benefit no longer has;
// an archived file the grant had stays. g.Properties lists the files delivered.
func (downloadablesType) Grant(ctx context.Context, tx *store.Tx, b *paylink.Benefit, g *paylink.BenefitGrant, now time.Time) error {
	p := readFileProps(b.Properties)
	if err := tx.DownloadablesRevoke(ctx, g.ID, p.Files, now); err != nil {
		return err
	}
	files, err := tx.FilesByIDs(ctx, b.OrganizationID, p.active())
	if err != nil {
		return err
	}
	ids := make([]any, 0, len(files))
	for _, f := range files {
		if f.Service != paylink.FileDownloadable {
			continue
		}
		d := &paylink.Downloadable{OrganizationID: g.OrganizationID, CustomerID: g.CustomerID, BenefitID: b.ID,
			GrantID: g.ID, FileID: f.ID, CreatedAt: now}
		if err := tx.DownloadableGrant(ctx, d); err != nil {
			return err
		}
		ids = append(ids, f.ID)
	}
	g.Properties = map[string]any{"files": ids}
	return nil
}

// Revoke revokes every file of the grant: its download links answer 403.
func (downloadablesType) Revoke(ctx context.Context, tx *store.Tx, _ *paylink.Benefit, g *paylink.BenefitGrant, now time.Time) error {
	return tx.DownloadablesRevoke(ctx, g.ID, nil, now)
}
