package generic

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"registre"
	"registre/extract/labels"
)

// listFields take one value per paragraph, list item or cell block; the
// other fields are one text.
var listFields = map[registre.Field]bool{
	registre.FieldPurposes: true, registre.FieldSubPurposes: true, registre.FieldDataSubjects: true,
	registre.FieldDataCategories: true, registre.FieldRecipients: true, registre.FieldRecipientsInternal: true,
	registre.FieldRecipientsExternal: true, registre.FieldPersonsWithAccess: true, registre.FieldProcessors: true,
	registre.FieldSecurity: true, registre.FieldJointControllers: true, registre.FieldAttachments: true,
	registre.FieldLineage: true,
}

// maxPending bounds how many blocks a label paragraph governs when no other
// label or heading follows (a stray label must not swallow a page).
const maxPending = 12

// bullets printed in the text by PDF and Word conversions.
var bullets = []string{"•", "◦", "▪", "·", "- ", "* ", "+ ", "– "}

// walk reads the document's blocks into entries.
func walk(doc *registre.Document) []entry {
	var out []entry
	var pending registre.Field
	pendingLabel, pendingLeft := "", 0
	page, nHeading, nTable, nBlock := 0, 0, 0, 0
	blocks := lineBlocks(doc)
	for bi, b := range blocks {
		if b.Start < 0 || b.End > len(doc.Text) || b.Start > b.End {
			continue
		}
		switch b.Kind {
		case registre.BlockPageBreak:
			page = b.Page
			continue
		case registre.BlockTable:
			nTable++
			pending = ""
			out = append(out, tableEntries(doc, b, locator(b, nTable, pageOf(b, page)), pageOf(b, page))...)
			continue
		case registre.BlockHeading:
			nHeading++
		default:
			nBlock++
		}
		pg := pageOf(b, page)
		loc := locator(b, nBlock, pg)
		if b.Kind == registre.BlockHeading {
			loc = locator(b, nHeading, pg)
		}
		c := clean(doc.Text[b.Start:b.End], b.Start)
		item := b.Kind == registre.BlockListItem
		for _, bu := range bullets {
			if strings.HasPrefix(c.s, bu) {
				k := len(bu)
				for k < len(c.s) && c.s[k] == ' ' {
					k++
				}
				c = c.sub(k, len(c.s))
				item = true
				break
			}
		}
		if c.s == "" {
			continue
		}
		mk := func(f registre.Field, label string, i, j int, conf float64) (entry, bool) {
			i, j = c.trim(i, j)
			if i >= j || !meaningful(c.s[i:j]) {
				return entry{}, false
			}
			s, e := c.span(i, j)
			return entry{kind: entField, field: f, fromLabel: conf >= confLabel, locator: loc, page: pg,
				value: registre.RawValue{Text: c.s[i:j], Start: s, End: e, Locator: loc, Page: pg,
					Label: label, Method: registre.MethodRule, Confidence: conf}}, true
		}

		// A block that is only a label (a label heading, a bold label
		// paragraph, "Durée de conservation :"): the next blocks are its value.
		if f, ok := lookupShort(c.s); ok && f != registre.FieldName {
			pending, pendingLabel, pendingLeft = f, compact(c.s), maxPending
			if b.Kind == registre.BlockHeading {
				out = append(out, entry{kind: entLabelHeading, level: max(b.Level, 1), field: f, text: c.s, locator: loc, page: pg})
			}
			continue
		}
		// "Label : value" on one line.
		if f, lab, vs, ok := labels.Split(c.s); ok {
			pending = ""
			if e, ok := mk(f, compact(lab), vs, len(c.s), confLabel); ok {
				out = append(out, e)
			} else if strings.TrimSpace(c.s[vs:]) == "" {
				pending, pendingLabel, pendingLeft = f, compact(lab), maxPending
			}
			continue
		}
		// A label in bold or <strong> at the start, with no colon.
		if lab, vs, f, ok := inlineLabel(doc, b, c); ok {
			pending = ""
			if e, ok := mk(f, lab, vs, len(c.s), confLabel); ok {
				out = append(out, e)
			}
			continue
		}
		// A numbered line followed by a label line is a record title even
		// when nothing marks it (OCR, plain text): "2. Centre dentaire".
		numbered := !item && pending == "" && b.Kind == registre.BlockParagraph && looksLikeTitle(c.s) &&
			numberedRe.MatchString(c.s) && nextIsLabel(doc, blocks, bi)
		if b.Kind == registre.BlockHeading || (b.Bold && !item && looksLikeTitle(c.s)) || numbered {
			pending = ""
			lvl := b.Level
			if b.Kind != registre.BlockHeading {
				lvl = 6 // a bold line under the real headings
			}
			s, e := c.span(0, len(c.s))
			out = append(out, entry{kind: entHeading, level: max(lvl, 1), text: c.s, locator: loc, page: pg,
				value: registre.RawValue{Start: s, End: e}})
			continue
		}
		if pending != "" && pendingLeft > 0 {
			if !item {
				// a list under a label is all its value; paragraphs
				// are counted so a stray label cannot swallow a page
				pendingLeft--
			}
			if pending == registre.FieldRights {
				// where the rights are exercised, said in the rights text
				for _, e := range prose(c, mk) {
					if e.field == registre.FieldRightsContact {
						out = append(out, e)
					}
				}
			}
			e, ok := mk(pending, pendingLabel, 0, len(c.s), confLabel)
			switch {
			case !ok:
				// An instruction or a placeholder under the label: it is a
				// blank form's field, and what follows (the options to
				// tick) is no value either.
				pendingLeft = 0
			case listFields[pending] || len(out) == 0 || out[len(out)-1].field != pending || !out[len(out)-1].fromLabel:
				out = append(out, e)
			default:
				// A text field over several paragraphs: extend the value.
				last := &out[len(out)-1]
				last.value.Text += "\n" + e.value.Text
				last.value.End = e.value.End
			}
			continue
		}
		pending = ""
		out = append(out, prose(c, mk)...)
	}
	return out
}

