package normalize

import (
	"regexp"

	"registre"
)

var reIndefinite = regexp.MustCompile(`\b(illimitee?s?|sans limit(e|ation) de (duree|temps)|sans limite|duree indeterminee|indefiniment|pas de suppression|aucune suppression|jamais supprimee?s?|archives? definitives?)\b`)

// ParseRetention reads the retention texts of a record: the text stays
// verbatim (lines joined), periods are read from it, and indefinite is set
// for "illimitée", "sans limitation de durée", "pas de suppression"…
func ParseRetention(texts ...string) registre.Retention {
	r := registre.Retention{Periods: []registre.Period{}}
	if len(texts) == 0 {
		return r
	}
	r.Text = registre.Str(joinLines(texts))
	for _, t := range texts {
		if reIndefinite.MatchString(fold(t)) {
			r.Indefinite = registre.Bool(true)
		}
	}
	return r
}
