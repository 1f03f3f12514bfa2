package llm

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestAlignerFind(t *testing.T) {
	src := "Finalité : Gestion des demandes de remboursement des frais de transport.\n" +
		"Données : identité,\u00a0coordonnées, RIB.\n" +
		"Base légale : article 6-1-e du RGPD – mission d’intérêt public.\n" +
		"Les données sont conservées 5 ans à compter de la clôture du dossier.\n" +
		"Destinataires : plan de soins ; planning des agents."
	tests := []struct {
		name   string
		value  string
		want   string // source text of the span, "" = not found
		exact  bool
		lo, hi int
	}{
		{"verbatim", "Gestion des demandes de remboursement des frais de transport", "Gestion des demandes de remboursement des frais de transport", true, 0, 0},
		{"accents and case", "GESTION DES DEMANDES DE REMBOURSEMENT", "Gestion des demandes de remboursement", true, 0, 0},
		{"no accents", "Donnees : identite, coordonnees", "Données : identité,\u00a0coordonnées", true, 0, 0},
		{"spacing and NBSP", "identité,   coordonnées", "identité,\u00a0coordonnées", true, 0, 0},
		{"apostrophe and dash", "article 6-1-e du RGPD - mission d'intérêt public", "article 6-1-e du RGPD – mission d’intérêt public", true, 0, 0},
		{"trailing period kept when printed", "Les données sont conservées 5 ans à compter de la clôture du dossier.", "Les données sont conservées 5 ans à compter de la clôture du dossier.", true, 0, 0},
		{"quotes around", "« conservées 5 ans »", "conservées 5 ans", true, 0, 0},
		{"dropped article (fuzzy)", "conservées 5 ans à compter de clôture du dossier", "conservées 5 ans à compter de la clôture du dossier", false, 0, 0},
		{"plural (fuzzy)", "Gestion des demande de remboursements des frais de transport", "Gestion des demandes de remboursement des frais de transport", false, 0, 0},
		{"hallucination", "Transfert des données vers les États-Unis", "", false, 0, 0},
		{"short invented", "RIB complet", "", false, 0, 0},
		{"not inside a word", "plan", "plan", true, 0, 0},
		{"prefer the record's region", "données", "données", true, 150, 300},
		{"empty", " . ", "", false, 0, 0},
	}
	a := NewAligner(src)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hi := tc.hi
			if hi == 0 {
				hi = len(src)
			}
			m, ok := a.Find(tc.value, tc.lo, hi)
			if tc.want == "" {
				if ok {
					t.Fatalf("Find(%q) = %q, want not found", tc.value, src[m.Start:m.End])
				}
				return
			}
			if !ok {
				t.Fatalf("Find(%q): not found", tc.value)
			}
			if got := src[m.Start:m.End]; got != tc.want || m.Exact != tc.exact {
				t.Errorf("Find(%q) = %q exact=%v, want %q exact=%v", tc.value, got, m.Exact, tc.want, tc.exact)
			}
			if tc.lo > 0 && (m.Start < tc.lo || m.End > hi) {
				t.Errorf("match [%d,%d) outside the preferred region [%d,%d)", m.Start, m.End, tc.lo, hi)
			}
		})
	}
	// "plan" must match the word, not the start of "planning".
	m, _ := a.Find("plan", 0, len(src))
	if !strings.HasPrefix(src[m.Start:], "plan de soins") {
		t.Errorf("plan matched at %q", src[m.Start:min(len(src), m.Start+20)])
	}
}

// FuzzAlign: any word-bounded piece of a source is found, at a span whose
// folded text is the piece's, and every match is a valid span.
func FuzzAlign(f *testing.F) {
	f.Add("Finalité : Gestion des remboursements.\nDonnées : identité, NIR.", 11, 38, "identite")
	f.Add("Œuvre sociale – aide à l’œuvre", 0, 6, "OEUVRE")
	f.Add("a\u00a0 b\tc", 0, 7, "a b c")
	f.Fuzz(func(t *testing.T, src string, i, j int, other string) {
		if !utf8.ValidString(src) || !utf8.ValidString(other) || len(src) > 4000 {
			return
		}
		a := NewAligner(src)
		check := func(v string) (Match, bool) {
			m, ok := a.Find(v, 0, len(src))
			if ok && (m.Start < 0 || m.End > len(src) || m.Start >= m.End || !utf8.ValidString(src[m.Start:m.End])) {
				t.Fatalf("Find(%q) gave a bad span [%d,%d) in %q", v, m.Start, m.End, src)
			}
			return m, ok
		}
		check(other)
		if i < 0 || j > len(src) || i >= j || !utf8.ValidString(src[i:j]) {
			return
		}
		piece := src[i:j]
		// Only pieces that do not cut a word, with some letters, are
		// guaranteed to be found.
		// A combining mark belongs to the character before it (folding
		// drops it), so it does not end a word either.
		joins := func(r rune) bool { return isWord(r) || unicode.Is(unicode.Mn, r) }
		if (i > 0 && joins(lastRune(src[:i])) && joins(firstRune(src[i:]))) ||
			(j < len(src) && joins(lastRune(src[:j])) && joins(firstRune(src[j:]))) {
			return
		}
		core := trimValue(piece)
		if core == "" || !strings.ContainsFunc(core, isWord) || core != strings.TrimSpace(core) {
			return
		}
		if foldText(core).s == "" {
			return
		}
		m, ok := check(piece)
		if !ok {
			t.Fatalf("piece %q of %q not found", piece, src)
		}
		if m.Exact && !strings.HasPrefix(foldText(src[m.Start:m.End]).s, foldText(core).s) {
			t.Fatalf("piece %q found as %q", piece, src[m.Start:m.End])
		}
	})
}

// BenchmarkAlign grounds the values of a typical answer in a chunk-sized
// source: exact values, one paraphrase and one hallucination per round.
func BenchmarkAlign(b *testing.B) {
	var src strings.Builder
	for src.Len() < 8000 {
		src.WriteString("Finalité : gestion des demandes de remboursement des frais de transport des assurés.\n")
		src.WriteString("Données : identité, coordonnées, NIR, RIB, données de santé relatives au transport.\n")
	}
	vals := []string{
		"gestion des demandes de remboursement des frais de transport des assurés",
		"identité, coordonnées, NIR",
		"gestion des demande de remboursements des frais de transport",
		"Transfert des données vers les États-Unis sous clauses contractuelles types",
	}
	b.ReportAllocs()
	for b.Loop() {
		a := NewAligner(src.String())
		for _, v := range vals {
			a.Find(v, 0, src.Len())
		}
	}
}
