// Package mail is every email paylink sends to customers and merchants: the
// receipt of an order, the dashboard's sign-in link, and the notices other areas
// queue (refunds, cancellations, failed renewals, the portal's sign-in code).
//
// One call queues an email, in the transaction of the change that causes it:
//
//	_, err := mailer.Queue(ctx, tx, mail.Message{Kind: mail.KindRefund, OrganizationID: o.OrganizationID,
//		To: customer.Email, CustomerID: &customer.ID, OrderID: &o.ID, Data: mail.RefundData{…}})
//
// serve builds the one *Service (New) and hands it to the services that send
// email (checkout's Mail, account's Mail, the dashboard); a service that is
// given none sends nothing, which is how the tests of a flow alone run.
//
// Queue renders the kind's templates (templates/KIND.txt with a "subject" block,
// templates/KIND.html inside layout.html) with Data, writes the email to the log
// (the emails table) and inserts its send job in tx: the email exists exactly
// when the change commits, and a rolled-back change sends nothing. The job sends
// it through SMTP and is retried with River's backoff (about 1 s, 16 s, 81 s, …
// 25 tries over three weeks) while the server fails; the log shows each outcome.
// Without PAYLINK_SMTP_URL nothing leaves the machine: the email is written as
// "kept" and can be read in the dashboard's Emails log.
//
// A new kind is a Kind constant, its two template files, its data type (the
// Data of its Message) and, when its body holds a secret that the log must not
// show, an entry in secretKinds. Kinds with a helper that builds their data from
// the store (Receipt) are the easiest to call.
package mail

import (
	"context"
	"fmt"
	"log/slog"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/jobs"
	"github.com/paylink/paylink/internal/store"
)

// Kind names an email's templates and its purpose; it is stored in the log.
type Kind string

// The kinds of email, each with the type of its Message's Data. The notices
// after the receipt are for the areas that send them (refunds, subscriptions,
// the customer portal); their templates are here, their calls are theirs.
const (
	KindReceipt    Kind = "receipt"      // ReceiptData: an order was paid (Receipt builds and queues it)
	KindSignInLink Kind = "sign_in_link" // SignInLinkData: a dashboard user asked for a sign-in link

	KindRefund               Kind = "refund"                // RefundData: an order was refunded, in part or in full
	KindSubscriptionCanceled Kind = "subscription_canceled" // SubscriptionData: set to end at the period's end
	KindSubscriptionEnded    Kind = "subscription_ended"    // SubscriptionData: ended or revoked
	KindRenewalFailed        Kind = "renewal_failed"        // RenewalFailedData: a renewal charge was declined
	KindPortalCode           Kind = "portal_code"           // PortalCodeData: the customer portal's one-time code
)

// secretKinds are the kinds whose body holds a secret (a one-time link): the log
// keeps it only until it is sent, and never when it is kept unsent, so nobody
// reads it in the dashboard. The portal code is not one of them: it signs in
// to the customer's own data at the merchant's shop, and a merchant trying
// paylink without SMTP reads it in the log to try the portal.
var secretKinds = map[Kind]bool{KindSignInLink: true}

// Message is one email to queue. The related ids are stored with it, so the
// dashboard shows an order's or a customer's emails.
type Message struct {
	Kind           Kind
	OrganizationID string // whose email it is: the shop named in it and the log it is in
	To             string
	Data           any // the kind's data type, given to its templates as .Data
	OrderID        *string
	SubscriptionID *string
	CustomerID     *string // set for every email to a customer: it adds the portal link
	UserID         *string
}

