package form

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"registre"
	"registre/extract/labels"
)

type fieldValue struct {
	field registre.Field
	v     registre.RawValue
}

// token is one piece of a value: a paragraph (or the rest of a label
// paragraph), located in the document text.
type token struct {
	text       string
	start, end int
	path       string
	page       int
	glyph      *bool // the token is only a checkbox
}

// Instructions printed in value cells of blank templates, Word prompts that
// survived a PDF export, and sub-questions: none of them is a value.
var (
	reInstruction = regexp.MustCompile(`(?i)^(précise[rz]|mentionne[rz]|coche[rz]|indique[rz]|joindre|joignez|veuillez|détaille[rz]|renseigne[rz]|complète[rz]|compléter|il convient|si certaines|si le traitement|si vous|celui qui détermine|les données ne peuvent|au regard du rgpd|souvent première étape)`)
	rePrompt      = regexp.MustCompile(`(?i)^(?:cliquez|cliquer|click|appuyez|tap)\b(?:\s+(?:ou|et|or|and)\s+\S+)?(?:\s+(?:ici|here))?\s+(?:pour|to)\b`)
	// Any verb in the imperative addressing whoever fills the form in
	// ("Décrivez la finalité…", "Listez les catégories…"): answers are not
	// written that way. "Chez", "assez" end the same and are no verbs.
	// The verb is followed by its object ("la", "les", "ici"…), so that
	// names ("Suez Eau France") and "Rendez-vous" are not taken for one.
	reImperative = regexp.MustCompile(`(?i)^(\pL{3,}ez)\s+(?:le|la|les|l['’]|un|une|des|du|de|d['’]|au|aux|ici|vos|votre|si|en|ce|cette|ces|pourquoi|comment|quels?|quelles?|toutes?|tous|chaque)\b`)
)

// Template fillers: a value that is only one of these is no value.
var (
	reFiller   = regexp.MustCompile(`^(?:[_.…\-–—\s]{2,}|…|\[[^\]]*\]|<[^>]*>|\{[^}]*\})$`)
	fillerText = map[string]bool{
		"a completer": true, "a remplir": true, "a renseigner": true, "a preciser": true, "a definir": true,
		"xxx": true, "tbd": true, "todo": true, "texte": true, "votre texte ici": true,
	}
)

func isFiller(s string) bool {
	if reFiller.MatchString(s) {
		return true
	}
	return fillerText[labels.Fold(strings.TrimRight(s, ".:!… "))]
}

func isInstruction(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || isFiller(s) {
		return true
	}
	if reInstruction.MatchString(s) || rePrompt.MatchString(s) {
		return true
	}
	if m := reImperative.FindStringSubmatch(s); m != nil {
		if w := labels.Fold(m[1]); w != "chez" && w != "assez" {
			return true
		}
	}
	// A question or an introduction ending with a colon is part of the
	// template, not an answer.
	last, _ := utf8.DecodeLastRuneInString(s)
	return last == '?' || (last == ':' && utf8.RuneCountInString(s) > 3)
}

