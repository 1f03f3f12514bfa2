package normalize

import (
	"regexp"
	"strings"

	"registre"
)

// reYesNo matches a yes/no answer at the start of a value, with what follows
// it: "non", "Non.", "NON", "oui : IBBL (prestataire)", "OUI. X", "Oui - X".
var reYesNo = regexp.MustCompile(`^(oui|non|yes|no)\b\s*[:.,;\-–—]*\s*`)

// YesNo reads a yes/no answer with its details: "non" → false, "oui : IBBL
// (prestataire…)" → true + "IBBL (prestataire…)". Declarations of none
// ("aucun", "néant", "N/A") are false. Any other text is not an answer
// (nil) and is returned whole as details.
func YesNo(s string) (*bool, string) {
	s = clean(s)
	if s == "" {
		return nil, ""
	}
	if isNone(s) {
		return registre.Bool(false), ""
	}
	f := fold(s)
	m := reYesNo.FindStringSubmatchIndex(f)
	if m == nil {
		return nil, s
	}
	word := f[m[2]:m[3]]
	// The folded string can be longer than s (ligatures, NBSP are 2 bytes
	// either way); find the details by skipping as many runes as matched.
	details := clean(skipRunes(s, len([]rune(f[:m[1]]))))
	details = strings.TrimLeft(details, ":.,;-–— ")
	yes := word == "oui" || word == "yes"
	return registre.Bool(yes), details
}

// skipRunes returns s without its first n runes.
func skipRunes(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return s[pos:]
		}
		i++
	}
	return ""
}

// Names reads the names a yes/no list field (joint controllers,
// processors) gives: "non" → none, "oui : IBBL (prestataire…)" → ["IBBL
// (prestataire…)"], "Cnam, autres organismes (CPAM)" → two names,
// "DOCTOLIB et APSM. Gestion de l'agenda…" → ["DOCTOLIB", "APSM"], "le
// prestataire ODYSSEY SERVICES. Envoi de SMS…" → ["ODYSSEY SERVICES"]. The
// description after the names is dropped; a bare "oui" names nobody.
func Names(s string) []string {
	s = clean(s)
	if s == "" || isPlaceholder(s) {
		return []string{}
	}
	b, details := YesNo(s)
	switch {
	case b == nil:
		details = s
	case !*b:
		return []string{}
	case details == "":
		return []string{}
	}
	details = cutDescription(details)
	details = stripRole(details)
	// A sentence ("La DNS et la Cnam sont dans une situation de cotraitance
	// au sens de l'article 26 du RGPD") is kept whole: splitting it would
	// invent names.
	if f := " " + fold(details) + " "; len(strings.Fields(f)) > 12 || strings.Contains(f, " sont ") || strings.Contains(f, " est ") || strings.Contains(f, " au sens ") {
		return []string{details}
	}
	out := []string{}
	for _, part := range splitNames(details) {
		part = stripRole(strings.TrimSpace(part))
		if !endsWithAbbrev(part) {
			part = strings.TrimRight(part, ".")
		}
		if part = clean(part); part != "" && !isNone(part) {
			out = append(out, part)
		}
	}
	return out
}

// cutDescription drops what follows the names: a new sentence after ". ".
func cutDescription(s string) string {
	depth := 0
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		case '.':
			if depth == 0 && i+2 < len(s) && s[i+1] == ' ' {
				next := []rune(s[i+2:])[0]
				if isUpper(next) {
					return clean(s[:i+1])
				}
			}
		}
	}
	return s
}

var rolePrefixes = []string{"le prestataire ", "la prestataire ", "les prestataires ", "prestataire ", "prestataires ", "la societe ", "societe ", "le sous-traitant ", "sous-traitant ", "l'editeur ", "editeur "}

func stripRole(s string) string {
	f := fold(s)
	for _, p := range rolePrefixes {
		if strings.HasPrefix(f, p) && len(f) > len(p) {
			return clean(string([]rune(s)[len([]rune(p)):]))
		}
	}
	return s
}

// splitNames splits a list of names on commas, semicolons and slashes
// outside parentheses, and on " et " between names written in capitals
// ("DOCTOLIB et APSM", not "Caisse des Dépôts et Consignations").
func splitNames(s string) []string {
	var parts []string
	depth, start := 0, 0
	rs := []rune(s)
	for i, r := range rs {
		switch r {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		case ',', ';':
			if depth == 0 {
				parts = append(parts, string(rs[start:i]))
				start = i + 1
			}
		}
	}
	parts = append(parts, string(rs[start:]))
	var out []string
	for _, p := range parts {
		sub := splitOutside(p, " et ")
		if len(sub) > 1 {
			all := true
			for _, x := range sub {
				if !hasCapsToken(x) {
					all = false
				}
			}
			if all {
				out = append(out, sub...)
				continue
			}
		}
		out = append(out, p)
	}
	return out
}

// splitOutside splits s on sep where sep is outside parentheses ("H4D
// (fourniture et maintenance…)" is one name).
func splitOutside(s, sep string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '(':
			depth++
		case s[i] == ')' && depth > 0:
			depth--
		case depth == 0 && strings.HasPrefix(s[i:], sep):
			out = append(out, s[start:i])
			start = i + len(sep)
			i += len(sep) - 1
		}
	}
	return append(out, s[start:])
}

