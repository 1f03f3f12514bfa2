// Package decision parses legacy regulatory decisions ("actes
// réglementaires") of the CNIL era, like the CCMSA decision 14-04: a title
// "Décision n°…", "Vu …" visas, "décide :", then "Article 1er … Article N"
// whose contents are the Art. 30 elements (purpose, data, recipients,
// rights, controllers), the national signatures and, often, a local
// adoption formula by which one caisse declares its processing conforms to
// the decision. The record is the adopting caisse's processing, linked to the
// national decision through lineage and regulatory_act.
package decision

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"registre"
	"registre/extract/labels"
)

// Layout is the name recorded on every record of this layout.
const Layout = "decision"

// Parser implements extract.Parser.
type Parser struct{}

// Name implements extract.Parser.
func (Parser) Name() string { return Layout }

// Confidence of the values: articles are read by their wording, which is
// stable in these acts but less explicit than a register's labels.
const (
	confExplicit = 0.9  // a value named by its own phrase ("Les destinataires … sont")
	confArticle  = 0.8  // a whole article or list item
	confPosition = 0.55 // an article classified only by its number
)

var (
	titleRe    = regexp.MustCompile(`(?i)^(d[ée]cision|d[ée]lib[ée]ration|arr[êe]t[ée]|acte r[ée]glementaire)\b(?:[^.]{0,40}?\bn\s*[°ºo]\s*([0-9][0-9A-Za-z./-]*))?`)
	quotedRe   = regexp.MustCompile(`traitements?\s+(?:automatis[ée]s?\s+)?(?:d[ée]nomm[ée]s?\s+|intitul[ée]s?\s+|appel[ée]s?\s+)?(«[^»]{1,80}»)`)
	visaRe     = regexp.MustCompile(`^Vu\s`)
	decideRe   = regexp.MustCompile(`(?i)^(d[ée]cide|arr[êe]te|d[ée]cident|d[ée]lib[èe]re)\s*:?\s*$`)
	articleRe  = regexp.MustCompile(`(?i)^article\s+(1\s*er|premier|\d+)(?:\s*(?:er|ère))?\s*[:.–-]?\s*`)
	placeRe    = regexp.MustCompile(`^(?:Fait\s+)?(?:[àÀ]|A)\s+([\p{Lu}][\p{L}' -]*?)\s*,\s*le\b\s*(.*)$`)
	dateRe     = regexp.MustCompile(`\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b|\b(1er|\d{1,2})\s+(janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre)\s+(\d{4})\b`)
	adoptionRe = regexp.MustCompile(`(?i)mis\s+en\s+(?:œ|oe)uvre\s+par\s+(l[ae]\s+|l'|les\s+)?(.+?)\s+(?:est|sont)\s+conformes?\s+(?:aux\s+dispositions\s+de\s+la\s+d[ée]cision|à\s+la\s+d[ée]cision)`)
	reCreation = regexp.MustCompile(`^(?:.*\b(?:portant|relative? a la|de)\s+)?(?:la\s+)?creation d(?:e |')(?:l'|un |du )?traitement`)
	subjectRe  = regexp.MustCompile(`(?i)\b(?:concernant|portant\s+sur|relati(?:f|fs|ve|ves)\s+(?:à|au|aux))\s+(?:les\s+|le\s+|la\s+|l')?`)
)

// Detect implements extract.Parser: the shape of an act, not one word.
func (Parser) Detect(doc *registre.Document) float64 {
	ls := lines(doc)
	var title, vu, loi, decide, article1, articles bool
	nArticles, nVu := 0, 0
	for _, l := range ls {
		t := l.text
		switch {
		case titleRe.MatchString(t):
			title = true
		case visaRe.MatchString(t):
			nVu++
			vu = true
			if strings.Contains(labels.Fold(t), "78-17") {
				loi = true
			}
		case decideRe.MatchString(t):
			decide = true
		case articleRe.MatchString(t):
			nArticles++
			m := articleRe.FindStringSubmatch(t)
			if n := strings.ToLower(strings.ReplaceAll(m[1], " ", "")); n == "1er" || n == "premier" || n == "1" {
				article1 = true
			}
		}
	}
	articles = nArticles >= 2
	score := 0.0
	if title {
		score += 0.25
	}
	if vu && nVu >= 2 {
		score += 0.15
	}
	if loi {
		score += 0.1
	}
	if decide {
		score += 0.2
	}
	if article1 && articles {
		score += 0.3
	}
	// Without articles there is nothing to read as fields.
	if !articles {
		score = min(score, 0.3)
	}
	return min(score, 1)
}

// section is a part of the act: the header, a visa, an article, the
// signatures, the adoption formula.
type section struct {
	kind  string // "header", "title", "visa", "decide", "article", "signature", "adoption", "place"
	num   int    // article number
	paras []para
}

