package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/account"
	"github.com/paylink/paylink/internal/api"
	"github.com/paylink/paylink/internal/benefits"
	"github.com/paylink/paylink/internal/catalog"
	"github.com/paylink/paylink/internal/checkout"
	"github.com/paylink/paylink/internal/customers"
	"github.com/paylink/paylink/internal/demo"
	"github.com/paylink/paylink/internal/files"
	"github.com/paylink/paylink/internal/jobs"
	"github.com/paylink/paylink/internal/mail"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/portal"
	"github.com/paylink/paylink/internal/refunds"
	"github.com/paylink/paylink/internal/server"
	"github.com/paylink/paylink/internal/subscriptions"
	"github.com/paylink/paylink/internal/tokens"
	"github.com/paylink/paylink/internal/web"
	"github.com/paylink/paylink/internal/web/checkoutpage"
	"github.com/paylink/paylink/internal/web/dashboard"
	"github.com/paylink/paylink/internal/web/portalpage"
	"github.com/paylink/paylink/internal/webhook"
)

func serveConfig(args []string, getenv func(string) string, stderr io.Writer) (*Config, error) {
	fs := newFlags("serve", stderr)
	cfg := &Config{}
	demoDefault, err := envBool(getenv, "PAYLINK_DEMO", true)
	if err != nil {
		return nil, err
	}
	fs.StringVar(&cfg.Addr, "addr", envOr(getenv, "PAYLINK_ADDR", "127.0.0.1:8080"), "listen address (PAYLINK_ADDR)")
	db := databaseFlag(fs, getenv)
	fs.StringVar(&cfg.PublicURL, "public-url", getenv("PAYLINK_PUBLIC_URL"), "public base URL of links and pages (PAYLINK_PUBLIC_URL; default http://<addr>)")
	fs.BoolVar(&cfg.Demo, "demo", demoDefault, "seed a demo organization into an empty database (PAYLINK_DEMO)")
	proxies := fs.String("trusted-proxies", getenv("PAYLINK_TRUSTED_PROXIES"),
		"proxies whose X-Forwarded-For names the client: CIDRs or addresses, comma-separated (PAYLINK_TRUSTED_PROXIES)")
	tlsFlags(fs, getenv, &cfg.TLS)
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	cfg.DatabaseURL = *db
	if err := tlsFinish(getenv, &cfg.TLS, cfg.DatabaseURL); err != nil {
		return nil, err
	}
	cfg.CheckoutTTL = 24 * time.Hour
	if v := getenv("PAYLINK_CHECKOUT_TTL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Minute {
			return nil, fmt.Errorf("PAYLINK_CHECKOUT_TTL=%q: want a Go duration of at least 1m, like 24h or 90m", v)
		}
		cfg.CheckoutTTL = d
	}
	cfg.LogLevel = envOr(getenv, "PAYLINK_LOG_LEVEL", "info")
	cfg.LogFormat = envOr(getenv, "PAYLINK_LOG_FORMAT", "text")
	cfg.MetricsToken = getenv("PAYLINK_METRICS_TOKEN")
	if cfg.TrustedProxies, err = parseProxies(*proxies); err != nil {
		return nil, err
	}
	if cfg.StorageURL = getenv("PAYLINK_STORAGE_URL"); cfg.StorageURL == "" {
		if cfg.StorageURL, err = files.DefaultStorageURL(cfg.DatabaseURL); err != nil {
			return nil, err
		}
	}
	cfg.UploadAbandonAfter = files.DefaultAbandonAfter
	if v := getenv("PAYLINK_UPLOAD_ABANDON_AFTER"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < files.MinAbandonAfter {
			return nil, fmt.Errorf("PAYLINK_UPLOAD_ABANDON_AFTER=%q: want a Go duration of at least %s, like 24h", v, files.MinAbandonAfter)
		}
		cfg.UploadAbandonAfter = d
	}
	for name, to := range map[string]*int{"PAYLINK_LICENSE_KEY_RATE": &cfg.LicenseKeyRate,
		"PAYLINK_LICENSE_KEY_KEY_RATE": &cfg.LicenseKeyKeyRate, "PAYLINK_PUBLIC_API_RATE": &cfg.PublicAPIRate} {
		if v := getenv(name); v != "" {
			if *to, err = strconv.Atoi(v); err != nil || *to < 1 {
				return nil, fmt.Errorf("%s=%q: want calls per second, at least 1", name, v)
			}
		}
	}
	if cfg.WebhookAllowPrivate, err = envBool(getenv, "PAYLINK_WEBHOOK_ALLOW_PRIVATE", false); err != nil {
		return nil, err
	}
	cfg.StripeSecretKey, cfg.StripePublishableKey = getenv("PAYLINK_STRIPE_SECRET_KEY"), getenv("PAYLINK_STRIPE_PUBLISHABLE_KEY")
	cfg.StripeWebhookSecret, cfg.StripeAPIBase = getenv("PAYLINK_STRIPE_WEBHOOK_SECRET"), getenv("PAYLINK_STRIPE_API_BASE")
	cfg.SMTPURL, cfg.MailFrom = getenv("PAYLINK_SMTP_URL"), getenv("PAYLINK_MAIL_FROM")
	if cfg.StripeSecretKey == "" && (cfg.StripePublishableKey != "" || cfg.StripeWebhookSecret != "") {
		return nil, errors.New("PAYLINK_STRIPE_PUBLISHABLE_KEY or PAYLINK_STRIPE_WEBHOOK_SECRET is set without PAYLINK_STRIPE_SECRET_KEY; set all three for Stripe, or none for the sandbox")
	}
	if cfg.PublicURL != "" {
		if !strings.HasPrefix(cfg.PublicURL, "http://") && !strings.HasPrefix(cfg.PublicURL, "https://") {
			return nil, fmt.Errorf("--public-url %q: must start with http:// or https://", cfg.PublicURL)
		}
		cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	}
	return cfg, nil
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := serveConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	log, err := newLogger(stderr, cfg.LogLevel, cfg.LogFormat)
	if err != nil {
		return err
	}
	TuneGC(getenv)
	stripeProc, err := newStripe(cfg)
	if err != nil {
		return err
	}
	var ln net.Listener
	var https *tlsSite // paylink's own HTTPS, with --tls-domain
	if len(cfg.TLS.Domains) > 0 {
		if https, err = listenTLS(cfg.TLS, stderr, cfg.LogFormat == "json"); err != nil {
			return err
		}
		defer https.httpLn.Close()
		ln = https.ln
		if cfg.PublicURL == "" {
			cfg.PublicURL = https.publicURL()
		}
	} else {
		if ln, err = net.Listen("tcp", cfg.Addr); err != nil {
			return fmt.Errorf("listen on %s: %w (is another paylink running? choose another --addr)", cfg.Addr, err)
		}
		if cfg.PublicURL == "" {
			cfg.PublicURL = "http://" + ln.Addr().String()
		}
	}
	defer ln.Close()

	s, err := openStore(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer s.Close()

	var seeded *demo.Result
	if cfg.Demo {
		if seeded, err = demo.Seed(ctx, s, cfg.PublicURL); err != nil {
			return fmt.Errorf("seed demo data: %w", err)
		}
	}

	var proc payment.Processor = payment.NewSandbox()
	if stripeProc != nil {
		proc = stripeProc
	}
	bucket, err := files.OpenStorage(ctx, cfg.StorageURL)
	if err != nil {
		return err
	}
	defer bucket.Close()
	fileService, err := files.New(ctx, s, bucket, cfg.PublicURL, log)
	if err != nil {
		return err
	}
	mailer, err := mail.New(s, mail.Options{SMTPURL: cfg.SMTPURL, From: cfg.MailFrom, PublicURL: cfg.PublicURL, Log: log,
		Links: fileService.MailDownloadURL})
	if err != nil {
		return err
	}
	render := api.Renderer{PublicURL: cfg.PublicURL, StripePublishableKey: cfg.StripePublishableKey}
	subs := &subscriptions.Service{Store: s, Render: render, Now: paylink.Now, Notify: mail.SubscriptionNotices{Service: mailer}}
	flows := &checkout.Service{Store: s, Processor: proc, Log: log, Now: paylink.Now, Mail: mailer,
		TTL: cfg.CheckoutTTL, Render: render, Subscriptions: subs}
	refunder := &refunds.Service{Store: s, Processor: proc, Render: flows.Render, Log: log, Now: paylink.Now, Mail: mailer}
	grants := &benefits.Service{Store: s, Render: flows.Render, Now: paylink.Now, Log: log, AddressRate: cfg.LicenseKeyRate,
		KeyRate: cfg.LicenseKeyKeyRate, Links: fileService}
	defer grants.Close()                              // writes the last validation counts
	subs.Benefits, refunder.Benefits = grants, grants // an end of a subscription, a refund with revoke_benefits
	portals := &portal.Service{Store: s, PublicURL: cfg.PublicURL, Now: paylink.Now, SendCode: mailer.PortalCode,
		Subscriptions: subs}
	if m, ok := proc.(payment.Methods); ok { // the sandbox and Stripe both save payment methods
		portals.Methods = m
	}
	jobClient, err := jobs.NewClient(s, log, jobRegistrations(s, log, cfg, flows, refunder, mailer, portals, fileService)...)
	if err != nil {
		return fmt.Errorf("job queue: %w", err)
	}
	if err := jobClient.Start(ctx); err != nil {
		return fmt.Errorf("start job queue: %w", err)
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := jobClient.Stop(stopCtx); err != nil {
			log.Warn("job queue did not stop cleanly", "err", err)
		}
	}()

	catalogs := &catalog.Service{Store: s, Now: paylink.Now}
	endpoints := &webhook.Endpoints{Store: s, Now: paylink.Now}
	accounts := &account.Service{Store: s, Mail: mailer}
	a := &api.API{Store: s, Log: log, PublicURL: cfg.PublicURL, Checkouts: flows, Catalog: catalogs, Webhooks: endpoints, Account: accounts,
		Refunds: refunder, Subscriptions: subs, Portal: portals, Files: fileService, Benefits: grants,
		DownloadCheck:       grants.DownloadCheck,
		Customers:           &customers.Service{Store: s, Render: render, Now: paylink.Now, Subscriptions: subs},
		WebhookAllowPrivate: cfg.WebhookAllowPrivate, StripePublishableKey: cfg.StripePublishableKey, PublicRate: cfg.PublicAPIRate}
	site := web.Site{Log: log, PublicURL: cfg.PublicURL, Sandbox: flows.Processor.Name() == "sandbox",
		StripePublishableKey: cfg.StripePublishableKey}
	checkoutPage, err := checkoutpage.New(&checkoutpage.Page{Site: site, Store: s, Checkouts: flows, Benefits: grants})
	if err != nil {
		return err
	}
	a.LinkVisit = http.HandlerFunc(checkoutPage.Visit)
	dash, err := dashboard.New(&dashboard.Dashboard{Site: site, Store: s, Catalog: catalogs, Webhooks: endpoints,
		Subscriptions: subs, Account: accounts, Mail: mailer, Files: fileService,
		Tokens: &tokens.Service{Store: s, Now: paylink.Now}, Refunds: refunder, Benefits: grants,
		AllowPrivateWebhooks: cfg.WebhookAllowPrivate})
	if err != nil {
		return err
	}
	portalPages, err := portalpage.New(&portalpage.Portal{Site: site, Store: s, Portal: portals, Benefits: grants})
	if err != nil {
		return err
	}
	if err := site.Parse(nil, nil); err != nil { // the pages around them: not found
		return err
	}
	deps := server.Deps{Store: s, Log: log, PublicURL: cfg.PublicURL, API: a,
		Checkout: checkoutPage, Dashboard: dash, Portal: portalPages, Site: &site,
		MetricsToken: cfg.MetricsToken, TrustedProxies: cfg.TrustedProxies}
	if stripeProc != nil { // the inbound Stripe webhook, POST /v1/integrations/stripe/webhook
		deps.Integrations = append(deps.Integrations, server.RoutesFunc(func(mux *http.ServeMux) {
			stripeProc.Routes(mux, flows, refunder, log)
		}))
	}
	handler := server.New(deps)
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          nil,
	}

	if err := printBanner(ctx, stdout, s, cfg, seeded); err != nil {
		return err
	}
	log.Info("serving", "addr", ln.Addr().String(), "database", s.Engine.Name(), "public_url", cfg.PublicURL)
	if !mailer.Sends() {
		log.Info("no PAYLINK_SMTP_URL: emails are kept in the dashboard's Emails log, unsent")
	}
	if https != nil {
		return https.serve(ctx, srv, log, s.CertStorage())
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newStripe returns the Stripe processor when PAYLINK_STRIPE_SECRET_KEY is set,
// else nil (the sandbox).
func newStripe(cfg *Config) (*payment.Stripe, error) {
	if cfg.StripeSecretKey == "" {
		return nil, nil
	}
	return payment.NewStripe(payment.StripeConfig{SecretKey: cfg.StripeSecretKey, PublishableKey: cfg.StripePublishableKey,
		WebhookSecret: cfg.StripeWebhookSecret, APIBase: cfg.StripeAPIBase})
}

// parseProxies reads --trusted-proxies: CIDRs or single addresses, comma-separated.
func parseProxies(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil {
				return nil, fmt.Errorf("--trusted-proxies: %q is neither a CIDR (10.0.0.0/8) nor an address", f)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
