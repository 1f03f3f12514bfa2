package pdf

import (
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// piece is what one line contributes to one column: an optional list marker
// and the text segments after it.
type piece struct {
	marker  string
	markerX float64
	segs    []segment
	col     int // 0 = full width or left column, 1 = right column
	y       float64
}

func (p piece) x() float64 { return p.segs[0].x }

func (p piece) size() float64 {
	best := 0.0
	for _, s := range p.segs {
		best = math.Max(best, s.size)
	}
	return best
}

func (p piece) bold() bool {
	for _, s := range p.segs {
		if !s.bold {
			return false
		}
	}
	return true
}

// para is a paragraph or list item rebuilt from consecutive pieces of one
// column: the unit the reader turns into a Block.
type para struct {
	marker  string
	markerX float64
	col     int
	pieces  []piece
	contX   float64 // where continuation lines start
}

// gutter finds the x position that separates two text columns on a page: the
// point inside the most inter-segment gaps, when at least minColumnLines lines
// have text on both sides of it. It returns 0 when the page is one column.
func gutter(lines []line, pageWidth float64) float64 {
	type ev struct {
		x float64
		d int
	}
	var evs []ev
	for _, l := range lines {
		for i := 1; i < len(l.segs); i++ {
			a, b := l.segs[i-1].right(), l.segs[i].x
			if l.segs[i-1].bullet {
				continue // the gap after a bullet is an indent, not a gutter
			}
			if b-a > segGap*l.segs[i].size {
				evs = append(evs, ev{a, 1}, ev{b, -1})
			}
		}
	}
	if len(evs) == 0 {
		return 0
	}
	sort.Slice(evs, func(i, j int) bool {
		if evs[i].x != evs[j].x {
			return evs[i].x < evs[j].x
		}
		return evs[i].d < evs[j].d
	})
	best, cur := 0, 0
	var lo, hi float64
	for i, e := range evs {
		cur += e.d
		if cur > best && i+1 < len(evs) {
			best, lo, hi = cur, e.x, evs[i+1].x
		}
	}
	g := (lo + hi) / 2
	if best < minColumnLines || g < 0.25*pageWidth || g > 0.75*pageWidth {
		return 0
	}
	return g
}

// minColumnLines is how many lines must have text on both sides of a gutter
// before a page is read as two columns.
const minColumnLines = 3

// crosses reports whether a segment runs over the gutter.
func crosses(s segment, g float64) bool { return s.x < g && s.right() > g }

// readingOrder turns a page's lines into pieces in reading order. Where the
// page has two columns (table rows of the Cnam register), each run of lines
// that no text crosses is read left column first, then right column; lines
// that cross the gutter (banners, full-width paragraphs) are read in place.
func readingOrder(lines []line, g float64) []piece {
	var out []piece
	var left, right []piece
	flush := func() {
		out = append(out, left...)
		out = append(out, right...)
		left, right = nil, nil
	}
	for _, l := range lines {
		if g == 0 {
			out = append(out, pieces(l.segs, 0, l.y)...)
			continue
		}
		crossing := false
		for _, s := range l.segs {
			if crosses(s, g) {
				crossing = true
			}
		}
		if crossing {
			flush()
			out = append(out, pieces(l.segs, 0, l.y)...)
			continue
		}
		var ls, rs []segment
		for _, s := range l.segs {
			if s.x < g {
				ls = append(ls, s)
			} else {
				rs = append(rs, s)
			}
		}
		left = append(left, pieces(ls, 0, l.y)...)
		right = append(right, pieces(rs, 1, l.y)...)
	}
	flush()
	return out
}

// pieces groups one column's segments of a line: a bullet marker starts a new
// piece, other segments join the current one.
func pieces(segs []segment, col int, y float64) []piece {
	var out []piece
	for _, s := range segs {
		// A marker right after a marker ("• - Données…") is text.
		if s.bullet && !(len(out) > 0 && len(out[len(out)-1].segs) == 0) {
			out = append(out, piece{marker: strings.TrimSpace(s.text), markerX: s.x, col: col, y: y})
			continue
		}
		if n := len(out); n > 0 {
			out[n-1].segs = append(out[n-1].segs, s)
			continue
		}
		out = append(out, piece{segs: []segment{s}, col: col, y: y})
	}
	// A marker with no text after it on its line is kept as text.
	for i := range out {
		if len(out[i].segs) == 0 {
			out[i].segs = []segment{{text: out[i].marker, x: out[i].markerX, y: y, size: 1, runs: []styledRun{{end: len(out[i].marker), x: out[i].markerX}}}}
			out[i].marker = ""
		}
	}
	return out
}

// paragraphs merges consecutive pieces of the same column into paragraphs
// and list items: a piece continues the previous one when it has no marker,
// starts where the previous text's lines start, has the same size and weight,
// and follows at a normal line distance.
func paragraphs(ps []piece) []para {
	var out []para
	open := map[int]int{} // column → index in out of its open paragraph
	for _, p := range ps {
		if i, ok := open[p.col]; ok && p.marker == "" && continues(out[i], p) {
			q := &out[i]
			if len(q.pieces) == 1 && q.marker == "" && p.x() < q.contX {
				q.contX = p.x() // first-line indent
			}
			q.pieces = append(q.pieces, p)
			continue
		}
		if p.col == 0 {
			// A left or full-width piece closes the right column's paragraph
			// only when it is full width; columns keep their own.
			delete(open, 1)
		}
		out = append(out, para{marker: p.marker, markerX: p.markerX, col: p.col, pieces: []piece{p}, contX: p.x()})
		open[p.col] = len(out) - 1
	}
	return out
}

func continues(q para, p piece) bool {
	last := q.pieces[len(q.pieces)-1]
	size := p.size()
	if math.Abs(last.size()-size) > 0.6 || last.bold() != p.bold() {
		return false
	}
	dy := p.y - last.y
	if dy <= 0 || dy > 1.6*size {
		return false
	}
	x := p.x()
	if math.Abs(x-q.contX) <= 3 {
		return true
	}
	// The second line of an indented paragraph starts left of the first.
	return len(q.pieces) == 1 && q.marker == "" && x < q.contX && q.contX-x < 4*size
}

// joinLines joins the text of a paragraph's lines with a space, except after
// a hyphen that ends a line before a lower-case letter ("sous-" / "traitance").
func joinLines(prev, next string) string {
	if prev == "" {
		return ""
	}
	if strings.HasSuffix(prev, "-") && len(prev) > 1 {
		r, _ := utf8.DecodeLastRuneInString(prev[:len(prev)-1])
		n, _ := utf8.DecodeRuneInString(next)
		if unicode.IsLetter(r) && unicode.IsLower(n) {
			return ""
		}
	}
	return " "
}