// Extract implements extract.Parser.
func (p Parser) Extract(ctx context.Context, doc *registre.Document) ([]registre.RawRecord, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	secs := split(lines(doc))
	var title *section
	for i := range secs {
		if secs[i].kind == "title" {
			title = &secs[i]
			break
		}
	}
	var arts []*section
	for i := range secs {
		if secs[i].kind == "article" {
			arts = append(arts, &secs[i])
		}
	}
	if len(arts) == 0 {
		return nil, nil
	}
	b := builder{doc: doc}
	rec := registre.RawRecord{Layout: Layout}

	issuer := ""
	for _, s := range secs {
		if s.kind == "header" || s.kind == "title" {
			for _, pp := range s.paras {
				if o := labels.Organisation(pp.text()); o != "" && issuer == "" {
					issuer = o
				}
			}
		}
	}

	// Title → name, reference, regulatory act, lineage.
	number := ""
	if title != nil {
		tp := title.paras[0]
		for _, extra := range title.paras[1:] {
			tp.lines = append(tp.lines, extra.lines...)
		}
		t := tp.text()
		m := titleRe.FindStringSubmatchIndex(t)
		rec.DocumentTitle = t
		b.add(&rec, registre.FieldRegulatoryAct, tp, 0, len(t), "", "titre", confExplicit)
		if m[4] >= 0 {
			number = strings.TrimRight(t[m[4]:m[5]], ".")
			b.add(&rec, registre.FieldReference, tp, m[4], m[4]+len(number), "", "titre", confExplicit)
		}
		// The name is the processing the act is about: what follows
		// "concernant" ("relative à un traitement … concernant les services
		// sécurisés extranet …"), else the whole title.
		ns := 0
		if q := quotedRe.FindStringSubmatchIndex(t); q != nil {
			// a processing named in quotes: « ESOPE » de gestion …
			ns = q[2]
		}
		for _, sm := range subjectRe.FindAllStringIndex(t, -1) {
			if ns > 0 {
				break
			}
			rest := strings.ToLower(t[sm[1]:])
			if strings.HasPrefix(rest, "un traitement") || strings.HasPrefix(rest, "traitement") || reCreation.MatchString(labels.Fold(rest)) {
				continue
			}
			ns = sm[1]
			break
		}
		b.add(&rec, registre.FieldName, tp, ns, len(t), "", "titre", confExplicit)
	}

	// Visas → lineage (legacy formalities) and legal basis (laws, conventions).
	for _, s := range secs {
		if s.kind != "visa" {
			continue
		}
		pp := s.paras[0]
		t := pp.text()
		body := strings.TrimSpace(strings.TrimPrefix(t, "Vu"))
		start := len(t) - len(body)
		end := len(strings.TrimRight(t, " ;,."))
		f := strings.ToLower(labels.Fold(body))
		switch {
		case strings.Contains(f, "cnil") || strings.Contains(f, "commission nationale de l'informatique") || strings.Contains(f, "cil ") || strings.Contains(f, "decision") ||
			strings.Contains(f, "deliberation") || strings.Contains(f, "avis") || strings.Contains(f, "recepisse"):
			b.add(&rec, registre.FieldLineage, pp, start, end, "Vu", "visa", confExplicit)
		case strings.Contains(f, "loi") || strings.Contains(f, "decret") || strings.Contains(f, "arrete") ||
			strings.Contains(f, "code ") || strings.Contains(f, "convention") || strings.Contains(f, "reglement"):
			b.add(&rec, registre.FieldLegalBasis, pp, start, end, "Vu", "visa", confPosition)
		}
	}

	for _, a := range arts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b.article(&rec, a)
	}

	// The adoption formula names the caisse whose processing this is; the
	// national decision it adopted heads the record's lineage.
	org := issuer
	adopted := false
	for _, s := range secs {
		if s.kind != "adoption" {
			continue
		}
		before := org
		b.adoption(&rec, s, &org)
		adopted = adopted || org != before
	}
	if act, ok := rec.First(registre.FieldRegulatoryAct); ok && adopted {
		rec.Fields[registre.FieldLineage] = append([]registre.RawValue{act}, rec.Fields[registre.FieldLineage]...)
	}
	for _, s := range secs {
		if s.kind != "place" {
			continue
		}
		pp := s.paras[0]
		t := pp.text()
		m := placeRe.FindStringSubmatchIndex(t)
		if m == nil {
			continue
		}
		dm := dateRe.FindStringIndex(t[m[4]:])
		if dm == nil {
			continue // "Fait à Bagnolet, le" with the date left blank
		}
		ds, de := m[4]+dm[0], m[4]+dm[1]
		iso := isoDate(t[ds:de])
		if iso == "" {
			continue
		}
		// The adoption's date is the local record's date; the national
		// signature date only when nothing was adopted locally.
		if rec.DocumentDate == "" || s.num == 1 {
			rec.DocumentDate = iso
			delete(rec.Fields, registre.FieldDocumentDate)
			delete(rec.Fields, registre.FieldImplementationDate)
			b.add(&rec, registre.FieldDocumentDate, pp, ds, de, "", "lieu et date", confExplicit)
			if s.num == 1 || !adopted && reCreation.MatchString(labels.Fold(rec.DocumentTitle)) {
				// A caisse adopting an act puts the processing in place
				// from that date; so does the caisse whose own act
				// creates it ("Décision … portant création d'un
				// traitement").
				b.add(&rec, registre.FieldImplementationDate, pp, ds, de, "", "lieu et date", confPosition)
			}
		}
	}
	if org == "" {
		org = labels.Organisation(doc.Text)
	}
	if org == "" {
		org = localCaisse(doc.Text)
	}
	rec.Organisation = org
	if _, ok := rec.First(registre.FieldName); !ok {
		if v, ok := rec.First(registre.FieldPurposes); ok {
			b.addValue(&rec, registre.FieldName, v)
		}
	}
	rec.Key = "decision " + number
	if number == "" {
		if v, ok := rec.First(registre.FieldName); ok {
			rec.Key = labels.Norm(v.Text)
		}
	}
	rec.Locator = "décision"
	if number != "" {
		rec.Locator = "décision n°" + number
	}
	rec.Pages = pages(secs)
	// A record needs a purpose and another Art. 30 element.
	if _, ok := rec.First(registre.FieldPurposes); !ok {
		return nil, nil
	}
	return []registre.RawRecord{rec}, nil
}

