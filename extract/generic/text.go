package generic

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"registre/extract/cleantext"
)

// ctext is a piece of document text cleaned of inline markup (Markdown
// emphasis, HTML superscripts) and of repeated white space, with the offset
// in Document.Text of every byte, so values cut from it keep exact spans.
type ctext struct {
	s   string
	pos []int
	end int // document offset just after the source text
}

// clean builds the cleaned view of src, which starts at document offset off.
func clean(src string, off int) ctext {
	c := ctext{end: off + len(src)}
	c.s, c.pos = cleantext.Collapse(src, off)
	return c
}

// span maps [i, j) of the clean text to the document.
func (c ctext) span(i, j int) (int, int) {
	if i >= j || i >= len(c.pos) {
		return c.end, c.end
	}
	return c.pos[i], c.pos[j-1] + 1
}

// sub returns the clean text [i, j).
func (c ctext) sub(i, j int) ctext {
	return ctext{s: c.s[i:j], pos: c.pos[i:j], end: c.end}
}

// trim narrows [i, j) to the value proper: no surrounding spaces, no list
// or clause punctuation at the ends (a closing parenthesis or an ellipsis
// belongs to the value).
func (c ctext) trim(i, j int) (int, int) {
	t := c.s
	for i < j {
		r, n := utf8.DecodeRuneInString(t[i:])
		if unicode.IsSpace(r) || strings.ContainsRune(":;,•–-*·", r) {
			i += n
			continue
		}
		break
	}
	for j > i {
		r, n := utf8.DecodeLastRuneInString(t[i:j])
		if unicode.IsSpace(r) || strings.ContainsRune(":;,", r) || r == '.' && !strings.HasSuffix(t[i:j], "...") {
			j -= n
			continue
		}
		break
	}
	return i, j
}

var (
	bracketRe     = regexp.MustCompile(`\[[^\]]*\]|\{[^}]*\}|<[^>]*>`)
	placeholderRe = regexp.MustCompile(`(?i)^(?:cliquez\s+ici|click\s+here|appuyez\s+ici|tapez\s+ici|saisir\s+ici|entrez\s+ici|à\s+compl[ée]ter|a\s+compl[ée]ter|à\s+renseigner|a\s+renseigner|à\s+d[ée]finir|non\s+renseign[ée]|n/?a|x{2,}|tbd|todo|\.\.\.|…)`)
	// Instructions to whoever fills a form, not values: imperatives and
	// modal phrasing addressed to the reader.
	hintRe = regexp.MustCompile(`(?i)(?:^|[\s(])(?:pr[ée]cise[rz]|indique[rz]|mentionne[rz]|coche[rz]|d[ée]taille[rz]|joindre|joignez|veuillez|renseigne[rz]|compl[ée]te[rz]|d[ée]crive[zr]|r[ée]alisez|il\s+convient|vous\s+devez|vous\s+devrez|il\s+peut\s+s['’]agir|doit\s+[êe]tre|doivent\s+[êe]tre|ne\s+peuvent\s+[êe]tre|à\s+d[ée]terminer|a\s+d[ée]terminer)\b`)
)

// meaningful says whether a value says something: not empty, not a form
// placeholder ("Cliquez ici…", "[détail des données]", "____"), not an
// instruction to the person filling the form.
func meaningful(s string) bool {
	t := strings.TrimSpace(bracketRe.ReplaceAllString(s, " "))
	letters := 0
	for _, r := range t {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			letters++
		}
	}
	if letters == 0 {
		return false
	}
	// "de" or "sont" left around a bracketed placeholder is no value.
	if bracketRe.MatchString(s) && letters < 12 {
		return false
	}
	if placeholderRe.MatchString(t) {
		return false
	}
	if strings.ContainsAny(t, "☐□") && !strings.ContainsAny(t, "☒☑■") {
		return false
	}
	// A question ("Une analyse des risques a-t-elle été réalisée ?"), a
	// parenthesis alone ("(hébergement, sous-traitance…)") and an
	// instruction to click or type belong to a form, not to a record.
	if strings.HasSuffix(t, "?") || strings.HasPrefix(t, "(") && strings.HasSuffix(t, ")") || imperativeRe.MatchString(t) {
		return false
	}
	return !hintRe.MatchString(t)
}

var imperativeRe = regexp.MustCompile(`(?i)^(?:cliquer|cliquez|saisir|saisissez|s[ée]lectionner|s[ée]lectionnez|choisir|choisissez|remplir|remplissez|ins[ée]rer|ins[ée]rez|t[ée]l[ée]charger|t[ée]l[ée]chargez)\b`)
