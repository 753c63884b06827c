package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// The SSRF guard. A webhook URL is the merchant's choice, so paylink must not let
// it reach what only paylink's host can reach. Addresses are checked after DNS
// resolution, in the dialer itself (Control runs on the very address being
// connected to), so a name that resolves to a public address when the endpoint
// is created and to a private one later (DNS rebinding) is still refused.

// metadataAddrs are cloud instance-metadata services: refused always, even when
// the operator allows private addresses, because they hand out credentials.
var metadataAddrs = map[netip.Addr]string{
	netip.MustParseAddr("169.254.169.254"): "AWS, GCP, Azure, OCI and DigitalOcean",
	netip.MustParseAddr("169.254.170.2"):   "AWS ECS task",
	netip.MustParseAddr("169.254.170.23"):  "AWS EKS pod identity",
	netip.MustParseAddr("fd00:ec2::254"):   "AWS (IPv6)",
	netip.MustParseAddr("fd00:ec2::23"):    "AWS EKS pod identity (IPv6)",
	netip.MustParseAddr("100.100.100.200"): "Alibaba Cloud",
	netip.MustParseAddr("168.63.129.16"):   "Azure wire server",
	netip.MustParseAddr("192.0.0.192"):     "Oracle Cloud",
}

// metadataHosts are names of metadata services, refused before any lookup.
var metadataHosts = map[string]bool{
	"metadata": true, "metadata.google.internal": true, "metadata.goog": true,
	"instance-data": true, "instance-data.ec2.internal": true, "metadata.tencentyun.com": true,
	"metadata.azure.com": true, "metadata.platformequinix.com": true,
}

// reserved are non-public ranges that the net/netip predicates do not cover.
var reserved = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and the broadcast address
	netip.MustParsePrefix("100::/64"),        // discard
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("fec0::/10"),       // deprecated site-local
}

// RefusedError is every refusal of the guard; Reason is fit to show a merchant.
type RefusedError struct{ Reason string }

func (e *RefusedError) Error() string { return "refused: " + e.Reason }

func refuse(format string, args ...any) error {
	return &RefusedError{Reason: fmt.Sprintf(format, args...)}
}

// reason returns the reason of a refusal, or the error text.
func reason(err error) string {
	var re *RefusedError
	if errors.As(err, &re) {
		return re.Reason
	}
	return err.Error()
}

// CheckAddr returns a *RefusedError when webhooks may not be sent to
// ip: cloud-metadata addresses always; unless allowPrivate, also loopback,
// private (RFC 1918, fc00::/7), link-local, unspecified, multicast and reserved
// addresses. IPv4-mapped IPv6 addresses are judged as the IPv4 address they
// carry, and NAT64 and 6to4 addresses by their embedded IPv4 address too.
func CheckAddr(ip netip.Addr, allowPrivate bool) error {
	ip = ip.Unmap().WithZone("")
	if who, ok := metadataAddrs[ip]; ok {
		return refuse("%s is a cloud metadata address (%s)", ip, who)
	}
	if v4, ok := embeddedIPv4(ip); ok {
		if err := CheckAddr(v4, allowPrivate); err != nil {
			return refuse("%s embeds %s", ip, reason(err))
		}
	}
	if allowPrivate {
		return nil
	}
	var kind string
	switch {
	case ip.IsUnspecified():
		kind = "unspecified"
	case ip.IsLoopback():
		kind = "loopback"
	case ip.IsPrivate():
		kind = "private"
	case ip.IsLinkLocalUnicast():
		kind = "link-local"
	case ip.IsMulticast():
		kind = "multicast"
	}
	for _, p := range reserved {
		if kind == "" && p.Contains(ip) {
			kind = "reserved"
		}
	}
	if kind != "" {
		return refuse("%s is a %s address", ip, kind)
	}
	return nil
}

var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour = netip.MustParsePrefix("2002::/16")
)

// embeddedIPv4 returns the IPv4 address inside a NAT64 or 6to4 address.
func embeddedIPv4(ip netip.Addr) (netip.Addr, bool) {
	b := ip.As16()
	switch {
	case !ip.Is6():
		return netip.Addr{}, false
	case nat64.Contains(ip):
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case sixToFour.Contains(ip):
		return netip.AddrFrom4([4]byte(b[2:6])), true
	}
	return netip.Addr{}, false
}

// checkHost refuses URLs paylink never sends to, before any DNS lookup: schemes
// other than http and https, missing hosts, metadata names, and numeric hosts
// that are not a canonical IP address (2130706433, 0177.0.0.1, 0x7f.1), which
// some resolvers would quietly turn into an address. It returns the host name
// and, when the host is an IP address, that address.
func checkHost(u *url.URL, allowPrivate bool) (string, netip.Addr, error) {
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", netip.Addr{}, refuse("the URL must start with http:// or https://")
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "" {
		return "", netip.Addr{}, refuse("the URL has no host")
	}
	if metadataHosts[host] {
		return "", netip.Addr{}, refuse("%s is a cloud metadata host", host)
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if ip.Zone() != "" {
			return "", netip.Addr{}, refuse("IPv6 zones are not allowed")
		}
		return host, ip, CheckAddr(ip, allowPrivate)
	}
	labels := strings.Split(host, ".")
	if last := labels[len(labels)-1]; strings.Trim(last, "0123456789") == "" || strings.HasPrefix(last, "0x") {
		return "", netip.Addr{}, refuse("%s is not a DNS name nor a canonical IP address", host)
	}
	return host, netip.Addr{}, nil
}

// CheckURL validates a webhook URL when an endpoint is created or changed: the
// checks of checkHost, then every address the host resolves to goes through
// CheckAddr. A name that does not resolve yet is accepted: it is checked again,
// address by address, at every delivery.
func CheckURL(ctx context.Context, raw string, allowPrivate bool) error {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() {
		return refuse("not an absolute URL")
	}
	host, ip, err := checkHost(u, allowPrivate)
	if err != nil || ip.IsValid() {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil
	}
	for _, a := range addrs {
		if err := CheckAddr(a, allowPrivate); err != nil {
			return refuse("%s resolves to %s", host, reason(err))
		}
	}
	return nil
}

// dialControl is the dialer's last word: it runs on the resolved address right
// before connect(2), so nothing reaches a refused address.
func dialControl(allowPrivate bool) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return refuse("unexpected address %q", address)
		}
		return CheckAddr(ap.Addr(), allowPrivate)
	}
}

// AttemptTimeout bounds one delivery attempt, from dialing to the last byte read.
const AttemptTimeout = 10 * time.Second

// NewClient returns the HTTP client deliveries use: the guard in its dialer, no
// proxy (a proxy would dial on our behalf), no redirects (a 3xx is a failed
// attempt, not an invitation to go elsewhere) and AttemptTimeout.
func NewClient(allowPrivate bool) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second, Control: dialControl(allowPrivate)}
	return &http.Client{
		Timeout: AttemptTimeout,
		Transport: &http.Transport{
			Proxy:             nil,
			DialContext:       dialer.DialContext,
			ForceAttemptHTTP2: true,
			// A delivery job sends its batch at once, and DeliverWorkers jobs
			// run at once: with 4 idle connections per host nearly every
			// request to a busy endpoint dialed anew (thousands of sockets in
			// TIME_WAIT in paylink-bench --deliveries, and half of a job's time).
			MaxIdleConns:          256,
			MaxIdleConnsPerHost:   64,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: AttemptTimeout,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
