package normalize

import (
	"strings"
	"testing"
)

func TestSplitDataCategories(t *testing.T) {
	cases := []struct {
		in       string
		items    []string
		subjects []string
	}{
		{
			"Assuré/Débiteur : nom, NIR (CPAM). Agent : nom, prénom. Opposant/Tiers saisisseur : dénomination.",
			[]string{"Assuré/Débiteur : nom, NIR (CPAM).", "Agent : nom, prénom.", "Opposant/Tiers saisisseur : dénomination."},
			[]string{"Assuré/Débiteur", "Agent", "Opposant/Tiers saisisseur"},
		},
		{
			"Base AGATA : décision Cnam ; Identification de l'assuré : NIR, nom ; Consultation des paiements: nom. A partir du site ameli.fr, l'assuré peut éditer une attestation.",
			[]string{"Base AGATA : décision Cnam", "Identification de l'assuré : NIR, nom", "Consultation des paiements: nom.", "A partir du site ameli.fr, l'assuré peut éditer une attestation."},
			nil,
		},
		{
			"Salariés : SST : Identification des salariés : nom ; Vision : résultats des tests de vision. Assurés : CMS : NIR",
			[]string{"Salariés : SST : Identification des salariés : nom", "Vision : résultats des tests de vision.", "Assurés : CMS : NIR"},
			[]string{"Salariés", "Assurés"},
		},
		{
			"Pour les signataires des courriers : N° agent, nom. Pour les organismes déclarants : N° d'organisme",
			[]string{"Pour les signataires des courriers : N° agent, nom.", "Pour les organismes déclarants : N° d'organisme"},
			[]string{"Pour les signataires des courriers"},
		},
		{
			"Autres bénéficiaires : toutes les informations. Patients du CES : questionnaires",
			[]string{"Autres bénéficiaires : toutes les informations.", "Patients du CES : questionnaires"},
			[]string{"Autres bénéficiaires", "Patients du CES"},
		},
		// Not Cramif-style: kept whole.
		{"Données d'identification dont NIR ou NIA, nom ; photographie, nationalité", []string{"Données d'identification dont NIR ou NIA, nom ; photographie, nationalité"}, nil},
		{"Pour les bénéficiaires :", []string{"Pour les bénéficiaires :"}, nil},
		{"Suivant décision Cnam", []string{"Suivant décision Cnam"}, nil},
		// Abbreviations do not end an item.
		{"Assurés : art. L. 161-1, n°. Dossier ; Agents : nom", []string{"Assurés : art. L. 161-1, n°. Dossier", "Agents : nom"}, []string{"Assurés", "Agents"}},
		// Duplicated subjects appear once.
		{"Assurés : nom. Assurés : adresse", []string{"Assurés : nom.", "Assurés : adresse"}, []string{"Assurés"}},
		// Groups run together without punctuation.
		{
			"Auteur du signalement : identité, éléments concrets Auteur présumé : identité, suivi Professionnels de santé, établissements : numéro",
			[]string{"Auteur du signalement : identité, éléments concrets Auteur présumé : identité, suivi Professionnels de santé, établissements : numéro"},
			[]string{"Auteur du signalement", "Auteur présumé", "Professionnels de santé, établissements"},
		},
		{
			"Agents : adresse IP du poste de l'agent, signature du message Assuré bénéficiaire : nom, NIR avec clé",
			[]string{"Agents : adresse IP du poste de l'agent, signature du message Assuré bénéficiaire : nom, NIR avec clé"},
			[]string{"Agents", "Assuré bénéficiaire"},
		},
		{"", []string{}, nil},
	}
	for _, c := range cases {
		items, subjects := SplitDataCategories(c.in)
		if strings.Join(items, "|") != strings.Join(c.items, "|") || len(items) != len(c.items) {
			t.Errorf("%q items = %q, want %q", c.in, items, c.items)
		}
		if strings.Join(subjects, "|") != strings.Join(c.subjects, "|") {
			t.Errorf("%q subjects = %q, want %q", c.in, subjects, c.subjects)
		}
	}
}

func FuzzSplitDataCategories(f *testing.F) {
	for _, s := range []string{"Assurés : nom. Agents : x ; y", "a : b", "((; . A", "œ : . É"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		items, _ := SplitDataCategories(s)
		// Splitting never invents text: every item is a piece of the input.
		for _, it := range items {
			if !strings.Contains(s, it) {
				t.Fatalf("%q: item %q not in the input", s, it)
			}
		}
	})
}

