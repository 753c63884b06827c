package mail

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	"github.com/riverqueue/river"
	gomail "github.com/wneessen/go-mail"

	"github.com/paylink/paylink/internal/store"
)

// The ways to connect to the SMTP server.
const (
	connStartTLS      = "starttls"      // STARTTLS, required
	connOpportunistic = "opportunistic" // STARTTLS when offered, else plain
	connTLS           = "tls"           // TLS from the first byte (smtps)
)

// smtpSender sends the log's emails through one SMTP server.
type smtpSender struct {
	host       string
	port       int
	conn       string // connStartTLS, connOpportunistic or connTLS
	user, pass string // no authentication when user is ""
	from       string
}

// newSMTP reads PAYLINK_SMTP_URL:
//
//	smtp://user:pass@host:587   STARTTLS required (port 587 by default)
//	smtps://user:pass@host:465  TLS from the first byte (port 465 by default)
//
// An smtp:// URL to a loopback host (127.0.0.1, ::1, localhost), or one with
// ?tls=opportunistic, uses STARTTLS only when the server offers it: a local test
// server such as Mailpit (smtp://127.0.0.1:1025) offers none. The user name and
// password are optional; with them paylink authenticates with the best mechanism
// the server offers. The error never repeats the URL, which holds a password.
func newSMTP(raw, from string) (*smtpSender, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" || (u.Scheme != "smtp" && u.Scheme != "smtps") {
		return nil, fmt.Errorf("PAYLINK_SMTP_URL: want smtp://user:pass@host:587 or smtps://user:pass@host:465")
	}
	s := &smtpSender{host: u.Hostname(), port: 587, conn: connStartTLS, user: u.User.Username(), from: from}
	s.pass, _ = u.User.Password()
	switch {
	case u.Scheme == "smtps":
		s.port, s.conn = 465, connTLS
	case isLoopback(s.host) || u.Query().Get("tls") == "opportunistic":
		s.conn = connOpportunistic
	}
	if p := u.Port(); p != "" {
		if s.port, err = strconv.Atoi(p); err != nil || s.port < 1 || s.port > 65535 {
			return nil, fmt.Errorf("PAYLINK_SMTP_URL: bad port %q", p)
		}
	}
	return s, nil
}

// options are go-mail's settings for the server.
func (s *smtpSender) options() []gomail.Option {
	opts := []gomail.Option{gomail.WithPort(s.port), gomail.WithTimeout(30 * time.Second)}
	switch s.conn {
	case connTLS:
		opts = append(opts, gomail.WithSSL())
	case connOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.user != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(s.user), gomail.WithPassword(s.pass))
	}
	return opts
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// send hands one email to the server: its text part, its HTML alternative and a
// Message-ID made from its id, so a resend after a lost answer is recognizable.
// A malformed address is River's JobCancel: the job is not tried again.
func (s *smtpSender) send(ctx context.Context, e *store.Email) error {
	m := gomail.NewMsg()
	if err := m.From(s.from); err != nil {
		return river.JobCancel(err)
	}
	if err := m.To(e.To); err != nil {
		return river.JobCancel(err) // no later attempt can send to a malformed address
	}
	m.Subject(e.Subject)
	m.SetMessageIDWithValue(e.ID + "@paylink")
	m.SetDate()
	m.SetBodyString(gomail.TypeTextPlain, e.Text)
	m.AddAlternativeString(gomail.TypeTextHTML, e.HTML)
	c, err := gomail.NewClient(s.host, s.options()...)
	if err != nil {
		return err
	}
	return c.DialAndSendWithContext(ctx, m)
}
