package cli_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"maps"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/paylink/paylink/internal/cli"
	"github.com/paylink/paylink/internal/store/storetest"
)

// paylink gets its certificate from a real ACME server, Pebble (started here on
// loopback, with a DNS server that points every name at 127.0.0.1), serves
// HTTPS with it, sends HSTS, redirects plain HTTP to https and keeps the
// certificate in its cache folder.
func TestHTTPSFromACME(t *testing.T) {
	ca := startPebble(t)
	dir := t.TempDir()
	logs := ca.serve(t, "sqlite:"+filepath.Join(dir, "paylink.db"), ca.httpsPort, ca.httpPort,
		map[string]string{"PAYLINK_TLS_CACHE_DIR": filepath.Join(dir, "certs")})
	resp := ca.get(t, ca.httpsPort, "/healthz", logs)
	if resp.StatusCode != 200 || resp.Header.Get("Strict-Transport-Security") == "" {
		t.Errorf("GET /healthz over https: %d, HSTS %q", resp.StatusCode, resp.Header.Get("Strict-Transport-Security"))
	}
	if resp.TLS == nil || resp.TLS.PeerCertificates[0].Subject.CommonName != tlsDomain && !contains(resp.TLS.PeerCertificates[0].DNSNames, tlsDomain) {
		t.Errorf("certificate not for %s", tlsDomain)
	}

	req, _ := http.NewRequest("POST", fmt.Sprintf("http://127.0.0.1:%d/dashboard/sign-in?next=%%2Fdashboard", ca.httpPort), nil)
	req.Host = tlsDomain
	resp, err := ca.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if want := fmt.Sprintf("https://%s:%d/dashboard/sign-in?next=%%2Fdashboard", tlsDomain, ca.httpsPort); resp.StatusCode != http.StatusPermanentRedirect || resp.Header.Get("Location") != want {
		t.Errorf("plain http: %d to %q, want 308 to %q", resp.StatusCode, resp.Header.Get("Location"), want)
	}
	var kept []string
	filepath.WalkDir(filepath.Join(dir, "certs"), func(path string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, tlsDomain+".crt") {
			kept = append(kept, path)
		}
		return nil
	})
	if len(kept) != 1 {
		t.Errorf("certificates kept in the cache folder: %v", kept)
	}
}

// Two paylink processes on one PostgreSQL database keep the certificates in
// it: the second serves the certificate the first obtained, without an ACME
// order of its own (it could not answer the CA's challenges on its ports).
func TestHTTPSCertificatesShareTheDatabase(t *testing.T) {
	ca := startPebble(t)
	db := storetest.PostgresURL(t)
	firstLogs := ca.serve(t, db, ca.httpsPort, ca.httpPort, nil)
	first := ca.get(t, ca.httpsPort, "/healthz", firstLogs)
	secondPort := freePort(t)
	secondLogs := ca.serve(t, db, secondPort, freePort(t), nil)
	second := ca.get(t, secondPort, "/healthz", secondLogs)
	if first.StatusCode != 200 || second.StatusCode != 200 {
		t.Errorf("GET /healthz: %d and %d", first.StatusCode, second.StatusCode)
	}
	if a, b := first.TLS.PeerCertificates[0].SerialNumber, second.TLS.PeerCertificates[0].SerialNumber; a.Cmp(b) != 0 {
		t.Errorf("the second process serves certificate %x, the first %x", b, a)
	}
	if strings.Contains(secondLogs.String(), "certificate obtained successfully") || !strings.Contains(firstLogs.String(), "certificate obtained successfully") {
		t.Errorf("want only the first process to obtain a certificate\nfirst:\n%s\nsecond:\n%s", firstLogs, secondLogs)
	}
}

const tlsDomain = "shop.paylink.test"

// pebbleCA is a running Pebble, and an HTTPS client that trusts its roots and
// finds tlsDomain on loopback.
type pebbleCA struct {
	directory, apiCert  string
	httpsPort, httpPort int // where Pebble validates challenges
	client              *http.Client
}

func startPebble(t *testing.T) *pebbleCA {
	pebble, err := exec.LookPath("pebble")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pebble is not on PATH (go install github.com/letsencrypt/pebble/v2/cmd/pebble@v2.10.3; .ci/run does)")
		}
		t.Skip("pebble is not on PATH")
	}
	dir := t.TempDir()
	dnsAddr := startDNS(t)
	acmePort, mgmtPort := freePort(t), freePort(t)
	ca := &pebbleCA{httpsPort: freePort(t), httpPort: freePort(t)}

	// Pebble's own API is served over TLS with a certificate of ours, which
	// paylink is told to trust through PAYLINK_ACME_CA_ROOT.
	apiCert, apiKey := selfSigned(t, dir)
	ca.apiCert = apiCert
	conf := map[string]any{"pebble": map[string]any{
		"listenAddress": fmt.Sprintf("127.0.0.1:%d", acmePort), "managementListenAddress": fmt.Sprintf("127.0.0.1:%d", mgmtPort),
		"certificate": apiCert, "privateKey": apiKey, "httpPort": ca.httpPort, "tlsPort": ca.httpsPort,
		"ocspResponderURL": "", "externalAccountBindingRequired": false,
	}}
	confFile := filepath.Join(dir, "pebble.json")
	b, _ := json.Marshal(conf)
	if err := os.WriteFile(confFile, b, 0o600); err != nil {
		t.Fatal(err)
	}
	var pebbleOut syncWriter
	cmd := exec.Command(pebble, "-config", confFile, "-dnsserver", dnsAddr)
	cmd.Env = append(os.Environ(), "PEBBLE_VA_NOSLEEP=1", "PEBBLE_WFE_NONCEREJECT=0")
	cmd.Stdout, cmd.Stderr = &pebbleOut, &pebbleOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })

	apiPool := x509.NewCertPool()
	pemBytes, _ := os.ReadFile(apiCert)
	apiPool.AppendCertsFromPEM(pemBytes)
	toPebble := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: apiPool}}}
	ca.directory = fmt.Sprintf("https://127.0.0.1:%d/dir", acmePort)
	waitFor(t, "pebble's directory", func() error {
		resp, err := toPebble.Get(ca.directory)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}, &pebbleOut)

	// The certificates chain up to Pebble's root of this run.
	var root []byte
	waitFor(t, "pebble's root", func() error {
		resp, err := toPebble.Get(fmt.Sprintf("https://127.0.0.1:%d/roots/0", mgmtPort))
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		root, err = io.ReadAll(resp.Body)
		return err
	}, &pebbleOut)
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(root) {
		t.Fatalf("pebble's root: %q", root)
	}
	ca.client = &http.Client{Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: roots, ServerName: tlsDomain},
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				if strings.HasPrefix(addr, tlsDomain+":") { // what the DNS server would answer
					addr = "127.0.0.1" + strings.TrimPrefix(addr, tlsDomain)
				}
				return (&net.Dialer{}).DialContext(ctx, network, addr)
			}}}
	return ca
}

