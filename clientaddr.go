package paylink

import (
	"net"
	"strings"
)

// AddressGroup is the part of a client's address that rate limits count by: the
// IPv4 address, or the /64 network of an IPv6 one (what one customer line gets,
// so a host cannot step around a limit by walking its own /64). addr may carry a
// port ("203.0.113.9:4000", "[2001:db8::1]:443").
func AddressGroup(addr string) string {
	host := addr
	if h, _, err := net.SplitHostPort(addr); err == nil {
		host = h
	}
	ip := net.ParseIP(strings.TrimSpace(host))
	if ip == nil {
		return host
	}
	if v4 := ip.To4(); v4 != nil {
		return v4.String()
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}
