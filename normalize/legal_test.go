package normalize

import (
	"strings"
	"testing"
)

func codes(c ...string) []string { return c }

// Every legal-basis phrasing of seeds-analysis.md §3.1, the citation formats
// it lists for other registers, Art. 9(2) wordings, national texts, and
// variants (capitals, missing accents, typos).
func TestBasisCodes(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"Article 6-1-c du RGPD : le traitement est nécessaire au respect d'une obligation légale notamment :", codes("6-1-c")},
		{"Article 6-1-c du RGPD : traitement nécessaire au respect d'une obligation légale.", codes("6-1-c")},
		{"Article 6-1-c du RGPD : obligation légale", codes("6-1-c")},
		{"Article 6-1-c du RGPD : le traitement est nécessaire au respect d'une obligation légale notamment les articles L. 376-1 et L. 454-1 du Code de la sécurité sociale.", codes("6-1-c", "national")},
		{"La base juridique est l'article 6-1-c du RGPD : le traitement est nécessaire au respect d'une obligation légale à laquelle la Cnam est soumise :", codes("6-1-c")},
		{"Obligation légale", codes("6-1-c")},
		// A list: each part is read on its own, so a wording beside a
		// cited article still counts.
		{"Mission d'intérêt public ; article 9.2.h du RGPD", codes("6-1-e", "9-2-h")},
		{"Obligation légale (article 6.1.c du RGPD) ; article 9.2.b du RGPD ; articles L. 321-1 et L. 323-1 du code de la sécurité sociale", codes("6-1-c", "9-2-b", "national")},
		{"article 6-1-e du RGPD ; article L. 200-2-1 du code de la sécurité sociale", codes("6-1-e", "national")},
		{"Intérêt légitime ; contrat", codes("6-1-f", "6-1-b")},
		{"Une obligation légale [préciser le texte]", codes("6-1-c")},
		{"obligation légale", codes("6-1-c")},
		{"Obligation réglementaire de référencement des données", codes("6-1-c")},
		{"Article 6-1-e du RGPD : le traitement est nécessaire à l'exécution d'une mission d'intérêt public de la Cnam.", codes("6-1-e")},
		{"Article 6-1-e du RGPD : mission d'intérêt public de l'Assurance Maladie", codes("6-1-e")},
		{"Article 6-1-e du RGPD , Mission d'intérêt public", codes("6-1-e")},
		{"L'exécution d'une mission d'intérêt public", codes("6-1-e")},
		{"nécessaire à l'exécution d'une des missions de l'AM", codes("6-1-e")},
		{"mission de service public", codes("6-1-e")},
		{"exécution d'une mission d'intérêt public", codes("6-1-e")},
		{"Article 6-1-f du RGPD : le traitement est nécessaire aux fins des intérêts légitimes de la Cnam", codes("6-1-f")},
		{"Également l'article 6-1-f du RGPD : le traitement est nécessaire aux fins des intérêts légitimes poursuivis par l'organisme (gérer les moyens humains nécessaires à la réalisation de ses missions)", codes("6-1-f")},
		{"Article 6-1-f du RGPD : intérêts légitimes de l'employeur dans le cas de recettes destinées aux ressources humaines.", codes("6-1-f")},
		{"Les intérêts légitimes poursuivis par le responsable du traitement", codes("6-1-f")},
		{"l'intérêt légitime de l'employeur", codes("6-1-f")},
		{"intérêt légitime", codes("6-1-f")},
		{"Article 6-1-b du RGPD : le traitement est nécessaire à l'exécution des mesures précontractuelles prises à la demande de la personne", codes("6-1-b")},
		{"L'exécution d'un contrat auquel la personne concernée est partie ou l'exécution de mesures précontractuelles", codes("6-1-b")},
		{"contrat", codes("6-1-b")},
		{"exécution d'un contrat", codes("6-1-b")},
		{"Le consentement de la personne", codes("6-1-a")},
		{"consentement écrit de la personne", codes("6-1-a")},
		{"consentement", codes("6-1-a")},
		{"La sauvegarde des intérêts vitaux de la personne concernée ou d'une autre personne physique", codes("6-1-d")},
		{"sauvegarde des intérêts vitaux", codes("6-1-d")},
		{"art. 6.1.e", codes("6-1-e")},
		{"article 6.1.c", codes("6-1-c")},
		{"art. 6 §1 c)", codes("6-1-c")},
		{"article 6, paragraphe 1, point c)", codes("6-1-c")},
		{"6(1)(c)", codes("6-1-c")},
		{"6-1 c", codes("6-1-c")},
		{"6§1 e)", codes("6-1-e")},
		{"article 6 (1) c", codes("6-1-c")},
		{"6-1-c", codes("6-1-c")},
		{"Art. 9-2-h", codes("9-2-h")},
		{"article 9.2 h)", codes("9-2-h")},
		{"article 9 paragraphe 2 point h", codes("9-2-h")},
		{"article 9-2-h", codes("9-2-h")},
		{"9.2.b", codes("9-2-b")},
		{"Article 9-2-a du RGPD : consentement explicite", codes("9-2-a")},
		{"motifs d'intérêt public dans le domaine de la santé publique", codes("9-2-i")},
		{"motif légitime et impérieux de santé publique", codes("9-2-i")},
		{"la médecine préventive ou la médecine du travail, les diagnostics médicaux, la prise en charge sanitaire ou sociale", codes("9-2-h")},
		{"constatation, exercice ou défense d'un droit en justice", codes("9-2-f")},
		{"motifs d'intérêt public important", codes("9-2-g")},
		{"fins archivistiques dans l'intérêt public, à des fins de recherche scientifique ou historique ou à des fins statistiques", codes("9-2-j")},
		{"obligations et droits propres au responsable du traitement ou à la personne concernée en matière de droit du travail, de la sécurité sociale et de la protection sociale", codes("9-2-b")},
		{"L. 111-2-2 sur l'affiliation à un régime obligatoire de sécurité sociale", codes("national")},
		{"Article 59 de la loi de financement de la sécurité sociale de 2016 qui créé la protection universelle maladie (PUMA)", codes("national")},
		{"L. 111-1 et suivants du Code de la sécurité sociale", codes("national")},
		{"Articles L. 115-7, L. 161-1-4, L. 211-1, L. 221-1, L. 224-14, L. 315-1, L. 341-1 et suivants du Code de la sécurité sociale", codes("national")},
		{"Décret n° 2016-914 du 04/07/2016 relatif au DMP", codes("national")},
		{"loi 93-8 du 4 janvier 1993", codes("national")},
		{"Loi n°78-17 du 6 janvier 1978 modifiée", codes("national")},
		{"Vu la Loi n° 78-17 du 6 janvier 1978 relative à l'informatique, aux fichiers et aux libertés", codes("national")},
		{"Arrêté du 22 septembre 2017 relatif aux dépistages organisés", codes("national")},
		{"article R. 1112-7 du Code de la santé publique", codes("national")},
		{"L'obligation comme la mission d'intérêt public sont notamment fondés sur :", codes("6-1-e", "6-1-c")},
		{"La mission d'intérêt public et l'obligation légale sont notamment fondés sur les articles suivants :", codes("6-1-e", "6-1-c")},
		{"Code du travail", codes("national")},
		{"Ordonnance n° 2017-1386 du 22 septembre 2017", codes("national")},
		{"L. 321-3 du code de la Sécurité sociale", codes("national")},
		{"Articles L.161-28-1 et R. 161-33-1 et suivants du CSS", codes("national")},
		{"Article 6 du RGPD", codes("unknown")},
		{"Toutes dispositions spécifiques attachées à la prestation visée (victimes attentats, fonds amiante, fonds 51, etc.)", codes("unknown")},
		{"Autorisation de prise en charge par le contrat de soins", codes("unknown")},
		{"Article 6-1-c et 6-1-e du RGPD", codes("6-1-c", "6-1-e")},
		{"Articles 6-1-c et 6-1-f du RGPD", codes("6-1-c", "6-1-f")},
		{"Art 6 1 c RGPD", codes("6-1-c")},
		{"article 6-1-c) du RGPD", codes("6-1-c")},
		{"Mision d'interet public", codes("6-1-e")},
		{"obligation legale", codes("6-1-c")},
		{"interet legitime", codes("6-1-f")},
		{"6-1-c", codes("6-1-c")},
		{"L. 161-1-4 du CSS", codes("national")},
		{"Base légale : obligation légale (art. 6.1.c RGPD)", codes("6-1-c")},
		{"Exécution d'une mission de service public (article 6.1.e du RGPD)", codes("6-1-e")},
		{"Intérêt public", codes("6-1-e")},
		{"Le traitement relève de l'exercice de l'autorité publique dont est investi le responsable de traitement", codes("6-1-e")},
		{"Respect d'une obligation légale à laquelle le responsable du traitement est soumis (article L. 161-29 du CSS)", codes("6-1-c", "national")},
		{"RGPD art 6 c", codes("6-1-c")},
		{"article 6 c)", codes("6-1-c")},
		{"Art. 9 h) du RGPD", codes("9-2-h")},
		{"l'article 6 a été modifié", codes("unknown")},
		{"Article 6, 1., c) du RGPD", codes("6-1-c")},
		{"Article 6.1 e) RGPD", codes("6-1-e")},
		{"6.1.e RGPD / 9.2.h RGPD", codes("6-1-e", "9-2-h")},
		{"Loi Informatique et Libertés", codes("national")},
		{"CSS art. L.161-28-1", codes("national")},
		{"CSP", codes("national")},
		{"art. R-161-33 du code de la sécurité sociale", codes("national")},
		{"Art. 6-1-e) du RGPD", codes("6-1-e")},
		{"article 6 paragraphe 1 sous e)", codes("6-1-e")},
		{"Article 6-1 e) du Règlement général sur la protection des données", codes("6-1-e")},
		{"intérêt légitime de la Cramif : sécurité des locaux", codes("6-1-f")},
		{"Exécution du contrat de travail", codes("6-1-b")},
		{"OBLIGATION LEGALE", codes("6-1-c")},
		{"Mission d'interet public", codes("6-1-e")},
		{"Règlement (UE) 2016/679 article 6-1-e", codes("6-1-e")},
		{"Article 6-1-g du RGPD", codes("unknown")},
		{"article 9-1-a", codes("unknown")},
		{"", codes("unknown")},
	}
	for _, c := range cases {
		got := BasisCodes(c.in)
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%q: %v, want %v", c.in, got, c.want)
		}
	}
}

