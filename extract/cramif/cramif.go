// Package cramif parses bullet registers in the manner of the Cramif web
// page: a title, then a bullet list of "Label : value" fields (recipients
// nested as Interne / Externe / Transfert), then attachment links; the
// controller and DPO are stated once in the page header. The same layout is
// read from HTML, from its text conversion and from the page printed to PDF.
package cramif

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"registre"
	"registre/extract/labels"
)

// Layout is the name recorded on every record of this layout.
const Layout = "cramif-bullets"

// Parser implements extract.Parser.
type Parser struct{}

// Name implements extract.Parser.
func (Parser) Name() string { return Layout }

// item is one line of the register: a block seen through the layout.
type item struct {
	blk    registre.Block
	text   string // block text without a leading bullet
	off    int    // offset of text within blk.Text
	bullet bool
	field  registre.Field
	label  string
	vstart int // value start within text (when field != "")
	page   int
}

// bulletMarks are the list markers PDF and text renderings keep in the
// line, each with the space and NBSP that may follow it (built once: items
// runs on every block of every document).
var bulletMarks = func() (out []struct{ mark, sp, nbsp string }) {
	for _, bu := range []string{"•", "◦", "▪", "-", "–"} {
		out = append(out, struct{ mark, sp, nbsp string }{bu, bu + " ", bu + "\u00a0"})
	}
	return out
}()

func items(doc *registre.Document) []item {
	page := 0
	blocks := make([]registre.Block, 0, len(doc.Blocks))
	for _, b := range doc.Blocks {
		parts := labels.SplitLines(doc, b, looksLikeAttachment)
		if len(parts) > 1 {
			// The lines of one merged PDF paragraph were bullets.
			for i := range parts {
				parts[i].Kind = registre.BlockListItem
			}
		}
		blocks = append(blocks, parts...)
	}
	out := make([]item, 0, len(blocks))
	for _, b := range blocks {
		switch b.Kind {
		case registre.BlockPageBreak:
			page = b.Page
			continue
		case registre.BlockTable:
			continue
		}
		it := item{blk: b, text: b.Text, bullet: b.Kind == registre.BlockListItem, page: b.Page}
		if it.page == 0 {
			it.page = page
		}
		// PDF and text renderings keep the bullet character in the line.
		trimmed := strings.TrimLeft(it.text, " \t\u00a0")
		for _, bu := range bulletMarks {
			if strings.HasPrefix(trimmed, bu.sp) || strings.HasPrefix(trimmed, bu.nbsp) || trimmed == bu.mark {
				it.bullet = true
				trimmed = strings.TrimLeft(trimmed[len(bu.mark):], " \t\u00a0")
				break
			}
		}
		it.off = len(it.text) - len(trimmed)
		it.text = trimmed
		if f, lab, vs, ok := labels.Split(it.text); ok {
			it.field, it.label, it.vstart = f, lab, vs
		}
		out = append(out, it)
	}
	return out
}

// Detect implements extract.Parser: several "Nom du traitement" fields in
// bullets or label lines, each near a purpose field.
func (Parser) Detect(doc *registre.Document) float64 {
	its := items(doc)
	names, purposes, bulleted := 0, 0, 0
	for _, it := range its {
		switch it.field {
		case registre.FieldName:
			names++
			if it.bullet {
				bulleted++
			}
		case registre.FieldPurposes:
			purposes++
		}
	}
	switch {
	case names >= 2 && purposes >= 2 && bulleted*2 >= names:
		return 0.9
	case names >= 1 && purposes >= 1 && bulleted >= 1:
		return 0.55
	}
	return 0
}