// split cuts the lines into paragraphs and sections.
func split(ls []line) []section {
	var secs []section
	cur := &section{kind: "header"}
	push := func(kind string) {
		if len(cur.paras) > 0 || cur.kind == "article" {
			secs = append(secs, *cur)
		}
		cur = &section{kind: kind}
	}
	afterSignature, adoptionDone := false, false
	var prev *line
	for i := range ls {
		l := &ls[i]
		t := l.text
		anchor := ""
		switch {
		case len(secs) == 0 && cur.kind == "header" && titleRe.MatchString(t):
			anchor = "title"
		case visaRe.MatchString(t):
			anchor = "visa"
		case decideRe.MatchString(t):
			anchor = "decide"
		case articleRe.MatchString(t):
			anchor = "article"
		case placeRe.MatchString(t):
			anchor = "place"
		case strings.HasPrefix(t, "«") && afterSignature || adoptionRe.MatchString(labels.Fold(t)) && !strings.HasPrefix(t, "Vu"):
			anchor = "adoption"
		}
		if anchor == "" && cur.kind == "title" && len(cur.paras) > 0 && !endsSentence(prev.text) && prev.kind == l.kind && (startsLower(l.text) || l.block == prev.block) {
			// a title wrapped over several lines (PDF)
			cur.paras[len(cur.paras)-1].lines = append(cur.paras[len(cur.paras)-1].lines, *l)
			prev = l
			continue
		}
		if anchor == "" && cur.kind == "title" {
			anchor = "header"
		}
		if anchor != "" {
			switch anchor {
			case "place":
				num := 0
				if cur.kind == "adoption" || adoptionDone {
					num = 1 // the local adoption's place and date
				}
				push("place")
				cur.num = num
				afterSignature = true
			case "article":
				push("article")
				m := articleRe.FindStringSubmatch(t)
				cur.num = articleNum(m[1])
				// The article's text may follow its heading on the line.
				rest := t[len(m[0]):]
				if strings.TrimSpace(rest) != "" {
					cut := len(m[0])
					nl := *l
					nl.text, nl.pos = l.text[cut:], l.pos[cut:]
					cur.paras = append(cur.paras, para{lines: []line{nl}, item: false})
				}
				prev = l
				continue
			case "adoption":
				if cur.kind != "adoption" {
					push("adoption")
				}
				adoptionDone = true
			default:
				push(anchor)
			}
			cur.paras = append(cur.paras, para{lines: []line{*l}, item: l.item, level: l.level})
			prev = l
			continue
		}
		if cur.kind == "place" {
			// the signatures after a place and date
			push("signature")
		}
		if n := len(cur.paras); n > 0 && continues(prev, l, cur.paras[n-1].item) {
			cur.paras[n-1].lines = append(cur.paras[n-1].lines, *l)
		} else {
			cur.paras = append(cur.paras, para{lines: []line{*l}, item: l.item, level: l.level})
		}
		prev = l
	}
	push("")
	return secs
}

