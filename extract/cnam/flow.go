package cnam

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"registre"
	"registre/extract/labels"
)

// The register also comes without positions: converted to Markdown (the
// text reader makes each tab-separated row a table row whose cells hold
// paragraphs and list items), or as HTML or Word tables. The flow parser
// reads such a document in order: a banner heading "NN | DOMAINE – Fiche N"
// and the title under it, then table rows. A row is either a header row
// (cells that are only labels), a content row (the cells under the last
// header row), or both at once (a label paragraph at the top of each cell,
// its list below). Fiches are split on the table, as in PDF: a
// "Sous-finalités" row opens a new fiche when the current one already has
// one.

// flowCell is one table cell seen through its label: the header it starts
// with, if any, and the blocks below it.
type flowCell struct {
	field   registre.Field
	known   bool
	label   *registre.Block
	content []registre.Block
}

// readCell splits a cell into the table label it starts with, if any, and
// the blocks below it.
func readCell(c registre.Cell) flowCell {
	var fc flowCell
	bs := c.Blocks
	if len(bs) == 0 {
		return fc
	}
	if b := bs[0]; b.Kind == registre.BlockParagraph || b.Kind == registre.BlockHeading {
		if f, ok := cellLabel(b); ok {
			fc.field, fc.known, fc.label = f, true, &bs[0]
			fc.content = bs[1:]
			return fc
		}
	}
	fc.content = bs
	return fc
}

// suiteRe is the "(suite)" a label repeated on the next page carries.
var suiteRe = regexp.MustCompile(`(?i)\s*\(suite\)\s*$`)

// cellLabel returns the field a cell's first paragraph names. A plain
// paragraph must be one of the table's own labels: a content cell can hold
// a short text that the label dictionary knows ("DPO", "Oui"). A bold one
// may be any label the dictionary knows.
func cellLabel(b registre.Block) (registre.Field, bool) {
	// Labels are short: a long cell is content, found without folding it
	// (detection looks at every cell of every table, spreadsheets too).
	if len(b.Text) < 10 && !b.Bold || len(b.Text) > 80 {
		return "", false
	}
	t := b.Text
	if strings.Contains(t, "(") {
		t = suiteRe.ReplaceAllString(t, "")
	}
	if f, ok := tableLabels[labels.Norm(t)]; ok {
		return f, true
	}
	if !b.Bold {
		return "", false
	}
	return tableField(b.Text)
}

// flowRow is a table row of two cells (wider rows keep their first two:
// the register's table has two columns).
type flowRow [2]flowCell

func (r flowRow) known() bool { return r[0].known || r[1].known }
func (r flowRow) hasContent() bool {
	return len(r[0].content) > 0 || len(r[1].content) > 0
}
func (r flowRow) isSub() bool {
	return r[0].field == registre.FieldSubPurposes || r[1].field == registre.FieldSubPurposes
}

// header returns the row as the header row colFields resolves.
func (r flowRow) header() row {
	var h row
	for c := 0; c < 2; c++ {
		if r[c].label != nil {
			h.cells[c] = &header{bx: box{b: *r[c].label}, field: r[c].field, known: r[c].known}
		}
	}
	return h
}

// flowRows returns a table's rows as flowRows.
func flowRows(t registre.Block) []flowRow {
	var out []flowRow
	for _, cells := range t.Rows {
		var r flowRow
		for c := 0; c < 2 && c < len(cells); c++ {
			r[c] = readCell(cells[c])
		}
		out = append(out, r)
	}
	return out
}

// hasPositions reports whether a document's blocks carry PDF positions.
func hasPositions(doc *registre.Document) bool {
	for _, b := range doc.Blocks {
		if len(b.Runs) > 0 {
			return true
		}
	}
	return false
}

// detectFlow counts the fiche banners and the "Sous-finalités" header
// cells of a document read without positions.
func detectFlow(doc *registre.Document) (banners, subs int) {
	for _, b := range doc.Blocks {
		if banners > 0 && subs >= 2 {
			break // enough to claim the document
		}
		switch b.Kind {
		case registre.BlockHeading, registre.BlockParagraph:
			if bannerRe.MatchString(b.Text) {
				banners++
			}
		case registre.BlockTable:
			for _, cells := range b.Rows {
				for c := 0; c < 2 && c < len(cells); c++ {
					if isSubLabel(cells[c]) {
						subs++
						break
					}
				}
			}
		}
	}
	return banners, subs
}

// isSubLabel reports whether a cell starts with the "Sous-finalités"
// label. The test on its first letters first keeps detection cheap on
// large spreadsheets.
func isSubLabel(c registre.Cell) bool {
	if len(c.Blocks) == 0 {
		return false
	}
	t := c.Blocks[0].Text
	if len(t) < 4 || t[0]|0x20 != 's' || t[1]|0x20 != 'o' || t[2]|0x20 != 'u' {
		return false
	}
	fc := readCell(c)
	return fc.known && fc.field == registre.FieldSubPurposes
}

// banner is a fiche banner waiting for the table it heads.
type banner struct {
	no    int
	blk   registre.Block
	title []box
	lines []box
}

