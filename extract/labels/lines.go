package labels

import (
	"math"
	"strings"

	"registre"
)

// pdfLine is one printed line of a PDF block.
type pdfLine struct {
	start, end int // span in Document.Text
	runs       []registre.Run
	x, right   float64
}

// SplitLines cuts a PDF block that the reader merged from several "Label :
// value" lines back into one block per field. Browsers print list bullets
// as drawings, and <br>-broken lines share one left edge, so nothing tells
// the reader that "… AT/MP" and "Finalités : …" are two items. A line
// starts a new block when it starts with a known label, when more says so
// (an attachment line…), or when the line before stopped short of the
// text's right edge; the other lines are wrapped continuations. A block
// with fewer than two label lines is returned whole. The blocks keep the
// kind and path of b; a line all in bold is marked bold.
func SplitLines(doc *registre.Document, b registre.Block, more func(line string) bool) []registre.Block {
	if len(b.Runs) < 2 || b.Kind == registre.BlockHeading || b.Start < 0 || b.End > len(doc.Text) {
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
				l.runs = append(l.runs, r)
				continue
			}
		}
		ls = append(ls, pdfLine{start: r.Start, end: r.End, runs: []registre.Run{r}, x: r.X, right: r.X + r.W})
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
		if i > 0 && !startsWithLabel(text) && (more == nil || !more(text)) && ls[i-1].right >= short {
			last := &out[len(out)-1]
			last.End = l.end
			last.Text = doc.Text[last.Start:last.End]
			last.Runs = append(last.Runs, l.runs...)
			last.Bold = last.Bold && allBold(l.runs)
			continue
		}
		out = append(out, registre.Block{Kind: b.Kind, Level: b.Level, Text: text, Start: l.start, End: l.end,
			Page: b.Page, Path: b.Path, Runs: l.runs, Bold: allBold(l.runs)})
	}
	for i := range out {
		for _, k := range b.Links {
			if k.Start >= out[i].Start && k.End <= out[i].End {
				out[i].Links = append(out[i].Links, k)
			}
		}
		for _, k := range b.Labels {
			if k.Start >= out[i].Start && k.End <= out[i].End {
				out[i].Labels = append(out[i].Labels, k)
			}
		}
	}
	return out
}

func allBold(runs []registre.Run) bool {
	for _, r := range runs {
		if !r.Bold && strings.TrimSpace(r.Text) != "" {
			return false
		}
	}
	return len(runs) > 0
}

func startsWithLabel(s string) bool {
	_, _, _, ok := Split(strings.TrimLeft(s, " \t\u00a0•"))
	return ok
}

// Cuts returns where the fields of a paragraph that starts with a "Label :"
// and runs several such fields together ("Données traitées : identité, NIR
// Destinataires : service AT/MP" from OCR or a flattened page) start, after
// the first: the byte offset of each later known label that is followed by
// a colon. A paragraph that does not start with a label gives none, so
// prose that merely names a field is left whole.
func Cuts(s string) []int {
	if _, _, _, ok := Split(s); !ok {
		return nil
	}
	var cuts []int
	for i := 0; i < len(s); i++ {
		if s[i] != ':' {
			continue
		}
		// The longest run of up to eight words before the colon that is a
		// known label, starting after a space.
		best := -1
		j := i
		for words := 0; words < 8; words++ {
			k := strings.LastIndexAny(strings.TrimRight(s[:j], " \t\u00a0"), " \t\u00a0")
			if k < 0 {
				break
			}
			j = k
			if lab := strings.TrimSpace(s[k+1 : i]); lab != "" {
				if _, ok := Lookup(lab); ok {
					best = k + 1
				}
			}
		}
		if best > 0 && (len(cuts) == 0 || best > cuts[len(cuts)-1]) {
			cuts = append(cuts, best)
		}
	}
	// The first label of the paragraph is not a cut.
	if len(cuts) > 0 {
		if _, lab, _, _ := Split(s); cuts[0] <= len(lab)+strings.Index(s, lab) {
			cuts = cuts[1:]
		}
	}
	return cuts
}
