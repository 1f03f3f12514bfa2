package flags

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"registre"
)

// stopwords are dropped before comparing names and purposes.
var stopwords = map[string]bool{
	"le": true, "la": true, "les": true, "l": true, "de": true, "des": true, "du": true, "d": true, "un": true, "une": true,
	"et": true, "ou": true, "a": true, "au": true, "aux": true, "en": true, "dans": true, "par": true, "pour": true, "sur": true,
	"avec": true, "ses": true, "son": true, "sa": true, "leur": true, "leurs": true, "qui": true, "que": true, "est": true,
	"sont": true, "ce": true, "cette": true, "ces": true, "se": true, "afin": true, "ne": true, "pas": true, "plus": true,
	"gestion": true, "gerer": true, "suivi": true, "donnees": true, "traitement": true, "traitements": true, "permettre": true,
}

// contentWords drops stop words and one-letter words from tokens' output.
func contentWords(ws []string) []string {
	var out []string
	for _, t := range ws {
		if !stopwords[t] && len(t) > 1 {
			out = append(out, t)
		}
	}
	return out
}

func normKey(s string) string { return strings.Join(tokens(s), " ") }

// sourceLabel names where a record comes from, for messages.
func sourceLabel(path, locator string) string {
	s := path
	if s == "" {
		s = "source inconnue"
	}
	if locator != "" {
		s += ", " + locator
	}
	return s
}

func dedupSorted(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

func copyVars(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= 160 {
		return s
	}
	cut := 160
	for cut > 0 && (s[cut]&0xC0) == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}

func art6Codes(r *registre.Record) []string {
	set := map[string]bool{}
	for _, lb := range r.LegalBases {
		if strings.HasPrefix(lb.Code, "6-1-") {
			set[lb.Code] = true
		}
	}
	var out []string
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

var unitDays = map[string]float64{"day": 1, "week": 7, "month": 30.44, "year": 365.25}

// maxDays is the longest duration a record states, in days: from the
// normalised periods, else read from the retention text.
func maxDays(r *registre.Record) float64 {
	best := 0.0
	for _, p := range r.Retention.Periods {
		if d := p.Amount * unitDays[p.Unit]; d > best {
			best = d
		}
	}
	if best > 0 {
		return best
	}
	f := foldString(deref(r.Retention.Text))
	for _, m := range durationTermRe.FindAllStringSubmatch(f, -1) {
		amt := numberValue(m[1])
		u := m[2]
		var d float64
		switch {
		case strings.HasPrefix(u, "an"):
			d = amt * 365.25
		case strings.HasPrefix(u, "mois"):
			d = amt * 30.44
		case strings.HasPrefix(u, "semaine"):
			d = amt * 7
		case strings.HasPrefix(u, "jour"):
			d = amt
		}
		if d > best {
			best = d
		}
	}
	return best
}

var (
	durationTermRe = regexp.MustCompile(`\b(\d+(?:[.,]\d+)?|` + numWord + `)\s*(?:(?:derni|premi|plein|entier|calendaire|civil|glissant)\w*\s+)?(ans?|annees?|mois|semaines?|jours?)\b`)
	wordValues     = map[string]float64{"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100}
)

// numberValue reads "12", "2,5" or a French number word ("vingt-quatre").
func numberValue(s string) float64 {
	if v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64); err == nil {
		return v
	}
	total := 0.0
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == ' ' }) {
		if w == "cent" && total > 0 {
			total *= 100
			continue
		}
		total += wordValues[w]
	}
	return total
}

func humanDays(d float64) string {
	switch {
	case d >= 365:
		y := d / 365.25
		if math.Abs(y-math.Round(y)) < 0.05 {
			if math.Round(y) == 1 {
				return "1 an"
			}
			return fmt.Sprintf("%d ans", int(math.Round(y)))
		}
		return fmt.Sprintf("%.1f ans", y)
	case d >= 28:
		return fmt.Sprintf("%d mois", int(math.Round(d/30.44)))
	}
	return fmt.Sprintf("%d jours", int(math.Round(d)))
}
