package flags

import "registre"

// Rule is one entry of the DPO's checklist. The catalogue below is the only
// place where codes, severities, messages and citations are written: the
// detectors in this package only find evidence and fill the template.
type Rule struct {
	// ID is stable across versions ("RET-002"); several rules can raise the
	// same code with different explanations.
	ID      string `json:"id"`
	Code    string `json:"code"`
	Version int    `json:"version"`
	// Severity is registre.SeverityError, Warning or Info.
	Severity string `json:"severity"`
	// Field is the contract field path the flag points at by default.
	Field string `json:"field"`
	// Scope is "record" (one record at a time) or "corpus" (across records).
	Scope string `json:"scope"`
	// Title names the problem in a few words.
	Title string `json:"title"`
	// Message says what is wrong; a text/template over the hit's values
	// ({{.evidence}}, {{.date}}, {{.since}} and rule-specific keys).
	Message string `json:"message"`
	// Why explains the requirement, with its source.
	Why string `json:"why"`
	// Fix says what to write instead.
	Fix string `json:"fix"`
	// Citation is the legal source: article, ruling or decision, with dates.
	Citation string `json:"citation"`
	// Effective is the date (YYYY-MM-DD) the requirement took effect. When
	// a record is dated before it, Dated is appended to the message.
	Effective string `json:"effective"`
	// Dated is a template explaining that the record was right when written.
	Dated string `json:"dated,omitempty"`
}

const (
	scopeRecord = "record"
	scopeCorpus = "corpus"

	gdprDate = "2018-05-25"
)

