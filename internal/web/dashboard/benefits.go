package dashboard

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

// benefitTypeNames are the benefit types the form offers.
var benefitTypeNames = map[string]string{paylink.BenefitCustom: "Note to the customer",
	paylink.BenefitLicenseKeys: "License key", paylink.BenefitDownloadables: "Files to download"}

// benefitField is the benefit form's mapping of the API's locations.
var benefitField = formFields{
	{"type", "type", "Type"},
	{"description", "description", "Description"},
	{"properties.note", "note", "Note"},
	{"properties.prefix", "prefix", "Key prefix"},
	{"properties.expires.ttl", "ttl", "Valid for"},
	{"properties.expires.timeframe", "timeframe", "Unit"},
	{"properties.activations.limit", "activation_limit", "Activation limit"},
	{"properties.limit_usage", "limit_usage", "Usage limit"},
	{"properties.files", "files", "Files"},
	{"properties.files.*", "files", "Files"},
	{"properties", "", "Settings"},
}

type benefitRow struct{ ID, Description, Type, Settings string }

type benefitsPage struct {
	dashPage
	Benefits []benefitRow
	Pager    pager
}

func (w *Dashboard) benefitList(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	pg, offset := pageOf(r)
	page := benefitsPage{dashPage: w.page(r, s, "Benefits", "benefits")}
	err := w.Store.Read(r.Context(), func(tx *store.Tx) error {
		list, total, err := tx.BenefitList(r.Context(), store.BenefitListParams{OrganizationID: s.Org.ID,
			ListParams: store.ListParams{Limit: pageSize, Offset: offset}})
		page.Pager = newPager(r, pg, total)
		for _, b := range list {
			f := benefitFormOf(b)
			page.Benefits = append(page.Benefits, benefitRow{ID: b.ID, Description: b.Description,
				Type: benefitTypeNames[b.Type], Settings: f.summary()})
		}
		return err
	})
	if err != nil {
		return err
	}
	w.Render(rw, r, http.StatusOK, "dash_benefits", page)
	return nil
}

// benefitForm is the benefit form's values, as typed.
type benefitForm struct {
	ID, Type, Description, Note, Prefix string
	TTL, Timeframe, ActivationLimit     string
	LimitUsage                          string
	CustomerAdmin                       bool
	Files                               []uploadedItem  // a downloadables benefit's files, in order
	Archived                            map[string]bool // which of them are archived (kept as they were)
}

func benefitFormOf(b *paylink.Benefit) benefitForm {
	f := benefitForm{ID: b.ID, Type: b.Type, Description: b.Description, Timeframe: "year"}
	p := b.Properties
	str := func(v any) string {
		switch v := v.(type) {
		case string:
			return v
		case json.Number:
			return v.String()
		case nil:
			return ""
		}
		b, _ := json.Marshal(v)
		return string(b)
	}
	f.Note, f.Prefix, f.LimitUsage = str(p["note"]), str(p["prefix"]), str(p["limit_usage"])
	if e, ok := p["expires"].(map[string]any); ok {
		f.TTL, f.Timeframe = str(e["ttl"]), str(e["timeframe"])
	}
	if a, ok := p["activations"].(map[string]any); ok {
		f.ActivationLimit = str(a["limit"])
		f.CustomerAdmin, _ = a["enable_customer_admin"].(bool)
	}
	ids, _ := p["files"].([]any)
	for _, id := range ids {
		if id, ok := id.(string); ok {
			f.Files = append(f.Files, uploadedItem{ID: id, Name: "File"})
		}
	}
	if a, ok := p["archived"].(map[string]any); ok {
		f.Archived = map[string]bool{}
		for id, v := range a {
			f.Archived[id], _ = v.(bool)
		}
	}
	return f
}

