package flags

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// folded is a text lowered and stripped of accents for matching, with a map
// back to the original so that evidence is always quoted verbatim.
type folded struct {
	orig string
	s    string
	// off[i] is the byte offset in orig of the rune that produced s[i];
	// off[len(s)] == len(orig).
	off []int
}

// foldMap turns the accented letters and typographic marks of French
// registers into plain ASCII; everything else is lower-cased.
var foldMap = map[rune]string{
	'à': "a", 'â': "a", 'ä': "a", 'á': "a", 'ã': "a", 'å': "a",
	'ç': "c", 'é': "e", 'è': "e", 'ê': "e", 'ë': "e",
	'î': "i", 'ï': "i", 'í': "i", 'ì': "i",
	'ô': "o", 'ö': "o", 'ó': "o", 'ò': "o", 'õ': "o",
	'ù': "u", 'û': "u", 'ü': "u", 'ú': "u", 'ÿ': "y", 'ñ': "n",
	'œ': "oe", 'æ': "ae",
	'’': "'", '‘': "'", 'ʼ': "'", '`': "'", '´': "'",
	'«': "\"", '»': "\"", '“': "\"", '”': "\"",
	'\u00a0': " ", '\u202f': " ", '\u2009': " ", '\t': " ",
	'‐': "-", '‑': "-", '–': "-", '—': "-",
	'º': "°",
}

func fold(orig string) folded {
	var b strings.Builder
	b.Grow(len(orig))
	off := make([]int, 0, len(orig)+1)
	for i, r := range orig {
		if r < utf8.RuneSelf && r != '`' && r != '\t' {
			// ASCII but the two foldMap entries: lower case, one byte for
			// one byte (most of the text; no map lookup).
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			off = append(off, i)
			b.WriteByte(byte(r))
			continue
		}
		if r == utf8.RuneError {
			continue
		}
		rep, ok := foldMap[unicode.ToLower(r)]
		if !ok {
			rep = string(unicode.ToLower(r))
		}
		for j := 0; j < len(rep); j++ {
			off = append(off, i)
		}
		b.WriteString(rep)
	}
	off = append(off, len(orig))
	return folded{orig: orig, s: b.String(), off: off}
}

// foldString is fold without the offsets.
func foldString(s string) string { return fold(s).s }

// span maps a [start, end) range of the folded text back to the original.
func (f folded) span(start, end int) (int, int) {
	if start < 0 {
		start = 0
	}
	if end > len(f.s) {
		end = len(f.s)
	}
	os, oe := f.off[start], f.off[end]
	// Extend the end over the whole last rune.
	for oe < len(f.orig) && !utf8.RuneStart(f.orig[oe]) {
		oe++
	}
	return os, oe
}

// clause returns the original text of the clause around the folded match
// [start, end): bounded by sentence punctuation or line breaks, trimmed, and
// kept short enough to read in a table.
func (f folded) clause(start, end int) (string, int, int) {
	const maxLen = 240
	a := start
	for a > 0 {
		c := f.s[a-1]
		if c == '\n' || c == ';' {
			break
		}
		if c == '.' && a < len(f.s) && f.s[a] == ' ' && !abbrevBefore(f.s, a-1) {
			break
		}
		a--
	}
	z := end
	for z < len(f.s) {
		c := f.s[z]
		if c == '\n' || c == ';' {
			break
		}
		if c == '.' && (z+1 == len(f.s) || f.s[z+1] == ' ' || f.s[z+1] == '\n') && !abbrevBefore(f.s, z) {
			z++
			break
		}
		z++
	}
	if z-a > maxLen {
		// Keep the match in view.
		a = max(a, start-maxLen/2)
		z = min(z, max(end, a+maxLen))
		// Cut at word boundaries, never inside the match.
		for a < start && a > 0 && f.s[a-1] != ' ' {
			a++
		}
		for z > end && z < len(f.s) && f.s[z] != ' ' {
			z--
		}
	}
	os, oe := f.span(a, z)
	txt := strings.TrimSpace(f.orig[os:oe])
	lead := len(f.orig[os:oe]) - len(strings.TrimLeft(f.orig[os:oe], " \t\n\u00a0"))
	return txt, os + lead, os + lead + len(txt)
}

