package pdf

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// segment is a horizontal piece of one text line: the glyphs between two
// wide gaps (a table column, a bullet's text). Text has spaces rebuilt from
// the gaps between glyphs.
type segment struct {
	text   string
	x, y   float64 // left edge and baseline
	w      float64
	size   float64 // dominant font size
	bold   bool    // every non-space glyph is bold
	italic bool    // every non-space glyph is italic
	bullet bool    // the segment is a lone list marker ("•", "–", "-", "◦", "▪")
	runs   []styledRun
}

// styledRun is a stretch of a segment's text in one style; start and end are
// byte offsets into the segment text.
type styledRun struct {
	start, end   int
	x, w         float64
	size         float64
	bold, italic bool
}

func (s segment) right() float64 { return s.x + s.w }

// line is a set of segments sharing a baseline.
type line struct {
	y    float64
	segs []segment
}

// buildLines groups glyphs into lines (same baseline within a tolerance that
// follows the font size, so superscripts stay on their line), orders each line
// left to right and cuts it into segments at wide gaps.
func buildLines(gs []glyph) []line {
	return buildLinesInPlace(append([]glyph(nil), gs...))
}

// buildLinesInPlace is buildLines reusing gs, which it reorders and
// overwrites: the reader keeps one glyph buffer for all the pages of a file.
// The lines keep no reference to gs.
func buildLinesInPlace(gs []glyph) []line {
	// Drop control characters and zero-size glyphs: they carry no text.
	k := 0
	for _, g := range gs {
		r, _ := utf8.DecodeRuneInString(g.s)
		if g.s == "" || (unicode.IsControl(r) && r != '\t') || g.size <= 0 || math.IsNaN(g.x) || math.IsNaN(g.y) || math.IsInf(g.x, 0) || math.IsInf(g.y, 0) {
			continue
		}
		if r == '\t' {
			g.s = " "
		}
		gs[k] = g
		k++
	}
	gs = gs[:k]
	sortStable(gs, byY)
	var groups [][]glyph
	for i := 0; i < len(gs); {
		// The line's reference baseline is that of its largest glyph, so a
		// superscript (smaller, raised) joins the line below it.
		j := i + 1
		ref := gs[i]
		for j < len(gs) {
			tol := 0.45 * math.Max(ref.size, gs[j].size)
			if gs[j].y-ref.y > tol {
				break
			}
			if gs[j].size > ref.size {
				ref = gs[j]
			}
			j++
		}
		groups = append(groups, gs[i:j])
		i = j
	}
	lines := make([]line, 0, len(groups))
	var c cutter
	for _, grp := range groups {
		sortStable(grp, byX)
		lines = append(lines, line{y: baseline(grp), segs: c.cutSegments(grp)})
	}
	return lines
}

func byY(a, b glyph) int { return cmp.Compare(a.y, b.y) }
func byX(a, b glyph) int { return cmp.Compare(a.x, b.x) }

// sortStable sorts glyphs stably, skipping the sort when they are in order
// already, as content streams mostly draw them.
func sortStable(gs []glyph, by func(a, b glyph) int) {
	if !slices.IsSortedFunc(gs, by) {
		slices.SortStableFunc(gs, by)
	}
}

// baseline is the most common baseline of a line's glyphs (weighted by size).
func baseline(gs []glyph) float64 {
	best, bestW := gs[0].y, 0.0
	// A line has a handful of distinct baselines: a slice beats a map.
	type weight struct{ y, w float64 }
	var buf [8]weight
	ws := buf[:0]
	for _, g := range gs {
		y := math.Round(g.y*4) / 4
		k := 0
		for k < len(ws) && ws[k].y != y {
			k++
		}
		if k == len(ws) {
			ws = append(ws, weight{y: y})
		}
		ws[k].w += g.size
		if w := ws[k].w; w > bestW || (w == bestW && y < best) {
			best, bestW = y, w
		}
	}
	return best
}

// Gap thresholds, in ems of the font size. Words are split by a gap wider
// than spaceGap with no space glyph; segments (table columns, a bullet and
// its text) by a gap wider than segGap.
const (
	spaceGap = 0.18
	segGap   = 1.0
)

// cutter holds the buffers cutSegments reuses from line to line.
type cutter struct {
	cur   []glyph
	sizes []sizeCount
}

type sizeCount struct {
	size float64
	n    int
}

func cutSegments(gs []glyph) []segment {
	var c cutter
	return c.cutSegments(gs)
}

