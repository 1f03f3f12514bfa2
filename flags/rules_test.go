package flags

import (
	"strings"
	"testing"
	"time"

	"registre"
)

var testNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// clean is a complete, compliant record: no rule may fire on it.
func clean() registre.Record {
	return registre.Record{
		ID:           "cpam94-social",
		Organisation: "CPAM du Val-de-Marne",
		Source:       registre.Source{Path: "registre-cpam94.html", Locator: "body/div[3]"},
		Name:         "Demandes d'intervention du service social",
		Controller:   &registre.Party{Name: registre.Str("CPAM du Val-de-Marne")},
		Purposes:     []string{"Instruire les demandes d'aide financière individuelle des assurés"},
		LegalBases:   []registre.LegalBasis{{Code: "6-1-e", Text: "Article 6-1-e du RGPD : mission d'intérêt public"}},
		LegalBasisText: registre.Str("Article 6-1-e du RGPD : mission d'intérêt public, fondée sur les articles " +
			"L. 262-1 et R. 262-1 du Code de la sécurité sociale"),
		DataCategories:     []string{"Assurés : nom, prénom, NIR, adresse", "Situation familiale et revenus"},
		Sensitive:          registre.Sensitive{Health: registre.Bool(false), NIR: registre.Bool(true)},
		Recipients:         registre.Recipients{Internal: []string{"Assistants de service social"}, External: []string{"CAF du Val-de-Marne"}},
		Transfers:          registre.Transfers{OutsideEU: registre.Bool(false), Text: registre.Str("non")},
		Retention:          registre.Retention{Text: registre.Str("5 ans à compter de la clôture du dossier")},
		SecurityMeasures:   []string{"Habilitations ARAMIS, journalisation des accès"},
		ImplementationDate: registre.Str("2021-03-01"),
	}
}

func TestCleanRecordRaisesNothing(t *testing.T) {
	r := clean()
	if fs := New(WithNow(testNow)).CheckRecord(&r); len(fs) != 0 {
		for _, f := range fs {
			t.Errorf("unexpected %s (%s): %s", f.Rule, f.Code, deref(f.Evidence))
		}
	}
}

type ruleCase struct {
	name   string
	mutate func(r *registre.Record)
	rule   string // rule id expected present, or absent when !want
	want   bool
}

func runCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	e := New(WithNow(testNow))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := clean()
			tc.mutate(&r)
			var got *registre.Flag
			fs := e.CheckRecord(&r)
			for i := range fs {
				if fs[i].Rule == tc.rule {
					got = &fs[i]
				}
			}
			if tc.want && got == nil {
				var ids []string
				for _, f := range fs {
					ids = append(ids, f.Rule)
				}
				t.Fatalf("want %s, got %v", tc.rule, ids)
			}
			if !tc.want && got != nil {
				t.Fatalf("did not want %s, got evidence %q: %s", tc.rule, deref(got.Evidence), got.Message)
			}
			if got != nil {
				rule, _ := e.Rule(tc.rule)
				if got.Code != rule.Code || got.Severity != rule.Severity || got.Status != "open" || got.RuleVersion != rule.Version {
					t.Errorf("flag fields = %+v, want code %s severity %s status open", got, rule.Code, rule.Severity)
				}
				if got.Field == nil || *got.Field == "" {
					t.Errorf("flag has no field")
				}
				if !strings.Contains(got.Message, rule.Why) {
					t.Errorf("message lacks the why: %s", got.Message)
				}
			}
		})
	}
}

func retention(s string) func(*registre.Record) {
	return func(r *registre.Record) { r.Retention.Text = registre.Str(s) }
}