// lineBlocks returns the document's blocks with every paragraph that holds
// several "Label : value" lines (a <p> cut by <br>s, a pasted list) split
// into one block per line, so each line reads like a bullet of its own.
// Paragraphs of wrapped prose stay whole.
func lineBlocks(doc *registre.Document) []registre.Block {
	var out []registre.Block
	for _, b := range splitLabelLines(doc) {
		out = append(out, cutFields(doc, b)...)
	}
	return out
}

// nextIsLabel says whether the block after blocks[i] starts with a known
// label ("Finalité : …").
func nextIsLabel(doc *registre.Document, blocks []registre.Block, i int) bool {
	for _, n := range blocks[i+1:] {
		if n.Kind == registre.BlockPageBreak {
			continue
		}
		_, _, _, ok := labels.Split(clean(n.Text, 0).s)
		return ok
	}
	return false
}

// cutFields cuts a paragraph that runs several "Label : value" fields
// together (OCR, flattened pages) into one block per field.
func cutFields(doc *registre.Document, b registre.Block) []registre.Block {
	if b.Kind != registre.BlockParagraph || b.Start < 0 || b.End > len(doc.Text) || b.Start > b.End || doc.Text[b.Start:b.End] != b.Text {
		return []registre.Block{b}
	}
	cuts := labels.Cuts(b.Text)
	if len(cuts) == 0 {
		return []registre.Block{b}
	}
	var out []registre.Block
	prev := 0
	for _, c := range append(cuts, len(b.Text)) {
		part := strings.TrimRight(b.Text[prev:c], " \t\u00a0")
		sub := registre.Block{Kind: b.Kind, Text: part, Start: b.Start + prev, End: b.Start + prev + len(part), Page: b.Page, Path: b.Path}
		for _, l := range b.Labels {
			if l.Start >= sub.Start && l.End <= sub.End {
				sub.Labels = append(sub.Labels, l)
			}
		}
		out = append(out, sub)
		prev = c
	}
	return out
}

// splitLabelLines splits the paragraphs made of several label lines.
func splitLabelLines(doc *registre.Document) []registre.Block {
	out := make([]registre.Block, 0, len(doc.Blocks))
	for _, b := range doc.Blocks {
		if len(b.Runs) > 1 {
			// A PDF paragraph merged from label lines.
			out = append(out, labels.SplitLines(doc, b, nil)...)
			continue
		}
		if b.Kind != registre.BlockParagraph || b.Start < 0 || b.End > len(doc.Text) || b.Start > b.End ||
			!strings.Contains(doc.Text[b.Start:b.End], "\n") {
			out = append(out, b)
			continue
		}
		parts := strings.Split(doc.Text[b.Start:b.End], "\n")
		labelled := 0
		for _, p := range parts {
			if _, _, _, ok := labels.Split(strings.TrimSpace(p)); ok {
				labelled++
			}
		}
		if labelled < 2 {
			out = append(out, b)
			continue
		}
		off := b.Start
		for _, p := range parts {
			sub := registre.Block{Kind: b.Kind, Text: p, Start: off, End: off + len(p), Page: b.Page, Path: b.Path}
			off += len(p) + 1
			for _, l := range b.Labels {
				if l.Start >= sub.Start && l.End <= sub.End {
					sub.Labels = append(sub.Labels, l)
				}
			}
			for _, l := range b.Links {
				if l.Start >= sub.Start && l.End <= sub.End {
					sub.Links = append(sub.Links, l)
				}
			}
			// A line all in <strong> is a bold line (a record title).
			if len(sub.Labels) > 0 && sub.Labels[0].Start == sub.Start &&
				strings.TrimSpace(doc.Text[sub.Labels[0].Start:sub.Labels[0].End]) == strings.TrimSpace(p) {
				sub.Bold = true
			}
			out = append(out, sub)
		}
	}
	return out
}

