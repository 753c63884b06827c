package dashboard

import (
	"net/http"
	"strings"
	"unicode"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/files"
	"github.com/paylink/paylink/internal/web"
)

// settingsForm is the Settings form: the saved values, or what was typed when
// the form comes back with errors.
type settingsForm struct {
	Name, Email, TermsURL, PrivacyURL string
	EmbedHosts                        string // the origins allowed to embed the checkout, space-separated
	Logo                              string // the logo's file id; "" for none
}

type settingsPage struct {
	dashPage
	Form   settingsForm
	Errors formErrors
	Inputs []settingsInput // the form's fields, from Form and Errors
	Logo   uploadControl   // the logo's upload control
}

// settingsInput is one field of the Settings form.
type settingsInput struct {
	Name, Label, Type, Value, Error, Help string
	Optional                              bool
}

func (p *settingsPage) inputs(w *Dashboard) []settingsInput {
	e := p.Errors.Field
	return []settingsInput{
		{"name", "Shop name", "text", p.Form.Name, e["name"], "The name customers see at the top of the checkout page.", false},
		{"email", "Support email", "email", p.Form.Email, e["email"], "Where customers can write to you; shown in the checkout page's footer.", true},
		{"terms_url", "Terms of service URL", "url", p.Form.TermsURL, e["terms_url"], "A page of your own site, like https://example.com/terms.", true},
		{"privacy_url", "Privacy policy URL", "url", p.Form.PrivacyURL, e["privacy_url"], "A page of your own site, like https://example.com/privacy.", true},
		{"embed_hosts", "Sites that may embed the checkout", "text", p.Form.EmbedHosts, e["embed_hosts"],
			"The origins of your pages that open the checkout with " + w.PublicURL + "/embed.js, separated by spaces, like https://example.com.", true},
	}
}

func (w *Dashboard) settings(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	o := s.Org
	w.renderSettings(rw, r, s, settingsPage{Form: settingsForm{Name: o.Name, Email: o.SupportEmail,
		TermsURL: o.TermsURL, PrivacyURL: o.PrivacyURL, EmbedHosts: strings.Join(o.EmbedHosts, " "), Logo: o.AvatarFileID}})
	return nil
}

func (w *Dashboard) renderSettings(rw http.ResponseWriter, r *http.Request, s *dashSession, page settingsPage) {
	page.dashPage = w.page(r, s, "Settings", "settings")
	page.Inputs = page.inputs(w)
	page.Logo = uploadControl{ID: "logo", Service: paylink.FileOrganizationAvatar, Field: "logo", Label: "Logo",
		Help:   "Shown at the top of the checkout page instead of your shop's initial. JPEG, PNG, GIF, WebP or SVG, at most 1 MB; square looks best.",
		Accept: imageAccept, MaxSize: paylink.MaxAvatarSize, Error: page.Errors.Field["logo"]}
	if page.Form.Logo != "" {
		page.Logo.Items = []uploadedItem{{ID: page.Form.Logo, Name: "Current logo", URL: files.PublicPath(&paylink.File{ID: page.Form.Logo})}}
	}
	status := http.StatusOK
	if page.Errors.Any() {
		status = http.StatusUnprocessableEntity
	}
	w.Render(rw, r, status, "dash_settings", page)
}

func (w *Dashboard) settingsSave(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	f := r.PostForm
	form := settingsForm{Name: f.Get("name"), Email: f.Get("email"), TermsURL: f.Get("terms_url"), PrivacyURL: f.Get("privacy_url"),
		EmbedHosts: f.Get("embed_hosts"), Logo: s.Org.AvatarFileID}
	if ids := postedFiles(f, "logo"); ids != nil {
		form.Logo = ""
		if len(ids) > 0 {
			form.Logo = ids[len(ids)-1] // the one uploaded last
		}
	}
	org, err := w.Account.UpdateSettings(r.Context(), s.Org.ID, paylink.OrganizationSettings{Name: form.Name,
		SupportEmail: form.Email, TermsURL: form.TermsURL, PrivacyURL: form.PrivacyURL,
		EmbedHosts: strings.FieldsFunc(form.EmbedHosts, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })})
	if err != nil {
		page := settingsPage{Form: form}
		if err := page.Errors.collect(err, settingsField); err != nil {
			return err
		}
		w.renderSettings(rw, r, s, page)
		return nil
	}
	// The logo is the files' to set; it is checked after the settings, which
	// are saved by then: a refused logo comes back alone, at its field.
	if form.Logo != s.Org.AvatarFileID {
		if err := w.Files.SetOrganizationAvatar(r.Context(), s.Org.ID, form.Logo, "body", "logo"); err != nil {
			page := settingsPage{Form: form}
			page.Form.Logo = s.Org.AvatarFileID
			if err := page.Errors.collect(err, settingsField); err != nil {
				return err
			}
			w.renderSettings(rw, r, s, page)
			return nil
		}
	}
	w.Log.InfoContext(r.Context(), "organization settings saved", "organization_id", org.ID)
	done(rw, r, web.DashPath+"/settings", "settings-saved")
	return nil
}