func TestRetentionRules(t *testing.T) {
	var cases []ruleCase
	for _, s := range []string{"", "/", " - ", "à compléter", "N/A", "?"} {
		cases = append(cases, ruleCase{"missing " + s, retention(s), "RET-001", true})
	}
	cases = append(cases,
		ruleCase{"missing nil", func(r *registre.Record) { r.Retention.Text = nil }, "RET-001", true},
		ruleCase{"nil text but periods", func(r *registre.Record) {
			r.Retention.Text = nil
			r.Retention.Periods = []registre.Period{{Amount: 5, Unit: "year"}}
		}, "RET-001", false},
		ruleCase{"stated is not missing", retention("5 ans"), "RET-001", false},
	)
	vague := []string{
		"Suivant décision nationale",
		"conformement aux dispositions legales",
		"En adéquation avec la conservation des pièces justificatives",
		"le temps nécessaire au traitement de la demande",
		"à définir",
		"Voir l'annexe 3 de la convention de gestion",
		"Durée fixée par la Cnam",
		"article 5 de l'engagement de conformité Cnam du 19 novembre 2015 dans le respect du décret n°2015-390 du 3 avril 2015.",
		"Jusqu'à la fin du projet",
		"durée de vie de l'application, puis archivage",
		"La durée de conservation ne peut excéder la date d'expiration du contrat de sous-traitance",
		"Les durées sont définies en fonction de chaque évènement",
	}
	for _, s := range vague {
		cases = append(cases, ruleCase{"vague " + s, retention(s), "RET-002", true})
	}
	determinate := []string{
		"cinq ans à compter de la dernière intervention sur le dossier du patient",
		"Année en cours + 2 ans",
		"3 ans + annee en cours",
		"Validité du document puis archivage. Année en cours pour les documents annuels",
		"Pas de conservation des données par la caisse",
		"pas de conservation",
		"Suppression immédiate après envoi du courrier",
		"Les données relatives au contenu de la carte sont détruites après émission ou mise à jour.",
		"Purge des fax chaque soir à minuit",
		"12 mois glissants",
		"vingt-quatre mois après la prise en charge",
		"1/2 journée pour les échantillons",
		"en adéquation avec la conservation des pièces justificatives. 6 ans à partir du solde de la créance.",
		"jusqu'au 31/12/2026",
		"Effacement sous 24h",
		"Dix ans",
		"Jusqu'à l'âge légal de départ à la retraite, ou jusqu'à 65 ans",
		"2 ans : une année en cours et une année d'historique",
	}
	for _, s := range determinate {
		cases = append(cases, ruleCase{"determinate " + s, retention(s), "RET-002", false})
		cases = append(cases, ruleCase{"not unlimited " + s, retention(s), "RET-003", false})
	}
	unlimited := []string{
		"Pas de suppression des données",
		"Conservation illimitée",
		"duree illimitee",
		"Les contenus peuvent être conservés aussi longtemps que les utilisateurs le souhaitent. Les messages supprimés sont conservés 14 jours",
		"Les données ne sont jamais supprimées",
		"conservées indéfiniment dans la base",
		"aucune suppression n'est prévue",
	}
	for _, s := range unlimited {
		cases = append(cases, ruleCase{"unlimited " + s, retention(s), "RET-003", true})
	}
	cases = append(cases,
		ruleCase{"no deletion before a duration", retention("Pas de suppression avant 5 ans"), "RET-003", false},
	)
	runCases(t, cases)
}