// flow is one pass over a document read without positions.
type flow struct {
	*state
	pending *banner
	// candidates are the paragraphs since the last table when no banner
	// came: the title of a fiche that lost its banner (F41).
	candidates []box
	header     *flowRow // the last header row, for the content row below it
}

func extractFlow(ctx context.Context, doc *registre.Document, org string) ([]registre.RawRecord, error) {
	fl := &flow{state: &state{doc: doc, org: org}}
	for i, b := range doc.Blocks {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("cnam: block %d: %w", i, err)
			}
		}
		switch b.Kind {
		case registre.BlockTable:
			fl.table(b)
		case registre.BlockHeading, registre.BlockParagraph:
			fl.text(b)
		default:
			// A fiche title is the paragraphs right above the table.
			fl.candidates = nil
		}
	}
	inferNumbers(fl.out)
	title := coverTitle(doc)
	var recs []registre.RawRecord
	prev := 0
	for _, f := range fl.out {
		rec := f.finish(doc)
		if rec.DocumentTitle == "" {
			rec.DocumentTitle = title
		}
		if f.number == 0 {
			// No printed number and no page: the fiche is known by the
			// numbered fiche it follows.
			rec.Key = fmt.Sprintf("fiche-after-%d", prev)
			rec.Locator = fmt.Sprintf("Fiche sans numéro, après la fiche %d", prev)
			if prev == 0 {
				rec.Key, rec.Locator = "fiche-first", "Fiche sans numéro, en tête du registre"
			}
		} else {
			prev = f.number
		}
		for field, vs := range rec.Fields {
			for i := range vs {
				// The fiche, and the source line when known (there is
				// no page).
				loc := rec.Locator
				if p, ok := strings.CutPrefix(vs[i].Locator, pathMark); ok && p != "" {
					loc += ", " + p
				}
				vs[i].Locator = loc
			}
			rec.Fields[field] = vs
		}
		recs = append(recs, rec)
	}
	markShared(recs)
	return recs, nil
}

// coverTitle is the register's title when the reader found none in the
// file's metadata: its first level-1 heading, unless that heading is
// already a domain ("01 | GESTION DES DROITS") or a fiche banner.
func coverTitle(doc *registre.Document) string {
	if doc.Title != "" {
		return doc.Title
	}
	for _, b := range doc.Blocks {
		if b.Kind != registre.BlockHeading || b.Level != 1 {
			continue
		}
		t := strings.TrimSpace(b.Text)
		if t == "" || (t[0] >= '0' && t[0] <= '9') || bannerRe.MatchString(t) {
			return ""
		}
		return t
	}
	return ""
}

// text reads a heading or paragraph outside the tables: a banner, the
// title and purpose lines under it, or a title candidate.
func (fl *flow) text(b registre.Block) {
	t := strings.TrimSpace(b.Text)
	if t == "" {
		return
	}
	if m := bannerRe.FindStringSubmatch(t); m != nil {
		n, _ := strconv.Atoi(m[3])
		fl.pending = &banner{no: n, blk: b}
		fl.candidates = nil
		return
	}
	bx := box{b: b}
	if p := fl.pending; p != nil {
		switch {
		case len(p.title) == 0:
			p.title = []box{bx}
		case b.Kind == registre.BlockParagraph:
			// Purpose lines printed under the title (F57).
			p.lines = append(p.lines, bx)
		}
		return
	}
	if b.Kind == registre.BlockHeading || isSectionText(t) {
		// A domain heading or a summary page: no fiche title.
		fl.candidates = nil
		return
	}
	fl.candidates = append(fl.candidates, bx)
}

// isSectionText: the "Finalités" of a domain summary page, a bare domain
// number.
func isSectionText(t string) bool {
	if labels.Norm(t) == "finalites" {
		return true
	}
	_, err := strconv.Atoi(t)
	return err == nil
}

// table reads a table's rows into fiches.
func (fl *flow) table(t registre.Block) {
	candidates := fl.candidates
	fl.candidates = nil
	for ri, r := range flowRows(t) {
		if !r.known() {
			if !r.hasContent() {
				continue
			}
			if fl.pending != nil || fl.cur == nil {
				fl.continueFiche()
			}
			if fl.header != nil {
				fl.addFlowRow(*fl.header, r, false)
				fl.header = nil
			} else {
				// Content with no header above it: the rest of the last
				// row's cells, continued on a new page.
				fl.addFlowRow(flowRow{}, r, true)
			}
			continue
		}
		if r.isSub() && (fl.cur == nil || fl.cur.hasSub) {
			var title []box
			if ri == 0 {
				title = candidates
			}
			fl.openFiche(title)
		} else if fl.pending != nil || fl.cur == nil {
			fl.continueFiche()
		}
		if h, ok := r.headerOnly(); ok {
			// A header row: the next row holds its cells.
			fl.header = &h
			continue
		}
		fl.header = nil
		fl.addFlowRow(flowRow{}, r, false)
	}
}