// catalogue is the rule set. Bump Version when a rule's detection changes, so
// that reviewers' decisions on older versions can be told apart.
var catalogue = []Rule{
	{
		ID: "RET-001", Code: "missing_retention", Version: 1, Severity: registre.SeverityError,
		Field: "retention.text", Scope: scopeRecord,
		Title:     "Durée de conservation absente",
		Message:   "Aucune durée de conservation n'est indiquée{{if .evidence}} (valeur : « {{.evidence}} »){{end}}.",
		Why:       "Le registre doit indiquer, dans la mesure du possible, les délais prévus pour l'effacement des différentes catégories de données (art. 30.1.f RGPD) ; les données ne peuvent être conservées que le temps nécessaire aux finalités (art. 5.1.e).",
		Fix:       "Indiquer une durée chiffrée et son point de départ pour chaque catégorie de données, par exemple « 5 ans à compter de la clôture du dossier, puis suppression ».",
		Citation:  "RGPD art. 30.1.f et art. 5.1.e (règlement (UE) 2016/679, applicable le 25 mai 2018)",
		Effective: gdprDate,
	},
	{
		ID: "RET-002", Code: "vague_retention", Version: 1, Severity: registre.SeverityWarning,
		Field: "retention.text", Scope: scopeRecord,
		Title:     "Durée de conservation non déterminable",
		Message:   "La durée de conservation « {{.evidence}} » ne donne aucune durée déterminable : ni nombre avec une unité de temps, ni « année en cours », ni suppression immédiate{{if .pointer}} ; elle renvoie seulement à {{.pointer}}{{end}}.",
		Why:       "Une durée doit permettre de savoir quand les données sont effacées (art. 5.1.e et 30.1.f RGPD) ; un renvoi à un autre document ou « le temps nécessaire » ne le permet pas (CNIL, guide pratique « Les durées de conservation », juillet 2020).",
		Fix:       "Reprendre la durée du texte visé et l'écrire dans le registre (ex. « 5 ans après la fin des droits, puis archivage intermédiaire 10 ans »), en gardant la référence en justification.",
		Citation:  "RGPD art. 5.1.e et 30.1.f ; CNIL, guide pratique « Les durées de conservation » (juillet 2020)",
		Effective: gdprDate,
	},
	{
		ID: "RET-003", Code: "vague_retention", Version: 1, Severity: registre.SeverityWarning,
		Field: "retention.text", Scope: scopeRecord,
		Title:     "Conservation illimitée",
		Message:   "La durée de conservation est illimitée : « {{.evidence}} ».",
		Why:       "Les données ne peuvent être conservées sans limite de durée (principe de limitation de la conservation, art. 5.1.e RGPD) ; seul l'archivage dans l'intérêt public, encadré par le Code du patrimoine et l'art. 89 RGPD, peut être définitif.",
		Fix:       "Fixer une durée en base active, une durée d'archivage intermédiaire et le sort final (destruction ou versement aux archives définitives).",
		Citation:  "RGPD art. 5.1.e, 30.1.f et 89 ; Code du patrimoine art. L. 212-2 et suivants",
		Effective: gdprDate,
	},
	{
		ID: "XFR-001", Code: "privacy_shield", Version: 1, Severity: registre.SeverityError,
		Field: "transfers.text", Scope: scopeRecord,
		Title:     "Référence au Privacy Shield",
		Message:   "Le traitement s'appuie sur le « bouclier de protection des données » UE–États-Unis : « {{.evidence}} ».",
		Why:       "La décision d'adéquation 2016/1250 (Privacy Shield) a été invalidée par la CJUE le 16 juillet 2020 (C-311/18, « Schrems II ») ; elle ne couvre plus aucun transfert.",
		Fix:       "Vérifier que le destinataire est certifié au Data Privacy Framework UE–États-Unis (décision d'adéquation (UE) 2023/1795 du 10 juillet 2023) ou signer les clauses contractuelles types de 2021 (décision (UE) 2021/914) et remplacer la mention.",
		Citation:  "CJUE, 16 juillet 2020, C-311/18 Facebook Ireland et Schrems ; décision d'exécution (UE) 2023/1795 du 10 juillet 2023 (DPF) ; décision d'exécution (UE) 2021/914 du 4 juin 2021 (CCT)",
		Effective: "2020-07-16",
		Dated:     "À la date du document ({{.date}}), le Privacy Shield était encore valide ; il ne l'est plus depuis le 16 juillet 2020.",
	},
	{
		ID: "XFR-002", Code: "privacy_shield", Version: 1, Severity: registre.SeverityError,
		Field: "transfers.text", Scope: scopeRecord,
		Title:     "Référence au Safe Harbor",
		Message:   "Le traitement s'appuie sur la « sphère de sécurité » (Safe Harbor) : « {{.evidence}} ».",
		Why:       "La décision 2000/520/CE (Safe Harbor) a été invalidée par la CJUE le 6 octobre 2015 (C-362/14, « Schrems I »).",
		Fix:       "Fonder le transfert sur le Data Privacy Framework UE–États-Unis (décision (UE) 2023/1795 du 10 juillet 2023) ou sur les clauses contractuelles types de 2021, et remplacer la mention.",
		Citation:  "CJUE, 6 octobre 2015, C-362/14 Schrems ; décision d'exécution (UE) 2023/1795 du 10 juillet 2023",
		Effective: "2015-10-06",
		Dated:     "À la date du document ({{.date}}), le Safe Harbor était encore valide ; il ne l'est plus depuis le 6 octobre 2015.",
	},
	{
		ID: "XFR-003", Code: "transfer_without_safeguard", Version: 1, Severity: registre.SeverityError,
		Field: "transfers.text", Scope: scopeRecord,
		Title:     "Transfert hors UE sans garantie",
		Message:   "Un transfert hors de l'UE/EEE est déclaré (« {{.evidence}} »{{if .destination}}, destination : {{.destination}}{{end}}) sans qu'aucune garantie valable ne soit nommée{{if .invalid}} ({{.invalid}} ne constitue pas une garantie){{end}}.",
		Why:       "Un transfert vers un pays tiers n'est licite que sur le fondement d'une décision d'adéquation (art. 45, dont le Data Privacy Framework pour les États-Unis), de garanties appropriées (art. 46 : clauses contractuelles types de 2021, BCR, accord entre autorités publiques) ou d'une dérogation de l'art. 49.",
		Fix:       "Nommer la garantie dans le registre, ex. « Transfert : oui, États-Unis (prestataire X) – clauses contractuelles types 2021 (décision (UE) 2021/914) » ou « certifié Data Privacy Framework ».",
		Citation:  "RGPD art. 44 à 49 et 30.1.e ; décision d'exécution (UE) 2021/914 du 4 juin 2021 ; décision d'exécution (UE) 2023/1795 du 10 juillet 2023",
		Effective: gdprDate,
	},
	{
		ID: "XFR-004", Code: "transfer_without_safeguard", Version: 1, Severity: registre.SeverityError,
		Field: "transfers.text", Scope: scopeRecord,
		Title:     "Anciennes clauses contractuelles types",
		Message:   "Le transfert repose sur d'anciennes clauses contractuelles types : « {{.evidence}} ».",
		Why:       "Les clauses des décisions 2001/497/CE, 2004/915/CE et 2010/87/UE ont été abrogées par la décision (UE) 2021/914 ; les contrats conclus sur leur base ne valaient plus garantie après le 27 décembre 2022.",
		Fix:       "Signer les clauses contractuelles types de 2021 (module adapté) avec le destinataire et mettre à jour le registre.",
		Citation:  "Décision d'exécution (UE) 2021/914 du 4 juin 2021, art. 4 (fin de la période transitoire le 27 décembre 2022)",
		Effective: "2022-12-27",
		Dated:     "À la date du document ({{.date}}), ces clauses étaient encore valables ; elles ne le sont plus depuis le 27 décembre 2022.",
	},
	{
		ID: "XFR-005", Code: "transfer_contradiction", Version: 1, Severity: registre.SeverityWarning,
		Field: "transfers.text", Scope: scopeRecord,
		Title:     "« Transfert : non » mais prestataire hors UE",
		Message:   "Le registre indique « {{.answer}} » pour les transferts, mais {{.provider}} est cité (« {{.evidence}} ») : {{.note}}",
		Why:       "Le recours à un prestataire qui traite les données hors de l'UE, même pour l'hébergement ou le support, est un transfert au sens des art. 44 et suivants du RGPD et doit figurer au registre (art. 30.1.e).",
		Fix:       "Vérifier le lieu de traitement auprès du prestataire ; s'il y a transfert, écrire « Transfert : oui, {{.country}} – garantie : … » ; sinon, citer l'engagement contractuel d'hébergement dans l'UE.",
		Citation:  "RGPD art. 30.1.e et 44 à 49",
		Effective: gdprDate,
	},
	{
		ID: "XFR-006", Code: "transfer_contradiction", Version: 1, Severity: registre.SeverityWarning,
		Field: "transfers.text", Scope: scopeRecord,
		Title:     "« Transfert : oui » vers l'UE",
		Message:   "Un transfert hors UE est déclaré (« {{.evidence}} ») alors que les destinataires nommés sont établis dans l'UE/EEE ({{.destination}}).",
		Why:       "Une communication à un destinataire établi dans l'UE/EEE n'est pas un transfert au sens du chapitre V du RGPD ; la mention fausse le registre et les contrôles de transfert.",
		Fix:       "Corriger en « Transfert : non » ou nommer le pays tiers réellement concerné et sa garantie.",
		Citation:  "RGPD art. 44 et 30.1.e",
		Effective: gdprDate,
	},
	{
		ID: "LB-001", Code: "missing_legal_basis", Version: 1, Severity: registre.SeverityError,
		Field: "legal_bases", Scope: scopeRecord,
		Title:     "Base légale absente",
		Message:   "Aucune base légale de l'article 6 du RGPD n'est indiquée{{if .evidence}} (le texte cite seulement : « {{.evidence}} »){{end}}.",
		Why:       "Tout traitement doit reposer sur l'une des bases de l'art. 6.1 RGPD ; le responsable doit pouvoir la démontrer (art. 5.2) et l'indiquer aux personnes (art. 13.1.c). Pour un organisme de sécurité sociale il s'agit en général de l'obligation légale (6.1.c) ou de la mission d'intérêt public (6.1.e), avec le texte national qui la fonde (art. 6.3).",
		Fix:       "Ajouter une ligne « Base légale : article 6-1-e du RGPD (mission d'intérêt public), fondée sur les articles L. … du Code de la sécurité sociale ».",
		Citation:  "RGPD art. 6.1, 6.3, 5.2 et 13.1.c",
		Effective: gdprDate,
		Dated:     "Le traitement date d'avant le RGPD ({{.date}}) : la base légale n'était pas exigée dans les formalités de l'époque ; elle l'est depuis le 25 mai 2018.",
	},
	{
		ID: "LB-002", Code: "expired_legal_basis", Version: 1, Severity: registre.SeverityWarning,
		Field: "legal_basis_text", Scope: scopeRecord,
		Title:     "Fondement juridique expiré",
		Message:   "Le fondement du traitement a pris fin (« {{.evidence}} ») et le traitement figure toujours au registre.",
		Why:       "Un traitement dont le texte fondateur a cessé de s'appliquer n'a plus de base légale (art. 6.1 RGPD) ; ses données doivent être supprimées ou archivées.",
		Fix:       "Clore la fiche (date de fin, sort des données) ou citer le nouveau texte qui fonde le traitement.",
		Citation:  "RGPD art. 5.1.a, 5.1.e et 6.1",
		Effective: gdprDate,
	},
	{
		ID: "PUR-001", Code: "missing_purpose", Version: 1, Severity: registre.SeverityError,
		Field: "purposes", Scope: scopeRecord,
		Title:     "Finalité absente",
		Message:   "Aucune finalité n'est indiquée{{if .evidence}} (valeur : « {{.evidence}} »){{end}}.",
		Why:       "Le registre doit indiquer les finalités du traitement (art. 30.1.b RGPD) ; elles doivent être déterminées, explicites et légitimes (art. 5.1.b).",
		Fix:       "Décrire l'objectif du traitement en une ou plusieurs phrases, ex. « Gérer les demandes d'intervention du service social ».",
		Citation:  "RGPD art. 30.1.b et 5.1.b",
		Effective: gdprDate,
	},
	{
		ID: "DAT-001", Code: "missing_data_categories", Version: 1, Severity: registre.SeverityWarning,
		Field: "data_categories", Scope: scopeRecord,
		Title:     "Catégories de données absentes",
		Message:   "Aucune catégorie de données personnelles n'est indiquée{{if .evidence}} (valeur : « {{.evidence}} »){{end}}.",
		Why:       "Le registre doit décrire les catégories de données traitées (art. 30.1.c RGPD) ; c'est aussi la base de l'analyse de minimisation (art. 5.1.c).",
		Fix:       "Lister les catégories par type de personne, ex. « Assurés : identification (nom, prénom, NIR), coordonnées, données de santé (…) ».",
		Citation:  "RGPD art. 30.1.c et 5.1.c",
		Effective: gdprDate,
	},
	{
		ID: "DAT-002", Code: "missing_data_categories", Version: 1, Severity: registre.SeverityWarning,
		Field: "data_categories", Scope: scopeRecord,
		Title:     "Catégories de données par simple renvoi",
		Message:   "Les catégories de données ne sont données que par renvoi ou de façon globale, sans catégorie nommée : « {{.evidence}} ».",
		Why:       "Un renvoi à une décision, une déclaration ou un engagement de conformité, ou « toutes les données », ne décrit pas les catégories traitées comme l'exige l'art. 30.1.c RGPD ; le lecteur du registre doit pouvoir les connaître sans autre document.",
		Fix:       "Recopier dans le registre les catégories du document visé (identification, coordonnées, vie professionnelle, données de santé, NIR…), par type de personne concernée.",
		Citation:  "RGPD art. 30.1.c",
		Effective: gdprDate,
	},
	{
		ID: "REC-001", Code: "missing_recipients", Version: 1, Severity: registre.SeverityWarning,
		Field: "recipients", Scope: scopeRecord,
		Title:     "Destinataires absents",
		Message:   "Aucun destinataire n'est indiqué{{if .evidence}} (valeur : « {{.evidence}} »){{end}}.",
		Why:       "Le registre doit indiquer les catégories de destinataires, internes comme externes, y compris dans des pays tiers (art. 30.1.d RGPD).",
		Fix:       "Indiquer les services internes habilités et les organismes externes destinataires, ou « aucun destinataire externe » si c'est le cas.",
		Citation:  "RGPD art. 30.1.d",
		Effective: gdprDate,
	},
	{
		ID: "SEC-001", Code: "missing_security_measures", Version: 1, Severity: registre.SeverityWarning,
		Field: "security_measures", Scope: scopeRecord,
		Title:     "Mesures de sécurité absentes",
		Message:   "Aucune mesure de sécurité n'est décrite{{if .evidence}} (valeur : « {{.evidence}} »){{end}}.",
		Why:       "Le registre doit comporter, dans la mesure du possible, une description générale des mesures de sécurité techniques et organisationnelles (art. 30.1.g et 32 RGPD).",
		Fix:       "Décrire les mesures : habilitations, authentification, journalisation, chiffrement, sauvegarde, politique de sécurité applicable (ex. PSSI-MCAS).",
		Citation:  "RGPD art. 30.1.g et 32",
		Effective: gdprDate,
	},
	{
		ID: "OLD-001", Code: "outdated_legal_reference", Version: 1, Severity: registre.SeverityWarning,
		Field: "", Scope: scopeRecord,
		Title:     "Formalité CNIL antérieure au RGPD",
		Message:   "Le traitement s'appuie sur une formalité préalable auprès de la CNIL : « {{.evidence}} ».",
		Why:       "Les déclarations, récépissés, autorisations et normes simplifiées de la loi n° 78-17 ont été supprimés par le RGPD et la loi n° 2018-493 du 20 juin 2018 ; ils ne fondent plus le traitement.",
		Fix:       "Remplacer la référence par la base légale de l'art. 6 (et la condition de l'art. 9 si besoin), la durée et les catégories recopiées dans le registre ; garder la formalité en historique seulement.",
		Citation:  "RGPD art. 30 et considérant 89 ; loi n° 2018-493 du 20 juin 2018",
		Effective: gdprDate,
		Dated:     "Cette référence était valable à la date du document ({{.date}}) ; elle est obsolète depuis le 25 mai 2018.",
	},
	{
		ID: "OLD-002", Code: "outdated_legal_reference", Version: 1, Severity: registre.SeverityWarning,
		Field: "", Scope: scopeRecord,
		Title:     "Correspondant informatique et libertés (CIL)",
		Message:   "Le document cite le correspondant informatique et libertés : « {{.evidence}} ».",
		Why:       "Le CIL (loi n° 78-17, art. 22 ancien, décret n° 2005-1309) a été remplacé par le délégué à la protection des données (DPO, art. 37 à 39 RGPD) le 25 mai 2018.",
		Fix:       "Remplacer par « délégué à la protection des données (DPO) » et ses coordonnées.",
		Citation:  "RGPD art. 37 à 39 ; loi n° 78-17 art. 22 dans sa rédaction antérieure au 25 mai 2018",
		Effective: gdprDate,
		Dated:     "À la date du document ({{.date}}), le CIL était l'interlocuteur prévu par la loi ; il est remplacé par le DPO depuis le 25 mai 2018.",
	},
	{
		ID: "OLD-003", Code: "outdated_legal_reference", Version: 1, Severity: registre.SeverityWarning,
		Field: "", Scope: scopeRecord,
		Title:     "Directive 95/46/CE",
		Message:   "Le document cite la directive 95/46/CE : « {{.evidence}} ».",
		Why:       "La directive 95/46/CE a été abrogée par le RGPD avec effet au 25 mai 2018 (art. 94 RGPD) ; les renvois s'entendent comme faits au règlement.",
		Fix:       "Citer l'article correspondant du RGPD (règlement (UE) 2016/679).",
		Citation:  "RGPD art. 94",
		Effective: gdprDate,
		Dated:     "À la date du document ({{.date}}), la directive était en vigueur ; elle est abrogée depuis le 25 mai 2018.",
	},
	{
		ID: "OLD-004", Code: "outdated_legal_reference", Version: 1, Severity: registre.SeverityWarning,
		Field: "", Scope: scopeRecord,
		Title:     "Ancienne numérotation de la loi Informatique et Libertés",
		Message:   "Le document cite un article de la loi n° 78-17 dans sa numérotation antérieure à 2019 : « {{.evidence}} ».",
		Why:       "L'ordonnance n° 2018-1125 du 12 décembre 2018, en vigueur le 1er juin 2019, a réécrit et renuméroté la loi n° 78-17 (ex. le droit d'accès, ancien art. 39, relève désormais de l'art. 15 RGPD).",
		Fix:       "Citer les articles 15 à 22 du RGPD pour les droits des personnes et la loi n° 78-17 modifiée dans sa numérotation actuelle.",
		Citation:  "Ordonnance n° 2018-1125 du 12 décembre 2018 ; décret n° 2019-536 du 29 mai 2019",
		Effective: "2019-06-01",
		Dated:     "À la date du document ({{.date}}), cette numérotation était la bonne ; elle a changé le 1er juin 2019.",
	},
	{
		ID: "ART9-001", Code: "health_data_without_art9", Version: 1, Severity: registre.SeverityError,
		Field: "data_categories", Scope: scopeRecord,
		Title:     "Données de santé sans condition de l'article 9",
		Message:   "Des données de santé sont traitées (« {{.evidence}} ») sans exception de l'art. 9.2 RGPD ni disposition nationale précise{{if .generic}} ; « {{.generic}} » est une mention générale qui ne suffit pas{{end}}.",
		Why:       "Le traitement de données de santé est interdit sauf exception de l'art. 9.2 RGPD (ex. 9.2.b protection sociale, 9.2.h prise en charge sanitaire ou sociale, 9.2.i santé publique), appuyée sur un texte précis (article de code, loi, décret, délibération).",
		Fix:       "Ajouter la condition, ex. « Article 9-2-h du RGPD : gestion des systèmes de protection sociale – articles L. 161-28-1 et suivants du Code de la sécurité sociale ».",
		Citation:  "RGPD art. 9.1, 9.2 et 9.4 ; loi n° 78-17 modifiée, art. 6 et titre II, chapitre III (traitements dans le domaine de la santé)",
		Effective: gdprDate,
	},
	{
		ID: "ART9-002", Code: "health_data_without_art9", Version: 1, Severity: registre.SeverityError,
		Field: "data_categories", Scope: scopeRecord,
		Title:     "Données sensibles (art. 9) sans condition",
		Message:   "Des données sensibles ({{.kind}}) sont traitées (« {{.evidence}} ») sans exception de l'art. 9.2 RGPD ni disposition nationale précise.",
		Why:       "Les données révélant l'origine, les opinions politiques, les convictions religieuses, l'appartenance syndicale, l'orientation sexuelle, ou les données génétiques ou biométriques, ne peuvent être traitées que dans les cas de l'art. 9.2 RGPD.",
		Fix:       "Ajouter la condition, ex. « Article 9-2-b du RGPD : obligations en matière de droit du travail » ou « 9-2-a : consentement explicite », avec le texte qui la précise.",
		Citation:  "RGPD art. 9.1 et 9.2",
		Effective: gdprDate,
	},
	{
		ID: "ART10-001", Code: "criminal_data_without_basis", Version: 1, Severity: registre.SeverityWarning,
		Field: "data_categories", Scope: scopeRecord,
		Title:     "Données d'infraction sans texte l'autorisant",
		Message:   "Des données relatives aux infractions ou condamnations sont traitées (« {{.evidence}} ») sans texte qui l'autorise.",
		Why:       "Les données relatives aux condamnations pénales, aux infractions ou aux mesures de sûreté ne peuvent être traitées que sous le contrôle de l'autorité publique ou si le droit de l'Union ou d'un État membre l'autorise (art. 10 RGPD ; art. 46 de la loi n° 78-17 modifiée).",
		Fix:       "Citer le texte qui autorise le traitement, ex. « article L. 114-9 du Code de la sécurité sociale (lutte contre la fraude) », ou retirer ces données.",
		Citation:  "RGPD art. 10 ; loi n° 78-17 modifiée, art. 46",
		Effective: gdprDate,
	},
	{
		ID: "CTL-001", Code: "missing_controller", Version: 1, Severity: registre.SeverityInfo,
		Field: "controller", Scope: scopeRecord,
		Title:     "Responsable de traitement non nommé",
		Message:   "Le responsable du traitement et ses coordonnées ne sont pas indiqués pour ce traitement.",
		Why:       "Le registre doit indiquer le nom et les coordonnées du responsable du traitement, et le cas échéant du responsable conjoint et du DPO (art. 30.1.a RGPD).",
		Fix:       "Indiquer l'organisme responsable (ex. « Cnam, 50 avenue du Professeur André Lemierre, 75020 Paris ») et le contact du DPO.",
		Citation:  "RGPD art. 30.1.a",
		Effective: gdprDate,
	},
	{
		ID: "DUP-001", Code: "duplicate_record", Version: 1, Severity: registre.SeverityInfo,
		Field: "name", Scope: scopeCorpus,
		Title:     "Traitement en double",
		Message:   "Ce traitement figure plusieurs fois avec le même nom et les mêmes finalités : {{.others}}.",
		Why:       "Un registre tenu à jour (art. 30 et 5.2 RGPD) ne décrit qu'une fois chaque traitement ; les doublons divergent avec le temps.",
		Fix:       "Garder une seule fiche (la plus récente), fusionner les informations utiles et supprimer l'autre.",
		Citation:  "RGPD art. 30.1 et 5.2",
		Effective: gdprDate,
	},
	{
		ID: "XRG-001", Code: "cross_register_divergence", Version: 1, Severity: registre.SeverityInfo,
		Field: "retention.text", Scope: scopeCorpus,
		Title:     "Durées divergentes entre registres",
		Message:   "Le même traitement national figure au registre de {{.other_org}} (« {{.other_name}} », {{.other_source}}) avec une autre durée de conservation : ici ({{.this_source}}) « {{.evidence}} » ({{.this_max}}), là-bas « {{.other_value}} » ({{.other_max}}).",
		Why:       "Lorsqu'un traitement national est mis en œuvre par plusieurs organismes (responsables conjoints, art. 26 RGPD), les durées doivent être cohérentes (art. 5.1.e) ; l'écart signale une fiche à mettre à jour.",
		Fix:       "Aligner la durée sur celle du traitement national (ou justifier l'écart local) dans les deux registres.",
		Citation:  "RGPD art. 5.1.e et 26",
		Effective: gdprDate,
	},
	{
		ID: "XRG-002", Code: "cross_register_divergence", Version: 1, Severity: registre.SeverityInfo,
		Field: "legal_bases", Scope: scopeCorpus,
		Title:     "Bases légales divergentes entre registres",
		Message:   "Le même traitement national figure au registre de {{.other_org}} (« {{.other_name}} », {{.other_source}}) avec une autre base légale : ici ({{.this_source}}) {{.this_value}}, là-bas {{.other_value}}.",
		Why:       "Un même traitement ne peut reposer que sur une base légale déterminée (art. 6.1 RGPD) ; des bases différentes pour le même traitement national signalent une erreur dans l'un des registres.",
		Fix:       "Aligner la base légale sur celle du traitement national, avec le texte qui la fonde.",
		Citation:  "RGPD art. 6.1 et 26",
		Effective: gdprDate,
	},
}