// Options configure the mailer.
type Options struct {
	SMTPURL   string // PAYLINK_SMTP_URL; "" keeps every email in the log unsent
	From      string // PAYLINK_MAIL_FROM; default paylink <noreply@HOST of PublicURL>
	PublicURL string // the links in the emails
	Log       *slog.Logger
	Now       func() time.Time // default paylink.Now
	// RetryDelay, when set, replaces River's backoff after failed attempt n
	// (tests shorten it).
	RetryDelay func(attempt int) time.Duration
	// Links signs the download links of the files a receipt lists
	// (files.Service.MailDownloadURL); nil lists the files without links.
	Links func(fileID, scope string) (string, time.Time)
}

// Service queues and sends the emails.
type Service struct {
	store     *store.Store
	inserter  *jobs.Client
	smtp      *smtpSender // nil: keep every email unsent
	publicURL string
	log       *slog.Logger
	now       func() time.Time
	retry     func(int) time.Duration
	links     func(fileID, scope string) (string, time.Time)
}

// New builds the mailer; an unusable SMTP URL or From address is an error
// (serve refuses to start).
func New(s *store.Store, o Options) (*Service, error) {
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Now == nil {
		o.Now = paylink.Now
	}
	m := &Service{store: s, publicURL: strings.TrimRight(o.PublicURL, "/"), log: o.Log, now: o.Now, retry: o.RetryDelay,
		links: o.Links}
	if o.From == "" {
		host := "localhost"
		if u, err := url.Parse(o.PublicURL); err == nil && u.Hostname() != "" {
			host = u.Hostname()
		}
		o.From = "paylink <noreply@" + host + ">"
	}
	if _, err := mail.ParseAddress(o.From); err != nil {
		return nil, fmt.Errorf("PAYLINK_MAIL_FROM=%q: want an address like \"Acme <billing@acme.com>\"", o.From)
	}
	if o.SMTPURL != "" {
		var err error
		if m.smtp, err = newSMTP(o.SMTPURL, o.From); err != nil {
			return nil, err
		}
	}
	var err error
	if m.inserter, err = jobs.NewInserter(s, o.Log); err != nil {
		return nil, err
	}
	return m, nil
}

// Sends reports whether emails leave the machine (PAYLINK_SMTP_URL is set).
func (s *Service) Sends() bool { return s.smtp != nil }

// Queue renders m, writes it to the log and, when SMTP is configured, inserts
// its send job, all in tx. An unknown kind or a template error is an internal
// error: the caller's transaction should fail rather than lose the email.
func (s *Service) Queue(ctx context.Context, tx *store.Tx, m Message) (*store.Email, error) {
	org, err := tx.OrganizationGet(ctx, m.OrganizationID)
	if err != nil {
		return nil, err
	}
	v := view{Org: org, PublicURL: s.publicURL, Data: m.Data}
	if m.CustomerID != nil {
		v.PortalURL = s.PortalURL(org)
	}
	subject, text, html, err := render(m.Kind, v)
	if err != nil {
		return nil, err
	}
	e := &store.Email{OrganizationID: m.OrganizationID, Kind: string(m.Kind), To: m.To, Subject: subject, Text: text,
		HTML: html, OrderID: m.OrderID, SubscriptionID: m.SubscriptionID, CustomerID: m.CustomerID, UserID: m.UserID,
		Status: store.EmailQueued, CreatedAt: s.now().UTC()}
	if s.smtp == nil {
		e.Status = store.EmailKept
		if secretKinds[m.Kind] {
			e.Text, e.HTML = "", ""
		}
	}
	if err := tx.EmailCreate(ctx, e); err != nil {
		return nil, err
	}
	if s.smtp != nil {
		if _, err := s.inserter.InsertTx(ctx, tx.Tx, SendArgs{EmailID: e.ID, OrganizationID: e.OrganizationID}, nil); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// PortalURL is the organization's customer portal, {public_url}/portal/{slug}.
func (s *Service) PortalURL(org *paylink.Organization) string {
	return s.publicURL + "/portal/" + url.PathEscape(org.Slug)
}

// Secret reports whether emails of kind hold a secret the log does not keep.
func Secret(kind string) bool { return secretKinds[Kind(kind)] }
