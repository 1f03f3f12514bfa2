package flags

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"registre"
)

var (
	// cnilFormalityRe: prior formalities of loi 78-17 before 2018.
	cnilFormalityRe = regexp.MustCompile(`\b(?:declarations? (?:normale |simplifiee |prealable |ordinaire |interne )?(?:a la |aupres de la |de la |en )?cnil|declarations? (?:normale|simplifiee)s?|(?:n\s?°|numero) (?:de )?(?:declaration |dossier )?cnil\s?:?\s?\d{4,}|cnil\s?(?:n\s?°|numero)\s?:?\s?\d{4,}|dossier cnil|\bns\s?-?\s?\d{2}|recepisses? (?:cnil|de (?:la )?declaration|de la cnil|n\s?°)|(?:enregistree?s?|declaree?s?) (?:a la cnil )?sous le (?:n|numero)\s?°?\s?\d{4,}|n\s?° (?:de )?declaration cnil|autorisations? (?:de la cnil|cnil|n\s?° ?\d)|autorisee?s? par la cnil|avis (?:reput\w+ )?favorable de la cnil|avis reput\w+ favorable|normes? simplifiees?|dispense de declaration|dispense n\s?°|autorisation unique|au-\d{3}|acte reglementaire unique|deliberations? (?:de la )?cnil (?:n\s?°\s?)?(\d{2,4})-\d+)\b`)
	// yearRe finds years in the clause, to tell a post-2018 CNIL decision
	// (still valid: health-research authorisations) from a legacy one.
	yearRe = regexp.MustCompile(`\b(19[7-9]\d|20\d\d)\b`)
	// cilRe: the correspondant informatique et libertés (case-insensitive part).
	cilRe = regexp.MustCompile(`\bcorrespondants? (?:informatique et libertes|i&l|cnil|a la protection des donnees(?: a caractere personnel)?)\b|\bdecisions? cil\b`)
	// cilAcronymRe: "CIL" as written (upper case), on the original text.
	cilAcronymRe = regexp.MustCompile(`\bCIL\b`)
	directiveRe  = regexp.MustCompile(`\b95/46(?:/ce)?\b|\bdirective (?:europeenne |ce |communautaire )?(?:n\s?° ?)?(?:du 24 octobre )?1995\b`)
	// loiArticlesRe: article numbers cited with loi 78-17.
	loiArticlesRe = regexp.MustCompile(`\barticles?\s+((?:\d+(?:\s*(?:,|et|a|-)\s*)?)+)(?:\s*et suivants)?\s*(?:,\s*)?(?:de la |du )?loi (?:n\s?°\s?)?(?:78-17|du 6 janvier 1978|informatique et libertes)`)
	numRe         = regexp.MustCompile(`\d+`)
	// oldOnlyArticles of loi 78-17 that changed meaning with the 2018
	// rewrite: formalities (22-27), information (32), security (34),
	// rights (38-40).
	oldOnlyArticles = map[int]bool{22: true, 23: true, 24: true, 25: true, 26: true, 27: true, 32: true, 34: true, 38: true, 39: true, 40: true}
	renumbering     = time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC)
)

// cnilFormalityLits: every alternative of cnilFormalityRe but the "NS nn"
// one contains one of these words. The regexp over every value of every
// record was the costliest of the flags; a value with none of them cannot
// match (FuzzGates).
var cnilFormalityLits = []string{"cnil", "declaration", "recepisse", "sous le", "autorisation", "favorable", "norme", "dispense", "au-", "acte reglementaire"}

// mayCNILFormality reports whether cnilFormalityRe can match the folded
// text s: one of its words, or "ns" at the start of a word.
func mayCNILFormality(s string) bool {
	for _, l := range cnilFormalityLits {
		if strings.Contains(s, l) {
			return true
		}
	}
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "ns")
		if j < 0 {
			return false
		}
		j += i
		if j == 0 || !isWordByte(s[j-1]) {
			return true
		}
		i = j + 1
	}
	return false
}

// isWordByte: an ASCII word character, as \b sees them.
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

func checkOutdated(r *registre.Record, texts []fieldText) []hit {
	var out []hit
	// OLD-001: legacy CNIL formality, unless the clause is dated after the
	// GDPR (a 2020 CNIL authorisation for health research is current).
	for _, t := range texts {
		f := t.fold()
		if !mayCNILFormality(f.s) {
			continue
		}
		found := false
		for _, sm := range cnilFormalityRe.FindAllStringSubmatchIndex(f.s, -1) {
			ev, s, e := f.clause(sm[0], sm[1])
			if sm[2] >= 0 {
				y, _ := strconv.Atoi(f.s[sm[2]:sm[3]])
				if y < 100 {
					y += 1900
					if y < 1970 {
						y += 100
					}
				}
				if y >= 2018 {
					continue
				}
			}
			if recentYear(foldString(ev)) {
				continue
			}
			out = append(out, hit{rule: "OLD-001", m: match{field: t.field, index: t.index, text: t.text, evidence: ev, start: s, end: e}})
			found = true
			break
		}
		if found {
			break
		}
	}
	// OLD-002: CIL.
	if m, ok := findCIL(texts); ok {
		out = append(out, hit{rule: "OLD-002", m: m})
	}
	// OLD-003: directive 95/46.
	if m, ok := findFirst(directiveRe, texts); ok {
		out = append(out, hit{rule: "OLD-003", m: m})
	}
	// OLD-004: loi 78-17 article numbers from before the 2019 renumbering:
	// any article number when the document predates it, else the articles
	// whose meaning changed.
	d, _, dated := recordDate(r, false)
	early := dated && d.Before(renumbering)
	for _, t := range texts {
		f := t.fold()
		sm := loiArticlesRe.FindStringSubmatchIndex(f.s)
		if sm == nil {
			continue
		}
		old := early
		for _, n := range numRe.FindAllString(f.s[sm[2]:sm[3]], -1) {
			if v, _ := strconv.Atoi(n); oldOnlyArticles[v] {
				old = true
			}
		}
		if !old {
			continue
		}
		ev, s, e := f.clause(sm[0], sm[1])
		out = append(out, hit{rule: "OLD-004", m: match{field: t.field, index: t.index, text: t.text, evidence: ev, start: s, end: e}})
		break
	}
	return out
}

// recentYear reports whether a clause is dated after the GDPR.
func recentYear(folded string) bool {
	for _, y := range yearRe.FindAllString(folded, -1) {
		if v, _ := strconv.Atoi(y); v >= 2019 {
			return true
		}
	}
	return false
}

func findCIL(texts []fieldText) (match, bool) {
	for _, t := range texts {
		if loc := cilAcronymRe.FindStringIndex(t.text); loc != nil {
			f := t.fold()
			// Locate the folded offset of the original match.
			fs := 0
			for fs < len(f.off) && f.off[fs] < loc[0] {
				fs++
			}
			ev, s, e := f.clause(fs, min(fs+3, len(f.s)))
			return match{field: t.field, index: t.index, text: t.text, evidence: ev, start: s, end: e}, true
		}
	}
	return findFirst(cilRe, texts)
}
