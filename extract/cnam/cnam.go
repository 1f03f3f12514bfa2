// Package cnam parses table registers in the manner of the Cnam national
// register ("Traitements de données personnelles opérés par l'Assurance
// Maladie"), read from PDF (or, without positions, from a Markdown
// conversion or HTML/Word tables: see flow.go): one "fiche" per processing, each on two or three
// pages that repeat a banner "NN | DOMAINE – Fiche N" and the fiche title,
// then a 2-column table whose rows alternate a header row (two labels) and a
// content row (two bullet lists).
//
// The parser works on block positions (the PDF reader's runs): header rows
// are bold label blocks on one baseline, cells are the blocks below them,
// left or right of the column gutter, down to the next header row. Fiches are
// split on the table, not on headings: a "Sous-finalités" row opens a new
// fiche when the current one already has one, and so does a banner with
// another fiche number. Fiche numbers come from the banner only, never from
// positions (the register's numbering has gaps).
package cnam

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"registre"
	"registre/extract/labels"
)

// Layout is the name recorded on every record of this layout.
const Layout = "cnam-table"

// Parser implements extract.Parser.
type Parser struct{}

// Name implements extract.Parser.
func (Parser) Name() string { return Layout }

// bannerRe matches a fiche banner: "01 | GESTION DES DROITS – Fiche 1",
// "04 PRÉVENTION … – Fiche 25", "PRODUITS ET SERVICES INFORMATIQUE – Fiche 74".
var bannerRe = regexp.MustCompile(`^\s*(?:(\d{1,2})\s*\|?\s*)?(.*?)\s*[–—-]\s*Fiche\s*(\d{1,4})\s*$`)

// tocRe matches a table-of-contents entry of a domain summary page.
var tocRe = regexp.MustCompile(`^\s*Fiche\s*(\d{1,4})\b\s*(?:[–—-]\s*(.*))?$`)

// tableLabels are the row labels of a fiche table (folded with labels.Norm),
// with the field each names.
var tableLabels = map[string]registre.Field{
	"sous-finalites":                              registre.FieldSubPurposes,
	"fondements juridiques":                       registre.FieldLegalBasis,
	"fondement juridique":                         registre.FieldLegalBasis,
	"categories de personnes concernees":          registre.FieldDataSubjects,
	"type de donnees":                             registre.FieldDataCategories,
	"types de donnees":                            registre.FieldDataCategories,
	"destinataires des donnees":                   registre.FieldRecipientsExternal,
	"personnes accedant aux donnees":              registre.FieldPersonsWithAccess,
	"duree de conservation":                       registre.FieldRetention,
	"droits des personnes concernees":             registre.FieldRights,
	"justification absence du droit d'opposition": registre.FieldObjection,
	"securite des donnees":                        registre.FieldSecurity,
	// In a fiche the Cnam is the controller: a "Responsable de traitement"
	// row names the body that shares the responsibility.
	"responsable de traitement":    registre.FieldJointControllers,
	"responsables de traitement":   registre.FieldJointControllers,
	"co-responsable de traitement": registre.FieldJointControllers,
}

// rowPairs is the fixed order of the table: the field of the right column
// of each row, keyed by the left column's field. It decides the field when
// a header names the wrong one.
var rowPairs = map[registre.Field]registre.Field{
	registre.FieldSubPurposes:        registre.FieldLegalBasis,
	registre.FieldDataSubjects:       registre.FieldDataCategories,
	registre.FieldRecipientsExternal: registre.FieldPersonsWithAccess,
	registre.FieldRetention:          registre.FieldRights,
	registre.FieldObjection:          registre.FieldSecurity,
}

// tableField returns the field a table header names.
func tableField(label string) (registre.Field, bool) {
	n := labels.Norm(label)
	if f, ok := tableLabels[n]; ok {
		return f, true
	}
	f, ok := labels.Lookup(label)
	if !ok {
		return "", false
	}
	switch f {
	case registre.FieldRecipients:
		f = registre.FieldRecipientsExternal
	case registre.FieldController:
		f = registre.FieldJointControllers
	case registre.FieldPurposes, registre.FieldName, registre.FieldReference:
		// "Finalités" heads the domain summary pages, not a table row.
		return "", false
	}
	return f, true
}