func hasCapsToken(s string) bool {
	for _, w := range strings.Fields(s) {
		w = strings.Trim(w, ".,;:()")
		if len([]rune(w)) >= 2 && strings.ToUpper(w) == w && strings.ToLower(w) != w {
			return true
		}
	}
	return false
}

func endsWithAbbrev(s string) bool {
	f := fold(s)
	for _, a := range []string{" ltd.", " inc.", " corp.", " co.", " cie.", " s.a.", " sas.", " plc."} {
		if strings.HasSuffix(f, a) {
			return true
		}
	}
	return false
}

// ParseTransfers reads the transfer answers: the text stays verbatim
// (including a bare "non"), outside_eu comes from the answer or, for free
// text, from what it says about leaving the EU; destinations are the names
// after "oui :"; safeguards are the instruments named (adequacy decision,
// standard contractual clauses, BCR, Privacy Shield, Safe Harbor…).
func ParseTransfers(texts ...string) registre.Transfers {
	t := registre.Transfers{Destinations: []string{}, Safeguards: []string{}}
	if len(texts) == 0 {
		return t
	}
	t.Text = registre.Str(joinLines(texts))
	for _, s := range texts {
		b, details := YesNo(s)
		if b == nil {
			b = outsideEU(s)
		} else if *b && details != "" {
			t.Destinations = append(t.Destinations, details)
		}
		if b != nil && (t.OutsideEU == nil || *b) {
			t.OutsideEU = b
		}
	}
	t.Safeguards = Safeguards(joinLines(texts))
	return t
}

var (
	reNoTransfer   = regexp.MustCompile(`\b(aucun|pas de|ne (?:sont|seront|fait|font)? ?(?:pas|jamais|l'objet d'aucun)|n'est|sans)\b[^.]{0,80}\b(transfer|transmis|envoy|communiqu|heberg)[^.]{0,80}\b(hors|en dehors|exterieur|pays tiers|hors de l'union|hors ue)`)
	reNegWord      = regexp.MustCompile(`\b(aucun|aucune|pas|jamais|ne|n'|sans)\b`)
	reTransferWord = regexp.MustCompile(`(transf[ea]r|transmi|envo[iy]|communiqu|heberg|export|sort)`)
	reOutsideWord  = regexp.MustCompile(`\b(hors|en dehors|exterieur|pays tiers|etranger)\b`)
	reInsideEU     = regexp.MustCompile(`\b(heberg\w*|stock\w*|conserv\w*|situ\w*)\b[^.]{0,60}\b(en france|dans l'union europeenne|au sein de l'union|dans l'ue|en europe|dans l'eee)\b`)
	reOutside      = regexp.MustCompile(`\b(hors (de l')?(ue|union europeenne|eee|europe)|en dehors de l'(union europeenne|ue|eee)|pays tiers|etats-unis|usa|royaume-uni|inde|maroc|tunisie|chine|canada|suisse|israel|japon|coree|bresil|australie|singapour|philippines|madagascar|maurice|senegal|privacy shield|safe harbor|cloud act)\b`)
)

// outsideEU guesses from free text whether data leave the EU: false when it
// says they do not ("aucun transfert hors UE", "hébergées en France"), true
// when it names a third country or a transfer instrument, nil otherwise.
func outsideEU(s string) *bool {
	f := fold(s)
	// "Nous ne transférons aucune donnée en dehors de l'UE": a negation, a
	// transfer word and a place outside the EU in one sentence.
	for _, sent := range strings.FieldsFunc(f, func(r rune) bool { return r == '.' || r == ';' || r == '\n' }) {
		if reNegWord.MatchString(sent) && reTransferWord.MatchString(sent) && reOutsideWord.MatchString(sent) {
			return registre.Bool(false)
		}
	}
	if reNoTransfer.MatchString(f) {
		return registre.Bool(false)
	}
	if reOutside.MatchString(f) {
		return registre.Bool(true)
	}
	if reInsideEU.MatchString(f) {
		return registre.Bool(false)
	}
	return nil
}

var safeguardPatterns = []struct {
	name string
	re   *regexp.Regexp
}{
	{"privacy_shield", regexp.MustCompile(`privacy[ -]?shield|bouclier de protection`)},
	{"safe_harbor", regexp.MustCompile(`safe[ -]?harbou?r|sphere de securite`)},
	{"scc", regexp.MustCompile(`clauses? (contractuelles? types?|types?)|standard contractual clauses|\bcct\b|\bscc\b`)},
	{"bcr", regexp.MustCompile(`\bbcr\b|regles? d'entreprise contraignantes?|binding corporate rules`)},
	{"adequacy", regexp.MustCompile(`decision d'adequation|niveau de protection adequat|adequacy`)},
	{"art49_derogation", regexp.MustCompile(`article 49|art\. ?49`)},
	{"eu_hosting_commitment", regexp.MustCompile(`(heberg\w*|stock\w*)[^.]{0,40}(en france|en europe|dans l'union europeenne|dans l'ue|au sein de l'union)`)},
}

// Safeguards names the transfer instruments a text relies on, as codes:
// adequacy, scc, bcr, art49_derogation, eu_hosting_commitment, and the
// invalidated privacy_shield / safe_harbor (which flags must catch).
func Safeguards(s string) []string {
	f := fold(s)
	out := []string{}
	for _, p := range safeguardPatterns {
		if p.re.MatchString(f) {
			out = append(out, p.name)
		}
	}
	return out
}
