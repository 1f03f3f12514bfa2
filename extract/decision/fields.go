package decision

import (
	"regexp"
	"strconv"
	"strings"

	"registre"
	"registre/extract/labels"
)

// builder turns pieces of paragraphs into RawValues with their evidence.
type builder struct {
	doc *registre.Document
}

// add records text[i:j] of p (trimmed of spaces and list punctuation) as a
// value of f.
func (b builder) add(rec *registre.RawRecord, f registre.Field, p para, i, j int, label, where string, conf float64) {
	t := p.text()
	if i < 0 || j > len(t) || i >= j {
		return
	}
	// Trim spaces and the punctuation that ends list items or clauses;
	// keep a closing parenthesis or an ellipsis, which belong to the value.
	for i < j && (t[i] == ' ' || t[i] == ',') {
		i++
	}
	for j > i {
		c := t[j-1]
		if c == ' ' || c == ',' || c == ';' || (c == '.' && !strings.HasSuffix(t[i:j], "...")) || c == ':' {
			j--
			continue
		}
		break
	}
	if i >= j {
		return
	}
	s, e := p.span(i, j)
	v := registre.RawValue{
		Text:       t[i:j],
		Start:      s,
		End:        e,
		Page:       p.page(),
		Label:      label,
		Method:     registre.MethodRule,
		Confidence: conf,
		Locator:    locator(p.page(), where),
	}
	rec.Add(f, v)
}

func (b builder) addValue(rec *registre.RawRecord, f registre.Field, v registre.RawValue) {
	rec.Add(f, v)
}

func locator(page int, where string) string {
	if page > 0 {
		return "page " + strconv.Itoa(page) + ", " + where
	}
	return where
}

var (
	purposeRe    = regexp.MustCompile(`(?i)\ba\s+pour\s+(?:but|objet|objectif|finalit[ée]s?)\s+(?:de\s+|d'|d’)?`)
	finaliteRe   = regexp.MustCompile(`(?i)\bfinalit[ée]s?\s[^:]{0,60}?\b(?:est|sont|:)\s*`)
	createdRe    = regexp.MustCompile(`(?i)^il\s+est\s+(?:cr[ée]{2}|modifi[ée]|mis\s+en\s+(?:œ|oe)uvre|autoris[ée])`)
	accessRe     = regexp.MustCompile(`(?i)\b((?:les|des)\s+(?:agents|personnels|personnes|salari[ée]s|services)\b[^.;]*?),?\s+(?:pourront|peuvent|ont\s+acc[èe]s|acc[èe]dent)`)
	dataIntroRe  = regexp.MustCompile(`(?i)\b(?:informations|donn[ée]es|cat[ée]gories\s+de\s+donn[ée]es)\b[^.:]*?\b(?:sont\s+relatives|concern[ée]es|trait[ée]es|enregistr[ée]es|collect[ée]es|sont\s+les\s+suivantes|portent\s+sur)`)
	dataVerbRe   = regexp.MustCompile(`(?i)^\s*(?:(?:sont|est)(?:\s+(?:relatives|les\s+suivantes))?|concernent|portent\s+sur)?\s*:?\s*`)
	subjectsRe   = regexp.MustCompile(`(?i)\b(?:informations|donn[ée]es)\s+(?:relatives|concernant)\s+(?:aux|au|à\s+la|à\s+l'|à\s+l’|les)\s*([^,.:;]+?)\s+(?:et\s+concern[ée]es|concern[ée]es|qui|sont|font)`)
	recipientsRe = regexp.MustCompile(`(?i)\bdestinataires?\b[^.:]*?\b(?:sont|est|seront)\b[\s,]*(?::\s*)?`)
	internalRe   = regexp.MustCompile(`(?i)^(?:les\s+|le\s+)?(?:agents|personnels?|services|salari[ée]s|collaborateurs|m[ée]decins[-\s]conseils)\b`)
	rightsRe     = regexp.MustCompile(`(?i)droit\s+d'(?:acc[èe]s|opposition)|rectification|articles?\s+(?:3[89]|40)\b|droits?\s+(?:des\s+personnes|d['’]acc[èe]s)|s['’]exerce`)
	contactRe    = regexp.MustCompile(`(?i)(?:en\s+s['’]adressant|s['’]exerce(?:nt)?|s['’]exercer)\s+(?:auprès\s+d[ue]s?\s+|auprès\s+de\s+l['’]|auprès\s+de\s+la\s+|à\s+l['’]|au\s+|à\s+la\s+)`)
	controllerRe = regexp.MustCompile(`(?i),\s+((?:le|la|les)\s+.+?),\s*(?:responsables?|charg[ée]s?)\s+du\s+traitement`)
	underRespRe  = regexp.MustCompile(`(?i)sous\s+la\s+responsabilit[ée]\s+(?:du|de\s+la|de\s+l['’]|des)\s+`)
	qualifierRe  = regexp.MustCompile(`(?i)^\s*,?\s*(?:dans\s+la\s+limite\s+de\s+(?:leurs|ses|son)\s+attributions?|chacun\s+pour\s+ce\s+qui\s+le\s+concerne|en\s+tant\s+que\s+de\s+besoin|selon\s+leurs\s+habilitations)\s*,\s*`)
	keptRe       = regexp.MustCompile(`(?i)^(?:les|ces|vos)\s+(?:donn[ée]es|informations)\b[^.]{0,60}?\b(?:sont|seront)\s+conserv[ée]es\s+(?:pendant\s+|durant\s+)?`)
	retentionRe  = regexp.MustCompile(`(?i)\bconserv[ée]e?s?(?:\s|$)|dur[ée]e\s+de\s+conservation`)
	securityRe   = regexp.MustCompile(`(?i)mesures\s+de\s+s[ée]curit[ée]|s[ée]curit[ée]\s+des\s+donn[ée]es`)
)