// Detect implements extract.Parser: fiche banners and positioned table
// header rows.
func (Parser) Detect(doc *registre.Document) float64 {
	if doc == nil {
		return 0
	}
	if !hasPositions(doc) {
		// Read without positions (Markdown, HTML, Word): the table's
		// rows are table blocks.
		banners, subs := detectFlow(doc)
		switch {
		case banners > 0 && subs >= 2:
			return 0.95
		case subs >= 2:
			return 0.7
		}
		return 0
	}
	banners, subs, positioned := 0, 0, false
	for _, b := range doc.Blocks {
		if b.Kind == registre.BlockPageBreak || b.Kind == registre.BlockTable {
			continue
		}
		// "Fiche" first: the regexp on every block of every document cost
		// more than the rest of Detect.
		if b.Kind != registre.BlockListItem && strings.Contains(b.Text, "Fiche") && bannerRe.MatchString(b.Text) {
			banners++
		}
		if f, ok := tableField(b.Text); ok && f == registre.FieldSubPurposes && b.Kind != registre.BlockListItem {
			subs++
			positioned = positioned || len(b.Runs) > 0
		}
	}
	switch {
	case !positioned || subs == 0:
		return 0
	case banners > 0 && subs >= 2:
		return 0.95
	case subs >= 2:
		return 0.7
	}
	return 0.4
}

// box is a block seen through its position on the page.
type box struct {
	b      registre.Block
	page   int
	x, y   float64 // first run: left edge and baseline
	yEnd   float64 // last run's baseline
	col    int     // 0 left, 1 right
	italic bool
}

func boxes(doc *registre.Document) (map[int][]box, []int) {
	byPage := map[int][]box{}
	page := 0
	for _, b := range doc.Blocks {
		if b.Kind == registre.BlockPageBreak {
			page = b.Page
			if _, ok := byPage[page]; !ok {
				byPage[page] = nil
			}
			continue
		}
		if b.Kind == registre.BlockTable || strings.TrimSpace(b.Text) == "" || len(b.Runs) == 0 {
			continue
		}
		p := b.Page
		if p == 0 {
			p = page
		}
		bx := box{b: b, page: p, x: b.Runs[0].X, y: b.Runs[0].Y, yEnd: b.Runs[len(b.Runs)-1].Y, italic: true}
		for _, r := range b.Runs {
			bx.italic = bx.italic && r.Italic
		}
		byPage[p] = append(byPage[p], bx)
	}
	var pages []int
	for p := range byPage {
		pages = append(pages, p)
	}
	sort.Ints(pages)
	return byPage, pages
}

// gutter finds the x that separates the two table columns: the middle of
// the widest empty band between the left edges of header labels and list
// items, in the middle half of the page.
func gutter(byPage map[int][]box) float64 {
	var xs []float64
	maxX := 0.0
	for _, bs := range byPage {
		for _, bx := range bs {
			for _, r := range bx.b.Runs {
				maxX = math.Max(maxX, r.X+r.W)
			}
			if bx.b.Kind == registre.BlockListItem || isLabel(bx) {
				xs = append(xs, bx.x)
			}
		}
	}
	if len(xs) == 0 {
		return 0
	}
	sort.Float64s(xs)
	best, at := 0.0, 0.0
	for i := 1; i < len(xs); i++ {
		mid := (xs[i-1] + xs[i]) / 2
		if gap := xs[i] - xs[i-1]; gap > best && mid > 0.25*maxX && mid < 0.75*maxX {
			best, at = gap, xs[i]-math.Min(gap/2, 12)
		}
	}
	return at
}

// isLabel: a block whose whole text is a table label. Labels are bold in
// the register, but a document read by the fallback reader has no styles,
// and a whole block that is a label is one anyway.
func isLabel(bx box) bool {
	if bx.b.Kind == registre.BlockListItem || bx.b.Kind == registre.BlockHeading {
		return false
	}
	_, ok := tableField(bx.b.Text)
	return ok
}

// header is one label cell of a header row.
type header struct {
	bx    box
	field registre.Field
	known bool
}

// row is a header row: its labels by column.
type row struct {
	y     float64
	cells [2]*header
}

// headerRows finds the header rows of a page: known table labels, with any
// bold block on the same baseline as their partner.
func headerRows(bs []box, boundary float64) []row {
	var rows []row
	for _, bx := range bs {
		if !isLabel(bx) {
			continue
		}
		placed := false
		for i := range rows {
			if math.Abs(rows[i].y-bx.y) < 3 {
				placed = true
			}
		}
		if placed {
			continue
		}
		r := row{y: bx.y}
		for _, o := range bs {
			if math.Abs(o.y-bx.y) >= 3 || o.b.Kind == registre.BlockListItem || o.b.Kind == registre.BlockHeading {
				continue
			}
			col := colOf(o, boundary)
			f, ok := tableField(o.b.Text)
			if !ok && !o.b.Bold {
				continue
			}
			if r.cells[col] == nil {
				r.cells[col] = &header{bx: o, field: f, known: ok}
			}
		}
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].y < rows[j].y })
	return rows
}

