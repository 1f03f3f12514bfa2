// Package sheet parses spreadsheet registers in the manner of the CNIL model
// register: a header row of French column titles ("Nom / sigle du
// traitement", "Finalité(s)", "Catégories de données", "Durée de
// conservation"…), found by its content wherever it sits, then one row per
// processing activity. Column titles are read through the shared label
// dictionary, so any close wording maps to the same field.
package sheet

import (
	"context"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"registre"
	"registre/extract/labels"
)

// Layout is recorded on every record of this layout.
const Layout = "spreadsheet"

// Version is this parser's version; bump it when a change alters its records.
const Version = 1

// headerScan is how many leading rows may hold titles, notes or blank lines
// before the header row.
const headerScan = 15

// Parser implements extract.Parser.
type Parser struct{}

// Name implements extract.Parser.
func (Parser) Name() string { return Layout }

// Version implements extract.Versioned.
func (Parser) Version() int { return Version }

// column is one header cell the dictionary knows.
type column struct {
	field registre.Field
	label string
}

// register is one table with a recognised header row.
type register struct {
	table  registre.Block
	header int // row index of the header
	cols   map[int]column
	sheet  string // the heading before the table (the sheet's name)
	above  []string
}

// Detect implements extract.Parser.
func (Parser) Detect(doc *registre.Document) float64 {
	best := 0.0
	for _, r := range registers(doc) {
		rows := 0
		for _, row := range r.table.Rows[r.header+1:] {
			if !blank(row) {
				rows++
			}
		}
		switch {
		case rows > 0 && hasName(r.cols):
			best = max(best, 0.9)
		case rows > 0:
			best = max(best, 0.6)
		}
	}
	return best
}

func hasName(cols map[int]column) bool {
	for _, c := range cols {
		if c.field == registre.FieldName {
			return true
		}
	}
	return false
}

func blank(row []registre.Cell) bool {
	for _, c := range row {
		if strings.TrimSpace(c.Text()) != "" {
			return false
		}
	}
	return true
}

