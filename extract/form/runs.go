package form

import (
	"math"
	"regexp"
	"sort"
	"strings"

	"registre"
	"registre/extract/labels"
)

// A PDF of a label/value table comes out of text extraction with its cells
// mixed: a label and its value on one line, a value cell's lines merged with
// the next cell's. readRuns rebuilds the table from the positioned runs: the
// label column holds runs that start with a known label (a label may wrap
// onto a second line), the value column's lines are shared out among the
// labels row by row.

// prun is one positioned run with its span in the document text.
type prun struct {
	page       int
	x, y       float64
	start, end int
	text       string
	block      int // index of the block holding the run
	size       float64
	w          float64
	heading    bool // the run belongs to a heading block
}

// continues says whether line b carries on the paragraph of line a (the
// line just above it): same block, text following on, at line spacing. A
// cell's padding puts more space between two cells' lines than between the
// lines of one paragraph.
func continues(doc *registre.Document, a, b prun) bool {
	if b.block != a.block || b.start < a.end || strings.TrimSpace(doc.Text[a.end:b.start]) != "" {
		return false
	}
	// Single spacing is about 1.15 × the font size; a cell's padding
	// adds a few points more.
	spacing := 15.0
	if a.size > 0 {
		spacing = 1.25 * a.size
	}
	return b.y-a.y < spacing
}

// plabel is a label found in the label column.
type plabel struct {
	field       registre.Field
	label       string
	top, bottom float64 // y of its first and last line
	page        int
	inline      []span // value printed on the label's own line
	// heading marks a section title in the label column (a fiche's
	// title); phantom labels (field "") are rows that are none of ours.
	heading bool
	span    span
}

// span is a byte range of the document text.
type span struct{ start, end int }

func runsOf(doc *registre.Document) []prun {
	var out []prun
	page := 0
	for i, b := range doc.Blocks {
		if b.Kind == registre.BlockPageBreak {
			page = b.Page
			continue
		}
		p := b.Page
		if p == 0 {
			p = page
		}
		for _, r := range b.Runs {
			if r.Start < 0 || r.End > len(doc.Text) || r.Start >= r.End || doc.Text[r.Start:r.End] != r.Text {
				continue
			}
			out = append(out, prun{page: p, x: r.X, y: r.Y, start: r.Start, end: r.End, text: r.Text, block: i, size: r.FontSize, w: r.W, heading: b.Kind == registre.BlockHeading})
		}
	}
	return out
}

// labelPrefix finds the longest known label the text starts with, cut at a
// word boundary; n is its length in bytes.
func labelPrefix(text string) (f registre.Field, n int, ok bool) {
	// What labels.LookupLoose finds on text[:i] for the largest i before
	// one of the first 12 spaces or at the end, folding text once.
	return labels.LongestPrefix(text, 12)
}