func TestSensitive(t *testing.T) {
	cases := []struct {
		cats, ctx   []string
		health, nir tri
	}{
		{nil, nil, unset, unset},
		{[]string{"Suivant décision Cnam"}, nil, unset, unset},
		{[]string{"Celles indiquées dans l'engagement de conformité Cnam du 19 novembre 2015"}, nil, unset, unset},
		{[]string{"Assurés : toutes les informations confidentielles figurant à la page 3 de l'engagement de conformité."}, nil, unset, unset},
		{[]string{"Toutes les catégories de données peuvent être potentiellement utilisées par l'Assurance Maladie"}, nil, unset, unset},
		{[]string{"nom, prénom, adresse"}, nil, no, no},
		{[]string{"nom, NIR"}, nil, no, yes},
		{[]string{"numéro de Sécurité sociale"}, nil, no, yes},
		{[]string{"n° de Sécurité Sociale"}, nil, no, yes},
		{[]string{"NIR ou NIA"}, nil, no, yes},
		{[]string{"numéro d'inscription au répertoire national d'identification des personnes physiques"}, nil, no, yes},
		{[]string{"10 premiers chiffres du dossier contrôlé (NIR tronqué)"}, nil, no, yes},
		{[]string{"identifiant national de santé (INS)"}, nil, no, yes},
		{[]string{"numéro INSEE"}, nil, no, yes},
		{[]string{"n° de sécu"}, nil, no, yes},
		{[]string{"antécédents médicaux, groupe sanguin"}, nil, yes, no},
		{[]string{"taux d'IPP"}, nil, yes, no},
		{[]string{"Données concernant la santé dont type maladie professionnelle"}, nil, yes, no},
		{[]string{"Données relatives à la santé des assurés"}, nil, yes, no},
		{[]string{"données de sante"}, nil, yes, no},
		{[]string{"Dossier médical dentaire : bilan médical"}, nil, yes, no},
		{[]string{"pathologie, traitement"}, nil, yes, no},
		{[]string{"situation du handicap"}, nil, yes, no},
		{[]string{"date arrêt de travail"}, nil, yes, no},
		{[]string{"taux d'invalidité permanente"}, nil, yes, no},
		{[]string{"Données de rapports médicaux en lien avec l'invalidité"}, nil, yes, no},
		{[]string{"questionnaire médical, échantillons de sang"}, nil, yes, no},
		{[]string{"à la santé (remboursement des soins)"}, nil, yes, no},
		{[]string{"Sanitaires : autonomie (grille AGGIR), hospitalisation"}, nil, yes, no},
		{[]string{"éléments de santé communiqués par l'assuré"}, nil, yes, no},
		{[]string{"informations relatives à la santé du salarié"}, nil, yes, no},
		{[]string{"sinistres imputés (identité de la victime, NIR, nature de la lésion)"}, nil, yes, yes},
		// Coverage, actors and services are not health data.
		{[]string{"complémentaire santé"}, nil, no, no},
		{[]string{"Données relatives au bénéfice d'une prestation frais de santé"}, nil, no, no},
		{[]string{"médecin traitant déclaré"}, nil, no, no},
		{[]string{"catégorie d'invalidité retenue par le service médical"}, nil, no, no},
		{[]string{"Données d'identification des professionnels de santé"}, nil, no, no},
		{[]string{"agents de l'Assurance Maladie"}, nil, no, no},
		{[]string{"Ces messages ne doivent pas comporter d'informations de nature médicale"}, nil, no, no},
		// The purpose speaks only when the categories do not.
		{nil, []string{"Tenir le dossier médical des patients"}, yes, unset},
		{[]string{"nom, prénom"}, []string{"référencement des données de santé"}, no, no},
	}
	for _, c := range cases {
		h, n := Sensitive(c.cats, c.ctx)
		if !c.health.check(h) || !c.nir.check(n) {
			t.Errorf("%q / %q: health=%s nir=%s, want %v %v", c.cats, c.ctx, triStr(h), triStr(n), c.health, c.nir)
		}
	}
}

func FuzzSensitive(f *testing.F) {
	for _, s := range []string{"NIR", "données de santé", "ne pas santé", "Suivant décision", "œ médical"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, n := Sensitive([]string{s}, []string{s})
		if clean(s) != "" && !isPointer(s) && (h == nil || n == nil) {
			t.Fatalf("%q: concrete category gives null", s)
		}
	})
}

func TestOtherSensitive(t *testing.T) {
	cases := []struct {
		cats []string
		want string
	}{
		{[]string{"données sensibles (santé, sociales, financières, appartenance syndicale ou politique...)"}, "opinions_politiques,syndicat"},
		{[]string{"convictions religieuses (après le recueil d'un consentement exprès)"}, "religion"},
		{[]string{"mandats syndicaux", "condamnations pénales"}, "syndicat,infractions"},
		{[]string{"empreintes digitales"}, "biometrie"},
		{[]string{"nom, prénom"}, ""},
		{[]string{"aucune donnée relative aux infractions"}, ""},
	}
	for _, c := range cases {
		if got := strings.Join(OtherSensitive(c.cats), ","); got != c.want {
			t.Errorf("%q: %q, want %q", c.cats, got, c.want)
		}
	}
}