var (
	reEmail = regexp.MustCompile(`[\w.+-]+@[\w-]+(\.[\w-]+)+`)
	// An attachment line: "Acte réglementaire pdf - 119.09 Ko",
	// "Engagement de conformité cellule PDP - pdf 158.3 Ko", "Décision ESOPE - pdf".
	reAttachment = regexp.MustCompile(`(?i)(.+?)\s*-?\s*\b(pdf|docx?|xlsx?|odt)\b(\s*-?\s*[\d.,]+\s*[KkMmGg]o)?`)
	// "Partager : …", "Accessibilité : …": a line with its own label is not
	// the continuation of the previous value.
	reUnknownLabel = regexp.MustCompile(`^[\p{L}' ]{1,30}\s?:\s`)
	reSize         = regexp.MustCompile(`(?i)\b\d+(?:[.,]\d+)?\s*[KMG]o\b`)
	reDate         = regexp.MustCompile(`\b(\d{1,2})/(\d{1,2})/(\d{4})\b`)
)

// Extract implements extract.Parser.
func (p Parser) Extract(ctx context.Context, doc *registre.Document) ([]registre.RawRecord, error) {
	its := items(doc)
	starts := recordStarts(its)
	if len(starts) == 0 {
		return nil, nil
	}
	header := its[:starts[0]]
	org := organisation(doc, header)
	docDate := documentDate(header)
	var inherited []struct {
		f registre.Field
		v registre.RawValue
	}
	for i, it := range header {
		if it.field != registre.FieldController && it.field != registre.FieldDPO {
			continue
		}
		for _, v := range partyValues(header, i) {
			inherited = append(inherited, struct {
				f registre.Field
				v registre.RawValue
			}{it.field, v})
		}
	}
	var recs []registre.RawRecord
	for n, s := range starts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		end := len(its)
		if n+1 < len(starts) {
			end = starts[n+1]
		}
		rec := build(its[s:end])
		if rec == nil {
			continue
		}
		rec.Organisation = org
		rec.DocumentTitle = doc.Title
		rec.DocumentDate = docDate
		for _, iv := range inherited {
			rec.Add(iv.f, iv.v)
		}
		recs = append(recs, *rec)
	}
	return recs, nil
}

// recordStarts finds where each record begins: a title line (heading, or a
// line that is neither a field nor an attachment) whose record holds a
// "Nom du traitement" field before the next title. Continuation lines of a
// wrapped value are not titles: no name field follows them before the next
// title.
func recordStarts(its []item) []int {
	isTitle := func(it item) bool {
		if it.field != "" || strings.TrimSpace(it.text) == "" {
			return false
		}
		if it.blk.Kind == registre.BlockHeading {
			return true
		}
		return !it.bullet && len(it.blk.Links) == 0 && !looksLikeAttachment(it.text)
	}
	var cands []int
	for i, it := range its {
		if isTitle(it) {
			cands = append(cands, i)
		}
	}
	var starts []int
	for k, c := range cands {
		next := len(its)
		if k+1 < len(cands) {
			next = cands[k+1]
		}
		// The title must be followed directly by a field.
		if c+1 >= len(its) || its[c+1].field == "" {
			continue
		}
		for _, it := range its[c+1 : next] {
			if it.field == registre.FieldName {
				starts = append(starts, c)
				break
			}
		}
	}
	// Registers without title lines: each name field starts a record.
	if len(starts) == 0 {
		for i, it := range its {
			if it.field == registre.FieldName && it.bullet {
				starts = append(starts, i)
			}
		}
	}
	return starts
}

