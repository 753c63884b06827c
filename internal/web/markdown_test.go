package web

import (
	"strings"
	"testing"
)

func TestNoteHTMLIsSafe(t *testing.T) {
	for _, c := range []struct{ md, want, never string }{
		{"**Thanks**", "<strong>Thanks</strong>", ""},
		{"<script>alert(1)</script>", "", "<script"},
		{"<img src=x onerror=alert(1)>", "", "onerror"},
		{"[x](javascript:alert(1))", "<a href=\"\">x</a>", "javascript:"},
		{"a & b < c", "a &amp; b &lt; c", ""},
	} {
		got := string(NoteHTML(c.md))
		if c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%q → %q, want it to contain %q", c.md, got, c.want)
		}
		if c.never != "" && strings.Contains(got, c.never) {
			t.Errorf("%q → %q, must not contain %q", c.md, got, c.never)
		}
	}
}