func colOf(bx box, boundary float64) int {
	if boundary > 0 && bx.x >= boundary {
		return 1
	}
	return 0
}

// fiche is a record being built.
type fiche struct {
	rec      registre.RawRecord
	number   int
	numConf  float64
	title    []box
	purposes []box
	pages    map[int]bool
	seen     map[registre.Field]bool // fields that had a header in this fiche
	hasSub   bool
	// last value index per column, for items continued on the next page
	last  [2]*lastValue
	lastF [2]registre.Field
}

// Extract implements extract.Parser.
func (Parser) Extract(ctx context.Context, doc *registre.Document) ([]registre.RawRecord, error) {
	if doc == nil {
		return nil, nil
	}
	org := labels.Organisation(doc.Title + "\n" + head(doc.Text, 3000))
	if org == "" {
		org = "Cnam"
	}
	if !hasPositions(doc) {
		return extractFlow(ctx, doc, org)
	}
	byPage, pages := boxes(doc)
	st := &state{
		doc: doc, org: org, boundary: gutter(byPage), toc: tableOfContents(byPage),
		margin: leftMargin(byPage), styled: hasStyles(byPage),
	}
	for _, p := range pages {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("cnam: page %d: %w", p, err)
		}
		st.page(p, byPage[p])
	}
	var recs []registre.RawRecord
	for _, f := range st.out {
		recs = append(recs, f.finish(doc))
	}
	markShared(recs)
	return recs, nil
}

// state is one pass over a document: the fiches found so far and the one
// the next rows belong to.
type state struct {
	doc      *registre.Document
	org      string
	boundary float64 // x of the column gutter
	toc      toc
	margin   float64 // x of banners and titles
	styled   bool
	out      []*fiche
	cur      *fiche
}

func (st *state) open(number int, conf float64) *fiche {
	f := &fiche{number: number, numConf: conf, pages: map[int]bool{}, seen: map[registre.Field]bool{}}
	f.rec = registre.RawRecord{Layout: Layout, Organisation: st.org, DocumentTitle: st.doc.Title}
	st.out = append(st.out, f)
	st.cur = f
	return f
}

// page reads one page: its banner, the region above its first header row,
// then its rows.
func (st *state) page(p int, bs []box) {
	for i := range bs {
		bs[i].col = colOf(bs[i], st.boundary)
	}
	rows := headerRows(bs, st.boundary)
	firstRowY := math.Inf(1)
	if len(rows) > 0 {
		firstRowY = rows[0].y
	}
	banner, bannerNo := findBanner(bs, firstRowY)
	if banner == nil && len(rows) == 0 && isSectionPage(bs) {
		// A cover or domain summary page ends the current fiche.
		st.cur = nil
		return
	}
	// A banner with another number starts a new fiche at the page's first
	// row; a banner on a fiche opened without one names it.
	startsHere := false
	if banner != nil {
		switch cur := st.cur; {
		case cur == nil:
			startsHere = len(rows) > 0
		case cur.number == 0 && !cur.pages[p]:
			cur.number, cur.numConf = bannerNo, confContinued
		case cur.number != bannerNo && cur.number != 0:
			startsHere = len(rows) > 0
		}
	}
	title, lines, cont := st.preTable(bs, banner, firstRowY)
	if startsHere {
		st.open(bannerNo, 1)
	}
	if cur := st.cur; cur != nil {
		cur.pages[p] = true
		if banner != nil && cur.number == bannerNo && cur.rec.Fields[registre.FieldReference] == nil {
			addReference(cur, *banner, p)
		}
		if len(cur.title) == 0 && len(title) > 0 {
			cur.title = title
			if len(cur.purposes) == 0 {
				cur.purposes = lines
			}
		}
		for _, bx := range cont {
			cur.continueCell(bx)
		}
	}
	for ri, r := range rows {
		end := math.Inf(1)
		if ri+1 < len(rows) {
			end = rows[ri+1].y
		}
		isSub := (r.cells[0] != nil && r.cells[0].field == registre.FieldSubPurposes) || (r.cells[1] != nil && r.cells[1].field == registre.FieldSubPurposes)
		if st.cur == nil || (isSub && st.cur.hasSub) {
			st.openAtRow(p, bs, rows, ri, banner, bannerNo, title, lines)
		}
		st.cur.addRow(r, bs, end, p)
	}
}

