package paylink

import (
	"strings"
	"unicode/utf8"
)

// Text that paylink stores is valid UTF-8 without NUL: PostgreSQL refuses both
// (SQLite would keep them), so the same input must be refused, or dropped, on
// both engines before it reaches a store.

// ValidText reports whether s can be stored: valid UTF-8 and no NUL.
func ValidText(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// CleanText returns s with invalid UTF-8 sequences and NULs removed: for text
// that paylink keeps as it came (a visit's query string) rather than refuses.
func CleanText(s string) string {
	if ValidText(s) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, ""), "\x00", "")
}

// CutText returns at most n bytes of s, cut at a character boundary.
func CutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