func TestCompletenessRules(t *testing.T) {
	runCases(t, []ruleCase{
		{"purpose nil", func(r *registre.Record) { r.Purposes = nil }, "PUR-001", true},
		{"purpose slash", func(r *registre.Record) { r.Purposes = []string{"/"} }, "PUR-001", true},
		{"purpose only sub-purposes", func(r *registre.Record) {
			r.Purposes = nil
			r.SubPurposes = []string{"Gestion des plaintes"}
		}, "PUR-001", false},
		{"data nil", func(r *registre.Record) { r.DataCategories = nil }, "DAT-001", true},
		{"data slash", func(r *registre.Record) { r.DataCategories = []string{"/"} }, "DAT-001", true},
		{"data subject only", func(r *registre.Record) { r.DataCategories = []string{"Assurés :"} }, "DAT-001", true},
		{"recipients none", func(r *registre.Record) { r.Recipients = registre.Recipients{} }, "REC-001", true},
		{"recipients placeholders", func(r *registre.Record) {
			r.Recipients = registre.Recipients{Internal: []string{"/"}, External: []string{""}}
		}, "REC-001", true},
		{"recipients external only", func(r *registre.Record) { r.Recipients.Internal = nil }, "REC-001", false},
		{"recipients declared none", func(r *registre.Record) {
			r.Recipients = registre.Recipients{}
			r.Provenance = map[string]registre.Provenance{"recipients.external": {Start: 10, End: 13}}
		}, "REC-001", false},
		{"persons with access count", func(r *registre.Record) {
			r.Recipients = registre.Recipients{}
			r.PersonsWithAccess = []string{"Agents habilités"}
		}, "REC-001", false},
		{"security nil", func(r *registre.Record) { r.SecurityMeasures = nil }, "SEC-001", true},
		{"security slash", func(r *registre.Record) { r.SecurityMeasures = []string{" / "} }, "SEC-001", true},
		{"security short", func(r *registre.Record) { r.SecurityMeasures = []string{"Fichiers cryptés."} }, "SEC-001", false},
		{"controller nil", func(r *registre.Record) { r.Controller = nil }, "CTL-001", true},
		{"controller empty", func(r *registre.Record) { r.Controller = &registre.Party{Name: registre.Str("/")} }, "CTL-001", true},
		{"controller contact only", func(r *registre.Record) {
			r.Controller = &registre.Party{Contact: registre.Str("dpo@cpam94.fr")}
		}, "CTL-001", false},
	})
}

func data(vals ...string) func(*registre.Record) {
	return func(r *registre.Record) { r.DataCategories = vals }
}

func TestDataCategoryPointers(t *testing.T) {
	pointers := [][]string{
		{"Suivant décision Cnam"},
		{"Suivant décisions de la Cnam"},
		{"Suivant déclaration CNIL de la CPAM de Paris"},
		{"Celles indiquées dans l'engagement de conformité Cnam du 19 novembre 2015"},
		{"Assurés : toutes les informations figurant à la page 3 de l'engagement de conformité.", "Employeurs : toutes les informations figurant à la page 4 de l'engagement de conformité"},
		{"voir l'acte reglementaire"},
		{"Toutes les catégories de données peuvent être potentiellement utilisées pour les besoins des missions."},
		{"Les données énumérées à l'article R. 1111-30 du Code de la santé publique"},
		{"Assurés : données des allocataires résultant de l'application de la législation en vigueur"},
		{"Assurés :", "cf. annexe 2"},
	}
	var cases []ruleCase
	for _, p := range pointers {
		cases = append(cases, ruleCase{"pointer " + p[0], data(p...), "DAT-002", true})
	}
	concrete := [][]string{
		{"Suivant décision Cnam", "Assurés : nom, prénom, NIR"},
		{"toutes les données permettant d'identifier les bénéficiaires"},
		{"Selon le cas : nom, prénom, adresse"},
		{"Données d'identification dont nom, prénom", "Données de contact dont adresse postale"},
		{"Salariés : saisie de l'activité quotidienne dans OSCAR"},
	}
	for _, c := range concrete {
		cases = append(cases, ruleCase{"concrete " + c[0], data(c...), "DAT-002", false})
		cases = append(cases, ruleCase{"not empty " + c[0], data(c...), "DAT-001", false})
	}
	runCases(t, cases)
}