// readRuns reads a two-column label/value table from PDF runs; nil when the
// document has no such table.
func readRuns(doc *registre.Document) *scan {
	runs := runsOf(doc)
	if len(runs) == 0 {
		return nil
	}
	// The label column: the leftmost x of runs starting with a label, per page.
	labelX := map[int]float64{}
	for _, r := range runs {
		if _, _, ok := labelPrefix(r.text); ok {
			if x, seen := labelX[r.page]; !seen || r.x < x {
				labelX[r.page] = r.x
			}
		}
	}
	if len(labelX) == 0 {
		return nil
	}
	byPage := map[int][]prun{}
	for _, r := range runs {
		byPage[r.page] = append(byPage[r.page], r)
	}
	pages := make([]int, 0, len(byPage))
	for p := range byPage {
		pages = append(pages, p)
	}
	sort.Ints(pages)

	s := &scan{layout: LayoutTable}
	firstBlock := -1
	var sections []section
	for _, page := range pages {
		lx, ok := labelX[page]
		if !ok {
			continue
		}
		rs := byPage[page]
		sort.SliceStable(rs, func(i, j int) bool { return rs[i].y < rs[j].y })
		body := bodySize(rs, lx)
		// valueX is where the value column starts near a height: tables
		// of one page may have columns of different widths.
		valueX := func(y float64) float64 {
			x := math.Inf(1)
			for _, r := range rs {
				if r.x >= lx+columnGap && math.Abs(r.y-y) < 30 {
					x = math.Min(x, r.x)
				}
			}
			return x
		}
		var rows []plabel
		var values []prun
		last := -1 // the label the previous label-column line belongs to
		for _, r := range rs {
			switch {
			case math.Abs(r.x-lx) <= 4:
				spacing := 15.0
				if r.size > 0 {
					spacing = 1.25 * r.size
				}
				heading := r.heading || body > 0 && r.size > 1.2*body
				if !heading && last >= 0 && !rows[last].heading && len(rows[last].inline) == 0 && r.y-rows[last].bottom < spacing {
					// The label wraps onto this line.
					l := &rows[last]
					l.label += " " + strings.TrimSpace(r.text)
					if f, ok := labels.LookupLoose(l.label); ok {
						l.field = f
					}
					l.bottom, l.span.end = r.y, r.end
					continue
				}
				l := plabel{label: strings.TrimSpace(r.text), top: r.y, bottom: r.y, page: page, heading: heading, span: span{r.start, r.end}}
				if !heading {
					if f, n, ok := labelPrefix(r.text); ok {
						l.field = f
						if n < len(r.text) && r.x+r.w > valueX(r.y)-2 {
							// The run crosses into the value column: the
							// value is printed on the label's line.
							l.label, l.inline = strings.TrimSpace(r.text[:n]), []span{{r.start + n, r.end}}
						}
					}
				}
				if l.field != "" && firstBlock < 0 {
					firstBlock = r.block
				}
				rows = append(rows, l)
				last = len(rows) - 1
			case r.x >= lx+columnGap:
				values = append(values, r)
			}
		}
		if len(rows) == 0 {
			continue
		}
		// Value lines above the first label's row belong to nothing.
		for len(values) > 0 && values[0].y < rows[0].top-30 {
			values = values[1:]
		}
		groups := shareRows(doc, rows, values)
		for i, l := range rows {
			if l.heading {
				sections = append(sections, section{at: len(s.entries), title: l.span, page: page})
				continue
			}
			if l.field == "" {
				continue // a row of another kind ("Date de dernière mise à jour")
			}
			e := entry{field: l.field, label: l.label, locator: locator("", page), page: page, table: -1, alone: true}
			e.spans = append(e.spans, l.inline...)
			e.spans = append(e.spans, paragraphs(doc, groups[i])...)
			if l.field == registre.FieldName {
				s.names++
			}
			s.entries = append(s.entries, e)
		}
	}
	if len(s.entries) == 0 {
		return nil
	}
	for _, b := range doc.Blocks[:max(0, firstBlock)] {
		if b.Kind != registre.BlockPageBreak && b.Kind != registre.BlockTable {
			s.head = append(s.head, b)
		}
	}
	// Several tables, one per activity: one form each, named by its title
	// when the tables have no name row.
	if s.names == 0 {
		s.forms = titledForms(doc, s.entries, sections)
		if s.forms != nil {
			s.names = len(s.forms)
		}
		return s
	}
	if groups := splitByName(s.entries); groups != nil {
		for i, g := range groups {
			f := form{entries: g}
			if i == 0 {
				f.head = s.head
			}
			s.forms = append(s.forms, f)
		}
	}
	return s
}

// shareRows assigns the value column's lines (sorted by y) to the labels
// (sorted by y) as contiguous groups, one per label row. A table aligns its
// label cells one way: at the top of the row (the label is level with its
// value's first line) or in the middle (level with its value's centre).
// Both are tried and the sharing that fits best is kept; each is solved by
// dynamic programming over the split points, rows never overlapping and no
// paragraph split between two rows.
func shareRows(doc *registre.Document, labels []plabel, lines []prun) [][]prun {
	best, bestCost := [][]prun(nil), math.Inf(1)
	for _, centred := range []bool{false, true} {
		if g, c := shareRowsAligned(doc, labels, lines, centred); c < bestCost {
			best, bestCost = g, c
		}
	}
	if best != nil {
		return best
	}
	// No consistent sharing (a value column that does not line up with
	// the labels): each line goes to the nearest label above it.
	groups := make([][]prun, len(labels))
	for _, ln := range lines {
		i := 0
		for j, l := range labels {
			if l.top <= ln.y+3 {
				i = j
			}
		}
		groups[i] = append(groups[i], ln)
	}
	return groups
}

