package web

import (
	"bytes"
	"html/template"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// notes renders the Markdown of a benefit's note. goldmark's default is safe:
// raw HTML is dropped ("<!-- raw HTML omitted -->") and links and images with
// dangerous schemes (javascript:, vbscript:, data: except images) lose their
// URL; text is escaped. So its output may be trusted as template.HTML.
var notes = goldmark.New(goldmark.WithExtensions(extension.Linkify, extension.Strikethrough))

// NoteHTML is md rendered safely.
func NoteHTML(md string) template.HTML {
	var b bytes.Buffer
	if err := notes.Convert([]byte(md), &b); err != nil {
		return template.HTML(template.HTMLEscapeString(md))
	}
	return template.HTML(b.String()) //nolint:gosec // goldmark without html.WithUnsafe escapes all input
}
