package flags

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzGates holds the literal gates to what they stand for: wherever a
// gated regexp matches a folded text, its gate lets the text through.
func TestCountryLiterals(t *testing.T) {
	for _, cn := range countries {
		if cn.lits == nil {
			t.Errorf("%s: no literal gate", cn.name)
		}
	}
}

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
			if cn.re.MatchString(s) && cn.lits != nil && !containsAny(s, cn.lits) {
				t.Fatalf("%q names %s but has none of %q", s, cn.name, cn.lits)
			}
		}
	})
}

// foldMapOnly is fold before its ASCII fast path: FuzzFold holds fold to it.
func foldMapOnly(orig string) folded {
	var b strings.Builder
	off := make([]int, 0, len(orig)+1)
	for i, r := range orig {
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

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Données de SANTÉ\t`x`", "Œuvre – d’accès\u00a0Île", "\xff\xfeA", "İ K ſ", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, want := fold(s), foldMapOnly(s)
		if got.s != want.s || !slices.Equal(got.off, want.off) {
			t.Fatalf("fold(%q) = %q %v, was %q %v", s, got.s, got.off, want.s, want.off)
		}
	})
}

// healthItemsMasking is healthItems without its unmasked pre-check.
func healthItemsMasking(vals []fieldText) (named []match, anonymised bool) {
	for _, v := range vals {
		f := v.fold()
		masked := notHealthRe.ReplaceAllStringFunc(f.s, func(s string) string { return strings.Repeat(" ", len(s)) })
		loc := healthRe.FindStringIndex(masked)
		if loc == nil {
			continue
		}
		if anonymRe.MatchString(f.s) {
			anonymised = true
			continue
		}
		ev, s, e := f.clause(loc[0], loc[1])
		named = append(named, match{field: v.field, index: v.index, text: v.text, evidence: ev, start: s, end: e})
	}
	return named, anonymised
}

func FuzzHealthItems(f *testing.F) {
	for _, s := range []string{"données de santé", "professionnels de santé", "centre de santé sang", "service médical; arrêts de travail",
		"assurance maladie, maladie", "en at", "code de la santé publique en at", "données anonymisées de santé", "sante au travailsang"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		vals := []fieldText{newText("data_categories", 0, s)}
		gn, ga := healthItems(vals)
		wn, wa := healthItemsMasking(vals)
		if ga != wa || len(gn) != len(wn) || len(gn) > 0 && gn[0] != wn[0] {
			t.Fatalf("healthItems(%q) = %v, %v; with masking only %v, %v", s, gn, ga, wn, wa)
		}
	})
}
