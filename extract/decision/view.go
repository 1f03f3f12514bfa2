package decision

import (
	"strings"

	"registre"
	"registre/extract/cleantext"
)

// line is one text block of the document, cleaned of inline markup
// (Markdown emphasis, <sup>) and of its list bullet, with a map from every
// byte of the clean text back to Document.Text so values keep exact spans.
type line struct {
	text  string
	pos   []int // pos[i] = offset in Document.Text of text[i]
	end   int   // end of the block in Document.Text
	page  int
	kind  registre.BlockKind
	level int
	item  bool // a list item (by block kind or by a printed bullet)
	block int  // index in Document.Blocks
}

// span returns the document span of text[i:j].
func (l *line) span(i, j int) (int, int) {
	if i >= j || i >= len(l.pos) {
		return l.end, l.end
	}
	return l.pos[i], l.pos[j-1] + 1
}

// markup is inline markup that text conversions leave in the text of
// decisions (the seed is Markdown with HTML superscripts).

// bulletGlyphs are list markers printed in the text itself (PDF readers and
// Word conversions keep them; "o " is Word's second-level bullet).
var bulletGlyphs = []string{"•", "◦", "▪", "\uf0b7", "·", "–", "- ", "o "}

// lines turns the document's text blocks into clean lines.
func lines(doc *registre.Document) []line {
	var out []line
	page := 1
	for bi, b := range doc.Blocks {
		if b.Kind == registre.BlockPageBreak {
			if b.Page > 0 {
				page = b.Page
			}
			continue
		}
		if b.Kind == registre.BlockTable {
			continue
		}
		if b.Start < 0 || b.End > len(doc.Text) || b.Start > b.End {
			continue
		}
		l := clean(doc.Text[b.Start:b.End], b.Start)
		l.end, l.kind, l.level, l.block = b.End, b.Kind, b.Level, bi
		l.page = page
		if b.Page > 0 {
			l.page = b.Page
		}
		l.item = b.Kind == registre.BlockListItem
		// A printed bullet glyph makes an item too; several glyphs may
		// precede the text ("• o l'activité…").
		for {
			t := l.text
			stripped := false
			for _, g := range bulletGlyphs {
				if strings.HasPrefix(t, g) && len(t) > len(g) {
					rest := strings.TrimLeft(t[len(g):], " \u00a0\t")
					if g == "o " && !l.item {
						// "o " is Word's second-level bullet only under
						// a list marker; elsewhere it is a word.
						break
					}
					cut := len(t) - len(rest)
					if cut == 0 {
						break
					}
					l.text, l.pos = l.text[cut:], l.pos[cut:]
					l.item, stripped = true, true
					if g == "o " {
						l.level++
					}
					break
				}
			}
			if !stripped {
				break
			}
		}
		if strings.TrimSpace(l.text) == "" {
			continue
		}
		out = append(out, l)
	}
	return out
}

// clean removes inline markup and collapses white space (NBSP included),
// keeping the position map.
func clean(s string, off int) line {
	var l line
	l.text, l.pos = cleantext.Collapse(s, off)
	return l
}

// para is a run of lines read as one piece of text (a wrapped paragraph,
// a visa, a list item with its continuation lines).
type para struct {
	lines []line
	item  bool
	level int
}

// text joins the lines with single spaces.
func (p para) text() string {
	var b strings.Builder
	for i, l := range p.lines {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(l.text)
	}
	return b.String()
}

// span maps [i, j) of p.text() back to Document.Text.
func (p para) span(i, j int) (int, int) {
	start, end := -1, -1
	off := 0
	for _, l := range p.lines {
		lo, hi := off, off+len(l.text)
		if start < 0 && i < hi {
			a := max(i-lo, 0)
			start, _ = l.span(a, a+1)
		}
		if j <= hi && j > lo {
			_, end = l.span(j-lo-1, j-lo)
			break
		}
		off = hi + 1
	}
	if start < 0 {
		last := p.lines[len(p.lines)-1]
		return last.end, last.end
	}
	if end < start {
		end = p.lines[len(p.lines)-1].end
	}
	return start, end
}

func (p para) page() int { return p.lines[0].page }
