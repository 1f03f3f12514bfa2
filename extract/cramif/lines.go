package cramif

import (
	"math"
	"strings"

	"registre"
	"registre/extract/labels"
)

// pdfLine is one printed line of a PDF block: its runs and where it ends.
type pdfLine struct {
	start, end int // span in Document.Text
	x, right   float64
}

// splitLines cuts a PDF block that the reader merged from several bullet
// lines back into one block per field. Browsers print list bullets as
// drawings, not glyphs, so nothing tells the reader that "… AT/MP" and
// "Finalités : …" are two items. A line starts a new item when it starts
// with a known label, looks like an attachment, or follows a line that
// stopped short of the text's right edge; the other lines are wrapped
// continuations. Blocks with fewer than two label lines are left whole.
func splitLines(doc *registre.Document, b registre.Block) []registre.Block {
	if len(b.Runs) < 2 || b.Kind == registre.BlockHeading {
		return []registre.Block{b}
	}
	var ls []pdfLine
	for i, r := range b.Runs {
		if r.Start < b.Start || r.End > b.End || r.Start > r.End {
			return []registre.Block{b}
		}
		if i > 0 {
			// A run on the same baseline, right of the previous one,
			// continues its line.
			if p := b.Runs[i-1]; math.Abs(p.Y-r.Y) < 2 && r.X >= p.X {
				l := &ls[len(ls)-1]
				l.end, l.right = r.End, math.Max(l.right, r.X+r.W)
				continue
			}
		}
		ls = append(ls, pdfLine{start: r.Start, end: r.End, x: r.X, right: r.X + r.W})
	}
	labelled := 0
	left, right := math.Inf(1), 0.0
	for _, l := range ls {
		if startsWithLabel(doc.Text[l.start:l.end]) {
			labelled++
		}
		left, right = math.Min(left, l.x), math.Max(right, l.right)
	}
	if labelled < 2 {
		return []registre.Block{b}
	}
	short := right - 0.2*(right-left) // a line ending before this ends its item
	var out []registre.Block
	for i, l := range ls {
		text := doc.Text[l.start:l.end]
		newItem := i == 0 || startsWithLabel(text) || looksLikeAttachment(text) || ls[i-1].right < short
		if !newItem {
			last := &out[len(out)-1]
			last.End = l.end
			last.Text = doc.Text[last.Start:last.End]
			continue
		}
		out = append(out, registre.Block{Kind: registre.BlockListItem, Text: text, Start: l.start, End: l.end, Page: b.Page, Path: b.Path})
	}
	for i := range out {
		for _, k := range b.Links {
			if k.Start >= out[i].Start && k.End <= out[i].End {
				out[i].Links = append(out[i].Links, k)
			}
		}
	}
	return out
}

func startsWithLabel(s string) bool {
	_, _, _, ok := labels.Split(strings.TrimLeft(s, " \t\u00a0•"))
	return ok
}
