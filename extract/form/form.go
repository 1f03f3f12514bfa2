// Package form parses declaration forms: one processing activity described
// field by field, either as a label/value table (the legacy "fiche de
// déclaration de traitement", the CGSS "Formulaire de déclaration interne")
// or as bold label paragraphs each followed by its value paragraphs (the
// "Registre des activités de traitement – Fiche descriptive" template). The
// layout is recognised from the content; labels are read through the shared
// dictionary, so any wording a DPO would use maps to the same field.
//
// A form gives exactly one record, or none when it is blank: Word prompts
// and instructions are not values, and a form whose name is empty describes
// no processing yet.
package form

import (
	"context"
	"strings"

	"registre"
	"registre/extract/labels"
)

// Layouts recorded on the records.
const (
	LayoutTable      = "form-table"
	LayoutParagraphs = "form-paragraphs"
)

// Version is this parser's version; bump it when a change alters its records.
const Version = 1

// Parser implements extract.Parser.
type Parser struct{}

// Name implements extract.Parser.
func (Parser) Name() string { return "form" }

// Version implements extract.Versioned.
func (Parser) Version() int { return Version }

// entry is one field of the form as printed: its label and its value blocks.
type entry struct {
	field  registre.Field
	label  string
	blocks []registre.Block
	// inline is set when the value follows the label in the same block
	// ("Finalité : …"): the value starts at that offset of blocks[0].Text.
	inline int
	// locator is where the label sits (row or paragraph path).
	locator string
	page    int
	// table is the index in doc.Blocks of the top-level table holding the
	// label row (table layout), -1 otherwise.
	table int
	// spans are the value's paragraphs when they were rebuilt from PDF
	// runs rather than read from blocks.
	spans []span
	// alone is set for a label printed as its own paragraph (bold or a
	// heading), as fiche templates print them.
	alone bool
	// confidence overrides the values' confidence (a name taken from a
	// title rather than from a name field).
	confidence float64
}

// scan reads the form's fields in both layouts and says which one the
// document uses.
type scan struct {
	layout  string
	entries []entry
	head    []registre.Block // blocks before the first field: the header
	names   int              // how many name labels the document prints
	// forms splits entries into several forms when the document holds one
	// form per table (a workbook with one sheet per activity, a Word file
	// with several fiches); nil for a single form.
	forms []form
}

// form is one form of a multi-form document: its entries and the blocks
// just before its table (the sheet name, the fiche's heading).
type form struct {
	entries []entry
	head    []registre.Block
}

// Detect implements extract.Parser. A form prints a handful of known labels
// once each, around a single name label; a register repeats them per record
// and is left to the register parsers.
func (Parser) Detect(doc *registre.Document) float64 {
	s := read(doc)
	if s == nil {
		return 0
	}
	n := distinctFields(s.entries)
	switch {
	case len(s.forms) > 1:
		return 0.8
	case s.names > 1 || maxRepeat(s.entries) > 2:
		// Labels printed again and again: a register, not one form.
		return 0.2
	case s.names == 0:
		// Labelled sections without a name label are how privacy notices
		// speak (several activities under headings): the generic parser
		// reads those.
		return 0.3
	case n >= 6:
		return 0.9
	case n >= 4:
		return 0.7
	}
	return 0.1
}

func maxRepeat(es []entry) int {
	count := map[registre.Field]int{}
	m := 0
	for _, e := range es {
		count[e.field]++
		m = max(m, count[e.field])
	}
	return m
}

func distinctFields(es []entry) int {
	seen := map[registre.Field]bool{}
	for _, e := range es {
		seen[e.field] = true
	}
	return len(seen)
}

// read finds the form's fields: the table layout when label/value rows exist,
// else the paragraph layout. It returns nil when the document has neither.
func read(doc *registre.Document) *scan {
	t := readTable(doc)
	p := readParagraphs(doc)
	if r := readRuns(doc); r != nil && (p == nil || filled(doc, r) > filled(doc, p)) {
		// A PDF whose label/value table came out of text extraction
		// with its cells mixed.
		p = r
	}
	switch {
	case t == nil && p == nil:
		return nil
	case t == nil:
		return p
	case p == nil:
		return t
	case distinctFields(p.entries) > distinctFields(t.entries):
		return p
	}
	return t
}