func (c *cutter) cutSegments(gs []glyph) []segment {
	var segs []segment
	cur := c.cur[:0]
	flush := func() {
		if len(cur) > 0 {
			if s, ok := c.makeSegment(cur); ok {
				segs = append(segs, s)
			}
		}
		cur = cur[:0] // makeSegment keeps nothing of it
	}
	lastEnd := 0.0
	for _, g := range gs {
		if len(cur) > 0 {
			gap := g.x - lastEnd
			// A bullet is a segment of its own: the text after it starts a
			// hanging indent that continuation lines align with.
			if gap > segGap*g.size || len(cur) <= 3 && g.s != " " && gap > spaceGap*g.size && isBullet(strings.TrimSpace(text(cur))) {
				flush()
			}
		}
		// Overlapping duplicates (fake bold drawn twice) are dropped.
		if n := len(cur); n > 0 && cur[n-1].s == g.s && math.Abs(cur[n-1].x-g.x) < 0.3 && g.s != " " {
			continue
		}
		cur = append(cur, g)
		if g.s != " " || len(cur) == 1 {
			lastEnd = math.Max(lastEnd, g.x+g.w)
		}
		if len(cur) == 1 {
			lastEnd = g.x + g.w
		}
	}
	flush()
	c.cur = cur
	return segs
}

func text(gs []glyph) string {
	var b strings.Builder
	for _, g := range gs {
		b.WriteString(g.s)
	}
	return b.String()
}

// makeSegment joins glyphs into text, inserting a space where two glyphs are
// apart by more than a fraction of an em and no space glyph is there. It
// cuts the text into style runs wherever bold, italic or size changes.
func makeSegment(gs []glyph) (segment, bool) {
	var c cutter
	return c.makeSegment(gs)
}

func (c *cutter) makeSegment(gs []glyph) (segment, bool) {
	var b strings.Builder
	b.Grow(len(gs) + 8)
	var runs []styledRun
	// Characters per font size: a segment has one or two sizes, so a
	// reused slice rather than a map.
	sizes := c.sizes[:0]
	var prevEnd float64
	x0, x1 := math.Inf(1), math.Inf(-1)
	space := func() {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), " ") {
			b.WriteByte(' ')
		}
	}
	for i, g := range gs {
		if g.s == " " {
			// LibreOffice draws some space glyphs over the previous
			// character (around superscripts): only a space that starts
			// after the text so far is a word break.
			if b.Len() > 0 && g.x >= prevEnd-0.5 && !overlapsNext(gs, i) {
				space()
				prevEnd = g.x + g.w
			}
			continue
		}
		if i > 0 && g.x-prevEnd > spaceGap*g.size {
			space()
		}
		size := math.Round(g.size*2) / 2
		n := len(runs)
		if n == 0 || runs[n-1].bold != g.bold || runs[n-1].italic != g.italic || runs[n-1].size != size {
			runs = append(runs, styledRun{start: b.Len(), x: g.x, size: size, bold: g.bold, italic: g.italic})
			n++
		}
		b.WriteString(g.s)
		r := &runs[n-1]
		r.end = b.Len()
		r.w = g.x + g.w - r.x
		prevEnd = g.x + g.w
		x0 = math.Min(x0, g.x)
		x1 = math.Max(x1, g.x+g.w)
		k := 0
		for k < len(sizes) && sizes[k].size != size {
			k++
		}
		if k == len(sizes) {
			sizes = append(sizes, sizeCount{size: size})
		}
		sizes[k].n += len(g.s)
	}
	c.sizes = sizes
	if len(runs) == 0 {
		return segment{}, false
	}
	size, n := 0.0, -1
	for _, sc := range sizes {
		if sc.n > n || (sc.n == n && sc.size > size) {
			size, n = sc.size, sc.n
		}
	}
	t := strings.TrimRight(b.String(), " ")
	bold, italic := true, true
	for _, r := range runs {
		bold = bold && r.bold
		italic = italic && r.italic
	}
	return segment{text: t, runs: runs, x: x0, w: x1 - x0, y: gs[0].y, size: size, bold: bold, italic: italic, bullet: isBullet(strings.TrimSpace(t))}, true
}

// isBullet reports whether s is a list marker on its own.
func isBullet(s string) bool {
	switch s {
	case "\uf0a8", "•", "◦", "▪", "■", "□", "●", "○", "–", "-", "·", "\uf0b7", "\uf0a7", "➢", "►", "✓", "*":
		return true
	}
	return false
}

// overlapsNext reports whether the space glyph gs[i] lies over the next
// visible glyph, so it is no word break.
func overlapsNext(gs []glyph, i int) bool {
	for j := i + 1; j < len(gs); j++ {
		if gs[j].s != " " {
			return gs[j].x < gs[i].x+gs[i].w/2
		}
	}
	return false
}
