package cli

import (
	"context"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/caddyserver/certmagic"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// TLSConfig is paylink's own HTTPS: certificates obtained and renewed over ACME
// (Let's Encrypt by default) with certmagic, for the domains it serves.
type TLSConfig struct {
	// --tls-domain, PAYLINK_TLS_DOMAINS: the names to get certificates for,
	// comma-separated; the flag may be repeated. None: paylink serves plain
	// HTTP on --addr (behind a reverse proxy, say).
	Domains []string
	// PAYLINK_TLS_EMAIL: the ACME account's email (the CA writes about expiring
	// certificates and problems); optional.
	Email string
	// PAYLINK_ACME_CA: the ACME directory URL; default Let's Encrypt's production
	// directory. PAYLINK_ACME_CA_ROOT: a PEM file of roots to trust when talking
	// to that CA (a private CA such as step-ca, or Pebble in tests); default the
	// system's roots.
	CA, CARoot string
	// PAYLINK_TLS_CACHE_DIR: the folder where certificates and the ACME account
	// are kept; default "certificates" beside the SQLite database. On
	// PostgreSQL they are kept in the database unless this is set, so that every
	// process on it serves the certificates one of them obtained ("" here).
	// Processes sharing the folder or the database take turns obtaining one.
	CacheDir string
	// --https-addr, PAYLINK_HTTPS_ADDR (default :443): where HTTPS is served.
	// --http-addr, PAYLINK_HTTP_ADDR (default :80): answers the CA's HTTP
	// challenges and redirects everything else to https.
	HTTPSAddr, HTTPAddr string
}

// tlsFlags adds --tls-domain, --https-addr and --http-addr to fs.
func tlsFlags(fs *flag.FlagSet, getenv func(string) string, t *TLSConfig) {
	t.Domains = splitList(getenv("PAYLINK_TLS_DOMAINS"))
	fromEnv := true
	fs.Func("tls-domain", "serve HTTPS for this domain with a certificate from ACME (repeatable or comma-separated; PAYLINK_TLS_DOMAINS)",
		func(v string) error {
			if fromEnv { // the flag replaces the variable's list
				t.Domains, fromEnv = nil, false
			}
			t.Domains = append(t.Domains, splitList(v)...)
			return nil
		})
	fs.StringVar(&t.HTTPSAddr, "https-addr", envOr(getenv, "PAYLINK_HTTPS_ADDR", ":443"), "HTTPS listen address with --tls-domain (PAYLINK_HTTPS_ADDR)")
	fs.StringVar(&t.HTTPAddr, "http-addr", envOr(getenv, "PAYLINK_HTTP_ADDR", ":80"),
		"HTTP listen address with --tls-domain: ACME challenges and the redirect to https (PAYLINK_HTTP_ADDR)")
}

// tlsFinish reads the rest of the TLS settings once the flags are parsed.
func tlsFinish(getenv func(string) string, t *TLSConfig, databaseURL string) error {
	t.Email, t.CARoot = getenv("PAYLINK_TLS_EMAIL"), getenv("PAYLINK_ACME_CA_ROOT")
	t.CA = envOr(getenv, "PAYLINK_ACME_CA", certmagic.LetsEncryptProductionCA)
	for _, d := range t.Domains {
		if !certmagic.SubjectQualifiesForPublicCert(d) || strings.Contains(d, ":") {
			return fmt.Errorf("--tls-domain %q: want a public DNS name like shop.example.com (no scheme, port, IP or localhost)", d)
		}
	}
	t.CacheDir = getenv("PAYLINK_TLS_CACHE_DIR")
	path, sqlite := strings.CutPrefix(databaseURL, "sqlite:")
	switch {
	case t.CacheDir != "":
	case sqlite:
		t.CacheDir = filepath.Join(filepath.Dir(path), "certificates")
	case hasEntries(legacyTLSDir):
		// Before certificates were kept in PostgreSQL they were kept in this
		// folder: keep using it rather than register a new ACME account and
		// order every certificate again (the CA's rate limits count them).
		t.CacheDir = legacyTLSDir
	}
	return nil
}

// legacyTLSDir is where paylink kept certificates on PostgreSQL before it kept
// them in the database.
const legacyTLSDir = "paylink-certificates"

// hasEntries reports whether dir is a folder with something in it.
func hasEntries(dir string) bool {
	entries, err := os.ReadDir(dir)
	return err == nil && len(entries) > 0
}

func splitList(v string) []string {
	var out []string
	for _, f := range strings.Split(v, ",") {
		if f = strings.ToLower(strings.TrimSpace(f)); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// tlsSite is paylink's HTTPS once its listeners are bound: the HTTPS listener
// (the server's), the HTTP one (challenges and redirects) and the certificate
// manager.
type tlsSite struct {
	cfg        TLSConfig
	ln, httpLn net.Listener
	magic      *certmagic.Config
	issuer     *certmagic.ACMEIssuer
	cache      *certmagic.Cache
}

// listenTLS binds the HTTPS and HTTP addresses and sets up certmagic; it does
// not obtain anything yet (start does).
func listenTLS(t TLSConfig, stderr io.Writer, jsonLogs bool) (*tlsSite, error) {
	var roots *x509.CertPool
	if t.CARoot != "" {
		pem, err := os.ReadFile(t.CARoot)
		if err != nil {
			return nil, fmt.Errorf("PAYLINK_ACME_CA_ROOT: %w", err)
		}
		roots = x509.NewCertPool()
		if !roots.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("PAYLINK_ACME_CA_ROOT %s: no PEM certificate in it", t.CARoot)
		}
	}
	ln, err := net.Listen("tcp", t.HTTPSAddr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s for HTTPS: %w (choose another --https-addr; ports below 1024 need CAP_NET_BIND_SERVICE)", t.HTTPSAddr, err)
	}
	httpLn, err := net.Listen("tcp", t.HTTPAddr)
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("listen on %s for HTTP: %w (choose another --http-addr)", t.HTTPAddr, err)
	}
	site := &tlsSite{cfg: t, ln: ln, httpLn: httpLn}
	zl := certmagicLogger(stderr, jsonLogs)
	site.cache = certmagic.NewCache(certmagic.CacheOptions{
		GetConfigForCert: func(certmagic.Certificate) (*certmagic.Config, error) { return site.magic, nil },
		Logger:           zl,
	})
	// Without a cache folder serve puts the database's storage in place.
	site.magic = certmagic.New(site.cache, certmagic.Config{Storage: &certmagic.FileStorage{Path: t.CacheDir}, Logger: zl})
	// The challenge solvers find our own listeners on these ports busy and leave
	// the challenges to them: the HTTP one to HTTPChallengeHandler, TLS-ALPN to
	// the HTTPS listener's certmagic TLS config.
	httpHost, httpPort := hostPort(httpLn.Addr())
	_, httpsPort := hostPort(ln.Addr())
	site.issuer = certmagic.NewACMEIssuer(site.magic, certmagic.ACMEIssuer{CA: t.CA, Email: t.Email, Agreed: true,
		TrustedRoots: roots, ListenHost: httpHost, AltHTTPPort: httpPort, AltTLSALPNPort: httpsPort, Logger: zl})
	site.magic.Issuers = []certmagic.Issuer{site.issuer}
	return site, nil
}

func hostPort(a net.Addr) (string, int) {
	host, port, _ := net.SplitHostPort(a.String())
	n, _ := strconv.Atoi(port)
	return host, n
}

// publicURL is the https URL of the first domain, with the port unless it is 443.
func (s *tlsSite) publicURL() string {
	u := "https://" + s.cfg.Domains[0]
	if _, port := hostPort(s.ln.Addr()); port != 443 {
		u += ":" + strconv.Itoa(port)
	}
	return u
}

// serve serves handler over HTTPS and the challenges and redirect over HTTP,
// and has certmagic obtain (and later renew) the certificates in the
// background: until it has one, HTTPS handshakes for a domain fail. It returns
// when ctx ends (after shutting both servers down) or a server fails.
//
// db is where the certificates are kept without a cache folder.
func (s *tlsSite) serve(ctx context.Context, srv *http.Server, log *slog.Logger, db certmagic.Storage) error {
	defer s.cache.Stop()
	kept := s.cfg.CacheDir
	if kept == "" {
		s.magic.Storage, kept = db, "database"
	}
	tlsCfg := s.magic.TLSConfig()
	tlsCfg.NextProtos = append([]string{"h2", "http/1.1"}, tlsCfg.NextProtos...)
	srv.TLSConfig = tlsCfg
	// Failed handshakes (scanners, a name without a certificate yet) are the
	// HTTPS server's usual noise: debug, not stderr.
	srv.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelDebug)
	redirect := &http.Server{
		Handler:           s.issuer.HTTPChallengeHandler(http.HandlerFunc(s.toHTTPS)),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
	errc := make(chan error, 2)
	go func() { errc <- srv.ServeTLS(s.ln, "", "") }()
	go func() { errc <- redirect.Serve(s.httpLn) }()
	if err := s.magic.ManageAsync(ctx, s.cfg.Domains); err != nil {
		log.Error("tls: managing certificates failed", "domains", s.cfg.Domains, "err", err)
	}
	log.Info("serving https", "addr", s.ln.Addr().String(), "http_addr", s.httpLn.Addr().String(),
		"domains", strings.Join(s.cfg.Domains, ","), "ca", s.cfg.CA, "certificates", kept)
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	_ = redirect.Shutdown(shutdownCtx)
	if serr := srv.Shutdown(shutdownCtx); serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// toHTTPS redirects a plain-HTTP request to the same URL over https (308 keeps
// the method and body of a POST), on a domain paylink has a certificate for: the
// one asked for, else the first.
func (s *tlsSite) toHTTPS(w http.ResponseWriter, r *http.Request) {
	host := strings.ToLower(r.Host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if !slices.Contains(s.cfg.Domains, host) {
		host = s.cfg.Domains[0]
	}
	if _, port := hostPort(s.ln.Addr()); port != 443 {
		host += ":" + strconv.Itoa(port)
	}
	http.Redirect(w, r, "https://"+host+r.URL.RequestURI(), http.StatusPermanentRedirect)
}

// certmagicLogger is certmagic's zap logger, at info, on stderr in the format
// of paylink's own logs.
func certmagicLogger(w io.Writer, jsonLogs bool) *zap.Logger {
	enc := zap.NewProductionEncoderConfig()
	enc.EncodeTime = zapcore.RFC3339NanoTimeEncoder
	var e zapcore.Encoder = zapcore.NewConsoleEncoder(enc)
	if jsonLogs {
		e = zapcore.NewJSONEncoder(enc)
	}
	return zap.New(zapcore.NewCore(e, zapcore.AddSync(w), zap.InfoLevel)).Named("tls")
}