func isBlank(r rune) bool { return unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f' }

// trimSpan trims blanks around s[start:end] of the document text.
func trimSpan(text string, start, end int) (int, int) {
	for start < end {
		r, n := utf8.DecodeRuneInString(text[start:end])
		if !isBlank(r) {
			break
		}
		start += n
	}
	for end > start {
		r, n := utf8.DecodeLastRuneInString(text[start:end])
		if !isBlank(r) {
			break
		}
		end -= n
	}
	return start, end
}

// tokens flattens an entry's value blocks (nested tables cell by cell).
func tokens(doc *registre.Document, e entry) []token {
	var out []token
	var add func(b registre.Block, skip int)
	add = func(b registre.Block, skip int) {
		if b.Kind == registre.BlockTable {
			for _, row := range b.Rows {
				for _, c := range row {
					for _, cb := range c.Blocks {
						add(cb, 0)
					}
				}
			}
			return
		}
		if b.Kind == registre.BlockPageBreak || b.End > len(doc.Text) || b.Start+skip > b.End {
			return
		}
		s, en := trimSpan(doc.Text, b.Start+skip, b.End)
		if s >= en {
			return
		}
		t := token{text: doc.Text[s:en], start: s, end: en, path: b.Path, page: b.Page}
		if st, ok := glyphOnly(t.text); ok {
			t.glyph = &st
		}
		out = append(out, t)
	}
	for _, sp := range e.spans {
		s, en := trimSpan(doc.Text, sp.start, sp.end)
		if s >= en {
			continue
		}
		t := token{text: doc.Text[s:en], start: s, end: en, page: e.page}
		if st, ok := glyphOnly(t.text); ok {
			t.glyph = &st
		}
		out = append(out, t)
	}
	for i, b := range e.blocks {
		skip := 0
		if i == 0 && e.inline > 0 {
			skip = e.inline
		}
		add(b, skip)
	}
	return out
}

func glyphOnly(s string) (bool, bool) {
	switch strings.TrimSpace(s) {
	case "☐":
		return false, true
	case "☒", "☑":
		return true, true
	}
	return false, false
}

// locator is the element path (DOCX), else the page (PDF).
func locator(path string, page int) string {
	if path == "" && page > 0 {
		return "page " + strconv.Itoa(page)
	}
	return path
}

func isGlyph(r rune) (bool, bool) {
	switch r {
	case '☐':
		return false, true
	case '☒', '☑':
		return true, true
	}
	return false, false
}

// values reads an entry's value: one value per paragraph, checkboxes read
// as the options they tick, "Interne : …" / "Externe : …" lines of a
// recipients cell routed to their own fields.
func values(doc *registre.Document, e entry) []fieldValue {
	toks := tokens(doc, e)
	// A lone checkbox (its own table cell) ticks the option printed just
	// before it, or just after it when it comes first.
	option := make([]*bool, len(toks))
	for i, t := range toks {
		if t.glyph == nil {
			continue
		}
		j := i - 1
		for j >= 0 && (toks[j].glyph != nil || option[j] != nil) {
			j--
		}
		if j < 0 {
			j = i + 1
			for j < len(toks) && toks[j].glyph != nil {
				j++
			}
		}
		if j >= 0 && j < len(toks) {
			option[j] = t.glyph
		}
	}
	var out []fieldValue
	emit := func(f registre.Field, label, text string, start, end int, t token, conf float64) {
		start, end = trimSpan(doc.Text, start, end)
		if start >= end || isInstruction(doc.Text[start:end]) {
			return
		}
		if e.confidence > 0 {
			conf = e.confidence
		}
		out = append(out, fieldValue{f, registre.RawValue{
			Text: doc.Text[start:end], Start: start, End: end, Locator: locator(t.path, t.page), Page: t.page,
			Label: label, Method: registre.MethodRule, Confidence: conf,
		}})
	}
	for i, t := range toks {
		if t.glyph != nil {
			continue
		}
		if option[i] != nil {
			if *option[i] {
				emit(e.field, e.label, t.text, t.start, t.end, t, 0.9)
			}
			continue
		}
		if strings.ContainsAny(t.text, "☐☒☑") {
			for _, o := range inlineOptions(t.text) {
				if o.checked {
					emit(e.field, e.label, "", t.start+o.start, t.start+o.end, t, 0.9)
				}
			}
			continue
		}
		if e.field == registre.FieldRecipients || e.field == registre.FieldRecipientsInternal || e.field == registre.FieldRecipientsExternal {
			if f, lab, vs, ok := labels.Split(t.text); ok && (f == registre.FieldRecipientsInternal || f == registre.FieldRecipientsExternal || f == registre.FieldTransfers) {
				emit(f, lab, "", t.start+vs, t.end, t, 1)
				continue
			}
		}
		emit(e.field, e.label, t.text, t.start, t.end, t, 1)
	}
	return out
}

// option is a checkbox printed inline with its text.
type inlineOption struct {
	start, end int
	checked    bool
}

// inlineOptions reads "☒ oui ☐ non" (box before its text) and "Santé ☒
// NIR ☐" (box after its text).
func inlineOptions(s string) []inlineOption {
	type mark struct {
		at, size int
		on       bool
	}
	var marks []mark
	for i, r := range s {
		if on, ok := isGlyph(r); ok {
			marks = append(marks, mark{i, utf8.RuneLen(r), on})
		}
	}
	if len(marks) == 0 {
		return nil
	}
	var out []inlineOption
	before := strings.TrimSpace(s[:marks[0].at]) == ""
	for k, m := range marks {
		var a, b int
		if before {
			a = m.at + m.size
			b = len(s)
			if k+1 < len(marks) {
				b = marks[k+1].at
			}
		} else {
			a = 0
			if k > 0 {
				a = marks[k-1].at + marks[k-1].size
			}
			b = m.at
		}
		out = append(out, inlineOption{a, b, m.on})
	}
	return out
}
