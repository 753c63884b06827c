package web

import "strings"

// Policy is what a page adds to the Content-Security-Policy every page gets.
// The zero Policy is the strict one: everything from our own origin, no inline
// code, no frames, forms posting to us or to https. A page widens only its own
// Policy, by the sources it names here (see cspPage).
type Policy struct {
	Script     []string // more script-src sources
	Frame      []string // frame-src sources (none: no frames)
	Connect    []string // more connect-src sources
	FormAction []string // more form-action sources
	// FrameAncestor is the one origin that may frame the page (the checkout in
	// embed mode, an origin the organization allows); "" keeps every page
	// unframeable. Never a wildcard: anything but a plain origin is ignored.
	FrameAncestor string
}

// Framable reports whether the page may be framed, by FrameAncestor alone.
func (p Policy) Framable() bool {
	o := p.FrameAncestor
	return o != "" && o != "*" && !strings.ContainsAny(o, " ;,'\"*\t\r\n") &&
		(strings.HasPrefix(o, "https://") || strings.HasPrefix(o, "http://"))
}

// cspPage is page data that widens its own page's policy.
type cspPage interface{ CSP() Policy }

// pagePolicy is the policy of a page rendered with data.
func pagePolicy(data any) Policy {
	if p, ok := data.(cspPage); ok {
		return p.CSP()
	}
	return Policy{}
}

// String renders the Content-Security-Policy header value. Without extra
// sources it is exactly the strict policy of every page.
func (p Policy) String() string {
	var b strings.Builder
	b.WriteString("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'")
	directive := func(name string, base string, extra []string) {
		if base == "" && len(extra) == 0 {
			return
		}
		b.WriteString("; " + name)
		if base != "" {
			b.WriteString(" " + base)
		}
		for _, s := range extra {
			b.WriteString(" " + s)
		}
	}
	for _, s := range p.Script {
		b.WriteString(" " + s)
	}
	directive("frame-src", "", p.Frame)
	if len(p.Connect) > 0 {
		directive("connect-src", "'self'", p.Connect)
	}
	if p.Framable() {
		b.WriteString("; frame-ancestors " + p.FrameAncestor + "; form-action")
	} else {
		b.WriteString("; frame-ancestors 'none'; form-action")
	}
	for _, s := range p.FormAction {
		b.WriteString(" " + s)
	}
	b.WriteString(" 'self' https:")
	return b.String()
}

// StripePolicy is what Stripe.js and its Payment Element need, and no more:
// the script, its frames (the card fields; 3-D Secure on hooks.stripe.com),
// and its API calls.
var StripePolicy = Policy{
	Script:  []string{"https://js.stripe.com"},
	Frame:   []string{"https://js.stripe.com", "https://hooks.stripe.com"},
	Connect: []string{"https://api.stripe.com"},
}