// named gives f's files their names (one read); a file deleted since keeps
// "File".
func (w *Dashboard) named(r *http.Request, orgID string, f benefitForm) benefitForm {
	if len(f.Files) == 0 {
		return f
	}
	ids := make([]string, len(f.Files))
	for i, it := range f.Files {
		ids[i] = it.ID
	}
	_ = w.Store.Read(r.Context(), func(tx *store.Tx) error {
		fs, err := tx.FilesByIDs(r.Context(), orgID, ids)
		for _, file := range fs {
			for i := range f.Files {
				if f.Files[i].ID == file.ID {
					f.Files[i].Name = file.Name + " (" + paylink.ReadableSize(file.Size) + ")"
				}
			}
		}
		return err
	})
	return f
}

// summary says a license key benefit's settings, or how many files a
// downloadables benefit has, in a few words.
func (f benefitForm) summary() string {
	if f.Type == paylink.BenefitDownloadables {
		if len(f.Files) == 1 {
			return "1 file"
		}
		return strconv.Itoa(len(f.Files)) + " files"
	}
	if f.Type != paylink.BenefitLicenseKeys {
		return ""
	}
	var parts []string
	if f.Prefix != "" {
		parts = append(parts, "prefix "+strings.ToUpper(f.Prefix))
	}
	if f.TTL != "" {
		parts = append(parts, "valid "+f.TTL+" "+f.Timeframe+"(s)")
	}
	if f.ActivationLimit != "" {
		parts = append(parts, f.ActivationLimit+" activations")
	}
	if f.LimitUsage != "" {
		parts = append(parts, "usage limit "+f.LimitUsage)
	}
	return strings.Join(parts, ", ")
}

// readBenefitForm reads the posted form and builds the type's properties as the
// API takes them; numbers that do not parse are reported on errs.
func readBenefitForm(v url.Values, typ string, errs *formErrors) (benefitForm, json.RawMessage) {
	t := func(name string) string { return strings.TrimSpace(v.Get(name)) }
	f := benefitForm{Type: typ, Description: t("description"), Note: v.Get("note"), Prefix: t("prefix"), TTL: t("ttl"),
		Timeframe: t("timeframe"), ActivationLimit: t("activation_limit"), LimitUsage: t("limit_usage"),
		CustomerAdmin: checked(v, "customer_admin")}
	whole := func(field, text string) any {
		if text == "" {
			return nil
		}
		n, err := strconv.Atoi(text)
		if err != nil {
			errs.add(field, "Enter a whole number.")
			return nil
		}
		return n
	}
	props := map[string]any{}
	switch typ {
	case paylink.BenefitCustom:
		props["note"] = f.Note
	case paylink.BenefitLicenseKeys:
		props["prefix"] = f.Prefix
		if ttl := whole("ttl", f.TTL); ttl != nil {
			props["expires"] = map[string]any{"ttl": ttl, "timeframe": f.Timeframe}
		}
		if limit := whole("activation_limit", f.ActivationLimit); limit != nil {
			props["activations"] = map[string]any{"limit": limit, "enable_customer_admin": f.CustomerAdmin}
		}
		if u := whole("limit_usage", f.LimitUsage); u != nil {
			props["limit_usage"] = u
		}
	case paylink.BenefitDownloadables:
		ids := postedFiles(v, "files")
		if ids == nil {
			ids = []string{}
		}
		for _, id := range ids {
			f.Files = append(f.Files, uploadedItem{ID: id, Name: "File"})
		}
		props["files"] = ids
	}
	raw, _ := json.Marshal(props)
	return f, raw
}

type benefitPage struct {
	dashPage
	Form   benefitForm
	Errors formErrors
	New    bool
	Types  []option
	Upload uploadControl // a downloadables benefit's files
}

func (w *Dashboard) benefitPageOf(r *http.Request, s *dashSession, title string, f benefitForm, errs formErrors) benefitPage {
	f = w.named(r, s.Org.ID, f)
	page := benefitPage{dashPage: w.page(r, s, title, "benefits"), Form: f, Errors: errs}
	for _, t := range []string{paylink.BenefitCustom, paylink.BenefitLicenseKeys, paylink.BenefitDownloadables} {
		page.Types = append(page.Types, option{t, benefitTypeNames[t]})
	}
	page.Upload = uploadControl{ID: "files", Service: paylink.FileDownloadable, Field: "files", Label: "Files",
		Help: "What customers download once they paid: any file, as large as an installer. The upload resumes " +
			"where it stopped. Customers get signed links, never a public address.",
		Multiple: true, Items: f.Files, Error: errs.Field["files"]}
	return page
}

