// Package cleantext gives parsers a clean view of a piece of document text —
// inline markup (Markdown emphasis, HTML superscripts, line breaks) dropped,
// white space (NBSP included) collapsed — with, for every byte of the view,
// its offset in Document.Text, so values cut from the view keep exact spans.
package cleantext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// markup is dropped from the view.
var markup = []string{"***", "**", "__", "<sup>", "</sup>", "<sub>", "</sub>", "<br>", "<br/>"}

// Collapse returns the clean view of src, which starts at document offset
// off, and the document offset of each of its bytes. Leading and trailing
// white space is dropped.
func Collapse(src string, off int) (string, []int) {
	var b strings.Builder
	b.Grow(len(src))
	pos := make([]int, 0, len(src))
	space := true // drop leading space
	for i := 0; i < len(src); {
		if c := src[i]; c == '*' || c == '_' || c == '<' {
			skipped := false
			for _, m := range markup {
				if strings.HasPrefix(src[i:], m) {
					i += len(m)
					skipped = true
					break
				}
			}
			if skipped {
				continue
			}
		}
		r, n := utf8.DecodeRuneInString(src[i:])
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
				pos = append(pos, off+i)
			}
			space = true
			i += n
			continue
		}
		space = false
		b.WriteString(src[i : i+n])
		for k := 0; k < n; k++ {
			pos = append(pos, off+i+k)
		}
		i += n
	}
	s := b.String()
	if strings.HasSuffix(s, " ") {
		s, pos = s[:len(s)-1], pos[:len(pos)-1]
	}
	return s, pos
}
