package web_test

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// elem is an element of a parsed page: enough DOM for assertions on what a
// person or a screen reader meets (labels, values, ARIA attributes, text).
// It parses with encoding/xml in its lenient HTML mode, which suits the
// well-formed HTML paylink's templates write.
type elem struct {
	Tag      string
	Attr     map[string]string
	Children []*elem
	Text     string // text directly inside, in order, children's excluded
	Parent   *elem
}

// parseHTML parses a page or a fragment; it fails the test on malformed HTML.
func parsePage(t *testing.T, doc string) *elem {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	root := &elem{Tag: "#root", Attr: map[string]string{}}
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
			n := &elem{Tag: strings.ToLower(tk.Name.Local), Attr: map[string]string{}, Parent: cur}
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

// all returns the elements under n (n excluded) for which match is true, in
// document order.
func (n *elem) all(match func(*elem) bool) []*elem {
	var out []*elem
	for _, c := range n.Children {
		if match(c) {
			out = append(out, c)
		}
		out = append(out, c.all(match)...)
	}
	return out
}

// find returns the first element matching, or nil.
func (n *elem) find(match func(*elem) bool) *elem {
	if r := n.all(match); len(r) > 0 {
		return r[0]
	}
	return nil
}

func (n *elem) byID(id string) *elem {
	return n.find(func(e *elem) bool { return e.Attr["id"] == id })
}

func isTag(name string) func(*elem) bool { return func(e *elem) bool { return e.Tag == name } }

// has reports whether the element carries the attribute (valueless attributes too).
func (n *elem) has(attr string) bool { _, ok := n.Attr[attr]; return ok }

// text is the element's text content with white space collapsed.
func (n *elem) text() string {
	var b strings.Builder
	var walk func(e *elem)
	walk = func(e *elem) {
		b.WriteString(e.Text)
		b.WriteByte(' ')
		for _, c := range e.Children {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// control returns the form control whose <label> text starts with label (the
// accessible name people and screen readers use), or nil.
func (n *elem) control(label string) *elem {
	l := n.find(func(e *elem) bool { return e.Tag == "label" && strings.HasPrefix(e.text(), label) })
	if l == nil {
		return nil
	}
	return n.byID(l.Attr["for"])
}

// selected returns the value of a <select>'s selected option ("" if none).
func (n *elem) selected() string {
	if o := n.find(func(e *elem) bool { return e.Tag == "option" && e.has("selected") }); o != nil {
		return o.Attr["value"]
	}
	return ""
}