// build turns the lines of one record into a raw record.
func build(its []item) *registre.RawRecord {
	rec := &registre.RawRecord{Layout: Layout}
	title := its[0]
	body := its
	if title.field == "" {
		body = its[1:]
	} else {
		title = item{}
	}
	rec.Locator = locator(its[0])
	var last *registre.RawValue
	var lastField registre.Field
	// open is the field of a label printed with nothing after it: the
	// unlabelled bullets nested under it are its values (a recipients
	// list without Interne/Externe, data categories as sub-bullets).
	var open registre.Field
	pages := map[int]bool{}
	for _, it := range body {
		// A heading after the fields ends the record (page footers,
		// "Nous contacter"…): only titles start records.
		if it.blk.Kind == registre.BlockHeading && it.field == "" {
			break
		}
		if it.page > 0 && !pages[it.page] {
			pages[it.page] = true
			rec.Pages = append(rec.Pages, it.page)
		}
		switch {
		case it.field != "":
			v, ok := value(it)
			if !ok {
				// A label with nothing after it: a group heading
				// (Destinataire(s) des données), whose labelled children
				// follow, or a field whose values are the sub-bullets.
				last, lastField, open = nil, "", it.field
				continue
			}
			rec.Add(it.field, v)
			vs := rec.Fields[it.field]
			last, lastField, open = &vs[len(vs)-1], it.field, ""
		case it.bullet && (isDocumentLink(it.blk) || reAttachment.MatchString(it.text) && looksLikeAttachment(it.text)):
			for _, a := range attachments(it) {
				rec.Add(registre.FieldAttachments, a)
			}
			last, lastField, open = nil, "", ""
		case strings.TrimSpace(it.text) == "":
		case open != "" && (it.bullet || last == nil) && !reUnknownLabel.MatchString(it.text):
			// An item under an empty label: one more value of that field.
			text := strings.TrimFunc(it.text, isSpace)
			start := it.blk.Start + it.off + strings.Index(it.text, text)
			rec.Add(open, registre.RawValue{
				Text: text, Start: start, End: start + len(text), Locator: locator(it), Page: it.page,
				Label: "(liste)", Method: registre.MethodRule, Confidence: 0.9,
			})
			vs := rec.Fields[open]
			last, lastField = &vs[len(vs)-1], open
		case last != nil && !it.bullet && !reUnknownLabel.MatchString(it.text):
			// A wrapped line (PDF) continues the previous value.
			extra := strings.TrimSpace(it.text)
			last.Text = strings.TrimSpace(last.Text) + " " + extra
			last.End = it.blk.Start + it.off + len(strings.TrimRight(it.text, " \u00a0"))
			last.Confidence = 0.9
			rec.Fields[lastField][len(rec.Fields[lastField])-1] = *last
		}
	}
	if _, ok := rec.First(registre.FieldName); !ok && title.text != "" {
		rec.Add(registre.FieldName, registre.RawValue{
			Text: strings.TrimSpace(title.text), Start: title.blk.Start + title.off,
			End: title.blk.Start + title.off + len(strings.TrimSpace(title.text)), Locator: locator(title),
			Page: title.page, Label: "(titre)", Method: registre.MethodRule, Confidence: 0.8,
		})
	}
	name, ok := rec.First(registre.FieldName)
	if !ok {
		return nil
	}
	rec.Key = labels.Fold(name.Text)
	return rec
}

// value cuts the value of a "Label : value" line, trimmed, with its span.
func value(it item) (registre.RawValue, bool) {
	v := it.text[it.vstart:]
	lead := len(v) - len(strings.TrimLeftFunc(v, isSpace))
	v = strings.TrimFunc(v, isSpace)
	if v == "" {
		return registre.RawValue{}, false
	}
	start := it.blk.Start + it.off + it.vstart + lead
	return registre.RawValue{
		Text: v, Start: start, End: start + len(v), Locator: locator(it), Page: it.page,
		Label: it.label, Method: registre.MethodRule, Confidence: 1,
	}, true
}

