// Package synth makes realistic processing records in bulk, for index
// benchmarks: French text with accents, the value mix of real registers
// (organisations, legal bases, flags, retention periods), stable ids.
package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"registre"
)

var (
	orgs     = []string{"Cnam", "Cramif", "CCMSA", "CGSS Martinique", "CPAM de Paris", "Carsat Bretagne", "MSA Île-de-France"}
	formats  = []registre.Format{registre.FormatPDF, registre.FormatDOCX, registre.FormatHTML, registre.FormatXLSX, registre.FormatDOC}
	subjects = []string{"Gestion des", "Suivi des", "Contrôle des", "Instruction des", "Paiement des", "Archivage des", "Traitement des"}
	objects  = []string{"indemnités journalières", "droits en invalidité", "frais de santé", "accidents du travail", "rentes d'incapacité",
		"réclamations des assurés", "signalements de fraude", "dossiers de maternité", "affiliations des salariés agricoles",
		"cotisations des employeurs", "prestations familiales", "demandes de complémentaire santé solidaire"}
	purposes = []string{
		"Acquérir, contrôler et enregistrer les informations utiles à la gestion du dossier",
		"Calculer et verser les prestations dues aux bénéficiaires",
		"Produire des statistiques et des indicateurs de pilotage",
		"Lutter contre la fraude et les activités fautives",
		"Informer les assurés de l'état de leur dossier",
		"Communiquer avec les professionnels de santé et les établissements",
	}
	categories = []string{
		"Données d'identification dont le nom, prénom, sexe, date de naissance, NIR",
		"Données de contact dont adresse postale, e-mail et n° de téléphone",
		"Données relatives à la santé dont nature et montants des actes",
		"Coordonnées bancaires",
		"Données de connexion et traces techniques (logs, connexion)",
		"Données relatives à la situation professionnelle dont profession, employeur",
		"Données relatives à la vie personnelle dont situation familiale et composition du foyer",
		"Données d'ordre économique et financier dont ressources du foyer",
	}
	people     = []string{"Bénéficiaires de l'Assurance Maladie", "Ayants droit", "Employeurs", "Professionnels de santé", "Agents de la caisse", "Victimes d'accidents du travail"}
	recipients = []string{"Services internes habilités", "Service médical", "URSSAF", "Organismes complémentaires", "Trésor public", "Prestataire d'éditique"}
	codes      = []string{"6-1-c", "6-1-e", "6-1-b", "9-2-b", "9-2-h", "national", "unknown"}
	flagCodes  = []string{"missing_legal_basis", "vague_retention", "health_data_without_art9", "missing_data_categories", "outdated_legal_reference"}
	units      = []string{"day", "month", "year", "year", "year"}
)

// Records returns n records; the same seed gives the same records.
func Records(n int, seed uint64) []registre.Record {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	out := make([]registre.Record, n)
	for i := range out {
		out[i] = record(r, i)
	}
	return out
}

func some[T any](r *rand.Rand, s []T, max int) []T {
	k := 1 + r.IntN(max)
	out := make([]T, 0, k)
	for _, j := range r.Perm(len(s))[:min(k, len(s))] {
		out = append(out, s[j])
	}
	return out
}

func record(r *rand.Rand, i int) registre.Record {
	org := orgs[r.IntN(len(orgs))]
	name := fmt.Sprintf("%s %s (%d)", subjects[r.IntN(len(subjects))], objects[r.IntN(len(objects))], i)
	file := fmt.Sprintf("registres/%s/registre-%03d.%s", strings.ToLower(strings.Fields(org)[0]), i/40, formats[(i/40)%len(formats)])
	var lbs []registre.LegalBasis
	for _, c := range some(r, codes, 2) {
		lbs = append(lbs, registre.LegalBasis{Code: c, Text: "Article " + c + " du RGPD : obligation légale (articles L. 161-1 et suivants du code de la sécurité sociale)"})
	}
	var flags []registre.Flag
	if r.IntN(3) == 0 {
		code := flagCodes[r.IntN(len(flagCodes))]
		flags = append(flags, registre.Flag{Code: code, Severity: registre.SeverityWarning, Message: "Point à vérifier : " + strings.ReplaceAll(code, "_", " "), Status: "open"})
	}
	amount := float64(1 + r.IntN(30))
	unit := units[r.IntN(len(units))]
	retention := fmt.Sprintf("%g %s à compter de la clôture du dossier", amount, map[string]string{"day": "jours", "month": "mois", "year": "ans"}[unit])
	date := fmt.Sprintf("%d-%02d-%02d", 1985+r.IntN(40), 1+r.IntN(12), 1+r.IntN(28))
	health, nir := r.IntN(2) == 0, r.IntN(2) == 0
	outside := r.IntN(20) == 0
	return registre.Record{
		SchemaVersion:      registre.SchemaVersion,
		ID:                 fmt.Sprintf("%s-bench-%06d", strings.ToLower(strings.Fields(org)[0]), i),
		Organisation:       org,
		Source:             registre.Source{Path: file, Format: formats[(i/40)%len(formats)], SHA256: fmt.Sprintf("%064x", i/40), Locator: fmt.Sprintf("Fiche %d", i%40+1)},
		Name:               name,
		Purposes:           some(r, purposes, 3),
		SubPurposes:        []string{},
		LegalBases:         lbs,
		LegalBasisText:     registre.Str(lbs[0].Text),
		DataSubjects:       some(r, people, 3),
		DataCategories:     some(r, categories, 5),
		Sensitive:          registre.Sensitive{Health: &health, NIR: &nir, Other: []string{}},
		Recipients:         registre.Recipients{Internal: some(r, recipients[:2], 2), External: some(r, recipients[2:], 3)},
		PersonsWithAccess:  []string{},
		Processors:         []string{},
		Transfers:          registre.Transfers{OutsideEU: &outside, Destinations: []string{}, Safeguards: []string{}},
		Retention:          registre.Retention{Text: &retention, Periods: []registre.Period{{Amount: amount, Unit: unit}}},
		SecurityMeasures:   []string{"Habilitations nominatives et journalisation des accès"},
		Rights:             registre.Rights{Contact: registre.Str("dpo@" + strings.ToLower(strings.Fields(org)[0]) + ".fr")},
		ImplementationDate: &date,
		Flags:              flags,
		Provenance:         map[string]registre.Provenance{"name": {Locator: fmt.Sprintf("Fiche %d", i%40+1), Start: 0, End: len(name), Method: "rule", Confidence: 1}},
		Attachments:        []registre.Attachment{},
		Lineage:            []string{},
		JointControllers:   []string{},
	}
}
