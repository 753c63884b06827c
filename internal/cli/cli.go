// Package cli is paylink's command line: Run parses the arguments and runs one
// subcommand. Subcommands print only their result on stdout; logs and errors go
// to stderr.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/paylink/paylink/internal/server"
)

// Config is every setting of paylink, with its flag, variable and default.
type Config struct {
	Addr        string        // --addr, PAYLINK_ADDR, default 127.0.0.1:8080
	DatabaseURL string        // --database, PAYLINK_DATABASE_URL, default sqlite:./paylink.db
	PublicURL   string        // --public-url, PAYLINK_PUBLIC_URL, default http://<addr>
	Demo        bool          // --demo, PAYLINK_DEMO, default true: seed an empty database
	CheckoutTTL time.Duration // PAYLINK_CHECKOUT_TTL, default 24h
	LogLevel    string        // PAYLINK_LOG_LEVEL: debug, info (default), warn, error
	LogFormat   string        // PAYLINK_LOG_FORMAT: text (default, logfmt-like key=value) or json
	// PAYLINK_WEBHOOK_ALLOW_PRIVATE, default false: let webhook endpoints be on loopback,
	// private and link-local addresses (tests, private networks). Metadata addresses never.
	WebhookAllowPrivate bool
	// PAYLINK_STRIPE_SECRET_KEY selects the Stripe processor (default: the sandbox); it
	// then needs PAYLINK_STRIPE_PUBLISHABLE_KEY (Stripe.js on the page) and
	// PAYLINK_STRIPE_WEBHOOK_SECRET (whsec_… of /v1/integrations/stripe/webhook).
	// PAYLINK_STRIPE_API_BASE replaces https://api.stripe.com (stripe-mock in tests).
	StripeSecretKey, StripePublishableKey, StripeWebhookSecret, StripeAPIBase string
	// PAYLINK_METRICS_TOKEN: /metrics answers requests that carry it as a bearer
	// token, from anywhere; without it, /metrics answers loopback clients only.
	MetricsToken string
	// --trusted-proxies, PAYLINK_TRUSTED_PROXIES: the proxies (CIDRs or addresses,
	// comma-separated) whose X-Forwarded-For names the client; default none.
	TrustedProxies []netip.Prefix
	// PAYLINK_SMTP_URL (smtp://user:pass@host:587 with STARTTLS, smtps://…:465; default
	// none: emails are kept in the dashboard's log, unsent) and PAYLINK_MAIL_FROM (the
	// From address; default paylink <noreply@HOST of the public URL>).
	SMTPURL, MailFrom string
	// PAYLINK_STORAGE_URL: where uploaded files go (file:///dir or
	// s3://bucket?endpoint=…&region=…); default files.DefaultStorageURL.
	StorageURL string
	// PAYLINK_UPLOAD_ABANDON_AFTER, default 24h (at least 2h): an upload not
	// completed this long after its creation is deleted, rows and stored parts.
	UploadAbandonAfter time.Duration
	// PAYLINK_LICENSE_KEY_RATE, default 100: public license key calls (validate,
	// activate, deactivate) one client address may make per second, per process.
	// PAYLINK_LICENSE_KEY_KEY_RATE, default 20: such calls one key may get per second.
	LicenseKeyRate, LicenseKeyKeyRate int
	// PAYLINK_PUBLIC_API_RATE, default api.DefaultPublicRate (20): calls a second one
	// client address group (an IPv4 address, an IPv6 /64) may make to the API without
	// an organization token (a checkout's client calls, the customer portal) or with
	// a wrong one; bursts of twice as many; per process. Over it: 429 with Retry-After.
	PublicAPIRate int
	// TLS is paylink's own HTTPS (--tls-domain and the PAYLINK_TLS_*, PAYLINK_ACME_*
	// settings); without a domain paylink serves plain HTTP on Addr.
	TLS TLSConfig
}

const usage = `paylink — self-hosted checkout links

Usage:
  paylink [serve] [--addr A] [--database URL] [--public-url URL] [--demo=false]
                 [--tls-domain D [--https-addr A] [--http-addr A]] [--trusted-proxies CIDRS]
  paylink migrate --database URL
  paylink version
  paylink healthcheck [--url http://127.0.0.1:8080/readyz]
  paylink backup --database URL --to FILE
  paylink restore --from FILE --database sqlite:PATH [--force]
  paylink org create --database URL --name NAME [--slug SLUG]
  paylink token create --database URL --org SLUG [--scopes a,b]
  paylink user create --database URL --org SLUG --email E [--public-url URL]
`

// Run runs paylink with args (without the program name). getenv reads the
// environment; ctx ends the server.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, getenv, stdout, stderr)
	case "migrate":
		return migrate(ctx, args, getenv, stdout, stderr)
	case "backup":
		return backup(ctx, args, getenv, stdout, stderr)
	case "restore":
		return restore(ctx, args, getenv, stdout, stderr)
	case "healthcheck":
		return healthcheck(ctx, args, getenv, stdout, stderr)
	case "version", "--version":
		return versionCmd(ctx, args, getenv, stdout, stderr)
	case "org":
		return sub(ctx, "org", args, getenv, stdout, stderr, map[string]command{"create": orgCreate})
	case "token":
		return sub(ctx, "token", args, getenv, stdout, stderr, map[string]command{"create": tokenCreate})
	case "user":
		return sub(ctx, "user", args, getenv, stdout, stderr, map[string]command{"create": userCreate})
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n\n%s", cmd, usage)
}

type command func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error

func sub(ctx context.Context, name string, args []string, getenv func(string) string, stdout, stderr io.Writer, cmds map[string]command) error {
	if len(args) == 0 {
		return fmt.Errorf("%s: missing subcommand\n\n%s", name, usage)
	}
	c, ok := cmds[args[0]]
	if !ok {
		return fmt.Errorf("%s: unknown subcommand %q\n\n%s", name, args[0], usage)
	}
	return c(ctx, args[1:], getenv, stdout, stderr)
}

// newFlags returns a flag set that reports errors instead of exiting.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parse parses args; -h is not an error.
func parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return errHelp
	}
	if err == nil && fs.NArg() > 0 {
		return fmt.Errorf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return err
}

var errHelp = errors.New("help requested")

// IsHelp reports whether Run stopped because help was asked for.
func IsHelp(err error) bool { return errors.Is(err, errHelp) }

// envOr returns the environment variable or def.
func envOr(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
}

func envBool(getenv func(string) string, name string, def bool) (bool, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s=%q: want true or false", name, v)
	}
	return b, nil
}

// The defaults of --database and of user create's --public-url.
const (
	defaultDatabase  = "sqlite:./paylink.db"
	defaultPublicURL = "http://127.0.0.1:8080"
)

// databaseFlag adds --database with the PAYLINK_DATABASE_URL default.
func databaseFlag(fs *flag.FlagSet, getenv func(string) string) *string {
	return fs.String("database", envOr(getenv, "PAYLINK_DATABASE_URL", defaultDatabase),
		"database URL: sqlite:PATH or postgres://… (PAYLINK_DATABASE_URL)")
}

// newLogger returns the logger of the server: level and format as configured,
// and the request id on every line logged with a request's context.
func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("PAYLINK_LOG_LEVEL=%q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: l}
	var h slog.Handler
	switch format {
	case "", "text":
		h = slog.NewTextHandler(w, opts)
	case "json":
		h = slog.NewJSONHandler(w, opts)
	default:
		return nil, fmt.Errorf("PAYLINK_LOG_FORMAT=%q: want text or json", format)
	}
	return slog.New(server.WithRequestID(h)), nil
}