// kinds of article content.
const (
	artPurpose    = "purpose"
	artData       = "data"
	artRecipients = "recipients"
	artRights     = "rights"
	artExecution  = "execution"
	artRetention  = "retention"
	artSecurity   = "security"
)

// classify says what an article is about from its wording; the usual
// order of these acts (1 purpose, 2 data, 3 recipients, 4 rights,
// 5 execution) is only the fallback.
func classify(a *section) (string, float64) {
	var all strings.Builder
	for _, p := range a.paras {
		all.WriteString(p.text() + " ")
	}
	t := all.String()
	switch {
	case purposeRe.MatchString(t) || createdRe.MatchString(strings.TrimSpace(t)):
		return artPurpose, confArticle
	case strings.HasPrefix(strings.ToLower(labels.Fold(t)), "les destinataires") || recipientsRe.MatchString(t) && !dataIntroRe.MatchString(t):
		return artRecipients, confArticle
	case dataIntroRe.MatchString(t):
		return artData, confArticle
	case controllerRe.MatchString(t) || strings.Contains(strings.ToLower(t), "de l'exécution de la présente"):
		return artExecution, confArticle
	case rightsRe.MatchString(t):
		return artRights, confArticle
	case retentionRe.MatchString(t):
		return artRetention, confArticle
	case securityRe.MatchString(t):
		return artSecurity, confArticle
	}
	switch a.num {
	case 1:
		return artPurpose, confPosition
	case 2:
		return artData, confPosition
	case 3:
		return artRecipients, confPosition
	case 4:
		return artRights, confPosition
	}
	return "", 0
}

