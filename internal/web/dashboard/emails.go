package dashboard

import (
	"net/http"
	"strconv"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/mail"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

// The Emails log: every email the organization's changes queued, with its
// status, and one email's page with what it said. The HTML part is shown in a
// sandboxed frame served by emailHTML under a policy of its own: no script, no
// request anywhere, inline styles only.

func emailPath(id string) string { return web.DashPath + "/emails/" + id }

// emailKinds name the kinds of email in words.
var emailKinds = map[string]string{
	string(mail.KindReceipt): "Receipt", string(mail.KindSignInLink): "Dashboard sign-in link",
	string(mail.KindRefund): "Refund", string(mail.KindSubscriptionCanceled): "Subscription canceled",
	string(mail.KindSubscriptionEnded): "Subscription ended", string(mail.KindRenewalFailed): "Renewal failed",
	string(mail.KindPortalCode): "Portal sign-in code",
}

func emailKind(k string) string {
	if s, ok := emailKinds[k]; ok {
		return s
	}
	return k
}

func (w *Dashboard) emailList(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	pg, offset := pageOf(r)
	lede := "Every email paylink sent or is sending for you, newest first. Failed attempts are retried with a growing wait."
	if w.Mail != nil && !w.Mail.Sends() {
		lede = "No SMTP server is configured (PAYLINK_SMTP_URL), so no email leaves this machine: each one is kept here to read."
	}
	page := tablePage{dashPage: w.page(r, s, "Emails", "emails"), Lede: lede,
		Empty:   "No emails yet. A paid order sends its receipt.",
		Columns: []string{"Created", "Status", "To", "Subject", "Kind"}}
	err := w.Store.Read(r.Context(), func(tx *store.Tx) error {
		list, total, err := tx.EmailList(r.Context(), store.EmailListParams{OrganizationID: s.Org.ID,
			ListParams: store.ListParams{Limit: pageSize, Offset: offset}})
		if err != nil {
			return err
		}
		page.Pager = newPager(r, pg, total)
		for _, e := range list {
			page.Rows = append(page.Rows, []cell{dateCell(e.CreatedAt), {Badge: e.Status}, txt(e.To),
				linked(e.Subject, emailPath(e.ID)), txt(emailKind(e.Kind))})
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.Render(rw, r, http.StatusOK, "dash_table", page)
	return nil
}

// emailPage is one email: its facts and its two parts.
type emailPage struct {
	dashPage
	Badge   string
	Facts   []fact
	Text    string
	HTMLURL string // the sandboxed frame's source; "" when the body is not kept
	Hidden  string // why the body is not shown
}

// csp lets the page frame its own email's HTML part.
func (emailPage) CSP() web.Policy { return web.Policy{Frame: []string{"'self'"}} }

func (w *Dashboard) emailOf(r *http.Request, s *dashSession) (*store.Email, error) {
	id, err := pathID(r, "email")
	if err != nil {
		return nil, err
	}
	var e *store.Email
	err = w.Store.Read(r.Context(), func(tx *store.Tx) (err error) {
		e, err = tx.EmailGet(r.Context(), s.Org.ID, id)
		return err
	})
	return e, err
}

func (w *Dashboard) emailPage(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	e, err := w.emailOf(r, s)
	if err != nil {
		return err
	}
	page := emailPage{dashPage: w.page(r, s, e.Subject, "emails"), Badge: e.Status, Text: e.Text}
	page.Facts = []fact{{"To", txt(e.To)}, {"Kind", txt(emailKind(e.Kind))}, {"Created", dateCell(e.CreatedAt)},
		{"Sent", orText(whenPtr(e.SentAt))}, {"Attempts", txt(strconv.Itoa(e.Attempts))}}
	if e.LastError != nil {
		page.Facts = append(page.Facts, fact{"Last error", code(*e.LastError)})
	}
	for _, rel := range []struct {
		label string
		id    *string
		path  func(string) string
	}{{"Order", e.OrderID, orderPath}, {"Subscription", e.SubscriptionID, subscriptionPath}, {"Customer", e.CustomerID, customerPath}} {
		if rel.id != nil {
			page.Facts = append(page.Facts, fact{rel.label, optLinked(rel.id, "", rel.path, "")})
		}
	}
	switch {
	case mail.Secret(e.Kind):
		page.Text = ""
		page.Hidden = "This email holds a one-time sign-in link, which only its recipient may read: it is not shown here, and paylink keeps it only until it is sent."
	case e.HTML != "":
		page.HTMLURL = emailPath(e.ID) + "/html"
	}
	w.Render(rw, r, http.StatusOK, "dash_email", page)
	return nil
}

// emailHTMLPolicy is the frame's policy, on top of the frame's sandbox
// attribute: a sandbox that allows no script and no form (here too, for the URL
// opened on its own), nothing fetched but inline styles and data: images, and
// only the dashboard may frame it. The sandbox keeps the frame's origin, so that
// it renders in place (a browser may leave an opaque-origin frame out of a
// screenshot or a print); without scripts that origin gives it nothing.
const emailHTMLPolicy = "sandbox allow-same-origin allow-popups allow-popups-to-escape-sandbox; default-src 'none'; " +
	"style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'; frame-ancestors 'self'"

func (w *Dashboard) emailHTML(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	e, err := w.emailOf(r, s)
	if err != nil {
		return err
	}
	if mail.Secret(e.Kind) {
		return paylink.NotFound("email")
	}
	h := rw.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Content-Security-Policy", emailHTMLPolicy)
	rw.Write([]byte(e.HTML)) //nolint:errcheck
	return nil
}

// emailTable is the related table of the emails about an order, a subscription
// or a customer (p says which), on its detail page.
func emailTable(r *http.Request, tx *store.Tx, p store.EmailListParams) (detailTable, error) {
	p.Limit = relatedRows
	list, total, err := tx.EmailList(r.Context(), p)
	t := detailTable{Title: countTitle("Emails", len(list), total), Empty: "No emails.",
		Columns: []string{"Created", "Status", "Subject", "To"}}
	for _, e := range list {
		t.Rows = append(t.Rows, []cell{dateLinked(dateCell(e.CreatedAt), emailPath(e.ID)), {Badge: e.Status},
			linked(e.Subject, emailPath(e.ID)), txt(e.To)})
	}
	return t, err
}