func isSpace(r rune) bool { return unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f' }

func locator(it item) string {
	if it.blk.Path != "" {
		return it.blk.Path
	}
	if it.page > 0 {
		return "page " + strconv.Itoa(it.page)
	}
	return ""
}

// isDocumentLink says whether a block's links point at documents (an
// attachment line), not at pages or share buttons.
func isDocumentLink(b registre.Block) bool {
	if len(b.Links) == 0 {
		return false
	}
	for _, l := range b.Links {
		h := strings.ToLower(l.Href)
		if i := strings.IndexAny(h, "?#"); i >= 0 {
			h = h[:i]
		}
		doc := false
		for _, ext := range []string{".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ".rtf", ".zip"} {
			doc = doc || strings.HasSuffix(h, ext)
		}
		if !doc && !reSize.MatchString(l.After) {
			return false
		}
	}
	return true
}

func looksLikeAttachment(s string) bool {
	return reSize.MatchString(s) || strings.HasSuffix(labels.Fold(s), "pdf")
}

// attachments reads the links of an attachment line, or its text when the
// rendering lost the links (text, PDF).
func attachments(it item) []registre.RawValue {
	var out []registre.RawValue
	if len(it.blk.Links) > 0 {
		for _, l := range it.blk.Links {
			out = append(out, registre.RawValue{
				Text: strings.TrimSpace(l.Text), Start: l.Start, End: l.End, Href: l.Href,
				Size: l.After, Locator: locator(it), Page: it.page, Method: registre.MethodRule, Confidence: 1,
			})
		}
		return out
	}
	base := it.blk.Start + it.off
	for _, m := range reAttachment.FindAllStringSubmatchIndex(it.text, -1) {
		label := strings.TrimSpace(it.text[m[2]:m[3]])
		size := strings.TrimSpace(it.text[m[4]:m[1]])
		size = strings.TrimLeft(size, "- ")
		if label == "" {
			continue
		}
		out = append(out, registre.RawValue{
			Text: label, Start: base + m[2], End: base + m[3], Size: size,
			Locator: locator(it), Page: it.page, Method: registre.MethodRule, Confidence: 0.9,
		})
	}
	return out
}

// partyValues reads a header party: the name after the label and an e-mail
// on the same line or the next one.
func partyValues(header []item, i int) []registre.RawValue {
	it := header[i]
	v, ok := value(it)
	if !ok {
		return nil
	}
	v.Inherited = true
	var out []registre.RawValue
	// The name comes first; an e-mail follows on the same line (after a
	// line break in HTML, a space in PDF) or on the next line.
	name, emailSrc, base := v.Text, "", 0
	if loc := reEmail.FindStringIndex(v.Text); loc != nil {
		name, emailSrc, base = v.Text[:loc[0]], v.Text, v.Start
	} else if i+1 < len(header) && header[i+1].field == "" {
		emailSrc, base = header[i+1].text, header[i+1].blk.Start+header[i+1].off
	}
	if name = strings.TrimFunc(name, isSpace); name != "" {
		nv := v
		nv.Text = name
		nv.End = nv.Start + len(name)
		out = append(out, nv)
	}
	if loc := reEmail.FindStringIndex(emailSrc); loc != nil {
		out = append(out, registre.RawValue{
			Text: emailSrc[loc[0]:loc[1]], Start: base + loc[0], End: base + loc[1],
			Locator: v.Locator, Page: v.Page, Label: v.Label, Method: registre.MethodRule,
			Confidence: 1, Inherited: true,
		})
	}
	return out
}

// organisation names the body from the document title and the page header.
func organisation(doc *registre.Document, header []item) string {
	if o := labels.Organisation(doc.Title); o != "" {
		return o
	}
	var sb strings.Builder
	for _, it := range header {
		sb.WriteString(it.blk.Text)
		sb.WriteByte('\n')
	}
	return labels.Organisation(sb.String())
}

// documentDate reads "Mis à jour le 12/10/2020" in the page header.
func documentDate(header []item) string {
	for _, it := range header {
		f := labels.Fold(it.text)
		if !strings.Contains(f, "mis a jour") && !strings.Contains(f, "mise a jour") {
			continue
		}
		if m := reDate.FindStringSubmatch(it.text); m != nil {
			return m[3] + "-" + pad(m[2]) + "-" + pad(m[1])
		}
	}
	return ""
}

func pad(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}