// article reads one article into the record.
func (b builder) article(rec *registre.RawRecord, a *section) {
	kind, conf := classify(a)
	where := "Article " + strconv.Itoa(a.num)
	label := where
	switch kind {
	case artPurpose:
		found := false
		for _, p := range a.paras {
			t := p.text()
			if p.item {
				continue
			}
			if m := purposeRe.FindStringIndex(t); m != nil {
				b.add(rec, registre.FieldPurposes, p, m[1], len(t), label, where, conf)
				found = true
			} else if m := finaliteRe.FindStringIndex(t); m != nil {
				b.add(rec, registre.FieldPurposes, p, m[1], len(t), label, where, conf)
				found = true
			}
			if m := accessRe.FindStringSubmatchIndex(t); m != nil {
				b.add(rec, registre.FieldPersonsWithAccess, p, m[2], m[3], label, where, confArticle)
			}
		}
		if !found {
			// An act that only "creates" the processing: its first
			// sentence is the purpose statement there is.
			for _, p := range a.paras {
				if !p.item {
					b.add(rec, registre.FieldPurposes, p, 0, len(p.text()), label, where, confPosition)
					break
				}
			}
		}
		// The functions listed under the purpose: one sub-purpose per
		// top-level item, its nested items kept with it.
		for _, it := range items(a.paras) {
			b.add(rec, registre.FieldSubPurposes, it, 0, len(it.text()), label, where, conf)
		}
	case artData:
		listed := false
		for _, p := range a.paras {
			t := p.text()
			if p.item {
				b.add(rec, registre.FieldDataCategories, p, listStart(t), len(t), label, where, conf)
				listed = true
				continue
			}
			if m := subjectsRe.FindStringSubmatchIndex(t); m != nil {
				b.add(rec, registre.FieldDataSubjects, p, m[2], m[3], label, where, confArticle)
			}
		}
		if !listed {
			// Categories given in the sentence itself ("… sont relatives à
			// l'identité, à l'adresse et à la santé").
			for _, p := range a.paras {
				t := p.text()
				if m := dataIntroRe.FindStringIndex(t); m != nil {
					cut := m[1]
					if k := dataVerbRe.FindStringIndex(t[cut:]); k != nil {
						cut += k[1]
					}
					b.add(rec, registre.FieldDataCategories, p, cut, len(t), label, where, confPosition)
				}
			}
		}
	case artRecipients:
		for _, p := range a.paras {
			t := p.text()
			if p.item {
				b.add(rec, registre.FieldRecipients, p, listStart(t), len(t), label, where, conf)
				continue
			}
			if m := recipientsRe.FindStringIndex(t); m != nil && m[1] < len(t) {
				// "sont, dans la limite de leurs attributions : A ; B":
				// the recipients follow the colon, one per semicolon.
				start := m[1]
				if k := strings.Index(t[start:], ":"); k >= 0 && k < 60 {
					start += k + 1
				} else if q := qualifierRe.FindStringIndex(t[start:]); q != nil {
					// "sont, dans la limite de leurs attributions, les agents…"
					start += q[1]
				}
				for _, part := range splitOn(t, start, len(t), " ; ") {
					f := registre.FieldRecipients
					if internalRe.MatchString(strings.TrimLeft(t[part[0]:part[1]], " ,")) {
						// the organisation's own staff
						f = registre.FieldRecipientsInternal
					}
					b.add(rec, f, p, part[0], part[1], label, where, confExplicit)
				}
			}
		}
	case artRights:
		for _, p := range a.paras {
			t := p.text()
			b.add(rec, registre.FieldRights, p, 0, len(t), label, where, conf)
			if m := contactRe.FindStringIndex(t); m != nil {
				b.add(rec, registre.FieldRightsContact, p, m[1], clauseEnd(t, m[1]), label, where, confArticle)
			}
		}
	case artExecution:
		for _, p := range a.paras {
			t := p.text()
			if m := controllerRe.FindStringSubmatchIndex(t); m != nil {
				// The leading comma clause may hold several commas; keep
				// the last "le/la/les …" that starts a noun phrase.
				s := m[2]
				b.add(rec, registre.FieldController, p, s, m[3], label, where, confArticle)
			}
		}
	case artRetention:
		for _, p := range a.paras {
			t := p.text()
			start := 0
			if m := keptRe.FindStringIndex(t); m != nil && m[1] < len(t) {
				// the duration after "Les données sont conservées"
				start = m[1]
			}
			b.add(rec, registre.FieldRetention, p, start, len(t), label, where, conf)
		}
	case artSecurity:
		for _, p := range a.paras {
			b.add(rec, registre.FieldSecurity, p, 0, len(p.text()), label, where, conf)
		}
	}
}