// headerOnly returns the row as a header row when no cell holds more than
// a label: a known one, or a short paragraph beside a known one (a header
// the dictionary does not name, decided by the row order).
func (r flowRow) headerOnly() (flowRow, bool) {
	for c := 0; c < 2; c++ {
		switch n := len(r[c].content); {
		case n == 0:
		case n == 1 && r[c].label == nil && r[c].content[0].Kind == registre.BlockParagraph && len(r[c].content[0].Text) < 80:
			r[c].label, r[c].content = &r[c].content[0], nil
		default:
			return r, false
		}
	}
	return r, true
}

// openFiche opens the fiche a "Sous-finalités" row starts, numbered and
// titled by the banner above it when that banner is not the previous
// fiche's, else titled by the paragraphs right above the table.
func (fl *flow) openFiche(candidates []box) {
	p := fl.pending
	fl.pending = nil
	prev := fl.cur
	no, conf := 0, 0.0
	if p != nil && (prev == nil || prev.number != p.no) {
		no, conf = p.no, 1
	}
	f := fl.open(no, conf)
	switch {
	case no != 0:
		addReference(f, box{b: p.blk}, 0)
		f.title, f.purposes = p.title, p.lines
	case p == nil && len(candidates) > 0 && len(candidates) <= 2:
		f.title = candidates
	}
}

// continueFiche applies a banner to the rows that follow it when they do
// not open a fiche: it names a fiche opened without one (F61), opens a new
// fiche when it carries another number, or repeats the current one.
func (fl *flow) continueFiche() {
	p := fl.pending
	fl.pending = nil
	cur := fl.cur
	switch {
	case p == nil:
		// Rows before any banner or "Sous-finalités": a fiche of its own.
		fl.open(0, 0)
		return
	case cur == nil || (cur.number != 0 && cur.number != p.no):
		f := fl.open(p.no, 1)
		addReference(f, box{b: p.blk}, 0)
		f.title, f.purposes = p.title, p.lines
		return
	case cur.number == 0:
		cur.number, cur.numConf = p.no, confContinued
	}
	if cur.rec.Fields[registre.FieldReference] == nil {
		addReference(cur, box{b: p.blk}, 0)
	}
	if len(cur.title) == 0 && len(p.title) > 0 {
		cur.title = p.title
		if len(cur.purposes) == 0 {
			cur.purposes = p.lines
		}
	}
}

// addFlowRow reads a content row under the header row h (the row's own
// labels win): each block of a cell is one value of its column's field. A
// row with no header at all (continued) carries on the previous row's
// fields.
func (fl *flow) addFlowRow(h, r flowRow, continued bool) {
	f := fl.cur
	for c := 0; c < 2; c++ {
		if r[c].label != nil {
			h[c].field, h[c].known, h[c].label = r[c].field, r[c].known, r[c].label
		}
	}
	fields, conf, label := f.colFields(h.header())
	for c := 0; c < 2; c++ {
		repeated := false
		switch {
		case fields[c] != "":
			// A row that repeats a field on a "(suite)" page repeats the
			// cell's items, except in the "(suite)" cell itself.
			repeated = f.seen[fields[c]] && !strings.Contains(labels.Fold(label[c]), "(suite)")
			f.seen[fields[c]] = true
			if fields[c] == registre.FieldSubPurposes {
				f.hasSub = true
			}
		case continued && f.lastF[c] != "":
			fields[c], conf[c] = f.lastF[c], confContinued
			if vs := f.rec.Fields[fields[c]]; len(vs) > 0 {
				label[c] = vs[len(vs)-1].Label
				conf[c] = min(conf[c], vs[len(vs)-1].Confidence)
			}
		default:
			continue
		}
		f.lastF[c] = fields[c]
		for _, b := range r[c].content {
			fl.addFlowValue(fields[c], b, label[c], conf[c], repeated)
		}
	}
}

func (fl *flow) addFlowValue(field registre.Field, b registre.Block, label string, conf float64, repeated bool) {
	f := fl.cur
	text := strings.TrimSpace(b.Text)
	if text == "" || b.Kind == registre.BlockTable {
		return
	}
	if repeated {
		for _, v := range f.rec.Fields[field] {
			if labels.Fold(v.Text) == labels.Fold(text) {
				return
			}
		}
	}
	lead := len(b.Text) - len(strings.TrimLeft(b.Text, " \t"))
	f.rec.Add(field, registre.RawValue{
		Text: text, Start: b.Start + lead, End: b.Start + lead + len(text),
		Label: strings.TrimSpace(label), Method: registre.MethodRule, Confidence: conf,
		// The source line for now; the fiche is named once numbered.
		Locator: pathMark + b.Path,
	})
}

// pathMark marks a locator that holds only the block's path.
const pathMark = "\x00"

// inferNumbers numbers a fiche printed without banner when its neighbours
// leave one number only (F50 between F49 and F51), with a low confidence;
// otherwise (F41 between F39 and F42) the fiche stays unnumbered.
func inferNumbers(fs []*fiche) {
	for i, f := range fs {
		if f.number != 0 || i == 0 || i+1 >= len(fs) {
			continue
		}
		p, n := fs[i-1].number, fs[i+1].number
		if p > 0 && n == p+2 {
			f.number, f.numConf = p+1, 0.5
		}
	}
}