// filled counts the entries that get a value.
func filled(doc *registre.Document, s *scan) int {
	n := 0
	for _, e := range s.entries {
		if len(values(doc, e)) > 0 {
			n++
		}
	}
	return n
}

// readTable collects the rows of every table (nested ones included) whose
// first cell is a known label and whose other cells hold the value.
func readTable(doc *registre.Document) *scan {
	s := &scan{layout: LayoutTable}
	first := -1
	pre := map[int][]registre.Block{} // title rows above each table's labels
	seen := map[int]bool{}
	var walk func(bs []registre.Block, top int)
	walk = func(bs []registre.Block, top int) {
		for _, b := range bs {
			if b.Kind != registre.BlockTable {
				continue
			}
			group := "" // the category list the following rows detail
			last := -1  // the entry of the previous label row
			for _, row := range b.Rows {
				if len(row) < 2 {
					continue
				}
				lab := labelText(row[0])
				if lab == "" && last >= 0 {
					// The label cell is merged down over this row
					// (w:vMerge) or left empty: the row carries on the
					// previous field ("Interne" then "Externe" rows).
					for _, c := range row[1:] {
						s.entries[last].blocks = append(s.entries[last].blocks, c.Blocks...)
					}
					continue
				}
				last = -1
				f, ok := labels.LookupLoose(lab)
				if !ok && group != "" && lab != "" && !strings.Contains(lab, "\n") {
					// "Catégories de données traitées" followed by one row
					// per category (« Données d'identification », « NIR »…):
					// each row details that category.
					e := entry{field: registre.FieldDataCategories, label: group + " / " + lab, locator: rowLocator(row), table: top}
					for _, c := range row[1:] {
						e.blocks = append(e.blocks, c.Blocks...)
					}
					s.entries = append(s.entries, e)
					continue
				}
				group = ""
				if ok && f == registre.FieldDataCategories && !strings.Contains(lab, "\n") {
					group = lab
				}
				if !ok && !seen[top] {
					// Rows above the first label row: a title such as
					// "Fiche de registre – CGSS …" names the body.
					for _, c := range row {
						pre[top] = append(pre[top], c.Blocks...)
					}
				}
				if !ok || strings.Contains(lab, "\n") {
					// A label cell holding more than the label (nested
					// checkbox tables, sub-questions) is read for its
					// nested tables only.
					for _, c := range row {
						walk(c.Blocks, top)
					}
					continue
				}
				if first < 0 {
					first = top
				}
				seen[top] = true
				e := entry{field: f, label: lab, locator: rowLocator(row), table: top}
				for _, c := range row[1:] {
					e.blocks = append(e.blocks, c.Blocks...)
				}
				if f == registre.FieldName {
					s.names++
				}
				s.entries = append(s.entries, e)
				last = len(s.entries) - 1
			}
		}
	}
	for i, b := range doc.Blocks {
		walk([]registre.Block{b}, i)
	}
	if len(s.entries) == 0 {
		return nil
	}
	for _, b := range doc.Blocks[:first] {
		if b.Kind != registre.BlockTable && b.Kind != registre.BlockPageBreak {
			s.head = append(s.head, b)
		}
	}
	s.head = append(s.head, pre[first]...)
	s.forms = splitForms(doc, s.entries)
	for i := range s.forms {
		s.forms[i].head = append(s.forms[i].head, pre[s.forms[i].entries[0].table]...)
	}
	return s
}

