package webhook

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"testing"
)

func TestCheckAddr(t *testing.T) {
	for _, c := range []struct {
		ip             string
		strict, loose  bool // allowed without and with allowPrivate
		reasonContains string
	}{
		{"93.184.216.34", true, true, ""},
		{"2606:2800:220:1:248:1893:25c8:1946", true, true, ""},
		{"127.0.0.1", false, true, "loopback"},
		{"127.1.2.3", false, true, "loopback"},
		{"::1", false, true, "loopback"},
		{"10.1.2.3", false, true, "private"},
		{"172.16.0.1", false, true, "private"},
		{"172.31.255.255", false, true, "private"},
		{"172.32.0.1", true, true, ""},
		{"192.168.1.1", false, true, "private"},
		{"fc00::1", false, true, "private"},
		{"fd12:3456::1", false, true, "private"},
		{"169.254.1.1", false, true, "link-local"},
		{"fe80::1", false, true, "link-local"},
		{"0.0.0.0", false, true, "unspecified"},
		{"::", false, true, "unspecified"},
		{"224.0.0.1", false, true, "multicast"},
		{"ff02::1", false, true, "multicast"},
		{"100.64.0.1", false, true, "reserved"},
		{"255.255.255.255", false, true, "reserved"},
		{"0.1.2.3", false, true, "reserved"},
		// IPv4-mapped IPv6 is the IPv4 address it carries.
		{"::ffff:127.0.0.1", false, true, "loopback"},
		{"::ffff:10.0.0.1", false, true, "private"},
		{"::ffff:93.184.216.34", true, true, ""},
		// NAT64 and 6to4 by their embedded IPv4 address.
		{"64:ff9b::7f00:1", false, true, "loopback"},
		{"2002:a00:1::1", false, true, "private"},
		// Cloud metadata: always refused.
		{"169.254.169.254", false, false, "metadata"},
		{"::ffff:169.254.169.254", false, false, "metadata"},
		{"64:ff9b::a9fe:a9fe", false, false, "metadata"},
		{"fd00:ec2::254", false, false, "metadata"},
		{"100.100.100.200", false, false, "metadata"},
		{"169.254.170.2", false, false, "metadata"},
		{"168.63.129.16", false, false, "metadata"},
	} {
		ip := netip.MustParseAddr(c.ip)
		strict, loose := CheckAddr(ip, false), CheckAddr(ip, true)
		if (strict == nil) != c.strict || (loose == nil) != c.loose {
			t.Errorf("%s: strict %v, loose %v; want allowed %v, %v", c.ip, strict, loose, c.strict, c.loose)
			continue
		}
		if strict != nil && !strings.Contains(strict.Error(), c.reasonContains) {
			t.Errorf("%s: reason %q lacks %q", c.ip, strict, c.reasonContains)
		}
	}
}

// Resolved addresses come back as text; net.ParseIP reads the odd forms too.
func TestCheckAddrOfParsedForms(t *testing.T) {
	for _, s := range []string{"::ffff:7f00:1", "0:0:0:0:0:ffff:a9fe:a9fe", "127.000.000.001"} {
		ip := net.ParseIP(s)
		if ip == nil {
			continue // Go refuses the form: it can never be dialed either
		}
		a, _ := netip.AddrFromSlice(ip)
		if CheckAddr(a, false) == nil {
			t.Errorf("%s (%v) allowed", s, a)
		}
	}
}

func TestCheckURL(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		url           string
		strict, loose bool
	}{
		{"https://93.184.216.34/hook", true, true},
		{"http://[2606:2800:220:1:248:1893:25c8:1946]:8080/x", true, true},
		{"https://hooks.invalid/receive", true, true}, // does not resolve: checked at delivery
		{"ftp://93.184.216.34/", false, false},
		{"javascript:alert(1)", false, false},
		{"/relative", false, false},
		{"https:///nohost", false, false},
		{"http://127.0.0.1:8080/", false, true},
		{"http://localhost:8080/", false, true},
		{"http://[::1]/", false, true},
		{"http://[::ffff:127.0.0.1]/", false, true},
		{"http://[fe80::1%25eth0]/", false, false},
		{"http://10.0.0.5/", false, true},
		{"http://2130706433/", false, false}, // 127.0.0.1 in decimal
		{"http://0177.0.0.1/", false, false}, // in octal
		{"http://0x7f.0.0.1/", false, false}, // in hex
		{"http://0x7f000001/", false, false},
		{"http://127.1/", false, false},
		{"http://169.254.169.254/latest/meta-data/", false, false},
		{"http://[fd00:ec2::254]/", false, false},
		{"http://metadata.google.internal/computeMetadata/v1/", false, false},
		{"http://METADATA.google.internal./", false, false},
		{"http://100.100.100.200/", false, false},
	} {
		strict, loose := CheckURL(ctx, c.url, false), CheckURL(ctx, c.url, true)
		if (strict == nil) != c.strict || (loose == nil) != c.loose {
			t.Errorf("%s: strict %v, loose %v; want allowed %v, %v", c.url, strict, loose, c.strict, c.loose)
		}
		var re *RefusedError
		if strict != nil && !errors.As(strict, &re) {
			t.Errorf("%s: %T is not a *RefusedError", c.url, strict)
		}
	}
}

// The dialer checks the address it connects to, whatever name led there: the
// defence against DNS rebinding. Only loopback is dialed here.
func TestClientRefusesAtDialTime(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }))
	defer srv.Close()
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	for _, host := range []string{"127.0.0.1", "localhost"} {
		u := "http://" + net.JoinHostPort(host, strconv.Itoa(port)) + "/"
		_, err := NewClient(false).Post(u, "application/json", nil)
		var re *RefusedError
		if !errors.As(err, &re) {
			t.Fatalf("%s: %v, want a refusal", u, err)
		}
		resp, err := NewClient(true).Post(u, "application/json", nil)
		if err != nil || resp.StatusCode != 204 {
			t.Fatalf("%s with private allowed: %v", u, err)
		}
		resp.Body.Close()
	}
}

// The client does not follow redirects: a 3xx is the answer.
func TestClientDoesNotFollowRedirects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://169.254.169.254/", http.StatusFound)
	}))
	defer srv.Close()
	resp, err := NewClient(true).Post(srv.URL, "application/json", nil)
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("redirect: %v %v", resp, err)
	}
	resp.Body.Close()
}