// continues says whether l carries on the paragraph prev ended: a wrapped
// line rather than a new paragraph or list item.
func continues(prev, l *line, inItem bool) bool {
	if prev == nil || l.item || l.kind == registre.BlockHeading || prev.kind == registre.BlockHeading {
		return false
	}
	if prev.block == l.block {
		return true
	}
	if inItem {
		return !endsSentence(prev.text) || startsLower(l.text) && !strings.HasSuffix(prev.text, ":")
	}
	return !endsSentence(prev.text)
}

func endsSentence(s string) bool {
	s = strings.TrimRight(s, " ")
	if s == "" {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".;:!?»", r)
}

func startsLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}

func articleNum(s string) int {
	s = strings.ToLower(strings.ReplaceAll(s, " ", ""))
	if s == "1er" || s == "premier" {
		return 1
	}
	n := 0
	fmt.Sscanf(s, "%d", &n)
	return n
}

func pages(secs []section) []int {
	seen := map[int]bool{}
	var out []int
	for _, s := range secs {
		for _, p := range s.paras {
			for _, l := range p.lines {
				if l.page > 0 && !seen[l.page] {
					seen[l.page] = true
					out = append(out, l.page)
				}
			}
		}
	}
	return out
}

// caisseRe finds a local caisse the shared dictionary does not list, as
// acts name their issuer: "CAISSE PRIMAIRE D'ASSURANCE MALADIE DE LA SOMME".
var caisseRe = regexp.MustCompile(`(?i)\bcaisse\s+(primaire|d['’]allocations\s+familiales|g[ée]n[ée]rale\s+de\s+s[ée]curit[ée]\s+sociale|d['’]assurance\s+retraite\s+et\s+de\s+la\s+sant[ée]\s+au\s+travail)(?:\s+d['’]assurance\s+maladie)?\s+(de\s+la|de\s+l['’]|du|des|de|d['’])\s*([\p{L}'’-]+(?:[ -](?:et\s+|de\s+)?[\p{Lu}][\p{L}'’-]*)*)`)

// localCaisse returns "CPAM de la Somme" for such a name, or "".
func localCaisse(text string) string {
	head := text
	if len(head) > 2000 {
		head = head[:2000]
	}
	m := caisseRe.FindStringSubmatch(head)
	if m == nil {
		return ""
	}
	kind := map[string]string{"primaire": "CPAM", "d'allocations familiales": "CAF"}[strings.ToLower(strings.ReplaceAll(m[1], "’", "'"))]
	if kind == "" {
		if strings.HasPrefix(strings.ToLower(m[1]), "g") {
			kind = "CGSS"
		} else {
			kind = "CARSAT"
		}
	}
	// Names are printed in capitals in headers: "DE LA SOMME" → "de la Somme".
	title := func(w string) string {
		parts := strings.Split(strings.ToLower(w), "-")
		for i, p := range parts {
			if p == "" || p == "et" || p == "de" || p == "du" || p == "la" || p == "sur" {
				continue
			}
			r := []rune(p)
			r[0] = unicode.ToUpper(r[0])
			parts[i] = string(r)
		}
		return strings.Join(parts, "-")
	}
	words := strings.Fields(m[3])
	for i, w := range words {
		if lw := strings.ToLower(w); lw == "et" || lw == "de" {
			words[i] = lw
			continue
		}
		words[i] = title(w)
	}
	prep := strings.ToLower(strings.Join(strings.Fields(m[2]), " "))
	if !strings.HasSuffix(prep, "'") && !strings.HasSuffix(prep, "’") {
		prep += " "
	}
	return kind + " " + prep + strings.Join(words, " ")
}

var months = map[string]string{
	"janvier": "01", "fevrier": "02", "février": "02", "mars": "03", "avril": "04", "mai": "05", "juin": "06",
	"juillet": "07", "aout": "08", "août": "08", "septembre": "09", "octobre": "10", "novembre": "11",
	"decembre": "12", "décembre": "12",
}

// isoDate turns "28/07/2014" or "1er mars 1994" into an ISO date.
func isoDate(s string) string {
	m := dateRe.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	var d, mo, y int
	if m[1] != "" {
		fmt.Sscanf(m[1], "%d", &d)
		fmt.Sscanf(m[2], "%d", &mo)
		fmt.Sscanf(m[3], "%d", &y)
	} else {
		if m[4] == "1er" {
			d = 1
		} else {
			fmt.Sscanf(m[4], "%d", &d)
		}
		fmt.Sscanf(months[strings.ToLower(m[5])], "%d", &mo)
		fmt.Sscanf(m[6], "%d", &y)
	}
	if d < 1 || d > 31 || mo < 1 || mo > 12 || y < 1900 || y > 2100 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, mo, d)
}