// splitForms groups entries by top-level table when at least two tables
// each hold a whole form (one name and a few other fields): one form per
// table. Otherwise the document is a single form (nil).
func splitForms(doc *registre.Document, es []entry) []form {
	var forms []form
	prevEnd := 0
	for i := 0; i < len(es); {
		j := i
		for j < len(es) && es[j].table == es[i].table {
			j++
		}
		group := es[i:j]
		names := 0
		for _, e := range group {
			if e.field == registre.FieldName {
				names++
			}
		}
		if names != 1 || distinctFields(group) < 3 {
			return nil
		}
		f := form{entries: group}
		for _, b := range doc.Blocks[prevEnd:es[i].table] {
			if b.Kind != registre.BlockTable && b.Kind != registre.BlockPageBreak {
				f.head = append(f.head, b)
			}
		}
		prevEnd = es[i].table + 1
		forms = append(forms, f)
		i = j
	}
	if len(forms) < 2 {
		return nil
	}
	return forms
}

// labelText is the label a cell prints: its first paragraph, when a known
// label is followed by help text ("Finalité(s)" then "Préciser les
// finalités principales…"); else the whole cell.
func labelText(c registre.Cell) string {
	for _, b := range c.Blocks {
		if b.Kind == registre.BlockTable {
			break
		}
		if t := strings.TrimSpace(b.Text); t != "" {
			// The label may be followed by help text in the same
			// paragraph, after a line break.
			if i := strings.IndexByte(t, '\n'); i > 0 {
				t = strings.TrimSpace(t[:i])
			}
			if _, ok := labels.LookupLoose(t); ok {
				return t
			}
			break
		}
	}
	return strings.TrimSpace(c.Text())
}

// rowLocator is the path of the row holding a cell: ".../tr[3]".
func rowLocator(row []registre.Cell) string {
	for _, c := range row {
		for _, b := range c.Blocks {
			if i := strings.LastIndex(b.Path, "/tc["); i > 0 {
				return b.Path[:i]
			}
			if b.Path != "" {
				return b.Path
			}
		}
	}
	return ""
}

// isBold says whether a block is printed bold: the reader's flag, or every
// positioned run bold (PDF).
func isBold(b registre.Block) bool {
	if b.Bold {
		return true
	}
	if len(b.Runs) == 0 {
		return false
	}
	for _, r := range b.Runs {
		if strings.TrimSpace(r.Text) != "" && !r.Bold {
			return false
		}
	}
	return true
}