// lookupShort looks a whole block up as a label; long blocks are text,
// not labels, and are not folded for nothing.
func lookupShort(s string) (registre.Field, bool) {
	if utf8.RuneCountInString(s) > 90 {
		return "", false
	}
	return labels.Lookup(s)
}

func pageOf(b registre.Block, page int) int {
	if b.Page > 0 {
		return b.Page
	}
	return page
}

// looksLikeTitle: a short line without sentence punctuation.
func looksLikeTitle(s string) bool {
	if utf8.RuneCountInString(s) > 120 || strings.Contains(s, ":") {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return !strings.ContainsRune(".;,", r)
}

// inlineLabel finds a known label marked as a label by the source (<strong>,
// bold run) at the start of the block, followed by its value with no colon.
func inlineLabel(doc *registre.Document, b registre.Block, c ctext) (string, int, registre.Field, bool) {
	for _, l := range b.Labels {
		if l.Start != b.Start || l.End > b.End || l.End <= l.Start {
			continue
		}
		lab := strings.TrimSpace(doc.Text[l.Start:l.End])
		f, ok := labels.Lookup(lab)
		if !ok {
			return "", 0, "", false
		}
		for i, p := range c.pos {
			if p >= l.End {
				return compact(lab), i, f, true
			}
		}
	}
	return "", 0, "", false
}

// Sentences of privacy notices that state an element unambiguously: the
// subject is the processing or the data, never "vous" or a document, so
// advice ("vous devez définir la finalité…") and vendor statements do not
// match. The value runs from the end of the match to the end of the
// sentence.
var proseRules = []struct {
	field registre.Field
	need  string // a lower-case word the sentence must contain, checked before the regexp
	re    *regexp.Regexp
}{
	{registre.FieldPurposes, "pour", regexp.MustCompile(`(?i)\b(?:ce|le|ces|les|du|un)\s+traitements?\b[^.]{0,80}?\b(?:a|ont|avait)\s+pour\s+(?:finalit[ée]s?|objet|but|objectifs?)\s*(?::\s*|de\s+|d['’]\s*)?`)},
	{registre.FieldPurposes, "finalit", regexp.MustCompile(`(?i)\b(?:la|les)\s+finalit[ée]s?\s+(?:du|de\s+ce)\s+traitement\s+(?:est|sont)\s*(?::\s*|de\s+|d['’]\s*)?`)},
	{registre.FieldPurposes, "pour", regexp.MustCompile(`(?i)\bvos\s+donn[ée]es(?:\s+personnelles|\s+à\s+caract[èe]re\s+personnel)?\s+sont\s+(?:collect[ée]es|trait[ée]es|utilis[ée]es|recueillies)\s+(?:pour|afin\s+de|afin\s+d['’]|dans\s+le\s+but\s+de)\s+`)},
	{registre.FieldDataCategories, "sont", regexp.MustCompile(`(?i)\b(?:les\s+)?(?:cat[ée]gories\s+de\s+)?donn[ée]es(?:\s+personnelles|\s+à\s+caract[èe]re\s+personnel)?\s+(?:collect[ée]es|trait[ée]es|recueillies|enregistr[ée]es|concern[ée]es)\s+sont\s*:?\s*`)},
	{registre.FieldDataCategories, "nous", regexp.MustCompile(`(?i)\bnous\s+(?:collectons|traitons|recueillons)\s+(?:les\s+donn[ée]es\s+suivantes|vos\s+donn[ée]es\s+suivantes)\s*:?\s*`)},
	{registre.FieldDataSubjects, "concern", regexp.MustCompile(`(?i)\bles\s+personnes\s+concern[ée]es\s+(?:par\s+ce\s+traitement\s+)?sont\s*:?\s*`)},
	{registre.FieldRecipients, "destinataires", regexp.MustCompile(`(?i)\b(?:les\s+)?destinataires\s+(?:des\s+donn[ée]es\s+|de\s+ces\s+donn[ée]es\s+|de\s+vos\s+donn[ée]es\s+)?sont\s*:?\s*`)},
	{registre.FieldRecipients, "aux", regexp.MustCompile(`(?i)\b(?:elles|vos\s+donn[ée]es|les\s+donn[ée]es|ces\s+donn[ée]es)\s+(?:sont|seront)\s+(?:uniquement\s+|exclusivement\s+)?(?:destin[ée]es|transmises|communiqu[ée]es)\s+(?:uniquement\s+|exclusivement\s+)?(?:à|aux|au)\s+`)},
	{registre.FieldPersonsWithAccess, "habilit", regexp.MustCompile(`(?i)\bles\s+personnes\s+habilit[ée]es\s+à\s+acc[ée]der\s+aux\s+donn[ée]es\s+sont\s*:?\s*`)},
	{registre.FieldRetention, "conserv", regexp.MustCompile(`(?i)\b(?:elles|vos\s+donn[ée]es|les\s+donn[ée]es|ces\s+donn[ée]es|ces\s+informations|les\s+informations)\b[^.]{0,40}?\b(?:sont|seront)\s+conserv[ée]es\s+`)},
	{registre.FieldRetention, "conservation", regexp.MustCompile(`(?i)\bla\s+dur[ée]e\s+de\s+conservation\s+(?:des\s+donn[ée]es\s+(?:collect[ée]es\s+)?)?(?:est|sera)\s+(?:de\s+|d['’]\s*)?`)},
	{registre.FieldLegalBasis, "sur", regexp.MustCompile(`(?i)\b(?:ce|le)\s+traitement\s+(?:est\s+)?(?:fond[ée]|repose|bas[ée]|s['’]appuie)\s+sur\s+`)},
	{registre.FieldLegalBasis, "sur", regexp.MustCompile(`(?i)\b(?:il|elle)\s+(?:est\s+)?(?:fond[ée]e?|repose|bas[ée]e?)\s+sur\s+`)},
	{registre.FieldLegalBasis, "base", regexp.MustCompile(`(?i)\bla\s+base\s+(?:l[ée]gale|juridique)\s+(?:du\s+traitement\s+|de\s+ce\s+traitement\s+)?est\s*:?\s*`)},
	{registre.FieldProcessors, "sous-traitant", regexp.MustCompile(`(?i)\b(?:notre|le|nos|les)\s+sous-traitants?\s+(?:est|sont)\s*:?\s*`)},
	{registre.FieldRightsContact, "droits", regexp.MustCompile(`(?i)\bvous\s+pouvez\s+exercer\s+(?:vos|ces)\s+droits\s+(?:en\s+(?:vous\s+adressant|[ée]crivant)\s+(?:à\s+l['’]|à\s+la\s+|au\s+|aux\s+|à\s+)|aupr[èe]s\s+(?:du\s+|de\s+la\s+|de\s+l['’]|des\s+|de\s+))`)},
}

// sentenceEnd is the end of the sentence containing position i.
func sentenceEnd(s string, i int) int {
	for k := i; k < len(s); k++ {
		if s[k] == '.' && (k+1 == len(s) || s[k+1] == ' ') {
			// "etc." and "art." do not end a sentence when more follows
			w := s[max(0, k-4):k]
			if strings.HasSuffix(w, "etc") || strings.HasSuffix(w, "art") || strings.HasSuffix(w, " n") {
				continue
			}
			return k
		}
	}
	return len(s)
}

func prose(c ctext, mk func(registre.Field, string, int, int, float64) (entry, bool)) []entry {
	var out []entry
	lower := strings.ToLower(c.s)
	for _, r := range proseRules {
		if !strings.Contains(lower, r.need) {
			continue
		}
		for _, m := range r.re.FindAllStringIndex(c.s, -1) {
			end := sentenceEnd(c.s, m[1])
			if e, ok := mk(r.field, "", m[1], end, confProse); ok {
				out = append(out, e)
			}
		}
	}
	// keep document order within the block
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].value.Start < out[j-1].value.Start; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// tableEntries reads a table: a register (header row of labels, one record
// per row) or label/value rows. A blank form gives nothing.
func tableEntries(doc *registre.Document, t registre.Block, loc string, page int) []entry {
	if len(t.Rows) == 0 {
		return nil
	}
	hdr := make([]registre.Field, len(t.Rows[0]))
	known, key := 0, false
	for j, cell := range t.Rows[0] {
		if f, ok := labels.Lookup(cellText(doc, cell).s); ok {
			hdr[j] = f
			known++
			if f == registre.FieldName || f == registre.FieldPurposes {
				key = true
			}
		}
	}
	if known >= 2 && key && len(t.Rows) > 1 {
		var out []entry
		for i, row := range t.Rows[1:] {
			rloc := loc + " row " + strconv.Itoa(i+2)
			rec := registre.RawRecord{Locator: rloc}
			if page > 0 {
				rec.Pages = []int{page}
			}
			for j, cell := range row {
				if j >= len(hdr) || hdr[j] == "" {
					continue
				}
				lab := compact(cellText(doc, t.Rows[0][j]).s)
				for _, v := range cellValues(doc, cell, hdr[j], lab, rloc, page) {
					rec.Add(hdr[j], v)
				}
			}
			if len(rec.Fields) > 0 {
				out = append(out, entry{kind: entRow, row: &rec, locator: rloc, page: page})
			}
		}
		return out
	}
	// Label/value rows.
	var out []entry
	labelRows, empty := 0, 0
	for i, row := range t.Rows {
		if len(row) < 2 {
			continue
		}
		f, ok := labels.Lookup(cellText(doc, row[0]).s)
		if !ok {
			continue
		}
		labelRows++
		rloc := loc + " row " + strconv.Itoa(i+1)
		lab := compact(cellText(doc, row[0]).s)
		var vals []registre.RawValue
		for _, cell := range row[1:] {
			vals = append(vals, cellValues(doc, cell, f, lab, rloc, page)...)
		}
		if len(vals) == 0 {
			empty++
			continue
		}
		for _, v := range vals {
			out = append(out, entry{kind: entField, field: f, fromLabel: true, value: v, locator: rloc, page: page})
		}
	}
	// A form whose fields are mostly empty (or hold only instructions) is a
	// blank form: it describes no processing, whatever few cells hold.
	if labelRows >= 4 && empty*2 >= labelRows {
		return nil
	}
	return out
}

func cellText(doc *registre.Document, c registre.Cell) ctext {
	if c.Start < 0 || c.End > len(doc.Text) || c.Start > c.End {
		return ctext{}
	}
	return clean(doc.Text[c.Start:c.End], c.Start)
}

// cellValues cuts a cell into values: one per block for list fields, one
// for the whole cell otherwise.
func cellValues(doc *registre.Document, cell registre.Cell, f registre.Field, label, loc string, page int) []registre.RawValue {
	mk := func(c ctext) (registre.RawValue, bool) {
		for _, bu := range bullets {
			if strings.HasPrefix(c.s, bu) {
				c = c.sub(min(len(bu)+1, len(c.s)), len(c.s))
				break
			}
		}
		i, j := c.trim(0, len(c.s))
		if i >= j || !meaningful(c.s[i:j]) {
			return registre.RawValue{}, false
		}
		s, e := c.span(i, j)
		return registre.RawValue{Text: c.s[i:j], Start: s, End: e, Locator: loc, Page: page, Label: label,
			Method: registre.MethodRule, Confidence: confLabel}, true
	}
	var out []registre.RawValue
	if listFields[f] && len(cell.Blocks) > 1 {
		for _, b := range cell.Blocks {
			if b.Kind == registre.BlockTable || b.Start < 0 || b.End > len(doc.Text) || b.Start > b.End {
				continue
			}
			if v, ok := mk(clean(doc.Text[b.Start:b.End], b.Start)); ok {
				out = append(out, v)
			}
		}
		return out
	}
	if v, ok := mk(cellText(doc, cell)); ok {
		out = append(out, v)
	}
	return out
}

// localBody finds a local social-security body the shared dictionary does
// not list ("CPAM de la Gironde", "Caf du Rhône", "Urssaf Bretagne").
var localBodyRe = regexp.MustCompile(`\b(CPAM|Cpam|CAF|Caf|URSSAF|Urssaf|CARSAT|Carsat|CGSS|MSA|DRSM|ELSM|CRAM|CNAV|Cnav|UGECAM|Ugecam)\b(?: (?:de la|de l['’]|des|du|de|d['’]))? ?((?:\p{Lu}[\p{L}'’-]*)(?:[ \x{a0}-]+(?:et |de |du )?\p{Lu}[\p{L}'’-]*){0,3})?`)

func localBody(s string) string {
	m := localBodyRe.FindStringSubmatchIndex(s)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(s[m[0]:m[1]])
}