// registers finds, in every table, the first row that reads as a register
// header: at least three known column titles, one of them a name, a purpose
// or a data column.
func registers(doc *registre.Document) []register {
	var out []register
	sheet := ""
	for _, b := range doc.Blocks {
		if b.Kind == registre.BlockHeading {
			sheet = b.Text
			continue
		}
		if b.Kind != registre.BlockTable {
			continue
		}
		for i, row := range b.Rows[:min(len(b.Rows), headerScan)] {
			cols := map[int]column{}
			core := false
			for j, c := range row {
				if f, ok := labels.LookupLoose(c.Text()); ok {
					cols[j] = column{f, strings.TrimSpace(c.Text())}
					switch f {
					case registre.FieldName, registre.FieldPurposes, registre.FieldDataCategories:
						core = true
					}
				}
			}
			if len(cols) >= 3 && core {
				r := register{table: b, header: i, cols: cols, sheet: sheet}
				for _, above := range b.Rows[:i] {
					for _, c := range above {
						if t := strings.TrimSpace(c.Text()); t != "" {
							r.above = append(r.above, t)
						}
					}
				}
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// listFields hold one item per line of a cell.
var listFields = map[registre.Field]bool{
	registre.FieldPurposes: true, registre.FieldSubPurposes: true, registre.FieldDataSubjects: true,
	registre.FieldDataCategories: true, registre.FieldRecipients: true, registre.FieldRecipientsInternal: true,
	registre.FieldRecipientsExternal: true, registre.FieldPersonsWithAccess: true, registre.FieldProcessors: true,
	registre.FieldJointControllers: true, registre.FieldSecurity: true, registre.FieldLineage: true,
}

// Extract implements extract.Parser.
func (Parser) Extract(ctx context.Context, doc *registre.Document) ([]registre.RawRecord, error) {
	var out []registre.RawRecord
	for _, reg := range registers(doc) {
		org := organisation(doc, reg)
		for i := reg.header + 1; i < len(reg.table.Rows); i++ {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			row := reg.table.Rows[i]
			rec := registre.RawRecord{Layout: Layout, Organisation: org, DocumentTitle: doc.Title, DocumentDate: doc.Date}
			for j, col := range reg.cols {
				if j >= len(row) {
					continue
				}
				for _, fv := range cellValues(doc, row[j], col) {
					rec.Add(fv.field, fv.v)
				}
			}
			if !describes(rec) {
				continue
			}
			sortValues(&rec)
			// The key is the name, as the register's other renderings
			// (HTML page, printed PDF, declaration forms) have no number:
			// the same record then gets the same id from every rendering.
			// The N° stays the record's reference; it keys rows without a
			// name.
			if v, ok := rec.First(registre.FieldName); ok {
				rec.Key = labels.Fold(v.Text)
			} else if v, ok := rec.First(registre.FieldReference); ok {
				rec.Key = strings.TrimSpace(v.Text)
			}
			rec.Locator = rowRange(row)
			out = append(out, rec)
		}
	}
	return out, nil
}

// sortValues orders each field's values by position (columns were visited
// in map order).
func sortValues(rec *registre.RawRecord) {
	for f, vs := range rec.Fields {
		for i := 1; i < len(vs); i++ {
			for j := i; j > 0 && vs[j].Start < vs[j-1].Start; j-- {
				vs[j], vs[j-1] = vs[j-1], vs[j]
			}
		}
		rec.Fields[f] = vs
	}
}

// describes applies the contract's "what counts as a record": a named row
// with one more element, or a purpose with two more.
func describes(rec registre.RawRecord) bool {
	other := 0
	for f, vs := range rec.Fields {
		if len(vs) > 0 && f != registre.FieldName && f != registre.FieldReference {
			other++
		}
	}
	if _, ok := rec.First(registre.FieldName); ok {
		return other >= 1
	}
	_, purpose := rec.First(registre.FieldPurposes)
	return purpose && other >= 2
}

// rowRange locates a row as a cell range: 'Registre'!A2:O2.
func rowRange(row []registre.Cell) string {
	var first, last string
	for _, c := range row {
		for _, b := range c.Blocks {
			if b.Path == "" {
				continue
			}
			if first == "" {
				first = b.Path
			}
			last = b.Path
		}
	}
	if first == "" {
		return ""
	}
	if i := strings.LastIndex(last, "!"); i >= 0 && last != first {
		return first + ":" + last[i+1:]
	}
	return first
}

// organisation names the body whose register this is from what the file
// itself says: the document title, the sheet's name, the lines above the
// header. Never from the file path.
func organisation(doc *registre.Document, reg register) string {
	for _, s := range append([]string{doc.Title, reg.sheet}, reg.above...) {
		if o := labels.Organisation(s); o != "" {
			return o
		}
	}
	return ""
}

type fieldValue struct {
	field registre.Field
	v     registre.RawValue
}

// reAttachment splits "Acte réglementaire pdf - 119.09 Ko" into the
// document's label and what follows it (format and size), as the page's
// link text and size span are split.
var reAttachment = regexp.MustCompile(`(?i)^(.*?\S)\s*((?:-\s*)?(?:pdf|docx?|odt|xlsx?|zip)\b.*|\d+(?:[.,]\d+)?\s*[kmg]o\b.*)$`)

// cellValues reads one cell: list columns give one value per line,
// attachments one per " | "-separated document, "Interne : …" / "Externe
// : …" lines of a recipients column go to their own fields.
func cellValues(doc *registre.Document, c registre.Cell, col column) []fieldValue {
	var out []fieldValue
	add := func(f registre.Field, label string, start, end int, path string) registre.RawValue {
		start, end = trim(doc.Text, start, end)
		v := registre.RawValue{Text: doc.Text[start:end], Start: start, End: end, Locator: path, Label: label, Method: registre.MethodRule, Confidence: 1}
		if start < end {
			out = append(out, fieldValue{f, v})
		}
		return v
	}
	for _, b := range c.Blocks {
		if b.Start >= b.End || b.End > len(doc.Text) {
			continue
		}
		text := doc.Text[b.Start:b.End]
		switch {
		case col.field == registre.FieldAttachments:
			off := 0
			parts := strings.Split(text, " | ")
			for _, part := range parts {
				s, e := b.Start+off, b.Start+off+len(part)
				off += len(part) + len(" | ")
				s, e = trim(doc.Text, s, e)
				if s >= e {
					continue
				}
				v := registre.RawValue{Text: doc.Text[s:e], Start: s, End: e, Locator: b.Path, Label: col.label, Method: registre.MethodRule, Confidence: 1}
				if m := reAttachment.FindStringSubmatchIndex(v.Text); m != nil {
					v.Size = v.Text[m[4]:m[5]]
					v.End = s + m[3]
					v.Text = doc.Text[s:v.End]
				}
				if len(parts) == 1 && len(b.Links) == 1 {
					// The cell links its one document.
					v.Href = b.Links[0].Href
				}
				out = append(out, fieldValue{registre.FieldAttachments, v})
			}
		case listFields[col.field] || strings.Contains(text, "\n"):
			off := 0
			for _, line := range strings.Split(text, "\n") {
				s, e := b.Start+off, b.Start+off+len(line)
				off += len(line) + 1
				f, label := col.field, col.label
				if col.field == registre.FieldRecipients || col.field == registre.FieldRecipientsInternal || col.field == registre.FieldRecipientsExternal {
					if sf, lab, vs, ok := labels.Split(line); ok && (sf == registre.FieldRecipientsInternal || sf == registre.FieldRecipientsExternal || sf == registre.FieldTransfers) {
						f, label, s = sf, lab, s+vs
					}
				}
				if !listFields[col.field] && f == col.field {
					// A scalar written on several lines stays one value.
					add(f, label, b.Start, b.End, b.Path)
					break
				}
				add(f, label, s, e, b.Path)
			}
		default:
			add(col.field, col.label, b.Start, b.End, b.Path)
		}
	}
	return out
}

// trim narrows [start, end) of text to its non-blank part.
func trim(text string, start, end int) (int, int) {
	for start < end {
		r, n := utf8.DecodeRuneInString(text[start:end])
		if !unicode.IsSpace(r) && r != '\u00a0' && r != '\u202f' {
			break
		}
		start += n
	}
	for end > start {
		r, n := utf8.DecodeLastRuneInString(text[start:end])
		if !unicode.IsSpace(r) && r != '\u00a0' && r != '\u202f' {
			break
		}
		end -= n
	}
	return start, end
}