// readParagraphs reads the paragraph layout: a bold paragraph that is a
// known label starts a field, the following non-label paragraphs are its
// value. A paragraph that starts with a bold "Label :" carries its value
// inline.
func readParagraphs(doc *registre.Document) *scan {
	s := &scan{layout: LayoutParagraphs}
	var cur *entry
	var labelPos []pos // parallel to s.entries
	page := 0
	tabs := tabMode(doc)
	for _, b := range doc.Blocks {
		switch b.Kind {
		case registre.BlockPageBreak:
			page = b.Page
			continue
		case registre.BlockTable:
			cur = nil
			continue
		}
		if b.Page != 0 {
			page = b.Page
		}
		text := strings.TrimSpace(b.Text)
		if isBold(b) || b.Kind == registre.BlockHeading {
			if f, ok := labels.LookupLoose(text); ok {
				s.entries = append(s.entries, entry{field: f, label: text, locator: locator(b.Path, page), page: page, table: -1, alone: true})
				labelPos = append(labelPos, posOf(b, page))
				cur = &s.entries[len(s.entries)-1]
				if f == registre.FieldName {
					s.names++
				}
				continue
			}
		}
		if tabs {
			if f, lab, vs, ok := tabLabel(b.Text); ok {
				e := entry{field: f, label: lab, locator: locator(b.Path, page), page: page, table: -1}
				if vs < len(b.Text) {
					e.blocks, e.inline = []registre.Block{b}, vs
				}
				s.entries = append(s.entries, e)
				labelPos = append(labelPos, pos{})
				cur = &s.entries[len(s.entries)-1]
				if f == registre.FieldName {
					s.names++
				}
				s.layout = LayoutTable
				continue
			}
		}
		if b.Kind == registre.BlockHeading && len(s.entries) > 0 {
			// A heading that is no label closes the field: it titles what
			// comes next (the next fiche of a compilation).
			cur = nil
			continue
		}
		if len(b.Labels) > 0 && b.Labels[0].Start == b.Start {
			if f, lab, vs, ok := labels.Split(b.Text); ok && b.Start+len(lab) <= b.Labels[0].End+2 {
				s.entries = append(s.entries, entry{field: f, label: lab, blocks: []registre.Block{b}, inline: vs, locator: locator(b.Path, page), page: page, table: -1})
				labelPos = append(labelPos, pos{})
				cur = &s.entries[len(s.entries)-1]
				if f == registre.FieldName {
					s.names++
				}
				continue
			}
		}
		if i := beside(s.entries, labelPos, b, page); i >= 0 {
			// A PDF of a label/value table lists the label column, then
			// the value column: a value belongs to the label on its left.
			s.entries[i].blocks = append(s.entries[i].blocks, b)
			s.layout = LayoutTable
		} else if cur != nil {
			cur.blocks = append(cur.blocks, b)
		} else if len(s.entries) == 0 {
			s.head = append(s.head, b)
		}
	}
	if len(s.entries) == 0 {
		return nil
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

// splitByName cuts a compilation of fiches (several forms of the paragraph
// layout one after the other) at each name label; nil unless every fiche
// is a whole form.
func splitByName(es []entry) [][]entry {
	var starts []int
	for i, e := range es {
		if e.field == registre.FieldName && e.alone {
			starts = append(starts, i)
		}
	}
	if len(starts) < 2 {
		return nil
	}
	starts[0] = 0 // labels printed before the first name belong to it
	var out [][]entry
	for k, a := range starts {
		b := len(es)
		if k+1 < len(starts) {
			b = starts[k+1]
		}
		g := es[a:b]
		if distinctFields(g) < 3 || maxRepeat(g) > 2 {
			return nil
		}
		out = append(out, g)
	}
	return out
}

// tabLabel reads a table flattened to text, as catdoc and text dumps of
// Word forms print it: "Label<TAB>value", "<TAB>Label" (a row after an
// empty cell), or a line that is only a label (its value cell is empty or
// on the next lines). vs is where the value starts (len(text) when none).
func tabLabel(text string) (f registre.Field, label string, vs int, ok bool) {
	lead := len(text) - len(strings.TrimLeft(text, "\t "))
	rest := text[lead:]
	cut := strings.IndexByte(rest, '\t')
	if cut < 0 {
		cut = len(rest)
	}
	label = strings.TrimSpace(rest[:cut])
	if f, ok = labels.LookupLoose(label); !ok {
		return "", "", 0, false
	}
	vs = lead + cut
	for vs < len(text) && (text[vs] == '\t' || text[vs] == ' ') {
		vs++
	}
	return f, label, vs, true
}

// tabMode says whether the document prints its form as "Label<TAB>value"
// lines (three at least): then a line that is only a label is a label too.
func tabMode(doc *registre.Document) bool {
	n := 0
	for _, b := range doc.Blocks {
		if b.Kind == registre.BlockTable || !strings.Contains(b.Text, "\t") {
			continue
		}
		if _, _, vs, ok := tabLabel(b.Text); ok && vs < len(b.Text) {
			if n++; n >= 3 {
				return true
			}
		}
	}
	return false
}

// pos is where a PDF block starts on its page.
type pos struct {
	ok   bool
	page int
	x, y float64
}

func posOf(b registre.Block, page int) pos {
	if len(b.Runs) == 0 {
		return pos{}
	}
	return pos{true, page, b.Runs[0].X, b.Runs[0].Y}
}

// columnGap is how far right of its label a value must start to be read as
// the label's table cell rather than as the next paragraph (value paragraphs
// of the paragraph layout are only indented a little).
const columnGap = 40

// beside returns the entry whose label is on the left of block b, at the
// same height or above it on the same page (the nearest such label), or -1.
func beside(es []entry, labelPos []pos, b registre.Block, page int) int {
	p := posOf(b, page)
	if !p.ok {
		return -1
	}
	best := -1
	for i := range es {
		lp := labelPos[i]
		if !lp.ok || lp.page != p.page || lp.x+columnGap > p.x || lp.y > p.y+2 {
			continue
		}
		if best < 0 || lp.y > labelPos[best].y {
			best = i
		}
	}
	return best
}

// Extract implements extract.Parser.
func (Parser) Extract(ctx context.Context, doc *registre.Document) ([]registre.RawRecord, error) {
	s := read(doc)
	if s == nil {
		return nil, nil
	}
	forms := s.forms
	if forms == nil {
		forms = []form{{entries: s.entries, head: s.head}}
	}
	var out []registre.RawRecord
	docOrg := ""
	for _, f := range forms {
		if docOrg = organisation(doc, f.head); docOrg != "" {
			break
		}
	}
	for _, f := range forms {
		rec, ok, err := record(ctx, doc, s.layout, f)
		if err != nil {
			return nil, err
		}
		if ok {
			if rec.Organisation == "" {
				// The body is named once for the whole document (first
				// sheet, page header).
				rec.Organisation = docOrg
			}
			out = append(out, rec)
		}
	}
	return out, nil
}

// record reads one form; ok is false for a blank one.
func record(ctx context.Context, doc *registre.Document, layout string, f form) (registre.RawRecord, bool, error) {
	rec := registre.RawRecord{
		Layout:        layout,
		DocumentTitle: doc.Title,
		DocumentDate:  doc.Date,
	}
	for _, e := range f.entries {
		if err := ctx.Err(); err != nil {
			return rec, false, err
		}
		for _, fv := range values(doc, e) {
			rec.Add(fv.field, fv.v)
		}
	}
	if !describes(rec) {
		return rec, false, nil
	}
	rec.Organisation = organisation(doc, f.head)
	if v, ok := rec.First(registre.FieldReference); ok {
		rec.Key = labels.Fold(v.Text)
	} else if v, ok := rec.First(registre.FieldName); ok {
		rec.Key = labels.Fold(v.Text)
	}
	if len(f.entries) > 0 {
		rec.Locator = f.entries[0].locator
		if i := strings.Index(rec.Locator, "/tr["); i > 0 {
			rec.Locator = rec.Locator[:i] // the form's table
		} else if i := strings.Index(rec.Locator, "!"); i > 0 && f.entries[0].table >= 0 {
			rec.Locator = rec.Locator[:i] // the form's sheet
		}
	}
	pages := map[int]bool{}
	for _, vs := range rec.Fields {
		for _, v := range vs {
			if v.Page > 0 && !pages[v.Page] {
				pages[v.Page] = true
				rec.Pages = append(rec.Pages, v.Page)
			}
		}
	}
	sortInts(rec.Pages)
	return rec, true, nil
}

func sortInts(xs []int) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && xs[j] < xs[j-1]; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}

// describes says whether the filled values describe a processing activity:
// a named one with at least one other element, or, on a form without a name
// field, a purpose with at least one other element (the contract's "what
// counts as a record"). A blank form gives nothing.
func describes(rec registre.RawRecord) bool {
	other := 0
	for f, vs := range rec.Fields {
		if len(vs) == 0 || f == registre.FieldName || f == registre.FieldReference || f == registre.FieldDocumentDate {
			continue
		}
		other++
	}
	if _, ok := rec.First(registre.FieldName); ok {
		return other >= 1
	}
	_, purpose := rec.First(registre.FieldPurposes)
	return purpose && other >= 2
}

// organisation names the body from the form's header (the lines above the
// first field) and the document title, never from the file name.
func organisation(doc *registre.Document, head []registre.Block) string {
	var sb strings.Builder
	for _, b := range head {
		sb.WriteString(b.Text)
		sb.WriteByte('\n')
	}
	if o := labels.Organisation(sb.String()); o != "" {
		return o
	}
	return labels.Organisation(doc.Title)
}
