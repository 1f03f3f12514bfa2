// Package generic is the fallback extractor for documents whose layout no
// specific parser recognises: privacy notices, Markdown registers, tables
// written by other bodies. It reads what French documents use to name Art. 30
// elements — "Label : value" lines, label paragraphs or headings followed by
// their value, label/value tables, register tables with a header row — and a
// few unambiguous sentences of privacy notices ("Ce traitement a pour
// finalité…", "Vos données sont conservées…"). Every value gets a lower
// confidence than a layout parser's, and a record is only kept when it has a
// purpose and at least one other Art. 30 element, so guides, vendor
// statements and blank forms give none.
package generic

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"registre"
	"registre/extract/labels"
)

// Layout is the name recorded on every record of this parser.
const Layout = "generic"

// Confidences: the layout is unknown, so even a labelled value is less sure
// than one a layout parser read.
const (
	confLabel   = 0.6 // a value after a known label
	confHeading = 0.5 // a record name taken from a section heading
	confProse   = 0.4 // a value read from a sentence of a notice
	confDerived = 0.3 // a name derived from the first purpose
)

// Parser implements extract.Parser.
type Parser struct{}

// Name implements extract.Parser.
func (Parser) Name() string { return Layout }

// Detect implements extract.Parser. The fallback never claims a document
// over a layout parser: its score stays under extract.MinScore, growing
// with the number of known labels so it can rank among fallbacks.
func (Parser) Detect(doc *registre.Document) float64 {
	n := 0
	for _, e := range walk(doc) {
		if e.kind == entField && e.fromLabel || e.kind == entRow {
			n++
		}
	}
	return min(0.45, float64(n)*0.03)
}

type entryKind int

const (
	entHeading entryKind = iota
	entField
	entRow          // one row of a register table: a whole record
	entLabelHeading // a heading that is a label ("Vos droits", "Finalité")
)

// entry is one thing the walk found, in document order.
type entry struct {
	kind      entryKind
	level     int
	text      string // heading text
	value     registre.RawValue
	field     registre.Field
	fromLabel bool
	row       *registre.RawRecord
	locator   string
	page      int
}

// Extract implements extract.Parser.
func (p Parser) Extract(ctx context.Context, doc *registre.Document) ([]registre.RawRecord, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ents := walk(doc)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return assemble(doc, ents), nil
}

