package normalize

import (
	"strings"
	"testing"

	"registre"
)

type wantPeriod struct {
	amount         float64
	unit, iso      string
	trigger, scope string
}

type tri int

const (
	unset tri = iota
	yes
	no
)

func (t tri) check(b *bool) bool {
	switch t {
	case yes:
		return b != nil && *b
	case no:
		return b != nil && !*b
	}
	return b == nil
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// Every retention phrasing of seeds-analysis.md §3.2.1 (seeds 001 and 002),
// then variants: number words, capitals, missing accents, typos, sums,
// ranges, hours, indefinite wordings.
func TestParseRetentionPhrasings(t *testing.T) {
	cases := []struct {
		in   string
		want []wantPeriod
		ind  tri
	}{
		{"20 ans + 3 ans à l'issue de dernier enregistrement de données financières liées à un accident du travail (ou maladie professionnelle) de plus de 20 ans", []wantPeriod{{23, "year", "P23Y", "dernier enregistrement de données financières liées à un accident du travail (ou maladie professionnelle) de plus de 20 ans", ""}}, no},
		{"en adéquation avec la conservation des pièces justificatives. 6 ans à partir du solde de la créance.", []wantPeriod{{6, "year", "P6Y", "solde de la créance", ""}}, no},
		{"décision Cnam ; Consultation des paiements : les paiements des 12 derniers mois sont accessibles sur le site Internet. 2 ans pour le suivi de l'instruction.", []wantPeriod{{2, "year", "P2Y", "", "suivi de l'instruction"}}, no},
		{"12 mois dans ESPACE RDV - 2 ans pour les données statistiques de l'accueil physique - 1 an pour WEBACCUEIL", []wantPeriod{{12, "month", "P12M", "", "ESPACE RDV"}, {2, "year", "P2Y", "", "données statistiques de l'accueil physique"}, {1, "year", "P1Y", "", "WEBACCUEIL"}}, no},
		{"La durée de conservation des données d'inscription est de 3 ans maximum  et de 13 mois pour les cookies.", []wantPeriod{{3, "year", "P3Y", "", ""}, {13, "month", "P13M", "", "cookies"}}, no},
		{"3 ans pour les contenus des bases de données (possibilité de re-calculs sur 3 ans des éléments du bulletin de salaire) 6 mois pour les éventuels documents papiers, 3 ans pour les données statistiques de fréquentation.", []wantPeriod{{3, "year", "P3Y", "", "contenus des bases de données"}, {6, "month", "P6M", "", "éventuels documents papiers"}, {3, "year", "P3Y", "", "données statistiques de fréquentation"}}, no},
		{"Présence du personnel (agents Cramif). 3 ans + année en cours (mouvements). Épuration tous les 3 ans (personnes ext.). Tous les ouvrages rendus (stagiaires/étudiants). Durée de vie de l'ouvrage dans le centre de documentation (info bilbliographiques)", []wantPeriod{{3, "year", "P3Y", "année en cours", ""}, {3, "year", "P3Y", "purge périodique", ""}}, no},
		{"5 ans", []wantPeriod{{5, "year", "P5Y", "", ""}}, no},
		{"Identification des personnes dans le répertoire conservation tant que présence dans l'entreprise, puis conservation de 6 mois après le départ du salarié Suppression des fax stockés sur le serveur de fax chaque soir à minuit", []wantPeriod{{6, "month", "P6M", "départ du salarié", ""}}, no},
		{"Base SCAPIN : 5 ans après extinction du dossier ; Consultation 12 derniers paiements sur Internet", []wantPeriod{{5, "year", "P5Y", "extinction du dossier", "Base SCAPIN"}}, no},
		{"6 mois maximum, par le Service social", []wantPeriod{{6, "month", "P6M", "", ""}}, no},
		{"3 mois pour les documents papiers retournés", []wantPeriod{{3, "month", "P3M", "", "documents papiers retournés"}}, no},
		{"5 ans maximum après la suppression des références du fournisseur", []wantPeriod{{5, "year", "P5Y", "suppression des références du fournisseur", ""}}, no},
		{"1 an pour le concours au DEASS ; 6 mois pour les inscriptions PREPA.", []wantPeriod{{1, "year", "P1Y", "", "concours au DEASS"}, {6, "month", "P6M", "", "inscriptions PREPA"}}, no},
		{"conservation le temps de la gestion de la créance + 7 ans après que la créance soit soldée.", []wantPeriod{{7, "year", "P7Y", "créance soit soldée", ""}}, no},
		{"2 ans + année en cours", []wantPeriod{{2, "year", "P2Y", "année en cours", ""}}, no},
		{"3 mois pour les données d'identification des personnes, les mails reçus et les réponses apportées par le SSR", []wantPeriod{{3, "month", "P3M", "", "données d'identification des personnes, les mails reçus et les réponses apportées"}}, no},
		{"Pas de suppression des données", []wantPeriod{}, yes},
		{"3 ans", []wantPeriod{{3, "year", "P3Y", "", ""}}, no},
		{"Pas de conservation des données par la Cramif", []wantPeriod{}, no},
		{"cinq ans à compter de la dernière intervention sur le dossier du patient conformément aux recommandations de la CNIL, puis archivage.", []wantPeriod{{5, "year", "P5Y", "dernière intervention sur le dossier du patient", ""}}, no},
		{"5 ans + l'année en cours (6 ans)", []wantPeriod{{5, "year", "P5Y", "année en cours", ""}}, no},
		{"Année en cours + 2 ans", []wantPeriod{{2, "year", "P2Y", "année en cours", ""}}, no},
		{"Conformément aux dispositions légales.", []wantPeriod{}, unset},
		{"Durée nécessaire à la passation du marché public, puis archivage conformément aux délais de prescription légaux applicables aux documents des dossiers de marchés publics.", []wantPeriod{}, unset},
		{"6 mois si non réponse de l'assuré, 6 mois après la clôture du dossier dans ANAISS, Suppression immédiate possible sur demande de l'assuré.", []wantPeriod{{6, "month", "P6M", "", ""}, {6, "month", "P6M", "clôture du dossier dans ANAISS", ""}}, no},
		{"article 5 de l'engagement de conformité Cnam du 19 novembre 2015 dans le respect du décret n°2015-390 du 3 avril 2015.", []wantPeriod{}, unset},
		{"Jusqu'à l'âge légal de départ à la retraite du pensionné ou du bénéficiaire de la réversion, ou jusqu'à 65 ans pour raison d'activité professionnelle", []wantPeriod{}, unset},
		{"5 ans conformément aux instructions de la Cnam", []wantPeriod{{5, "year", "P5Y", "", ""}}, no},
		{"5 ans à compter de la date de clôture du dossier ou de la date d'extinction du délai légal de la dernière possibilité contentieuse", []wantPeriod{{5, "year", "P5Y", "date de clôture du dossier ou de la date d'extinction du délai légal de la dernière possibilité contentieuse", ""}}, no},
		{"Les données issues des requêtes sont conservées 18 mois", []wantPeriod{{18, "month", "P18M", "", "données issues des requêtes"}}, no},
		{"7 jours, puis destruction. Les données relatives aux personnes : présence du personnel à la Cramif, à la DRSMIF et dans les établissements partenaires du restaurant", []wantPeriod{{7, "day", "P7D", "", ""}}, no},
		{"6 mois glissant", []wantPeriod{{6, "month", "P6M", "", ""}}, no},
		{"10 ans", []wantPeriod{{10, "year", "P10Y", "", ""}}, no},
		{"Suivant décision nationale", []wantPeriod{}, unset},
		{"1 an pour les visiteurs et salariés utilisant un équipement personnel ; 6 mois pour les salariés utilisant un équipement professionnel", []wantPeriod{{1, "year", "P1Y", "", "visiteurs et salariés utilisant un équipement personnel"}, {6, "month", "P6M", "", "salariés utilisant un équipement professionnel"}}, no},
		{"5 ans + l'année en cours", []wantPeriod{{5, "year", "P5Y", "année en cours", ""}}, no},
		{"Validité du document qualité puis archivage. Année en cours pour les documents annuels puis archivage. Suppression après 3 ans.", []wantPeriod{{3, "year", "P3Y", "", ""}}, no},
		{"3 ans après fermeture du compte", []wantPeriod{{3, "year", "P3Y", "fermeture du compte", ""}}, no},
		{"2 ans plus l'année en cours", []wantPeriod{{2, "year", "P2Y", "année en cours", ""}}, no},
		{"24 mois après la prise en charge", []wantPeriod{{24, "month", "P24M", "prise en charge", ""}}, no},
		{"le temps de suivi du projet.", []wantPeriod{}, unset},
		{"2 mois glissants pour l'assurance maladie 3 mois sur les serveurs du sous-traitant 6 mois dans le cadre d'une évaluation pour la qualité de service.", []wantPeriod{{2, "month", "P2M", "", "assurance maladie"}, {3, "month", "P3M", "", "serveurs du sous-traitant"}, {6, "month", "P6M", "", ""}}, no},
		{"5 ans à compter de la date de clôture du dossier.", []wantPeriod{{5, "year", "P5Y", "date de clôture du dossier", ""}}, no},
		{"Il n'y a pas de conservation spécifique des données qui appartiennent à Pôle Emploi. En revanche les informations nécessaires à l'instruction des droits sont conservées dans le logiciel SCAPIN comme prévu 5 ans après l'extinction des droits", []wantPeriod{{5, "year", "P5Y", "extinction des droits", "informations nécessaires à l'instruction des droits"}}, no},
		{"5 ans après la fin du prêt (conservation conforme à celle de la clôture des comptes).", []wantPeriod{{5, "year", "P5Y", "fin du prêt", ""}}, no},
		{"Les contenus des messages et agenda peuvent être conservés aussi longtemps que les utilisateurs le souhaitent dans la limite de leur quota de messagerie. Les messages supprimés sont conservés 14 jours", []wantPeriod{{14, "day", "P14D", "", "messages supprimés"}}, no},
		{"5 jours dans l'applicatif PETRA", []wantPeriod{{5, "day", "P5D", "", "applicatif PETRA"}}, no},
		{"2 ans : une année en cours et une année d'historique", []wantPeriod{{2, "year", "P2Y", "", ""}}, no},
		{"Les données sont conservées 3 ans. Début janvier chaque année les dossiers de l'année N-3 sont supprimés de l'espace partagé crypté par l'agent administratif chargé du suivi Prado.", []wantPeriod{{3, "year", "P3Y", "", ""}}, no},
		{"Épuration automatique des données tous les 5 ans", []wantPeriod{{5, "year", "P5Y", "purge périodique", ""}}, no},
		{"Pendant toute la durée de l'accompagnement + 18 mois - 3 ans pour les archives", []wantPeriod{{18, "month", "P18M", "durée de l'accompagnement", ""}, {3, "year", "P3Y", "", "archives"}}, no},
		{"Données patients : 20 ans - Données professionnelles : données de contact : durée de la relation avec Doctolib + 5 ans données de la fiche professionnelle : durée de la relation avec Doctolib + 3 mois", []wantPeriod{{20, "year", "P20Y", "", "Données patients"}, {5, "year", "P5Y", "durée de la relation avec Doctolib", "Données professionnelles : données de contact"}, {3, "month", "P3M", "durée de la relation avec Doctolib", "données de la fiche professionnelle"}}, no},
		{"12 mois", []wantPeriod{{12, "month", "P12M", "", ""}}, no},
		{"Durée maximale de 5 ans", []wantPeriod{{5, "year", "P5Y", "", ""}}, no},
		{"Le maximum de conservation des informations est de 3 mois La base archive nationale conserve les plis pendant 6 mois maximum", []wantPeriod{{3, "month", "P3M", "", ""}, {6, "month", "P6M", "", ""}}, no},
		{"Pas de conservation des données bancaires à la Cramif, 3 années glissantes pour les autres données. 10 ans à la Caisse des dépôts et Consignations", []wantPeriod{{3, "year", "P3Y", "", "autres données"}, {10, "year", "P10Y", "", "Caisse des dépôts et Consignations"}}, no},
		{"5 ans plus l'année en cours Pour le bulletin de paie : ensemble de la carrière du salarié conformément aux lois en vigueur.", []wantPeriod{{5, "year", "P5Y", "année en cours", ""}}, no},
		{"1 an", []wantPeriod{{1, "year", "P1Y", "", ""}}, no},
		{"15 jours pour les questionnaires 1/2 journée pour les échantillons de sang", []wantPeriod{{15, "day", "P15D", "", "questionnaires"}, {0.5, "day", "", "", "échantillons de sang"}}, no},
		{"pas de conservation", []wantPeriod{}, no},
		{"Pas de conservation du mandat Informations dans la base de gestion de l'activité d'accompagnement social (GAIA) conservées 18 mois après clôture du dossier et dans l'outil de suivi clientèle (GSC) 6 mois après la clôture du dossier", []wantPeriod{{18, "month", "P18M", "clôture du dossier", ""}, {6, "month", "P6M", "clôture du dossier", ""}}, no},
		{"Pour la branche maladie : les données issues de la requête sont conservées un mois après transmission à la branche famille. Pour les coordonnées de contact : les données sont supprimées dès lors que le contact est modifié au sein de l'organisme.", []wantPeriod{{1, "month", "P1M", "transmission à la branche famille", "branche maladie"}}, no},
		{"au plus 5 années civiles suivant la fin de droit ou jusqu'à l'extinction des droits des ayant-droits", []wantPeriod{{5, "year", "P5Y", "fin de droit", ""}}, no},
		{"5 ans durée maximale", []wantPeriod{{5, "year", "P5Y", "", ""}}, no},
		{"3 ans dans la BNTSA", []wantPeriod{{3, "year", "P3Y", "", "BNTSA"}}, no},
		{"le temps de suivi du projet", []wantPeriod{}, unset},
		{"60 jours : données personnelles d'identification. 1 an à 5 ans : signalements \"anonymisés\".", []wantPeriod{{60, "day", "P60D", "", "données personnelles d'identification"}, {5, "year", "P5Y", "", "signalements \"anonymisés\""}}, no},
		{"3 mois après la collecte 6 mois à compter de la fin de l'état d'urgence sanitaire pour les opérations de mise à jour, de suppression et de consultation du traitement.", []wantPeriod{{3, "month", "P3M", "collecte", ""}, {6, "month", "P6M", "fin de l'état d'urgence sanitaire", "opérations de mise à jour, de suppression et de consultation du traitement"}}, no},
		{"3 ans après la fin de validité des droits", []wantPeriod{{3, "year", "P3Y", "fin de validité des droits", ""}}, no},
		{"5 ans après la fin de validité des droits ou jusqu'à l'intervention d'une décision définitive en cas de contentieux", []wantPeriod{{5, "year", "P5Y", "fin de validité des droits", ""}}, no},
		{"Les données sont conservées par l'Assurance Maladie pendant la durée nécessaire à la gestion des droits à la protection complémentaire et dans la limite de 3 années à compter de la fermeture des droits à la complémentaire santé.", []wantPeriod{{3, "year", "P3Y", "fermeture des droits à la complémentaire santé", ""}}, no},
		{"Les données d'identification des bénéficiaires sont conservées 5 ans après la fermeture des droits à l'Assurance Maladie de l'assuré ou de l'ayant droit ou jusqu'à l'intervention d'une décision définitive en cas de contentieux.", []wantPeriod{{5, "year", "P5Y", "fermeture des droits à l'Assurance Maladie de l'assuré ou de l'ayant droit", "données d'identification des bénéficiaires"}}, no},
		{"Les données concernant les prestations sont conservées 3 ans à partir de la date de versement. Au-delà de ce délai, elles sont archivées pendant une durée de 10 ans.", []wantPeriod{{3, "year", "P3Y", "date de versement", "données concernant les prestations"}, {10, "year", "P10Y", "", ""}}, no},
		{"5 ans après la fin des droits du bénéficiaire", []wantPeriod{{5, "year", "P5Y", "fin des droits du bénéficiaire", ""}}, no},
		{"5 ans après l'extinction des droits du dernier survivant parmi les ayants droit de la victime", []wantPeriod{{5, "year", "P5Y", "extinction des droits du dernier survivant parmi les ayants droit de la victime", ""}}, no},
		{"5 ans après l'intervention d'une décision définitive en cas de contentieux", []wantPeriod{{5, "year", "P5Y", "intervention d'une décision définitive", ""}}, no},
		{"20 ans après le décès de la victime, en l'absence d'ayants droit", []wantPeriod{{20, "year", "P20Y", "décès de la victime", ""}}, no},
		{"Les données figurant sur le formulaire permettant la délivrance de la carte sont conservées trois mois après émission de la carte.", []wantPeriod{{3, "month", "P3M", "émission de la carte", "données figurant sur le formulaire permettant la délivrance de la carte"}}, no},
		{"Les données relatives au contenu de la carte sont détruites après émission ou mise à jour.", []wantPeriod{}, unset},
		{"Les données du dossier d'invalidité sont conservées 5 ans après la fermeture des droits à l'Assurance Maladie de l'assuré ou de l'ayant droit. Les pièces justificatives au paiement de la pension sont conservées 5 ans à partir de la date de versement ou jusqu'à l'intervention d'une décision définitive en cas de contentieux.", []wantPeriod{{5, "year", "P5Y", "fermeture des droits à l'Assurance Maladie de l'assuré ou de l'ayant droit", "données du dossier d'invalidité"}, {5, "year", "P5Y", "date de versement", "pièces justificatives au paiement de la pension"}}, no},
		{"3 ans après le décès du bénéficiaire ou 3 ans après le décès du dernier bénéficiaire en cas de rente d'ayant droit", []wantPeriod{{3, "year", "P3Y", "décès du bénéficiaire", ""}, {3, "year", "P3Y", "décès du dernier bénéficiaire", ""}}, no},
		{"Les données d'identification des bénéficiaires sont conservées 5 ans après la fermeture des droits à l'Assurance Maladie de l'assuré ou de l'ayant droit ou jusqu'à l'intervention d'une décision définitive en cas de contentieux. Les données concernant les prestations sont conservées 3 ans à partir de la date de versement. Au-delà de ce délai, elles sont archivées pendant une durée de 10 ans.", []wantPeriod{{5, "year", "P5Y", "fermeture des droits à l'Assurance Maladie de l'assuré ou de l'ayant droit", "données d'identification des bénéficiaires"}, {3, "year", "P3Y", "date de versement", "données concernant les prestations"}, {10, "year", "P10Y", "", ""}}, no},
		{"Les données concernant les prestations sont conservées 3 ans à partir de la date de versement. Au-delà de ce délai, elles sont archivées pendant une durée de 10 ans;", []wantPeriod{{3, "year", "P3Y", "date de versement", "données concernant les prestations"}, {10, "year", "P10Y", "", ""}}, no},
		{"Dans le cas d'expérimentations, les délais de conservation peuvent être supérieurs et définis pour chacune d'elles", []wantPeriod{}, unset},
		{"Suivant les cas cités ci-dessous, les données sont conservées au maximum :", []wantPeriod{}, unset},
		{"3 ans après le décès lorsqu'elles sont relatives à un assuré ou un ayant droit concerné par une affection de longue durée ou des prestations soumises à l'accord préalable du service du contrôle médical", []wantPeriod{{3, "year", "P3Y", "décès", ""}}, no},
		{"5 ans après le décès lorsqu'elles sont relatives à un assuré ou un ayant droit concerné par une invalidité ou une inaptitude", []wantPeriod{{5, "year", "P5Y", "décès", ""}}, no},
		{"10 ans après le décès lorsqu'elles sont relatives à un assuré ou un ayant droit concerné par un accident du travail ou une maladie professionnelle", []wantPeriod{{10, "year", "P10Y", "décès", ""}}, no},
		{"En outre, lorsqu'il existe un recours contre tiers ou un contentieux, les données sont conservées jusqu'à l'intervention de la décision définitive. Au-delà des délais susmentionnés, les données peuvent être archivées pendant 10 ans dans un environnement logique séparé afin d'assurer une meilleure gestion des litiges, de la lutte contre la fraude et des recours contre tiers.", []wantPeriod{{10, "year", "P10Y", "", ""}}, no},
		{"Les données enregistrées dans les outils de gestion des alertes sont conservées pour une durée maximale de 5 ans. Toute alerte non pertinente est supprimée sans délai.", []wantPeriod{{5, "year", "P5Y", "", "données enregistrées dans les outils de gestion des alertes"}}, no},
		{"Les données de signalement des fautes, abus et fraudes et anomalies sont conservées pour des durées maximales de :", []wantPeriod{}, unset},
		{"Un an pour les dossiers classés sans suite par l'organisme ou ayant fait l'objet d'une décision de non-lieu ou de relaxe à compter de la date de cette décision ;", []wantPeriod{{1, "year", "P1Y", "date de cette décision", "dossiers classés sans suite par l'organisme ou ayant fait l'objet d'une décision de non-lieu ou de relaxe"}}, no},
		{"Un an pour les dossiers classés sans suite par le procureur de la République sauf s'ils font encore l'objet d'une procédure de sanction ou conventionnelle ;", []wantPeriod{{1, "year", "P1Y", "", "dossiers classés sans suite"}}, no},
		{"5 ans à compter de l'intervention d'une décision définitive en cas de contentieux, dans les autres cas.", []wantPeriod{{5, "year", "P5Y", "intervention d'une décision définitive", ""}}, no},
		{"Les données issues de requêtes pour la réalisation du ciblage des dossiers à contrôler sont conservées jusqu'au ciblage suivant sur le même type de faute, abus ou fraude ou la même personne et pendant une durée qui ne peut excéder 3 ans.", []wantPeriod{{3, "year", "P3Y", "", "données issues de requêtes pour la réalisation du ciblage des dossiers à contrôler"}}, no},
		{"Au-delà de leur délai de conservation, les données mentionnées à l'exception des données relatives aux dossiers classés sans suite, peuvent être archivées pour une période de 5 ans maximum dans un environnement logique séparé, aux fins d'évaluation.", []wantPeriod{{5, "year", "P5Y", "", "données mentionnées à l'exception des données relatives aux dossiers classés sans suite"}}, no},
		{"Les durées sont celles qui avaient fait l'objet d'une demande d'avis à la Cnil sur le projet de décret en conseil d'Etat de 2015 (Décret n° 2015-389 du 3 avril 2015).", []wantPeriod{}, unset},
		{"5 ans à compter de l'intervention d'une décision définitive en cas de contentieux", []wantPeriod{{5, "year", "P5Y", "intervention d'une décision définitive", ""}}, no},
		{"Pour les adhérents :", []wantPeriod{}, unset},
		{"Toute la durée de l'accompagnement puis 3 ans à partir de la sortie du programme données conservées en base courante ;", []wantPeriod{{3, "year", "P3Y", "sortie du programme", ""}}, no},
		{"Pour les éligibles :", []wantPeriod{}, unset},
		{"3 ans à compter du dernier événement ;", []wantPeriod{{3, "year", "P3Y", "dernier événement", ""}}, no},
		{"Pour les professionnels :", []wantPeriod{}, unset},
		{"3 ans après constatation de l'inactivité d'un professionnel n'ayant plus de patients éligibles au service ;", []wantPeriod{{3, "year", "P3Y", "constatation de l'inactivité d'un professionnel n'ayant plus de patients éligibles au service", ""}}, no},
		{"Au-delà de ce délai :", []wantPeriod{}, unset},
		{"Archivage intermédiaire de 3 ans + année en cours pour données de consommation et données du programme", []wantPeriod{{3, "year", "P3Y", "année en cours", "données de consommation et données du programme"}}, no},
		{"5 ans à des fins d'évaluation, sous forme de cohorte pour un échantillon représentatif de personnes éligibles et de personnes adhérentes à compter de la dernière proposition d'adhésion ou de la sortie du programme et jusqu'à 15 ans pour les programmes destinés à l'accompagnement des pathologies chroniques", []wantPeriod{{5, "year", "P5Y", "", ""}, {15, "year", "P15Y", "", "programmes destinés à l'accompagnement des pathologies chroniques"}}, no},
		{"Les données des personnes concernées sont conservées pendant toute la durée de la campagne ou de l'action augmentée d'un délai de gestion de 12 mois permettant, notamment, de ne pas les solliciter trop fréquemment.", []wantPeriod{{12, "month", "P12M", "", ""}}, no},
		{"Les données de connexion de l'Assurance Maladie sont conservées 12 mois conformément à la Politique de Sécurité des Systèmes d'Information de l'Assurance Maladie (PSSI-MCAS).", []wantPeriod{{12, "month", "P12M", "", "données de connexion de l'Assurance Maladie"}}, no},
		{"Données relatives à la prévention de la désinsertion professionnelle : 2 ans", []wantPeriod{{2, "year", "P2Y", "", "Données relatives à la prévention de la désinsertion professionnelle"}}, no},
		{"Données relatives à aux programmes de prévention des risques professionnels : en fonction du programme de prévention. Maximum 20 ans pour suivi des mesures mises en place", []wantPeriod{{20, "year", "P20Y", "", ""}}, no},
		{"Données relatives au C2P : 3 ans après la liquidation de la pension de vieillesse du salarié ou, le cas échéant, après son décès, ou jusqu'à l'intervention d'une décision définitive en cas de contentieux", []wantPeriod{{3, "year", "P3Y", "liquidation de la pension de vieillesse du salarié", "Données relatives au C2P"}}, no},
		{"Les données sont conservées en archive courante pour toute la durée du DMP.", []wantPeriod{}, unset},
		{"Les données sont archivées 10 ans après la clôture du DMP (décès de la personne valant clôture) pour tout recours gracieux ou contentieux.", []wantPeriod{{10, "year", "P10Y", "clôture du DMP (décès de la personne valant clôture)", ""}}, no},
		{"La durée de conservation des données est différente en fonction de la source des données mises à disposition des acteurs pour la gestion et l'organisation de leur pratique ainsi qu'en fonction des actions de gestion du risque/de santé publique.", []wantPeriod{}, unset},
		{"Si les données sont adossées à un compte utilisateur, les données notamment d'identification peuvent être conservées pendant toute la durée d'exercice/de détention du compte.", []wantPeriod{}, unset},
		{"La durée moyenne est de 3 ans et peut aller jusqu'à 10 ans après un évènement (clôture, décès, etc.)", []wantPeriod{{3, "year", "P3Y", "", ""}, {10, "year", "P10Y", "un évènement (clôture, décès, etc.)", ""}}, no},
		{"Les données sont conservées pendant toute la durée de l'exercice du professionnel concerné. Les données de connexion de l'Assurance Maladie sont conservées 12 mois conformément à la Politique de Sécurité des Systèmes d'Information de l'Assurance Maladie (PSSI-MCAS).", []wantPeriod{{12, "month", "P12M", "", "données de connexion de l'Assurance Maladie"}}, no},
		{"Les données sont conservées pour la durée nécessaire à la gestion de la relation avec le bénéficiaire le temps de son affiliation. Les données relatives aux contacts ne sont pas conservées plus de deux ans.", []wantPeriod{}, unset},
		{"Pour les appels téléphoniques qui font l'objet d'un enregistrement : deux mois maximum en l'absence d'exploitation et 6 mois en cas d'exploitation de l'enregistrement.", []wantPeriod{{2, "month", "P2M", "", "appels téléphoniques qui font l'objet d'un enregistrement"}, {6, "month", "P6M", "", ""}}, no},
		{"Les données sont conservées en archivage intermédiaire, dans un environnement logique séparé, à des fins de gestion des réclamations ou de contentieux.", []wantPeriod{}, unset},
		{"La durée maximale de conservation est fixée à 6 mois. Les données de connexion de l'Assurance Maladie sont conservées 12 mois conformément à la Politique de Sécurité des Systèmes d'Information de l'Assurance Maladie (PSSI-MCAS).", []wantPeriod{{6, "month", "P6M", "", ""}, {12, "month", "P12M", "", "données de connexion de l'Assurance Maladie"}}, no},
		{"La durée maximale de conservation est fixée à 6 mois.", []wantPeriod{{6, "month", "P6M", "", ""}}, no},
		{"Historique des décomptes jusqu'à 27 mois pour les frais de santé et 6 mois pour les revenus de substitution, pension d'invalidité et rentes", []wantPeriod{{27, "month", "P27M", "", "frais de santé"}, {6, "month", "P6M", "", "revenus de substitution, pension d'invalidité et rentes"}}, no},
		{"6 mois pour les communications accessibles dans la messagerie du compte ameli à l'exception de la lettre recommandée électronique qui sera conservée avec valeur probante pour une durée de 5 ans", []wantPeriod{{6, "month", "P6M", "", "communications accessibles dans la messagerie du compte ameli"}, {5, "year", "P5Y", "", "lettre recommandée électronique"}}, no},
		{"Données d'usage : 7 jours glissants", []wantPeriod{{7, "day", "P7D", "", "Données d'usage"}}, no},
		{"Cookies : 60 jours", []wantPeriod{{60, "day", "P60D", "", "Cookies"}}, no},
		{"Les données sont conservées pour la durée nécessaire à la gestion de la relation avec le professionnel.", []wantPeriod{}, unset},
		{"Les données relatives aux contacts ne sont pas conservées plus de deux ans.", []wantPeriod{}, unset},
		{"Les données sont conservées pendant la durée de l'exercice professionnel et 10 ans au plus après le décès du professionnel.", []wantPeriod{{10, "year", "P10Y", "décès du professionnel", ""}}, no},
		{"Les données relatives aux profils d'activité et Rémunérations sur Objectifs de santé publiques sont conservées 5 ans maximum.", []wantPeriod{{5, "year", "P5Y", "", "données relatives aux profils d'activité et Rémunérations sur Objectifs de santé publiques"}}, no},
		{"La durée de conservation est de 2 ans pour les comptes rendus de contact.", []wantPeriod{{2, "year", "P2Y", "", "comptes rendus de contact"}}, no},
		{"Aucune conservation du matricule et des traits qualifiés par la Cnam et le coresponsable de traitement Conservation des traces pour 6 mois.", []wantPeriod{{6, "month", "P6M", "", ""}}, no},
		{"Les données sont conservées pour la durée nécessaire à la gestion de la relation avec l'employeur.", []wantPeriod{}, unset},
		{"Une durée de conservation de 6 mois maximum est fixée.", []wantPeriod{{6, "month", "P6M", "", ""}}, no},
		{"3 ans pour le calcul du taux", []wantPeriod{{3, "year", "P3Y", "", "calcul du taux"}}, no},
		{"15 ans pour la gestion des contentieux relatifs au calcul du taux", []wantPeriod{{15, "year", "P15Y", "", "gestion des contentieux relatifs au calcul du taux"}}, no},
		{"Le dossier médical mentionné à l'article R. 1112-2 est conservé pendant une durée de 20 ans à compter de la date du dernier séjour de son titulaire dans l'établissement ou de la dernière consultation externe en son sein.", []wantPeriod{{20, "year", "P20Y", "date du dernier séjour de son titulaire dans l'établissement ou de la dernière consultation externe en son sein", "dossier médical mentionné à l'article R. 1112-2"}}, no},
		{"Lorsqu'en application des dispositions qui précèdent, la durée de conservation d'un dossier s'achève avant le vingt-huitième anniversaire de son titulaire, la conservation du dossier est prorogée jusqu'à cette date.", []wantPeriod{}, unset},
		{"Dans tous les cas, si la personne titulaire du dossier décède moins de 10 ans après son dernier passage dans l'établissement, le dossier est conservé pendant une durée de 10 ans à compter de la date du décès, en l'absence d'autre disposition réglementaire.", []wantPeriod{{10, "year", "P10Y", "date du décès", "dossier"}}, no},
		{"La durée de conservation du dossier médical est régie par l'article R. 1112-7 du Code de la santé publique (soit en principe et sauf cas prévus par le texte : durée de conservation de 20 ans à compter de la date du dernier séjour du patient dans l'établissement ou de la dernière consultation externe en son sein).", []wantPeriod{}, unset},
		{"Les données administratives et médicales collectées ainsi que les comptes rendus sont conservés 20 ans après leurs envois conformément à l'article R. 1112-7 du Code de la Santé publique.", []wantPeriod{{20, "year", "P20Y", "leurs envois", "données administratives et médicales collectées ainsi que les comptes rendus"}}, no},
		{"Les données sont conservées pour la durée nécessaire à l'instruction des dossiers des assurés, à l'accompagnement et aux évaluations du dispositif.", []wantPeriod{}, unset},
		{"Elles sont conservées 18 mois à compter de la clôture de l'accompagnement, pour des besoins d'évaluation, de réclamation ou tout autre besoin relatif à la gestion des dossiers et répondant aux sous-finalités prévues par le traitement.", []wantPeriod{{18, "month", "P18M", "clôture de l'accompagnement", ""}}, no},
		{"Elles sont ensuite désidentifiées puis 3 ans après, elles font l'objet d'une purge automatique et mensuelle.", []wantPeriod{{3, "year", "P3Y", "", ""}}, no},
		{"Les informations sont conservées pour une durée maximale de 36 mois.", []wantPeriod{{36, "month", "P36M", "", ""}}, no},
		{"3 mois après leur collecte pour les données directement identifiantes", []wantPeriod{{3, "month", "P3M", "leur collecte", "données directement identifiantes"}}, no},
		{"6 mois après leur collecte pour les données pseudonymisées", []wantPeriod{{6, "month", "P6M", "leur collecte", "données pseudonymisées"}}, no},
		{"6 mois maximum à compter de la fin de l'état d'urgence sanitaire pour les opérations de mise à jour, de suppression et de consultation du traitement", []wantPeriod{{6, "month", "P6M", "fin de l'état d'urgence sanitaire", "opérations de mise à jour, de suppression et de consultation du traitement"}}, no},
		{"Les données sont conservées pendant 10 ans pour assurer l'ensemble des obligations liées à la traçabilité de la vaccination.", []wantPeriod{{10, "year", "P10Y", "", ""}}, no},
		{"La liste de la patientèle non vaccinée du médecin traitant n'est mise à disposition de ce dernier que pendant 1 mois.", []wantPeriod{{1, "month", "P1M", "", ""}}, no},
		{"Les données nécessaires à l'information et l'orientation des personnes vaccinées en cas d'apparition d'un risque nouveau lié au vaccin sont conservées pendant 30 ans dans une base dédiée.", []wantPeriod{{30, "year", "P30Y", "", "une base dédiée"}}, no},
		{"20 ans après le décès de la victime, en l'absence d'ayants droit.", []wantPeriod{{20, "year", "P20Y", "décès de la victime", ""}}, no},
		{"5 ans après l'extinction des droits du dernier survivant parmi les ayants droit de la victime.", []wantPeriod{{5, "year", "P5Y", "extinction des droits du dernier survivant parmi les ayants droit de la victime", ""}}, no},
		{"5 ans après l'intervention d'une décision définitive en cas de contentieux.", []wantPeriod{{5, "year", "P5Y", "intervention d'une décision définitive", ""}}, no},
		{"Les données sont conservées pendant 10 ans suivant la fin des actions gracieuses comme contentieuses et leur exécution.", []wantPeriod{{10, "year", "P10Y", "fin des actions gracieuses comme contentieuses et leur exécution", ""}}, no},
		{"Les données sont conservées pendant 10 ans suivant la fin des actions contentieuses et leur exécution, sauf en cas de dossier présentant un intérêt juridique particulier.", []wantPeriod{{10, "year", "P10Y", "fin des actions contentieuses et leur exécution", ""}}, no},
		{"Les données sont conservées pendant 10 ans et archivées pendant 40 ans à des fins de gestion des cas particuliers.", []wantPeriod{{10, "year", "P10Y", "", ""}, {40, "year", "P40Y", "", ""}}, no},
		{"Les données de conservation peuvent varier en fonction de la finalité de la communication mise en place. Les durées sont définies en fonction de chaque évènement et des mesures sont prises pour qu'elles ne soient pas conservées au-delà de la durée nécessaire au regard des finalités pour lesquelles elles sont traitées.", []wantPeriod{}, unset},
		{"Les données de contact presse sont accessibles via une solution externe. La durée de conservation ne peut excéder la date d'expiration du contrat de sous-traitance souscrit", []wantPeriod{}, unset},
		{"Relevés de compte à conserver 5 ans", []wantPeriod{{5, "year", "P5Y", "", "Relevés de compte"}}, no},
		{"Les données sont conservées pour la durée nécessaire à leur gestion et fonction du type et finalité de chacun des référentiels, outil ou services.", []wantPeriod{}, unset},
		{"Les données de connexion aux services et outils de l'Assurance Maladie sont conservées 12 mois conformément à la Politique de Sécurité des Systèmes d'Information de l'Assurance Maladie (PSSI-MCAS).", []wantPeriod{{12, "month", "P12M", "", "données de connexion aux services et outils de l'Assurance Maladie"}}, no},
		{"Les actions des agents dans les outils de l'Assurance Maladie sont conservées sur la même durée que les données nécessaires à la gestion et fonction du type et finalité de chacun des référentiels, outil ou services.", []wantPeriod{}, unset},
		{"Pour les candidatures retenues : Justification de la DUA : délibération CNIL n° 02-017 du 21 mars 2002. Les candidatures retenues sont classées dans les dossiers individuels des agents.", []wantPeriod{}, unset},
		{"Pour les candidatures non retenues : 2 ans à compter du dernier contact sauf opposition de la personne à la conservation", []wantPeriod{{2, "year", "P2Y", "dernier contact", "candidatures non retenues"}}, no},
		{"Le dossier du salarié est conservé 5 ans après son départ de l'organisme.", []wantPeriod{{5, "year", "P5Y", "son départ de l'organisme", "dossier du salarié"}}, no},
		{"L'historique du dossier du salarié portant sur les formations est conservé 5 ans après son départ de l'organisme. L'employeur doit également respecter des obligations de conservation dans le cadre de la comptabilité ou compte personnel de formation.", []wantPeriod{{5, "year", "P5Y", "son départ de l'organisme", "historique du dossier du salarié portant sur les formations"}}, no},
		{"Pour les élections professionnelles, les listes électorales sont conservées 3 semaines après la proclamation des résultats.", []wantPeriod{{3, "week", "P3W", "proclamation des résultats", "listes électorales"}}, no},
		{"Pour les signalements (alertes) sans suite : 2 mois", []wantPeriod{{2, "month", "P2M", "", "signalements (alertes) sans suite"}}, no},
		{"En cas de procédure disciplinaire et ou judiciaire engagée, durée n'excédant pas les délais de procédures contentieuses", []wantPeriod{}, unset},
		{"Pour les dossiers déontologie et conflits d'intérêt, 5 ans après que la personne ait cessé de faire partie du personnel de l'organisme ou après la fin de l'intervention de la personne dans un processus placé sous la responsabilité de l'organisme", []wantPeriod{{5, "year", "P5Y", "personne ait cessé de faire partie du personnel de l'organisme ou après la fin de l'intervention de la personne dans un processus placé sous la responsabilité de l'organisme", ""}}, no},
		{"Le dossier du salarié transféré est conservé 5 ans après son départ de l'organisme preneur.", []wantPeriod{{5, "year", "P5Y", "son départ de l'organisme preneur", "dossier du salarié transféré"}}, no},
		{"3 ans après la dernière opération enregistrée par l'assistante sociale", []wantPeriod{{3, "year", "P3Y", "dernière opération enregistrée par l'assistante sociale", ""}}, no},
		{"Les données concernant l'identité sont conservées au maximum 1 an suivant le départ de l'agent.", []wantPeriod{{1, "year", "P1Y", "départ de l'agent", "données concernant l'identité"}}, no},
		{"Durée de conservation : Videosurveillance : 1 mois", []wantPeriod{{1, "month", "P1M", "", "Videosurveillance"}}, no},
		{"Contrôle d'accès : 2 ans après le départ de l'agent, stagiaire, prestataire", []wantPeriod{{2, "year", "P2Y", "départ de l'agent, stagiaire, prestataire", "Contrôle d'accès"}}, no},
		{"Les données concernant l'identité sont conservées au maximum 2 ans suivant le départ de l'agent.", []wantPeriod{{2, "year", "P2Y", "départ de l'agent", "données concernant l'identité"}}, no},
		{"trois ans", []wantPeriod{{3, "year", "P3Y", "", ""}}, no},
		{"un an", []wantPeriod{{1, "year", "P1Y", "", ""}}, no},
		{"Un an après la clôture du dossier", []wantPeriod{{1, "year", "P1Y", "clôture du dossier", ""}}, no},
		{"deux mois glissants", []wantPeriod{{2, "month", "P2M", "", ""}}, no},
		{"six années à compter de la fin du contrat", []wantPeriod{{6, "year", "P6Y", "fin du contrat", ""}}, no},
		{"dix-huit mois après le dernier contact", []wantPeriod{{18, "month", "P18M", "dernier contact", ""}}, no},
		{"vingt-quatre mois", []wantPeriod{{24, "month", "P24M", "", ""}}, no},
		{"quatre-vingt-dix jours", []wantPeriod{{90, "day", "P90D", "", ""}}, no},
		{"3 ans apres la fin de validite des droits", []wantPeriod{{3, "year", "P3Y", "fin de validite des droits", ""}}, no},
		{"5 ANS A COMPTER DE LA CLOTURE DU DOSSIER", []wantPeriod{{5, "year", "P5Y", "CLOTURE DU DOSSIER", ""}}, no},
		{"10 ans aprés le décès", []wantPeriod{{10, "year", "P10Y", "décès", ""}}, no},
		{"Durée illimitée", []wantPeriod{}, yes},
		{"Conservation illimitée des données", []wantPeriod{}, yes},
		{"sans limitation de durée", []wantPeriod{}, yes},
		{"Données conservées sans limite de durée", []wantPeriod{}, yes},
		{"Pas de suppression", []wantPeriod{}, yes},
		{"72 heures", []wantPeriod{{3, "day", "P3D", "", ""}}, no},
		{"48h après l'envoi", []wantPeriod{{2, "day", "P2D", "envoi", ""}}, no},
		{"1 an + 6 mois après la fin du prêt", []wantPeriod{{18, "month", "P18M", "fin du prêt", ""}}, no},
		{"2 à 3 ans", []wantPeriod{{3, "year", "P3Y", "", ""}}, no},
		{"entre 1 et 3 ans après la sortie", []wantPeriod{{3, "year", "P3Y", "sortie", ""}}, no},
		{"de 6 mois à 1 an", []wantPeriod{{1, "year", "P1Y", "", ""}}, no},
		{"année en cours +2 ans", []wantPeriod{{2, "year", "P2Y", "année en cours", ""}}, no},
		{"5 ans + année en cours.", []wantPeriod{{5, "year", "P5Y", "année en cours", ""}}, no},
		{"5 ans et 3 mois", []wantPeriod{{63, "month", "P63M", "", ""}}, no},
		{"Cookies : 13 mois ; logs : 6 mois", []wantPeriod{{13, "month", "P13M", "", "Cookies"}, {6, "month", "P6M", "", "logs"}}, no},
		{"Concernant les candidats : 2 ans à compter du dernier contact", []wantPeriod{{2, "year", "P2Y", "dernier contact", "candidats"}}, no},
		{"Les données sont supprimées 30 jours après la fin de la relation contractuelle", []wantPeriod{{30, "day", "P30D", "fin de la relation contractuelle", ""}}, no},
		{"conservation 1 mois", []wantPeriod{{1, "month", "P1M", "", ""}}, no},
		{"15j", []wantPeriod{{15, "day", "P15D", "", ""}}, no},
		{"3 semaines après la proclamation des résultats", []wantPeriod{{3, "week", "P3W", "proclamation des résultats", ""}}, no},
		{"une semaine", []wantPeriod{{1, "week", "P1W", "", ""}}, no},
		{"Jusqu'à la majorité de l'enfant", []wantPeriod{}, unset},
		{"les 12 derniers mois", []wantPeriod{}, unset},
		{"durée de la relation + 3 ans", []wantPeriod{{3, "year", "P3Y", "durée de la relation", ""}}, no},
		{"5 ans au maximum à compter de la fin de l'accompagnement", []wantPeriod{{5, "year", "P5Y", "fin de l'accompagnement", ""}}, no},
		{"Durée de conservation : 5 ans", []wantPeriod{{5, "year", "P5Y", "", ""}}, no},
		{"5 ans (durée de prescription)", []wantPeriod{{5, "year", "P5Y", "", ""}}, no},
		{"3 ans ou jusqu'à l'intervention d'une décision définitive", []wantPeriod{{3, "year", "P3Y", "", ""}}, no},
		{"6 mois puis 10 ans en archive intermédiaire", []wantPeriod{{6, "month", "P6M", "", ""}, {10, "year", "P10Y", "", ""}}, no},
		{"1 an pour les logs, 3 ans pour les dossiers", []wantPeriod{{1, "year", "P1Y", "", "logs"}, {3, "year", "P3Y", "", "dossiers"}}, no},
		{"Le temps nécessaire", []wantPeriod{}, unset},
		{"0,5 an", []wantPeriod{{0.5, "year", "", "", ""}}, no},
		{"1,5 ans", []wantPeriod{{1.5, "year", "", "", ""}}, no},
		{"5 (cinq) ans", []wantPeriod{{5, "year", "P5Y", "", ""}}, no},
		{"cinq (5) ans à compter de la clôture", []wantPeriod{{5, "year", "P5Y", "clôture", ""}}, no},
		{"durée du contrat + 5 ans", []wantPeriod{{5, "year", "P5Y", "durée du contrat", ""}}, no},
		{"Les CV sont conservés 2 ans à partir du dernier contact", []wantPeriod{{2, "year", "P2Y", "dernier contact", "CV"}}, no},
		{"Conservation : 13 mois maximum pour les cookies", []wantPeriod{{13, "month", "P13M", "", "cookies"}}, no},
		{"Données de connexion : 1 an glissant", []wantPeriod{{1, "year", "P1Y", "", "Données de connexion"}}, no},
		{"jusqu'à la fin du contrat puis 5 ans en archivage intermédiaire", []wantPeriod{{5, "year", "P5Y", "fin du contrat", ""}}, no},
		{"La durée de conservation est fixée à 10 ans à compter de la fin de l'exercice comptable", []wantPeriod{{10, "year", "P10Y", "fin de l'exercice comptable", ""}}, no},
		{"Les données sont conservées durant 3 années après la fin de la prise en charge.", []wantPeriod{{3, "year", "P3Y", "fin de la prise en charge", ""}}, no},
		{"Suppression au bout de 60 jours", []wantPeriod{{60, "day", "P60D", "", ""}}, no},
		{"conservées un (1) an", []wantPeriod{{1, "year", "P1Y", "", ""}}, no},
		{"5ans", []wantPeriod{{5, "year", "P5Y", "", ""}}, no},
		{"3ans après clôture", []wantPeriod{{3, "year", "P3Y", "clôture", ""}}, no},
		{"12mois", []wantPeriod{{12, "month", "P12M", "", ""}}, no},
		{"2 ans maximum après la fin du traitement médical", []wantPeriod{{2, "year", "P2Y", "fin du traitement médical", ""}}, no},
		{"Durée de conservation non précisée", nil, unset},
		{"Le temps nécessaire au traitement de la demande", nil, unset},
	}
	for _, c := range cases {
		r := ParseRetention(c.in)
		if r.Text == nil || *r.Text != c.in {
			t.Errorf("%q: text not kept verbatim: %v", c.in, r.Text)
		}
		if !c.ind.check(r.Indefinite) {
			t.Errorf("%q: indefinite = %v, want %v", c.in, r.Indefinite, c.ind)
		}
		if len(r.Periods) != len(c.want) {
			t.Errorf("%q: %d periods %+v, want %d", c.in, len(r.Periods), r.Periods, len(c.want))
			continue
		}
		for i, w := range c.want {
			p := r.Periods[i]
			if p.Amount != w.amount || p.Unit != w.unit || p.ISO8601 != w.iso || str(p.Trigger) != w.trigger || str(p.Scope) != w.scope {
				t.Errorf("%q period %d = {%v %s %s T=%q S=%q}, want %+v", c.in, i, p.Amount, p.Unit, p.ISO8601, str(p.Trigger), str(p.Scope), w)
			}
		}
	}
}

// Cnam cells come as one text per bullet: a heading bullet ("Pour les
// adhérents :") scopes the bullets after it.
func TestParseRetentionHeadings(t *testing.T) {
	r := ParseRetention(
		"Pour les adhérents :",
		"Toute la durée de l'accompagnement puis 3 ans à partir de la sortie du programme données conservées en base courante ;",
		"Pour les éligibles :",
		"3 ans à compter du dernier événement ;",
		"Au-delà de ce délai :",
		"Cookies : 60 jours",
	)
	if got := str(r.Text); !strings.HasPrefix(got, "Pour les adhérents :\nToute la durée") {
		t.Errorf("text = %q", got)
	}
	want := []struct{ trigger, scope string }{
		{"sortie du programme", "adhérents"},
		{"dernier événement", "éligibles"},
		{"", "Cookies"},
	}
	if len(r.Periods) != len(want) {
		t.Fatalf("periods = %+v", r.Periods)
	}
	for i, w := range want {
		if str(r.Periods[i].Trigger) != w.trigger || str(r.Periods[i].Scope) != w.scope {
			t.Errorf("period %d: T=%q S=%q, want %+v", i, str(r.Periods[i].Trigger), str(r.Periods[i].Scope), w)
		}
	}
	if e := ParseRetention(); e.Text != nil || e.Periods == nil || len(e.Periods) != 0 || e.Indefinite != nil {
		t.Errorf("empty retention = %+v", e)
	}
	if p := ParseRetention("/", " "); p.Text != nil {
		t.Errorf("placeholders kept: %q", *p.Text)
	}
}

func TestParseNumberWords(t *testing.T) {
	for in, want := range map[string]float64{
		"un": 1, "une": 1, "trois": 3, "dix-huit": 18, "vingt et un": 21, "vingt-quatre": 24,
		"trente-six": 36, "soixante-dix": 70, "quatre-vingt-dix": 90, "quatre-vingts": 80, "cent": 100,
	} {
		if got, ok := parseNumberWords(in); !ok || got != want {
			t.Errorf("%q = %v %v, want %v", in, got, ok, want)
		}
	}
	if _, ok := parseNumberWords("quelques"); ok {
		t.Error("non-number accepted")
	}
}

func FuzzParseRetention(f *testing.F) {
	for _, s := range []string{
		"20 ans + 3 ans à l'issue de dernier enregistrement", "Année en cours + 2 ans", "60 jours : données. 1 an à 5 ans : signalements.",
		"5 ans + l'année en cours (6 ans)", "1/2 journée", "(((3 ans", "3 ans après", ": 2 ans :", "œuvre 5 ans après l'œuvre", "\u00a05\u00a0ans\u00a0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := ParseRetention(s)
		for _, p := range r.Periods {
			if p.Amount <= 0 {
				t.Fatalf("%q: amount %v", s, p.Amount)
			}
			switch p.Unit {
			case "day", "week", "month", "year":
			default:
				t.Fatalf("%q: unit %q", s, p.Unit)
			}
			if p.ISO8601 != "" && !reISOPeriod.MatchString(p.ISO8601) {
				t.Fatalf("%q: iso %q", s, p.ISO8601)
			}
		}
		if len(r.Periods) > 0 && r.Indefinite == nil {
			t.Fatalf("%q: periods but indefinite unset", s)
		}
		_ = registre.Period{}
	})
}

var reISOPeriod = regexpMust(`^P[0-9]+[DWMY]$`)

func BenchmarkParseRetention(b *testing.B) {
	s := strings.Repeat("3 ans après la fin de validité des droits pour les données (x) ; ", 200)
	for i := 0; i < b.N; i++ {
		ParseRetention(s)
	}
}