func TestLegalBasisRules(t *testing.T) {
	noBasis := func(r *registre.Record) {
		r.LegalBases = nil
		r.LegalBasisText = nil
	}
	runCases(t, []ruleCase{
		{"no basis field", noBasis, "LB-001", true},
		{"unknown code", func(r *registre.Record) {
			r.LegalBases = []registre.LegalBasis{{Code: "unknown"}}
			r.LegalBasisText = nil
		}, "LB-001", true},
		{"national text only", func(r *registre.Record) {
			r.LegalBases = []registre.LegalBasis{{Code: "national", Text: "Vu la loi n° 78-17 du 6 janvier 1978"}}
			r.LegalBasisText = registre.Str("Vu la loi n° 78-17 du 6 janvier 1978")
		}, "LB-001", true},
		{"basis written out, no code", func(r *registre.Record) {
			r.LegalBases = nil
			r.LegalBasisText = registre.Str("Obligation legale (art. L. 114-12 du CSS)")
		}, "LB-001", false},
		{"basis as 6.1.e", func(r *registre.Record) {
			r.LegalBases = nil
			r.LegalBasisText = registre.Str("article 6.1.e du règlement")
		}, "LB-001", false},
		{"public service mission", func(r *registre.Record) {
			r.LegalBases = nil
			r.LegalBasisText = registre.Str("Mission de service public de la caisse")
		}, "LB-001", false},
		{"regulatory obligation", func(r *registre.Record) {
			r.LegalBases = nil
			r.LegalBasisText = registre.Str("Obligation réglementaire de référencement")
		}, "LB-001", false},
		{"6-1-c code", func(r *registre.Record) {
			r.LegalBases = []registre.LegalBasis{{Code: "6-1-c"}}
			r.LegalBasisText = nil
		}, "LB-001", false},
		{"basis ended", func(r *registre.Record) {
			r.LegalBasisText = registre.Str("Article 11 loi n° 2020-546 du 11 mai 2020. L'obligation légale a pris fin au 31/01/2023.")
		}, "LB-002", true},
		{"basis ends later", func(r *registre.Record) {
			r.LegalBasisText = registre.Str("Article 6-1-c du RGPD. Le dispositif prend fin le 31 décembre 2030.")
		}, "LB-002", false},
	})
}

func TestVagueRetentionNamesThePointer(t *testing.T) {
	r := clean()
	r.Retention.Text = registre.Str("article 5 de l'engagement de conformité Cnam du 19 novembre 2015 dans le respect du décret n°2015-390 du 3 avril 2015.")
	f := findRule(New(WithNow(testNow)).CheckRecord(&r), "RET-002")
	if f == nil || !strings.Contains(f.Message, "renvoie seulement à « article 5 de l'engagement de conformité Cnam du 19 novembre 2015 »") {
		t.Fatalf("message should name the document referred to: %+v", f)
	}
}

func TestLegalBasisMessageIsDateAware(t *testing.T) {
	e := New(WithNow(testNow))
	r := clean()
	r.LegalBases, r.LegalBasisText = nil, nil
	r.ImplementationDate = registre.Str("1993-12-06")
	f := findRule(e.CheckRecord(&r), "LB-001")
	if f == nil || !strings.Contains(f.Message, "6 décembre 1993") || !strings.Contains(f.Message, "avant le RGPD") {
		t.Fatalf("message should say the 1993 record predates the GDPR: %+v", f)
	}
	r.ImplementationDate = registre.Str("2021")
	f = findRule(e.CheckRecord(&r), "LB-001")
	if f == nil || strings.Contains(f.Message, "avant le RGPD") {
		t.Fatalf("a 2021 record must not be excused: %+v", f)
	}
}

func findRule(fs []registre.Flag, id string) *registre.Flag {
	for i := range fs {
		if fs[i].Rule == id {
			return &fs[i]
		}
	}
	return nil
}

func health(vals ...string) func(*registre.Record) {
	return func(r *registre.Record) {
		r.DataCategories = append([]string{"Assurés : nom, prénom, NIR"}, vals...)
		r.Sensitive.Health = nil
		r.LegalBasisText = registre.Str("Article 6-1-e du RGPD : mission d'intérêt public")
	}
}