// adoption reads the local adoption formula: which caisse, under whose
// responsibility, where its people exercise their rights.
func (b builder) adoption(rec *registre.RawRecord, s section, org *string) {
	where := "adoption locale"
	for _, p := range s.paras {
		t := p.text()
		if m := adoptionRe.FindStringSubmatchIndex(t); m != nil {
			name := t[m[4]:m[5]]
			if o := labels.Organisation(name); o != "" {
				*org = o
			} else {
				*org = strings.TrimSpace(name)
			}
		}
		if m := underRespRe.FindStringIndex(t); m != nil {
			end := m[1]
			if k := strings.Index(strings.ToLower(t[m[1]:]), " pour ce qui"); k >= 0 {
				end = m[1] + k
			} else {
				end = clauseEnd(t, m[1])
			}
			delete(rec.Fields, registre.FieldController) // the local controller replaces the national ones
			b.add(rec, registre.FieldController, p, m[1], end, "", where, confArticle)
		}
		if rightsRe.MatchString(t) {
			// The local rights statement comes first: it is the one that
			// applies to this caisse's record.
			prevRights := rec.Fields[registre.FieldRights]
			prevContact := rec.Fields[registre.FieldRightsContact]
			delete(rec.Fields, registre.FieldRights)
			delete(rec.Fields, registre.FieldRightsContact)
			b.add(rec, registre.FieldRights, p, strings.IndexFunc(t, isWordStart), len(strings.TrimRight(t, " .»")), "", where, confArticle)
			if m := contactRe.FindStringIndex(t); m != nil {
				b.add(rec, registre.FieldRightsContact, p, m[1], clauseEnd(t, m[1]), "", where, confArticle)
			}
			rec.Fields[registre.FieldRights] = append(rec.Fields[registre.FieldRights], prevRights...)
			if len(rec.Fields[registre.FieldRightsContact]) == 0 {
				// the national act's contact only when the caisse names none
				rec.Fields[registre.FieldRightsContact] = prevContact
			}
		}
	}
}

func isWordStart(r rune) bool { return r != '«' && r != ' ' && r != '"' && r != '\u00a0' }

// clauseEnd is the end of the clause starting at i: the next sentence end
// (a period followed by a space or the end of text, not one inside "etc.").
func clauseEnd(t string, i int) int {
	for k := i; k < len(t); k++ {
		switch t[k] {
		case ';':
			return k
		case '.':
			if k+1 == len(t) || t[k+1] == ' ' || t[k+1] == '"' {
				return k
			}
		}
	}
	return len(strings.TrimRight(t, " »\""))
}

// splitOn cuts t[i:j] on sep, returning the pieces' bounds.
func splitOn(t string, i, j int, sep string) [][2]int {
	var out [][2]int
	for i < j {
		k := strings.Index(t[i:j], sep)
		if k < 0 {
			break
		}
		out = append(out, [2]int{i, i + k})
		i += k + len(sep)
	}
	return append(out, [2]int{i, j})
}

// listStart skips the connective of the last list item ("et à
// l'historique…"), which belongs to the sentence, not to the category.
func listStart(t string) int {
	for _, p := range []string{"et ", "ou "} {
		if strings.HasPrefix(t, p) {
			return len(p)
		}
	}
	return 0
}

// items groups list items: a top-level item with the nested items after it.
func items(ps []para) []para {
	var out []para
	base := -1
	for _, p := range ps {
		if !p.item {
			base = -1
			continue
		}
		if base < 0 || p.level <= base || len(out) == 0 {
			base = p.level
			out = append(out, para{lines: append([]line(nil), p.lines...), item: true, level: p.level})
			continue
		}
		last := &out[len(out)-1]
		last.lines = append(last.lines, p.lines...)
	}
	return out
}