func (w *Dashboard) benefitNew(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	page := w.benefitPageOf(r, s, "New benefit", benefitForm{Type: paylink.BenefitCustom, Timeframe: "year"}, formErrors{})
	page.New = true
	w.Render(rw, r, http.StatusOK, "dash_benefit", page)
	return nil
}

func (w *Dashboard) benefitCreate(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	var errs formErrors
	typ := r.PostForm.Get("type")
	f, props := readBenefitForm(r.PostForm, typ, &errs)
	if !errs.Any() {
		_, err := w.Benefits.Create(r.Context(), s.Org.ID, paylink.BenefitParams{Type: typ, Description: f.Description,
			Properties: props})
		if err == nil {
			done(rw, r, web.DashPath+"/benefits", "benefit-created")
			return nil
		}
		if err := errs.collect(err, benefitField); err != nil {
			return err
		}
	}
	page := w.benefitPageOf(r, s, "New benefit", f, errs)
	page.New = true
	w.Render(rw, r, http.StatusUnprocessableEntity, "dash_benefit", page)
	return nil
}

// benefitOf loads the benefit of the path's id, scoped to the user's organization.
func (w *Dashboard) benefitOf(r *http.Request, s *dashSession) (*paylink.Benefit, error) {
	id, err := pathID(r, "benefit")
	if err != nil {
		return nil, err
	}
	var b *paylink.Benefit
	err = w.Store.Read(r.Context(), func(tx *store.Tx) (err error) {
		b, err = tx.BenefitGet(r.Context(), s.Org.ID, id, false)
		return err
	})
	return b, err
}

func (w *Dashboard) benefitEdit(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	b, err := w.benefitOf(r, s)
	if err != nil {
		return err
	}
	w.Render(rw, r, http.StatusOK, "dash_benefit", w.benefitPageOf(r, s, b.Description, benefitFormOf(b), formErrors{}))
	return nil
}

func (w *Dashboard) benefitSave(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	cur, err := w.benefitOf(r, s)
	if err != nil {
		return err
	}
	var errs formErrors
	f, props := readBenefitForm(r.PostForm, cur.Type, &errs) // the type never changes
	f.ID = cur.ID
	if cur.Type == paylink.BenefitDownloadables {
		props = keepArchived(props, benefitFormOf(cur).Archived)
	}
	if !errs.Any() {
		_, err := w.Benefits.Update(r.Context(), s.Org.ID, cur.ID, cur.Type, paylink.BenefitPatch{
			Description: &f.Description, Properties: props})
		if err == nil {
			done(rw, r, web.DashPath+"/benefits", "benefit-saved")
			return nil
		}
		if err := errs.collect(err, benefitField); err != nil {
			return err
		}
	}
	w.Render(rw, r, http.StatusUnprocessableEntity, "dash_benefit", w.benefitPageOf(r, s, cur.Description, f, errs))
	return nil
}

func (w *Dashboard) benefitDelete(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	id, err := pathID(r, "benefit")
	if err != nil {
		return err
	}
	if err := w.Benefits.Delete(r.Context(), s.Org.ID, id); err != nil {
		return err
	}
	done(rw, r, web.DashPath+"/benefits", "benefit-deleted")
	return nil
}

// keepArchived adds to a downloadables benefit's new properties the archived
// marks of the files it still has (the form does not change them).
func keepArchived(props json.RawMessage, archived map[string]bool) json.RawMessage {
	var p map[string]any
	if len(archived) == 0 || json.Unmarshal(props, &p) != nil {
		return props
	}
	keep := map[string]bool{}
	ids, _ := p["files"].([]any)
	for _, id := range ids {
		if id, ok := id.(string); ok && archived[strings.ToLower(id)] {
			keep[strings.ToLower(id)] = true
		}
	}
	p["archived"] = keep
	raw, _ := json.Marshal(p)
	return raw
}