func TestHealthRules(t *testing.T) {
	var cases []ruleCase
	for _, s := range []string{
		"Données relatives à la santé des assurés",
		"Dossier medical dentaire : bilan, contre-indications",
		"taux d'invalidité permanente",
		"questionnaire et echantillons de sang",
		"Arrêts de travail et indemnités journalières",
		"Reconnaissance de la qualité de travailleur handicapé (RQTH)",
		"Maladie Professionnelle : codification MP",
		"éléments liés à la situation de Covid positif",
		"S'il s'agit d'un AT : date de l'accident",
		"données relatives aux soins, à la consommation de soins et d'hospitalisations",
	} {
		cases = append(cases, ruleCase{"health " + s, health(s), "ART9-001", true})
	}
	for _, s := range []string{
		"Professionnels de santé : nom, prénom, spécialité",
		"Patients du Centre Médical Stalingrad : nom, prénom, téléphone",
		"Adhésion à la complémentaire santé solidaire",
		"Assuré : données de santé anonymisées, année de naissance, commune",
		"Fichiers anonymisés : invalidité, handicap, hospitalisation",
		"points de vigilance : accès aux soins",
	} {
		cases = append(cases, ruleCase{"not health " + s, health(s), "ART9-001", false})
	}
	withBasis := func(text string) func(*registre.Record) {
		return func(r *registre.Record) {
			health("Données relatives à la santé dont diagnostics")(r)
			r.LegalBasisText = registre.Str(text)
		}
	}
	for _, s := range []string{
		"Article 6-1-c du RGPD : obligation légale, articles L. 161-28-1 et suivants du CSS",
		"Article 9-2-h du RGPD : gestion des systèmes de protection sociale",
		"art. 9 §2 b) RGPD",
		"Décret n° 2020-551 du 12 mai 2020",
		"loi 93-8 du 4 janvier 1993",
		"Obligation légale : article R.1112-7 du Code de la santé publique",
		"prise en charge sanitaire ou sociale",
		"RGPD 9.2.h",
		"article 9(2)(b) du RGPD",
		"Article 59 de la loi de financement de la sécurité sociale pour 2016",
	} {
		cases = append(cases, ruleCase{"condition " + s, withBasis(s), "ART9-001", false})
	}
	for _, s := range []string{
		"Article 6-1-c du RGPD : obligation légale conformément au Code de la sécurité sociale.",
		"mission d'intérêt public",
		"Livre 4 du Code de la sécurité sociale",
		"Loi Informatique et Libertés",
	} {
		cases = append(cases, ruleCase{"generic " + s, withBasis(s), "ART9-001", true})
	}
	cases = append(cases,
		ruleCase{"9-2 code", func(r *registre.Record) {
			health("Données de santé")(r)
			r.LegalBases = append(r.LegalBases, registre.LegalBasis{Code: "9-2-b"})
		}, "ART9-001", false},
		ruleCase{"normalize said no health, data say health", func(r *registre.Record) {
			health("à la santé (remboursement des soins)")(r)
			r.Sensitive.Health = registre.Bool(false)
		}, "ART9-001", true},
		ruleCase{"loi 78-17 alone is generic", func(r *registre.Record) {
			health("Données relatives à la santé")(r)
			r.LegalBasisText = registre.Str("Vu la Loi n° 78-17 du 6 janvier 1978 relative à l'informatique, aux fichiers et aux libertés")
		}, "ART9-001", true},
		ruleCase{"an article of loi 78-17 is specific", func(r *registre.Record) {
			health("Données relatives à la santé")(r)
			r.LegalBasisText = registre.Str("article 65 de la loi n° 78-17 modifiée")
		}, "ART9-001", false},
		ruleCase{"CIL decision in lineage", func(r *registre.Record) {
			r.Lineage = []string{"la décision CIL 12-16 relative au dossier extranet en date du 29 octobre 2012"}
		}, "OLD-002", true},
		ruleCase{"normalize said health, term in purposes", func(r *registre.Record) {
			r.Sensitive.Health = registre.Bool(true)
			r.Purposes = []string{"Effectuer les examens de vision des salariés"}
			r.LegalBasisText = registre.Str("mission d'intérêt public")
		}, "ART9-001", true},
		ruleCase{"provision in purposes", func(r *registre.Record) {
			health("Données relatives à la santé des assurés")(r)
			r.Purposes = []string{"Enregistrer les examens prévus à l'article L321-3 du code de la Sécurité sociale"}
		}, "ART9-001", false},
	)
	for _, s := range []string{"Délégués syndicaux : heures de délégation", "Données relatives aux convictions religieuses", "empreintes digitales pour l'accès", "orientation sexuelle"} {
		cases = append(cases, ruleCase{"art9 other " + s, health(s), "ART9-002", true})
	}
	cases = append(cases,
		ruleCase{"union with provision", func(r *registre.Record) {
			health("Délégués syndicaux")(r)
			r.LegalBasisText = registre.Str("articles L. 2314-15 et suivants du Code du travail")
		}, "ART9-002", false},
	)
	cases = append(cases,
		ruleCase{"criminal data", health("Bulletin n° 2 du casier judiciaire"), "ART10-001", true},
		ruleCase{"convictions", health("condamnation, interdiction d'exercer"), "ART10-001", true},
		ruleCase{"criminal data with a text", func(r *registre.Record) {
			health("infractions, condamnations ou mesures de sûreté")(r)
			r.LegalBasisText = registre.Str("articles L. 114-9 et suivants du Code de la sécurité sociale")
		}, "ART10-001", false},
		ruleCase{"religious convictions are not criminal", health("convictions religieuses"), "ART10-001", false},
	)
	runCases(t, cases)
}