// assemble groups entries into records.
func assemble(doc *registre.Document, ents []entry) []registre.RawRecord {
	level := recordLevel(ents)
	nameLabels := false
	for _, e := range ents {
		if e.kind == entField && e.field == registre.FieldName && e.fromLabel {
			nameLabels = true
		}
	}
	var header []registre.RawValue // controller, DPO stated once for the document
	var headerFields []registre.Field
	var cands []*cand
	var cur *cand
	closeCur := func() {
		if cur != nil {
			cands = append(cands, cur)
		}
		cur = nil
	}
	open := func(e entry) {
		closeCur()
		cur = &cand{labelled: map[registre.Field]bool{}, locator: e.locator, page: e.page}
	}
	title := ""
	docSection := false
	for _, e := range ents {
		switch e.kind {
		case entHeading:
			if title == "" {
				title = e.text
			}
			switch {
			case level > 0 && e.level == level:
				docSection = false
				if cur != nil && (e.page > cur.lastPage && cur.hasHeading(e.text) || cur.repeating) {
					// the record's headings repeated on its next page (the
					// title under a repeated banner may be spelt differently)
					cur.repeating = true
					continue
				}
				if cur != nil && cur.onlyHeadings() {
					// a banner then a title: one record, named by the
					// heading nearest its fields
					cur.headings = append(cur.headings, e.text)
				} else {
					open(e)
					cur.headings = []string{e.text}
				}
				hn := e.value
				hn.Text, hn.Locator, hn.Page, hn.Method, hn.Confidence = e.text, e.locator, e.page, registre.MethodRule, confHeading
				// "3. Vidéoprotection", "Fiche 12 – Paie": the number is the
				// record's reference, the rest its name.
				if m := numberedRe.FindStringSubmatchIndex(e.text); m != nil && m[1] < len(e.text) {
					ref := hn
					ref.Text, ref.End = e.text[m[2]:m[3]], hn.Start+m[3]
					ref.Start = hn.Start + m[2]
					setRef(&cur.rec, ref)
					hn.Text, hn.Start = e.text[m[1]:], hn.Start+m[1]
				} else if m := ficheRe.FindStringSubmatchIndex(e.text); m != nil {
					// "01 | GESTION DES DROITS – Fiche 2": a banner giving
					// the fiche number; the title usually follows.
					ref := hn
					ref.Text, ref.Start, ref.End = e.text[m[2]:m[3]], hn.Start+m[2], hn.Start+m[3]
					setRef(&cur.rec, ref)
				}
				cur.headingName = &hn
			case level > 0 && e.level < level:
				docSection = false
				closeCur()
			}
		case entLabelHeading:
			// « Vos droits », « Contact du DPO » as a heading at the level of
			// the records (or above) is a section about the whole document,
			// not a field of the record above it. Other label headings are
			// the fields of the current record, whatever their level.
			if level > 0 && e.level <= level && docWide[e.field] {
				closeCur()
				docSection = true
			}
		case entRow:
			closeCur()
			c := &cand{labelled: map[registre.Field]bool{}, locator: e.locator, page: e.page, rec: *e.row}
			cands = append(cands, c)
		case entField:
			if cur == nil {
				if e.field == registre.FieldController || e.field == registre.FieldDPO ||
					docSection && (e.field == registre.FieldRights || e.field == registre.FieldRightsContact) {
					header = append(header, e.value)
					headerFields = append(headerFields, e.field)
					continue
				}
				if !e.fromLabel || docSection {
					continue // outside any record section
				}
				open(e)
			}
			if e.fromLabel && cur.labelled[e.field] && e.field == registre.FieldName {
				open(e) // the next record of a label-only register
			} else if e.fromLabel && e.field == registre.FieldPurposes && cur.labelled[registre.FieldPurposes] && !nameLabels && level == 0 && cur.lastField != registre.FieldPurposes {
				open(e)
			}
			cur.repeating = false
			cur.lastPage = max(cur.lastPage, e.page)
			if e.fromLabel {
				cur.labelled[e.field] = true
			}
			cur.lastField = e.field
			cur.rec.Add(e.field, e.value)
		}
	}
	closeCur()

	org := organisation(doc, header)
	var out []registre.RawRecord
	var leftovers []*cand
	for _, c := range cands {
		if !c.complete() {
			leftovers = append(leftovers, c)
			continue
		}
		r := c.rec
		r.Layout = Layout
		if hn := c.headingName; hn != nil {
			if _, ok := r.First(registre.FieldName); !ok {
				r.Add(registre.FieldName, *hn)
			}
		}
		if _, ok := r.First(registre.FieldName); !ok {
			// No title in the source: the name is derived from the first
			// purpose, and its low confidence says so.
			v, ok := r.First(registre.FieldPurposes)
			if !ok {
				v, _ = r.First(registre.FieldSubPurposes)
			}
			v.Confidence, v.Label = confDerived, ""
			r.Add(registre.FieldName, v)
		}
		for i, v := range header {
			if _, ok := r.First(headerFields[i]); !ok {
				v.Inherited = true
				r.Add(headerFields[i], v)
			}
		}
		if r.Locator == "" {
			r.Locator = c.locator
		}
		if c.page > 0 && len(r.Pages) == 0 {
			r.Pages = []int{c.page}
		}
		out = append(out, r)
	}
	// A section about the whole document (« Vos droits », « Contact »)
	// states the rights and the DPO of every activity the notice describes.
	for _, c := range leftovers {
		if _, ok := c.rec.First(registre.FieldPurposes); ok {
			continue
		}
		if _, ok := c.rec.First(registre.FieldSubPurposes); ok {
			continue
		}
		for _, f := range []registre.Field{registre.FieldRights, registre.FieldRightsContact, registre.FieldDPO, registre.FieldController} {
			for i := range out {
				if _, ok := out[i].First(f); ok {
					continue
				}
				for _, v := range c.rec.Fields[f] {
					v.Inherited = true
					out[i].Add(f, v)
				}
			}
		}
	}
	date, dateVal := documentDate(doc)
	seen := map[string]int{}
	for i := range out {
		out[i].Organisation = org
		if date != "" {
			out[i].DocumentDate = date
			out[i].Add(registre.FieldDocumentDate, dateVal)
		}
		out[i].DocumentTitle = title
		if out[i].DocumentTitle == "" {
			out[i].DocumentTitle = doc.Title
		}
		name, _ := out[i].First(registre.FieldName)
		key := labels.Norm(name.Text)
		if ref, ok := out[i].First(registre.FieldReference); ok {
			key = labels.Norm(ref.Text)
		}
		seen[key]++
		if seen[key] > 1 {
			key += " #" + strconv.Itoa(seen[key])
		}
		out[i].Key = key
	}
	return out
}

// numberedRe matches a record number in front of a heading.
var numberedRe = regexp.MustCompile(`^(?:(?i:fiche|traitement|activit[ée])\s+)?(?:n\s*°\s*)?(\d+(?:\.\d+)*)\s*(?:[.)]|[-–—:])\s*`)

// docDateRe finds the date a register or notice gives itself near its top
// ("Mis à jour le 12/10/2020", "Version publiée le 15 mars 2022").
var docDateRe = regexp.MustCompile(`(?i)\b(?:mise?\s+à\s+jour|actualis[ée]e?|publi[ée]e?|version|en\s+date)\s+(?:du\s+|le\s+)?(\d{1,2}(?:er)?\s+(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre|d[ée]cembre)\s+\d{4}|\d{1,2}/\d{1,2}/\d{4})`)

