package paylink

import (
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strings"
)

// EmbedHostsMax is how many origins an organization may allow to embed its checkout.
const EmbedHostsMax = 10

// ParseOrigin reads a web origin as a browser sends it in Origin and as
// @polar-sh/checkout passes it as embed_origin: http or https, a host, an
// optional port, nothing else (a trailing "/" is dropped). The result is lower
// case without the scheme's default port. ok is false for anything else.
func ParseOrigin(s string) (origin string, ok bool) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" ||
		strings.ContainsAny(u.Host, "*, ") {
		return "", false
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if host == "" || (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if host == "" || !validHost(host) {
		return "", false
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	return u.Scheme + "://" + host, true
}

// validHost reports whether host is an IP address or a DNS name (letters,
// digits, dots and hyphens): nothing that could end a CSP source and start
// another directive when the origin is written into frame-ancestors.
func validHost(host string) bool {
	if _, err := netip.ParseAddr(host); err == nil {
		return true
	}
	for _, r := range host {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-') {
			return false
		}
	}
	return true
}

// NormalizeEmbedHosts checks the origins an organization allows to frame its
// checkout page (Polar's embed_hosts): each an origin ParseOrigin reads, at most
// EmbedHostsMax, duplicates dropped, in the order given. A bad entry is EInvalid
// at ("body", "embed_hosts", i).
func NormalizeEmbedHosts(hosts []string) ([]string, error) {
	var p Problems
	out := []string{}
	if len(hosts) > EmbedHostsMax {
		p.Add(fmt.Sprintf("allow at most %d origins", EmbedHostsMax), len(hosts), "body", "embed_hosts")
		return nil, p.Err()
	}
	for i, h := range hosts {
		o, ok := ParseOrigin(h)
		if !ok {
			p.Add("enter an origin like https://shop.example.com (scheme, host and port only)", h, "body", "embed_hosts", i)
			continue
		}
		if !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// EmbedAllowed returns the organization's allowed origin that origin names, as
// written in EmbedHosts; ok is false when origin is not an origin or not allowed.
func (o *Organization) EmbedAllowed(origin string) (string, bool) {
	want, ok := ParseOrigin(origin)
	if !ok || !slices.Contains(o.EmbedHosts, want) {
		return "", false
	}
	return want, true
}
