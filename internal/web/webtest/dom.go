// Package webtest is what the page applications' tests share: an HTML reader
// (Elem, ParsePage), a shopper and a dashboard client over plain HTTP against a
// real paylink (internal/paylinktest), catalog fixtures and browser helpers.
package webtest

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// Elem is an element of a parsed page: enough DOM for assertions on what a
// person or a screen reader meets (labels, values, ARIA attributes, text).
// It parses with encoding/xml in its lenient HTML mode, which suits the
// well-formed HTML paylink's templates write.
type Elem struct {
	Tag      string
	Attr     map[string]string
	Children []*Elem
	Text     string // text directly inside, in order, children's excluded
	Parent   *Elem
}

// parseHTML parses a page or a fragment; it fails the test on malformed HTML.
func ParsePage(t *testing.T, doc string) *Elem {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	root := &Elem{Tag: "#root", Attr: map[string]string{}}
	cur := root
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return root
		}
		if err != nil {
			t.Fatalf("parse HTML: %v\n%s", err, doc)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			n := &Elem{Tag: strings.ToLower(tk.Name.Local), Attr: map[string]string{}, Parent: cur}
			for _, a := range tk.Attr {
				n.Attr[strings.ToLower(a.Name.Local)] = a.Value
			}
			cur.Children = append(cur.Children, n)
			cur = n
		case xml.EndElement:
			if cur.Parent != nil {
				cur = cur.Parent
			}
		case xml.CharData:
			cur.Text += string(tk)
		}
	}
}

// All returns the elements under n (n excluded) for which match is true, in
// document order.
func (n *Elem) All(match func(*Elem) bool) []*Elem {
	var out []*Elem
	for _, c := range n.Children {
		if match(c) {
			out = append(out, c)
		}
		out = append(out, c.All(match)...)
	}
	return out
}

// Find returns the first element matching, or nil.
func (n *Elem) Find(match func(*Elem) bool) *Elem {
	if r := n.All(match); len(r) > 0 {
		return r[0]
	}
	return nil
}

func (n *Elem) ByID(id string) *Elem {
	return n.Find(func(e *Elem) bool { return e.Attr["id"] == id })
}

func IsTag(name string) func(*Elem) bool { return func(e *Elem) bool { return e.Tag == name } }

// Has reports whether the element carries the attribute (valueless attributes too).
func (n *Elem) Has(attr string) bool { _, ok := n.Attr[attr]; return ok }

// AllText is the element's AllText content with white space collapsed.
func (n *Elem) AllText() string {
	var b strings.Builder
	var walk func(e *Elem)
	walk = func(e *Elem) {
		b.WriteString(e.Text)
		b.WriteByte(' ')
		for _, c := range e.Children {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// Control returns the form Control whose <label> text starts with label (the
// accessible name people and screen readers use), or nil.
func (n *Elem) Control(label string) *Elem {
	l := n.Find(func(e *Elem) bool { return e.Tag == "label" && strings.HasPrefix(e.AllText(), label) })
	if l == nil {
		return nil
	}
	return n.ByID(l.Attr["for"])
}

// Selected returns the value of a <select>'s Selected option ("" if none).
func (n *Elem) Selected() string {
	if o := n.Find(func(e *Elem) bool { return e.Tag == "option" && e.Has("selected") }); o != nil {
		return o.Attr["value"]
	}
	return ""
}
