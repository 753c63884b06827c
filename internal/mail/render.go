package mail

import (
	"bytes"
	"embed"
	htmltemplate "html/template"
	"io/fs"
	"strings"
	"sync"
	texttemplate "text/template"

	"github.com/paylink/paylink"
)

//go:embed templates
var templateFS embed.FS

// view is what every email's templates get: the shop, the site's URLs and the
// kind's own data.
type view struct {
	Org       *paylink.Organization
	PublicURL string
	PortalURL string // the shop's customer portal, {public_url}/portal/{slug}; "" in emails to the merchant
	Subject   string // the rendered subject, for the HTML part's title
	Data      any
}

// kindTemplates are one kind's parsed templates: the text part (with its
// "subject" block) and the HTML part inside the shared layout.
type kindTemplates struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

var funcs = map[string]any{"money": paylink.DisplayMoney}

// parsed holds every kind found in templates/, parsed once; a broken template
// is a programming error, caught by any test that queues an email.
var parsed = sync.OnceValues(func() (map[Kind]*kindTemplates, error) {
	names, err := fs.Glob(templateFS, "templates/*.txt")
	if err != nil {
		return nil, err
	}
	out := map[Kind]*kindTemplates{}
	for _, n := range names {
		kind := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".txt")
		if kind == "layout" {
			continue
		}
		t := &kindTemplates{}
		if t.text, err = texttemplate.New("layout.txt").Funcs(funcs).ParseFS(templateFS, "templates/layout.txt", n); err != nil {
			return nil, err
		}
		if t.html, err = htmltemplate.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html",
			"templates/"+kind+".html"); err != nil {
			return nil, err
		}
		out[Kind(kind)] = t
	}
	return out, nil
})

// render returns the subject (one line), the text part and the HTML part of
// an email of kind.
func render(kind Kind, v view) (subject, text, html string, err error) {
	all, err := parsed()
	if err != nil {
		return "", "", "", err
	}
	t, ok := all[kind]
	if !ok {
		return "", "", "", paylink.Errorf(paylink.EInternal, "no templates for email kind %q", kind)
	}
	var s, tb, hb bytes.Buffer
	if err := t.text.ExecuteTemplate(&s, "subject", v); err != nil {
		return "", "", "", err
	}
	// A header is one line: newlines in a product's name must not start another.
	v.Subject = strings.Join(strings.Fields(s.String()), " ")
	if err := t.text.Execute(&tb, v); err != nil {
		return "", "", "", err
	}
	if err := t.html.Execute(&hb, v); err != nil {
		return "", "", "", err
	}
	return v.Subject, tb.String(), hb.String(), nil
}