// documentDate returns the printed date (normalize reads it) and its value.
func documentDate(doc *registre.Document) (string, registre.RawValue) {
	head := doc.Text[:min(len(doc.Text), 3000)]
	m := docDateRe.FindStringSubmatchIndex(head)
	if m == nil {
		return "", registre.RawValue{}
	}
	return head[m[2]:m[3]], registre.RawValue{Text: head[m[2]:m[3]], Start: m[2], End: m[3], Locator: "en-tête",
		Label: strings.TrimSpace(head[m[0]:m[2]]), Method: registre.MethodRule, Confidence: confLabel}
}

// ficheRe finds a fiche number inside a banner heading.
var ficheRe = regexp.MustCompile(`(?i)\bfiche\s+(?:n\s*°\s*)?(\d+)\b`)

func setRef(r *registre.RawRecord, v registre.RawValue) {
	if r.Fields == nil {
		r.Fields = map[registre.Field][]registre.RawValue{}
	}
	r.Fields[registre.FieldReference] = []registre.RawValue{v}
}

// cand is a record being assembled.
type cand struct {
	rec         registre.RawRecord
	headingName *registre.RawValue
	headings    []string // the record-level headings that opened it
	repeating   bool     // inside the repeated headings of a new page
	lastPage    int      // page of the record's last value
	labelled    map[registre.Field]bool
	lastField   registre.Field
	locator     string
	page        int
}

// onlyHeadings: the record has seen headings and no value yet.
func (c *cand) onlyHeadings() bool {
	if c.headingName == nil {
		return false
	}
	for f := range c.rec.Fields {
		if f != registre.FieldReference {
			return false
		}
	}
	return true
}

func (c *cand) hasHeading(h string) bool {
	// Same fiche number: the banner of the fiche's next page, even when the
	// title under it is spelt differently.
	if m := ficheRe.FindStringSubmatch(h); m != nil {
		if ref, ok := c.rec.First(registre.FieldReference); ok && ref.Text == m[1] {
			return true
		}
	}
	f := labels.Fold(h)
	for _, x := range c.headings {
		if labels.Fold(x) == f {
			return true
		}
	}
	return false
}

// docWide are the fields a notice states once for all its activities.
var docWide = map[registre.Field]bool{
	registre.FieldRights: true, registre.FieldRightsContact: true, registre.FieldDPO: true, registre.FieldController: true,
}

// art30 are the elements that, with a purpose, make a record.
var art30 = []registre.Field{
	registre.FieldDataSubjects, registre.FieldDataCategories, registre.FieldRecipients,
	registre.FieldRecipientsInternal, registre.FieldRecipientsExternal, registre.FieldPersonsWithAccess,
	registre.FieldRetention, registre.FieldLegalBasis, registre.FieldProcessors, registre.FieldTransfers,
	registre.FieldSecurity,
}

// complete applies the contract's "What counts as a record": a purpose and
// at least one other Art. 30 element.
func (c *cand) complete() bool {
	_, p := c.rec.First(registre.FieldPurposes)
	_, sp := c.rec.First(registre.FieldSubPurposes)
	if !p && !sp {
		return false
	}
	for _, f := range art30 {
		if _, ok := c.rec.First(f); ok {
			return true
		}
	}
	return false
}

// recordLevel is the heading level that opens records: the level of the
// heading nearest above most labelled values. 0 when headings do not
// structure the values.
func recordLevel(ents []entry) int {
	counts := map[int]int{}
	last := 0
	for _, e := range ents {
		switch e.kind {
		case entHeading:
			last = e.level
		case entField:
			if last > 0 && e.field != registre.FieldController && e.field != registre.FieldDPO {
				counts[last]++
			}
		}
	}
	best, n := 0, 0
	for l := 1; l <= 6; l++ {
		if counts[l] > n {
			best, n = l, counts[l]
		}
	}
	return best
}

// organisation names the body whose document this is: a known body named
// near the top, else the stated controller.
func organisation(doc *registre.Document, header []registre.RawValue) string {
	head := doc.Text
	if len(head) > 3000 {
		head = head[:3000]
	}
	if o := labels.Organisation(head); o != "" {
		return o
	}
	if o := localBody(head); o != "" {
		return o
	}
	for _, v := range header {
		if o := labels.Organisation(v.Text); o != "" {
			return o
		}
		if o := localBody(v.Text); o != "" {
			return o
		}
	}
	return ""
}

func locator(b registre.Block, n int, page int) string {
	var s string
	switch b.Kind {
	case registre.BlockHeading:
		s = "h" + strconv.Itoa(max(b.Level, 1)) + " #" + strconv.Itoa(n)
	case registre.BlockTable:
		s = "table " + strconv.Itoa(n)
	default:
		s = "block " + strconv.Itoa(n)
	}
	if b.Path != "" {
		s = b.Path
	}
	if page > 0 {
		s = "page " + strconv.Itoa(page) + ", " + s
	}
	return s
}

// compact trims a label for display ("Finalité :" → "Finalité").
func compact(label string) string {
	return strings.TrimSpace(strings.TrimRight(strings.TrimSpace(label), ": \u00a0"))
}