// serve runs paylink serve for tlsDomain with Pebble as its CA on the database
// db until the test ends, with env added to its settings; it returns its logs.
func (ca *pebbleCA) serve(t *testing.T, db string, httpsPort, httpPort int, env map[string]string) *syncWriter {
	all := map[string]string{
		"PAYLINK_ACME_CA": ca.directory, "PAYLINK_ACME_CA_ROOT": ca.apiCert, "PAYLINK_TLS_EMAIL": "ops@paylink.test",
		"PAYLINK_STORAGE_URL": "file://" + filepath.ToSlash(filepath.Join(t.TempDir(), "files")),
	}
	maps.Copy(all, env)
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncWriter{}
	done := make(chan error, 1)
	go func() {
		done <- cli.Run(ctx, []string{"serve", "--database", db, "--tls-domain", tlsDomain,
			"--https-addr", fmt.Sprintf("127.0.0.1:%d", httpsPort), "--http-addr", fmt.Sprintf("127.0.0.1:%d", httpPort)},
			func(k string) string { return all[k] }, io.Discard, logs)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return logs
}

// get GETs path over HTTPS from the paylink on port, once it has a certificate.
func (ca *pebbleCA) get(t *testing.T, port int, path string, logs *syncWriter) *http.Response {
	t.Helper()
	var resp *http.Response
	waitFor(t, "a certificate from pebble", func() error {
		var err error
		resp, err = ca.client.Get(fmt.Sprintf("https://%s:%d%s", tlsDomain, port, path))
		if err == nil {
			resp.Body.Close()
		}
		return err
	}, logs)
	return resp
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// waitFor retries fn until it succeeds, for at most a minute (a bound on a
// stuck setup, not a timed assertion); out is shown when it never does.
func waitFor(t *testing.T, what string, fn func() error, out fmt.Stringer) {
	t.Helper()
	var err error
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if err = fn(); err == nil {
			return
		}
	}
	t.Fatalf("%s: %v\n%s", what, err, out.String())
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startDNS serves A 127.0.0.1 for every name (and no AAAA) on a loopback port,
// over UDP and TCP (Pebble asks over TCP).
func startDNS(t *testing.T) string {
	answer := dns.HandlerFunc(func(w dns.ResponseWriter, q *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(q)
		for _, question := range q.Question {
			if question.Qtype == dns.TypeA {
				m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: question.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60},
					A: net.IPv4(127, 0, 0, 1)})
			}
		}
		w.WriteMsg(m)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	pc, err := net.ListenPacket("udp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	for _, srv := range []*dns.Server{{Listener: ln, Handler: answer}, {PacketConn: pc, Handler: answer}} {
		go srv.ActivateAndServe()
		t.Cleanup(func() { srv.Shutdown() })
	}
	return ln.Addr().String()
}

// selfSigned writes a certificate and key for 127.0.0.1 into dir.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "pebble api"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile = filepath.Join(dir, "api.pem"), filepath.Join(dir, "api.key")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	return certFile, keyFile
}

// syncWriter is a log buffer the server writes to while the test reads it.
type syncWriter struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Settings that cannot work are refused before anything is opened.
func TestServeRefusesBadTLSAndLogSettings(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--tls-domain", "localhost"}, nil, "public DNS name"},
		{[]string{"--tls-domain", "shop.example.com:8443"}, nil, "public DNS name"},
		{[]string{"--tls-domain", "10.0.0.1"}, nil, "public DNS name"},
		{nil, map[string]string{"PAYLINK_TLS_DOMAINS": "shop.example.com,127.0.0.1"}, "public DNS name"},
		{nil, map[string]string{"PAYLINK_LOG_FORMAT": "xml"}, "want text or json"},
		{nil, map[string]string{"PAYLINK_PUBLIC_API_RATE": "0"}, "PAYLINK_PUBLIC_API_RATE"},
	} {
		dir := t.TempDir()
		args := append([]string{"serve", "--database", "sqlite:" + filepath.Join(dir, "p.db"), "--addr", "127.0.0.1:0"}, tc.args...)
		err := cli.Run(context.Background(), args, func(k string) string { return tc.env[k] }, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v %v: %v, want an error with %q", tc.args, tc.env, err, tc.want)
		}
		if _, err := os.Stat(filepath.Join(dir, "p.db")); err == nil {
			t.Errorf("%v %v: the database was created", tc.args, tc.env)
		}
	}
}