func TestLegalBasesKeepsLinesAndDedupes(t *testing.T) {
	lines := []string{
		"Article 6-1-c du RGPD : le traitement est nécessaire au respect d'une obligation légale notamment :",
		"L. 111-2-2 sur l'affiliation à un régime obligatoire de sécurité sociale",
		"L. 111-1 et suivants du Code de la sécurité sociale",
		"La mission d'intérêt public et l'obligation légale sont notamment fondés sur :",
		"/",
		"",
	}
	got := LegalBases(lines...)
	want := []struct{ code, text string }{
		{"6-1-c", lines[0]},
		{"national", lines[1]},
		{"national", lines[2]},
		{"6-1-e", lines[3]},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i, w := range want {
		if got[i].Code != w.code || got[i].Text != w.text {
			t.Errorf("%d: %+v, want %+v", i, got[i], w)
		}
	}
	if b := LegalBases(); b == nil || len(b) != 0 {
		t.Errorf("no lines: %#v", b)
	}
}

func FuzzBasisCodes(f *testing.F) {
	for _, s := range []string{"Article 6-1-c du RGPD", "6§1 e)", "art. 9.2.h", "L. 111-2-2", "obligation légale", "(6)(1)(", "œ 6-1-f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := BasisCodes(s)
		if len(got) == 0 {
			t.Fatalf("%q: no code", s)
		}
		for _, c := range got {
			if !reBasisCode.MatchString(c) {
				t.Fatalf("%q: code %q outside the contract", s, c)
			}
		}
	})
}

var reBasisCode = regexpMust(`^(6-1-[a-f]|9-2-[a-j]|national|unknown)$`)
