package flags

import (
	"testing"
)

// FuzzGates holds the literal gates to what they stand for: wherever a
// gated regexp matches a folded text, its gate lets the text through.
func FuzzGates(f *testing.F) {
	for _, s := range []string{
		"declaration normale a la cnil n° 1234567", "declaree sous le numero 1234567", "recepisse de declaration",
		"ns-23 et ns 046", "(ns46)", "autorisation unique au-004", "avis repute favorable", "normes simplifiees",
		"dispense n° 7", "acte reglementaire unique", "deliberation cnil n° 2004-801", "cnil n°: 1234567",
		"clauses contractuelles types de 2021", "2021/914", "dpf", "bcr", "regles d'entreprise contraignantes",
		"privacy shield", "safe harbour", "directive 95/46", "loi informatique et libertes", "heberge en france",
		"etats-unis", "royaume uni", "iles feroe", "union europeenne", "pays bas", "u.s.a.", "coree du sud", "hong kong",
		"transfert aux usa et au canada", "aucun transfert", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		s = foldString(s)
		for re := range gates {
			if re.MatchString(s) && !mayMatch(re, s) {
				t.Fatalf("%q matches %v but its gate stops it", s, re)
			}
		}
		if cnilFormalityRe.MatchString(s) && !mayCNILFormality(s) {
			t.Fatalf("%q matches cnilFormalityRe but mayCNILFormality is false", s)
		}
		for _, cn := range countries {
			if cn.re.MatchString(s) && !anyCountryRe.MatchString(s) {
				t.Fatalf("%q names %s but anyCountryRe does not match", s, cn.name)
			}
		}
	})
}