func TestHealthMessageQuotesGenericMention(t *testing.T) {
	r := clean()
	health("Données relatives à la santé")(&r)
	r.LegalBasisText = registre.Str("obligation légale conformément au Code de la sécurité sociale")
	f := findRule(New(WithNow(testNow)).CheckRecord(&r), "ART9-001")
	if f == nil || !strings.Contains(f.Message, "« Code de la sécurité sociale » est une mention générale") {
		t.Fatalf("message should explain the generic mention: %+v", f)
	}
	if deref(f.Evidence) != "Données relatives à la santé" || deref(f.Field) != "data_categories" {
		t.Errorf("evidence = %q field %q", deref(f.Evidence), deref(f.Field))
	}
}

func anywhere(field, s string) func(*registre.Record) {
	return func(r *registre.Record) {
		switch field {
		case "security":
			r.SecurityMeasures = append(r.SecurityMeasures, s)
		case "data":
			r.DataCategories = append(r.DataCategories, s)
		case "legal":
			r.LegalBasisText = registre.Str(deref(r.LegalBasisText) + " " + s)
		case "rights":
			r.Rights.Text = registre.Str(s)
		case "attachment":
			r.Attachments = append(r.Attachments, registre.Attachment{Label: s})
		case "processors":
			r.Processors = append(r.Processors, s)
		case "purposes":
			r.Purposes = append(r.Purposes, s)
		case "transfers":
			r.Transfers.Text = registre.Str(s)
			r.Transfers.OutsideEU = nil
		}
	}
}

