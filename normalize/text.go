package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// foldTable maps the accented letters French registers use to their base
// letter. A table (rather than Unicode decomposition) keeps byte offsets
// predictable for ASCII and covers ligatures ("œ" → "oe").
var foldTable = map[rune]string{
	'à': "a", 'â': "a", 'ä': "a", 'á': "a", 'ã': "a", 'å': "a",
	'ç': "c",
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e",
	'î': "i", 'ï': "i", 'í': "i", 'ì': "i",
	'ô': "o", 'ö': "o", 'ó': "o", 'ò': "o", 'õ': "o",
	'ù': "u", 'û': "u", 'ü': "u", 'ú': "u",
	'ÿ': "y", 'ý': "y", 'ñ': "n",
	'œ': "oe", 'æ': "ae",
	'\u00a0': " ", '\u202f': " ", '\u2007': " ", '\u2009': " ",
	'’': "'", '‘': "'", 'ʼ': "'", '´': "'", '`': "'",
	'«': "\"", '»': "\"", '“': "\"", '”': "\"",
	'–': "-", '—': "-", '‑': "-", '−': "-",
}

// fold lower-cases s, strips French accents and normalises apostrophes,
// dashes and non-breaking spaces, for matching only (values stay verbatim).
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
			continue
		}
		r = unicode.ToLower(r)
		if rep, ok := foldTable[r]; ok {
			b.WriteString(rep)
			continue
		}
		if r == utf8.RuneError {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// foldKey folds s and collapses every run of non-alphanumerics to one space:
// the shape used for keys and word matching.
func foldKey(s string) string {
	f := fold(s)
	var b strings.Builder
	space := false
	for _, r := range f {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		space = true
	}
	return b.String()
}

// clean trims spaces, including non-breaking ones, around a value. Inner
// text stays verbatim: values are evidence.
func clean(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f' || r == '\ufeff' || r == '\u200b'
	})
}

// isPlaceholder reports whether a value only holds a placeholder that says
// nothing: "/", "-", "…", "?", "xxx", or a form's "Cliquez ici pour taper du
// texte". Such values are treated as absent.
func isPlaceholder(s string) bool {
	f := strings.TrimSpace(fold(s))
	if f == "" {
		return true
	}
	if strings.Trim(f, "/-_.…?*x ") == "" {
		return true
	}
	for _, p := range placeholderPhrases {
		if strings.HasPrefix(f, p) {
			return true
		}
	}
	return false
}

var placeholderPhrases = []string{
	"cliquez ici pour", "cliquer ici pour", "cliquez pour", "cliquer pour",
	"[a completer]", "a completer", "[preciser", "[a preciser", "choisissez un element",
	"tapez le texte", "saisir le texte", "entrez le texte",
}

// isNone reports whether a value declares that there is none ("non", "Non.",
// "aucun", "néant", "N/A", "sans objet", "pas de …" with nothing else): a
// list stated this way is empty, which is not the same as absent.
func isNone(s string) bool {
	f := strings.Trim(foldKey(s), " ")
	switch f {
	case "non", "no", "aucun", "aucune", "aucuns", "aucunes", "neant", "n a", "na", "sans objet",
		"non applicable", "nul", "nulle", "pas de", "rien", "non concerne", "non concernee", "sans":
		return true
	}
	return false
}
