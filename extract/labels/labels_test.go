package labels

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"registre"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		label string
		want  registre.Field
		ok    bool
	}{
		{"Finalité(s) du traitement", registre.FieldPurposes, true},
		{"Finalité(s)\u00a0du traitement :", registre.FieldPurposes, true},
		{"FINALITE DU TRAITEMENT", registre.FieldPurposes, true},
		{"Destinataire(s) des données", registre.FieldRecipients, true},
		{"Externe (transmission uniquement de documents papier)", registre.FieldRecipientsExternal, true},
		{"Type de données (suite)", registre.FieldDataCategories, true},
		{"Date de mise en œuvre", registre.FieldImplementationDate, true},
		{"Délais d’effacement / durée de conservation", registre.FieldRetention, true},
		{"• Sous-traitant(s)", registre.FieldProcessors, true},
		// Wordings of the hold-out registers and forms.
		{"Contact pour l’exercice des droits", registre.FieldRights, true},
		{"Données sensibles :", registre.FieldDataCategories, true},
		{"Intitulé du traitement", registre.FieldName, true},
		{"Objectif(s)", registre.FieldPurposes, true},
		{"Fondement légal", registre.FieldLegalBasis, true},
		{"Délai de conservation", registre.FieldRetention, true},
		{"Transferts hors Union européenne", registre.FieldTransfers, true},
		{"Durée de conservation des données :", registre.FieldRetention, true},
		{"Mise en œuvre :", registre.FieldImplementationDate, true},
		{"Finalité(s) du traitement effectué", registre.FieldPurposes, true},
		// Singular or plural, whichever the dictionary lacks.
		{"Transfert hors Union européenne", registre.FieldTransfers, true},
		{"Catégorie de donnée collectée", registre.FieldDataCategories, true},
		{"Mesure de sécurité mise en œuvre", registre.FieldSecurity, true},
		{"Finalité ............................ :", registre.FieldPurposes, true},
		{"Durée de conservation …… ", registre.FieldRetention, true},
		{"Couleurs préférées", "", false},
		{"Couleur préférée", "", false},
	}
	for _, tt := range tests {
		got, ok := Lookup(tt.label)
		if ok != tt.ok || got != tt.want {
			t.Errorf("Lookup(%q) = %q, %v; want %q, %v", tt.label, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		in    string
		field registre.Field
		value string
		ok    bool
	}{
		{"Nom du traitement : SNTRP", registre.FieldName, "SNTRP", true},
		{"Nom du traitement :Dématérialisation des marchés", registre.FieldName, "Dématérialisation des marchés", true},
		{"Durée de conservation\u00a0:\u00a05 ans", registre.FieldRetention, "5 ans", true},
		{"Mesures de sécurité: Techniques : PASSEPORT", registre.FieldSecurity, "Techniques : PASSEPORT", true},
		{"Assuré/Débiteur : nom, prénom", "", "", false},
		{"pas de label ici", "", "", false},
	}
	for _, tt := range tests {
		f, _, vs, ok := Split(tt.in)
		if ok != tt.ok || f != tt.field || (ok && tt.in[vs:] != tt.value) {
			t.Errorf("Split(%q) = %q, %v, %q; want %q, %v, %q", tt.in, f, ok, tt.in[vs:], tt.field, tt.ok, tt.value)
		}
	}
}

func TestOrganisation(t *testing.T) {
	tests := map[string]string{
		"Caisse régionale d'assurance maladie d'Île-de-France (Cramif)":      "Cramif",
		"Protection des données personnelles | Cramif":                       "Cramif",
		"TRAITEMENTS DE DONNÉES PERSONNELLES OPÉRÉS PAR L'ASSURANCE MALADIE": "Cnam",
		"CAISSE CENTRALE DE LA MUTUALITE SOCIALE AGRICOLE":                   "CCMSA",
		"Conditions générales d'utilisation":                                 "",
	}
	for in, want := range tests {
		if got := Organisation(in); got != want {
			t.Errorf("Organisation(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{"Nom du traitement : X", "a:b:c", ":", "Finalité\u00a0:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if _, _, vs, ok := Split(s); ok && (vs < 0 || vs > len(s)) {
			t.Fatalf("value start %d out of range for %q", vs, s)
		}
		_ = Norm(s)
	})
}

func TestLookupLoose(t *testing.T) {
	tests := map[string]registre.Field{
		"Droit d'accès (service / fonction)":                 registre.FieldRights,
		"Dénomination du traitement (nom du projet) :":       registre.FieldName,
		"Faites-vous appel à des sous-traitants (lesquels)?": "",
		"Durée de conservation ?":                            registre.FieldRetention,
	}
	for in, want := range tests {
		got, ok := LookupLoose(in)
		if got != want || ok != (want != "") {
			t.Errorf("LookupLoose(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestFold(t *testing.T) {
	tests := map[string]string{
		"  Finalité(s)\u00a0du  TRAITEMENT : ": "finalite(s) du traitement :",
		"Œuvre – d’accès Île":                  "oeuvre - d'acces ile",
		"e\u0301te\u0301 Ἀθῆναι":               "ete αθηναι",
		"":                                     "",
	}
	for in, want := range tests {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkFold(b *testing.B) {
	s := "Catégories de données à caractère personnel concernées par le traitement : santé, NIR"
	for i := 0; i < b.N; i++ {
		Fold(s)
	}
}

// The string implementations Fold, Norm, singular and Lookup had before
// they were rewritten over byte buffers: FuzzLookupSameAsStrings holds the
// rewrite to them.
func foldStrings(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' {
				space = b.Len() > 0
				continue
			}
			if r == '`' {
				r = '\''
			} else if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.Is(unicode.Mn, r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if r < utf8.RuneSelf {
			b.WriteByte(byte(r))
			continue
		}
		b.WriteString(foldRune(r))
	}
	return b.String()
}

func normStrings(s string) string {
	s = foldStrings(s)
	s = strings.ReplaceAll(s, "(s)", "")
	s = strings.ReplaceAll(s, "(es)", "")
	s = strings.TrimLeft(s, "•*#-–· \t")
	s = strings.TrimSpace(s)
	s = strings.TrimRight(s, ": \t")
	s = strings.TrimRight(s, ". …\t")
	s = strings.TrimSuffix(s, "(suite)")
	s = strings.TrimSpace(strings.TrimRight(s, ": \t"))
	return s
}

func singularStrings(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		if len(w) > 3 && (strings.HasSuffix(w, "s") || strings.HasSuffix(w, "x")) {
			words[i] = w[:len(w)-1]
		}
	}
	return strings.Join(words, " ")
}

func lookupStrings(label string) (registre.Field, bool) {
	n := normStrings(label)
	if f, ok := dict[n]; ok {
		return f, true
	}
	f, ok := singularDict[singularStrings(n)]
	return f, ok && f != ""
}

func FuzzLookupSameAsStrings(f *testing.F) {
	for _, s := range []string{"Finalité(s) du traitement :", "• Sous-traitant(s)", "Type de données (suite)", "Finalité ......... :",
		"Durée de conservation …… ", "((s)s) x", "(e(es)s)", "Catégorie de donnée collectée", "  Œuvre\u00a0–\u2003d’accès ", "\xff\xfe s", "e\u0301te\u0301 Ἀθῆναι"} {
		f.Add(s)
	}
	for _, k := range Known() {
		f.Add(k)
		f.Add(strings.ToUpper(k) + "(s) :")
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Fold(s), foldStrings(s); got != want {
			t.Fatalf("Fold(%q) = %q, was %q", s, got, want)
		}
		if got, want := Norm(s), normStrings(s); got != want {
			t.Fatalf("Norm(%q) = %q, was %q", s, got, want)
		}
		if got, want := singular(s), singularStrings(s); got != want {
			t.Fatalf("singular(%q) = %q, was %q", s, got, want)
		}
		gf, gok := Lookup(s)
		wf, wok := lookupStrings(s)
		if gf != wf || gok != wok {
			t.Fatalf("Lookup(%q) = %q, %v; was %q, %v", s, gf, gok, wf, wok)
		}
	})
}

func BenchmarkLookupLoose(b *testing.B) {
	// labelPrefix's calls on a bullet line of a printed register: every
	// word prefix, one of which is a label.
	line := "Catégories de données traitées : identité, NIR, coordonnées bancaires, situation familiale"
	var prefixes []string
	for i := range len(line) {
		if line[i] == ' ' {
			prefixes = append(prefixes, line[:i])
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range prefixes {
			LookupLoose(p)
		}
	}
}

// longestPrefixLoop is LongestPrefix as form.labelPrefix first wrote it:
// LookupLoose on every prefix.
func longestPrefixLoop(text string, maxWords int) (f registre.Field, n int, ok bool) {
	words := 0
	for i := 0; i <= len(text) && words < maxWords; i++ {
		if i < len(text) && text[i] != ' ' {
			continue
		}
		words++
		if g, found := LookupLoose(text[:i]); found {
			f, n, ok = g, i, true
		}
	}
	return
}

func FuzzLongestPrefix(f *testing.F) {
	for _, s := range []string{
		"Finalité : gérer les dossiers", "Catégories de données traitées : identité, NIR", " \u00a0Durée de conservation ? 5 ans",
		"Droit d'accès (service / fonction) : DRH", "Dénomination du traitement (nom du projet) : X", "Sous-finalités Fondements juridiques",
		"• Sous-traitant(s) : aucun", "Transfert hors Union européenne : non", "\u2003Finalité\u00a0:\u00a0x", "e\u0301 Finalité :",
		"Type de données (suite) identité", "\xe2 Finalité :", "Finalité\xc3 :", "  ", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		gf, gn, gok := LongestPrefix(s, 12)
		wf, wn, wok := longestPrefixLoop(s, 12)
		if gf != wf || gn != wn || gok != wok {
			t.Fatalf("LongestPrefix(%q) = %q, %d, %v; LookupLoose on each prefix gives %q, %d, %v", s, gf, gn, gok, wf, wn, wok)
		}
	})
}

func BenchmarkLongestPrefix(b *testing.B) {
	// The same line as BenchmarkLookupLoose, and a value line.
	lines := []string{
		"Catégories de données traitées : identité, NIR, coordonnées bancaires, situation familiale",
		"agents de la direction des ressources humaines habilités à gérer les dossiers",
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range lines {
			LongestPrefix(l, 12)
		}
	}
}