func TestOutdatedReferences(t *testing.T) {
	runCases(t, []ruleCase{
		{"declaration CNIL", anywhere("data", "Suivant déclaration CNIL de la CPAM de Paris"), "OLD-001", true},
		{"recepisse", anywhere("attachment", "Récépissé de déclaration n° 1234567"), "OLD-001", true},
		{"registered number", anywhere("legal", "transmis à la CNIL le 10 janvier 2006 et enregistré sous le n°1142316"), "OLD-001", true},
		{"old deliberation", anywhere("legal", "Justification de la DUA : délibération CNIL n° 02-017 du 21 mars 2002"), "OLD-001", true},
		{"norme simplifiee", anywhere("legal", "Norme simplifiée n° 46"), "OLD-001", true},
		{"avis repute favorable", anywhere("legal", "après avis réputé favorable de la CNIL"), "OLD-001", true},
		{"old authorisation", anywhere("legal", "Autorisation CNIL n° 912345 du 3 mars 2010"), "OLD-001", true},
		{"CNIL number", anywhere("attachment", "N° CNIL : 1234567"), "OLD-001", true},
		{"declaration simplifiee", anywhere("legal", "Déclaration simplifiée (NS 48)"), "OLD-001", true},
		{"declared under number", anywhere("legal", "Traitement déclaré à la CNIL sous le numéro 987654"), "OLD-001", true},
		{"recent deliberation", anywhere("legal", "délibération CNIL n° 2019-160 du 21 novembre 2019"), "OLD-001", false},
		{"recent authorisation", anywhere("legal", "Autorisation CNIL n° 920123 du 5 mai 2020 (recherche en santé)"), "OLD-001", false},
		{"avis on a decree", anywhere("legal", "demande d'avis à la Cnil sur le projet de décret"), "OLD-001", false},
		{"engagement de conformite", anywhere("data", "Celles indiquées dans l'engagement de conformité Cnam"), "OLD-001", false},
		{"CIL decision", anywhere("legal", "Vu la décision CIL 12-16"), "OLD-002", true},
		{"CIL spelled out", anywhere("rights", "auprès du Correspondant Informatique et Libertés de la caisse"), "OLD-002", true},
		{"CIL old wording", anywhere("rights", "Le Correspondant à la protection des données à caractère personnel"), "OLD-002", true},
		{"correspondant CNIL", anywhere("rights", "auprès du correspondant CNIL de l'organisme"), "OLD-002", true},
		{"DPO", anywhere("rights", "délégué à la protection des données (DPO)"), "OLD-002", false},
		{"CICAT is not CIL", anywhere("purposes", "Gestion des fournisseurs CICAT"), "OLD-002", false},
		{"directive", anywhere("legal", "directive 95/46/CE du 24 octobre 1995"), "OLD-003", true},
		{"directive words", anywhere("legal", "Directive européenne du 24 octobre 1995"), "OLD-003", true},
		{"regulation", anywhere("legal", "Règlement (UE) 2016/679"), "OLD-003", false},
		{"old rights article", anywhere("rights", "Conformément aux articles 39 et suivants de la loi n°78-17"), "OLD-004", true},
		{"old article in old document", func(r *registre.Record) {
			r.Source.DocumentDate = registre.Str("2014-07-28")
			r.LegalBasisText = registre.Str("au sens de l'article 3 de la loi n°78-17")
		}, "OLD-004", true},
		{"same article in a recent document", func(r *registre.Record) {
			r.Source.DocumentDate = registre.Str("2022-01-10")
			r.Rights.Text = registre.Str("au sens de l'article 3 de la loi n°78-17")
		}, "OLD-004", false},
		{"amended law", anywhere("legal", "Loi n°78-17 du 6 janvier 1978 modifiée"), "OLD-004", false},
	})
}

func TestOutdatedMessageIsDateAware(t *testing.T) {
	e := New(WithNow(testNow))
	r := clean()
	r.Rights.Text = registre.Str("Le Correspondant Informatique et Libertés (CIL) de la MSA")
	r.Source.DocumentDate = registre.Str("2014-04-16")
	f := findRule(e.CheckRecord(&r), "OLD-002")
	if f == nil || !strings.Contains(f.Message, "16 avril 2014") || !strings.Contains(f.Message, "remplacé par le DPO depuis le 25 mai 2018") {
		t.Fatalf("2014 message should say it was right then: %+v", f)
	}
	r.Source.DocumentDate = registre.Str("2021-01-01")
	f = findRule(e.CheckRecord(&r), "OLD-002")
	if f == nil || strings.Contains(f.Message, "À la date du document") {
		t.Fatalf("2021 message must not excuse the reference: %+v", f)
	}
}