// openAtRow opens the fiche a header row starts: numbered by the page's
// banner when that banner is not the previous fiche's, titled by the
// page's title or, for a fiche that lost its banner, by the title just
// above the row (its number then comes from the summary page).
func (st *state) openAtRow(p int, bs []box, rows []row, ri int, banner *box, bannerNo int, title, lines []box) {
	no, conf := 0, 0.0
	if banner != nil && (st.cur == nil || st.cur.number != bannerNo) {
		no, conf = bannerNo, 1
	}
	f := st.open(no, conf)
	f.pages[p] = true
	if no != 0 {
		addReference(f, *banner, p)
		f.title, f.purposes = title, lines
	} else if t := titleAbove(bs, rows[ri].y, rows, ri); len(t) > 0 {
		f.title = t
	}
	if f.number == 0 {
		if n, ok := st.toc.lookup(f.title); ok {
			f.number, f.numConf = n, 0.6
		}
	}
}

// findBanner returns the page's fiche banner above its first row.
func findBanner(bs []box, firstRowY float64) (*box, int) {
	for i := range bs {
		if bs[i].b.Kind == registre.BlockListItem || bs[i].y >= firstRowY {
			continue
		}
		if m := bannerRe.FindStringSubmatch(bs[i].b.Text); m != nil {
			n, _ := strconv.Atoi(m[3])
			return &bs[i], n
		}
	}
	return nil, 0
}

// preTable sorts the blocks above a page's first header row (and below its
// banner): the title, purpose lines printed under it at the margin, and
// cell content continued from the previous page.
func (st *state) preTable(bs []box, banner *box, firstRowY float64) (title, lines, cont []box) {
	for _, bx := range bs {
		if bx.y >= firstRowY || (banner != nil && (bx.b.Start == banner.b.Start || bx.y < banner.y)) {
			continue
		}
		switch {
		case isTitle(bx):
			title = append(title, bx)
		case bx.x < st.margin+8 && bx.b.Kind != registre.BlockListItem:
			lines = append(lines, bx)
		default:
			cont = append(cont, bx)
		}
	}
	if !st.styled && len(title) == 0 && len(lines) > 0 && banner != nil {
		// Without styles (fallback reader) the title is the first line
		// under the banner.
		title, lines = lines[:1], lines[1:]
	}
	return title, lines, cont
}

func head(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// leftMargin is the x where banners and titles start.
func leftMargin(byPage map[int][]box) float64 {
	m := math.Inf(1)
	for _, bs := range byPage {
		for _, bx := range bs {
			if bannerRe.MatchString(bx.b.Text) && bx.b.Kind != registre.BlockListItem {
				m = math.Min(m, bx.x)
			}
		}
	}
	if math.IsInf(m, 1) {
		return 0
	}
	return m
}

// hasStyles reports whether any run is bold or italic: documents read by
// the fallback reader (pdftotext) have none.
func hasStyles(byPage map[int][]box) bool {
	for _, bs := range byPage {
		for _, bx := range bs {
			for _, r := range bx.b.Runs {
				if r.Bold || r.Italic {
					return true
				}
			}
		}
	}
	return false
}

// isSectionPage: a page with headings or table-of-contents entries and no
// table — the cover or a domain summary, not the overflow of a fiche table.
func isSectionPage(bs []box) bool {
	for _, bx := range bs {
		if bx.b.Kind == registre.BlockHeading || tocRe.MatchString(bx.b.Text) {
			return true
		}
	}
	return false
}

// titleAbove returns the italic or heading blocks right above a header row
// (below the previous row's content).
func titleAbove(bs []box, y float64, rows []row, ri int) []box {
	top := math.Inf(-1)
	if ri > 0 {
		top = rows[ri-1].y
	}
	var out []box
	for _, bx := range bs {
		if bx.y < y && bx.y > top && isTitle(bx) && !bannerRe.MatchString(bx.b.Text) {
			out = append(out, bx)
		}
	}
	// Only the run of titles closest to the row: nothing but titles
	// between them and the row.
	for i := len(out) - 1; i >= 0; i-- {
		for _, bx := range bs {
			if bx.y > out[i].yEnd && bx.y < y && !isTitle(bx) && bx.b.Kind == registre.BlockListItem {
				return out[i+1:]
			}
		}
	}
	return out
}

func addReference(f *fiche, banner box, page int) {
	m := bannerRe.FindStringSubmatchIndex(banner.b.Text)
	if m == nil {
		return
	}
	// "Fiche N": from the word "Fiche" to the end of the number.
	i := strings.LastIndex(banner.b.Text[:m[6]], "Fiche")
	if i < 0 {
		return
	}
	f.rec.Add(registre.FieldReference, registre.RawValue{
		Text: banner.b.Text[i:m[7]], Start: banner.b.Start + i, End: banner.b.Start + m[7],
		Page: page, Method: registre.MethodRule, Confidence: 1,
	})
}