// abbrevBefore reports whether the dot at i ends an abbreviation such as
// "L." or "n." that must not end a clause.
func abbrevBefore(s string, i int) bool {
	j := i
	for j > 0 && isLetter(s[j-1]) {
		j--
	}
	w := s[j:i]
	switch w {
	case "l", "r", "d", "art", "n", "no", "cf", "p", "al", "ex", "etc", "m", "mme", "dr", "pr", "st":
		return true
	}
	return false
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' }

// placeholders are values that stand for "not filled in".
var placeholders = map[string]bool{
	"": true, "/": true, "-": true, "--": true, "?": true, "nc": true, "n/a": true, "na": true,
	"n.c.": true, "n.a.": true, "x": true, "xx": true, "xxx": true, "...": true, "…": true,
	"a completer": true, "a renseigner": true, "non renseigne": true, "non renseignee": true,
	"non communique": true, "inconnu": true, "vide": true, "tbd": true, "todo": true,
}

// isPlaceholder reports whether a value says nothing: empty, "/", "à compléter"…
func isPlaceholder(s string) bool {
	f := strings.TrimSpace(foldString(s))
	f = strings.Trim(f, " .:;,")
	return placeholders[f]
}

// blank reports whether every value is a placeholder.
func blank(vals []string) bool {
	for _, v := range vals {
		if !isPlaceholder(v) {
			return false
		}
	}
	return true
}

// deref returns *p or "".
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// match is one detector hit inside a field value.
type match struct {
	field string
	index int // item index for list fields, -1 for scalars
	text  string
	// evidence is the clause quoted, and its offsets within the value.
	evidence   string
	start, end int
}

// fieldText is one value of a record that detectors read.
type fieldText struct {
	field string
	index int
	text  string
	fo    *folded // computed once: every detector reads the folded text
}

func newText(field string, index int, text string) fieldText {
	f := fold(text)
	return fieldText{field: field, index: index, text: text, fo: &f}
}

// fold returns the folded value, computing it if the value was built
// without newText.
func (v fieldText) fold() folded {
	if v.fo != nil {
		return *v.fo
	}
	return fold(v.text)
}

// gates lists, for the regexps run over every value of a record, words one
// of which a value must contain to possibly match: a substring test is far
// cheaper than running the regexp on text that cannot match. Read-only.
var gates = map[*regexp.Regexp][]string{
	psRe:            {"shield", "bouclier"},
	safeHarborRe:    {"harbo", "sphere de securite"},
	directiveRe:     {"95"},
	cilRe:           {"correspondant", "decision"},
	loiArticlesRe:   {"78-17", "1978", "informatique et libertes"},
	oldSCCRe:        {"2001", "2004", "2010"},
	euHostingRe:     {"france", "europe", "ue", "eee", "boundary"},
	newSCCRe:        {"2021", "dpf", "bcr", "data privacy framework", "regles d'entreprise contraignantes"},
	art9ExceptionRe: {"9", "consentement", "prise en charge", "medecine", "gestion des systemes", "interet public", "justice", "protection sociale", "responsable"},
}

// mayMatch reports whether re can match s, by its gate.
func mayMatch(re *regexp.Regexp, s string) bool {
	lits, ok := gates[re]
	if !ok {
		return true
	}
	for _, l := range lits {
		if strings.Contains(s, l) {
			return true
		}
	}
	return false
}

// find runs re over the folded values and returns the first hit per value.
func find(re *regexp.Regexp, vals []fieldText) []match {
	var out []match
	for _, v := range vals {
		f := v.fold()
		if !mayMatch(re, f.s) {
			continue
		}
		loc := re.FindStringIndex(f.s)
		if loc == nil {
			continue
		}
		ev, s, e := f.clause(loc[0], loc[1])
		out = append(out, match{field: v.field, index: v.index, text: v.text, evidence: ev, start: s, end: e})
	}
	return out
}

// findFirst is find returning only the first hit.
func findFirst(re *regexp.Regexp, vals []fieldText) (match, bool) {
	for _, v := range vals {
		if m := find(re, []fieldText{v}); len(m) > 0 {
			return m[0], true
		}
	}
	return match{}, false
}

// whole makes a match quoting a whole value.
func whole(v fieldText) match {
	t := strings.TrimSpace(v.text)
	s := strings.Index(v.text, t)
	if s < 0 {
		s = 0
	}
	ev := t
	if len(ev) > 240 {
		cut := 240
		for cut > 0 && !utf8.RuneStart(ev[cut]) {
			cut--
		}
		ev = ev[:cut] + "…"
	}
	return match{field: v.field, index: v.index, text: v.text, evidence: ev, start: s, end: s + len(t)}
}

// tokens splits folded text on non-alphanumerics.
func tokens(s string) []string {
	return strings.FieldsFunc(foldString(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
}