func shareRowsAligned(doc *registre.Document, labels []plabel, lines []prun, centred bool) ([][]prun, float64) {
	const (
		tol       = 3.0
		emptyCell = 5.0 // empty cells exist, but rarely
	)
	m, n := len(labels), len(lines)
	inf := math.Inf(1)
	cost := func(i, a, b int) float64 { // lines[a:b] to label i
		l := labels[i]
		if a == b {
			if len(l.inline) > 0 {
				return 0
			}
			return emptyCell
		}
		top, bottom := lines[a].y, lines[b-1].y
		if l.bottom < top-tol || l.top > bottom+tol {
			return inf // the label sits within its row
		}
		// Rows do not overlap: the next label is below this row, the
		// previous one above it.
		if i+1 < m && bottom >= labels[i+1].top-1 {
			return inf
		}
		if i > 0 && top <= labels[i-1].bottom+1 {
			return inf
		}
		if centred {
			return math.Abs((top+bottom)/2 - (l.top+l.bottom)/2)
		}
		return math.Abs(top - l.top)
	}
	dp := make([][]float64, m+1)
	from := make([][]int, m+1)
	for i := range dp {
		dp[i] = make([]float64, n+1)
		from[i] = make([]int, n+1)
		for j := range dp[i] {
			dp[i][j] = inf
		}
	}
	dp[0][0] = 0
	for i := 1; i <= m; i++ {
		for j := 0; j <= n; j++ {
			if j > 0 && j < n && continues(doc, lines[j-1], lines[j]) {
				continue // never split a paragraph between two rows
			}
			for k := 0; k <= j; k++ {
				if dp[i-1][k] == inf {
					continue
				}
				if c := dp[i-1][k] + cost(i-1, k, j); c < dp[i][j] {
					dp[i][j], from[i][j] = c, k
				}
			}
		}
	}
	if dp[m][n] == inf {
		return nil, inf
	}
	groups := make([][]prun, m)
	for i, j := m, n; i > 0; i-- {
		k := from[i][j]
		groups[i-1] = lines[k:j]
		j = k
	}
	return groups, dp[m][n]
}

// paragraphs joins the lines of a group into value spans: consecutive
// lines of one block whose texts follow each other are one paragraph.
func paragraphs(doc *registre.Document, lines []prun) []span {
	var out []span
	for i, ln := range lines {
		if i > 0 {
			if continues(doc, lines[i-1], ln) {
				out[len(out)-1].end = ln.end
				continue
			}
		}
		out = append(out, span{ln.start, ln.end})
	}
	return out
}

// section is a title printed in the label column above a table.
type section struct {
	at    int // index of the first entry after it
	title span
	page  int
}

// reNumbering is the numbering in front of a fiche title: "Activité n° 1 –",
// "Fiche 3 :", "2.".
var reNumbering = regexp.MustCompile(`(?i)^(?:(?:activit[ée]|fiche|traitement)\s*)?(?:n°\s*)?\d{1,3}\s*[–—\-:.)]\s*`)

// titledForms makes one form per titled section holding a whole form (three
// fields at least); the title, without its numbering, names it. nil unless
// every titled section is such a form.
func titledForms(doc *registre.Document, es []entry, secs []section) []form {
	var forms []form
	for k, sec := range secs {
		end := len(es)
		if k+1 < len(secs) {
			end = secs[k+1].at
		}
		g := es[sec.at:end]
		if distinctFields(g) < 3 {
			continue // a title over something else (the controller's block)
		}
		if maxRepeat(g) > 2 {
			return nil
		}
		t := doc.Text[sec.title.start:sec.title.end]
		skip := 0
		if m := reNumbering.FindStringIndex(t); m != nil && m[1] < len(t) {
			skip = m[1]
		}
		name := entry{field: registre.FieldName, label: "(titre)", locator: locator("", sec.page), page: sec.page, table: -1, alone: true,
			spans: []span{{sec.title.start + skip, sec.title.end}}, confidence: 0.6}
		forms = append(forms, form{entries: append([]entry{name}, g...)})
	}
	if len(forms) == 0 {
		return nil
	}
	return forms
}

// bodySize is the usual font size of the label column's lines.
func bodySize(rs []prun, lx float64) float64 {
	count := map[float64]int{}
	best, n := 0.0, 0
	for _, r := range rs {
		if math.Abs(r.x-lx) > 4 || r.size <= 0 {
			continue
		}
		count[r.size]++
		if count[r.size] > n {
			best, n = r.size, count[r.size]
		}
	}
	return best
}
