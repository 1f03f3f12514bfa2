package flags

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"registre"
)

// recordHits runs every record-scope detector.
func (e *Engine) recordHits(r *registre.Record) []hit {
	var out []hit
	out = append(out, checkRetention(r)...)
	out = append(out, checkPurpose(r)...)
	out = append(out, checkDataCategories(r)...)
	out = append(out, checkRecipients(r)...)
	out = append(out, checkSecurity(r)...)
	out = append(out, checkLegalBasis(r)...)
	out = append(out, e.checkExpiredBasis(r)...)
	out = append(out, checkSpecialCategories(r)...)
	out = append(out, checkCriminal(r)...)
	all := allTexts(r)
	out = append(out, checkOutdated(r, all)...)
	out = append(out, checkController(r)...)
	out = append(out, e.checkTransfers(r, all)...)
	return out
}

// list turns a list field into detector inputs.
func list(field string, vals []string) []fieldText {
	out := make([]fieldText, 0, len(vals))
	for i, v := range vals {
		out = append(out, newText(field, i, v))
	}
	return out
}

func scalar(field string, v *string) []fieldText {
	if v == nil || *v == "" {
		return nil
	}
	return []fieldText{newText(field, -1, *v)}
}

// allTexts is every text of a record, for detectors that look "anywhere in
// the record" (Privacy Shield, outdated references, providers).
func allTexts(r *registre.Record) []fieldText {
	var out []fieldText
	if r.Name != "" {
		out = append(out, newText("name", -1, r.Name))
	}
	out = append(out, scalar("reference", r.Reference)...)
	out = append(out, list("joint_controllers", r.JointControllers)...)
	out = append(out, list("purposes", r.Purposes)...)
	out = append(out, list("sub_purposes", r.SubPurposes)...)
	out = append(out, scalar("legal_basis_text", r.LegalBasisText)...)
	for i, lb := range r.LegalBases {
		if lb.Text != "" {
			out = append(out, newText("legal_bases", i, lb.Text))
		}
	}
	out = append(out, list("data_subjects", r.DataSubjects)...)
	out = append(out, list("data_categories", r.DataCategories)...)
	out = append(out, list("recipients.internal", r.Recipients.Internal)...)
	out = append(out, list("recipients.external", r.Recipients.External)...)
	out = append(out, list("persons_with_access", r.PersonsWithAccess)...)
	out = append(out, list("processors", r.Processors)...)
	out = append(out, scalar("transfers.text", r.Transfers.Text)...)
	out = append(out, list("transfers.destinations", r.Transfers.Destinations)...)
	out = append(out, list("transfers.safeguards", r.Transfers.Safeguards)...)
	out = append(out, scalar("retention.text", r.Retention.Text)...)
	out = append(out, list("security_measures", r.SecurityMeasures)...)
	out = append(out, scalar("rights.text", r.Rights.Text)...)
	out = append(out, scalar("rights.contact", r.Rights.Contact)...)
	out = append(out, scalar("objection_exemption", r.ObjectionExemption)...)
	out = append(out, scalar("regulatory_act", r.RegulatoryAct)...)
	out = append(out, list("lineage", r.Lineage)...)
	for i, a := range r.Attachments {
		out = append(out, newText("attachments", i, a.Label))
	}
	if r.DPO != nil {
		out = append(out, scalar("dpo", r.DPO.Name)...)
	}
	return out
}

// --- Retention -------------------------------------------------------------

const numWord = `(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingt|trente|quarante|cinquante|soixante|cent)(?:[- ](?:et[- ])?(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingt|cent))*`

var (
	// durationRe: a number or number word with a time unit.
	durationRe = regexp.MustCompile(`\b(?:(?:\d+(?:[.,]\d+)?|\d+/\d+|` + numWord + `)\s*(?:\(\s*\d+\s*\)\s*)?(?:(?:derni|premi|plein|entier|calendaire|civil|ouvr|glissant|supplementaire)\w*\s+)?(?:ans?|annees?|mois|semaines?|jours?|journees?|heures?|minutes?|trimestres?|semestres?|decennies?)\b|\d+\s?h\b)`)
	// currentYearRe: "année en cours" counts as a determinable duration.
	currentYearRe = regexp.MustCompile(`\bannees? (?:civiles? )?en cours\b|\bexercice en cours\b`)
	// noRetentionRe: nothing kept, or deleted at once.
	noRetentionRe = regexp.MustCompile(`\b(?:pas de (?:conservation|stockage)|aucune? (?:conservation|stockage)|sans conservation|il n'y a pas de conservation|(?:ne|n') ?(?:sont|est) pas (?:conserve|stocke|enregistre|garde)|non (?:conservee?s?|stockee?s?)|aucune donnee n'est (?:conservee|stockee|enregistree)|(?:supprimee?s?|detruite?s?|effacee?s?|purgee?s?) (?:immediatement|sans delai|aussitot|des (?:la|le|que|leur|son|sa|l'|reception|emission|transmission|envoi))|(?:suppression|destruction|effacement|purge) (?:immediate|sans delai|des reception)|detruite?s? apres (?:emission|usage|utilisation|envoi|transmission|lecture|traitement))`)
	// periodicRe: a periodic purge is a determinable retention.
	periodicRe = regexp.MustCompile(`\b(?:chaque (?:jour|soir|nuit|semaine|mois|annee|trimestre)|tous les (?:jours|soirs|mois|ans)|quotidienne(?:ment)?|hebdomadaire(?:ment)?|mensuelle(?:ment)?|annuelle(?:ment)?|a minuit)\b`)
	// fixedEndRe: a fixed end date.
	fixedEndRe = regexp.MustCompile(`\bjusqu'(?:au|a la date du) \d{1,2}(?:er)?(?:[ /.-](?:\d{1,2}|janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre))[ /.-]\d{2,4}`)
	// unlimitedRe: data never deleted.
	unlimitedRe = regexp.MustCompile(`\b(?:illimitee?s?|sans limit(?:e|ation) de (?:duree|temps)|pas de (?:suppression|purge|destruction)|aucune (?:suppression|purge|destruction)|jamais (?:supprimee?s?|detruite?s?|effacee?s?|purgee?s?)|ne sont jamais|indefiniment|duree indefinie|a vie|de (?:maniere|facon) (?:permanente|illimitee|definitive)|conservation (?:permanente|definitive|perpetuelle)|conservee?s? (?:definitivement|en permanence|sans limite)|aussi longtemps que[^.;]{0,50}le (?:souhait|desir|veul)\w*|pas de duree (?:de conservation )?(?:limite|definie|fixee))`)
	// notUnlimitedAfter: "pas de suppression avant 5 ans" is not unlimited.
	notUnlimitedAfter = regexp.MustCompile(`^\s*(?:des donnees\s*)?(?:anticipee|avant|pendant|durant|au cours|sauf|avant l'expiration)`)
	// pointerRe names what a vague retention refers to, for the message.
	pointerRe = regexp.MustCompile(`\b(?:articles?\s+\d+\w*\s+d[eu]|suivant|selon|conformement (?:a|aux?)|en adequation avec|dans le respect d[eu]s?|cf\.?|voir|regie par|definies? (?:par|dans)|prevue?s? (?:par|dans)|fixee?s? par)\s+([^.;,\n]{3,80})`)
)

// determinable reports whether a retention text gives a duration one can
// compute an erasure date from.
func determinable(folded string) bool {
	return durationRe.MatchString(folded) || currentYearRe.MatchString(folded) ||
		noRetentionRe.MatchString(folded) || periodicRe.MatchString(folded) || fixedEndRe.MatchString(folded)
}

func checkRetention(r *registre.Record) []hit {
	txt := deref(r.Retention.Text)
	v := fieldText{field: "retention.text", index: -1, text: txt}
	if isPlaceholder(txt) {
		if len(r.Retention.Periods) > 0 {
			return nil
		}
		if r.Retention.Indefinite != nil && *r.Retention.Indefinite {
			return []hit{{rule: "RET-003", m: match{field: "retention.text", index: -1, evidence: "conservation illimitée"}}}
		}
		m := match{field: "retention.text", index: -1}
		if strings.TrimSpace(txt) != "" {
			m = whole(v)
		}
		return []hit{{rule: "RET-001", m: m}}
	}
	f := fold(txt)
	if loc := unlimitedRe.FindStringIndex(f.s); loc != nil && !notUnlimitedAfter.MatchString(f.s[loc[1]:]) {
		ev, s, en := f.clause(loc[0], loc[1])
		return []hit{{rule: "RET-003", m: match{field: v.field, index: -1, text: txt, evidence: ev, start: s, end: en}}}
	}
	if determinable(f.s) {
		return nil
	}
	h := hit{rule: "RET-002", m: whole(v), vars: map[string]string{}}
	if loc := pointerRe.FindStringSubmatchIndex(f.s); loc != nil {
		// Name only the first document referred to.
		for _, sep := range []string{" dans le respect", " conformement", " puis ", " selon ", " suivant "} {
			if k := strings.Index(f.s[loc[0]+1:loc[1]], sep); k >= 0 {
				loc[1] = loc[0] + 1 + k
			}
		}
		os, oe := f.span(loc[0], loc[1])
		h.vars["pointer"] = "« " + strings.TrimSpace(txt[os:oe]) + " »"
	}
	return []hit{h}
}

// --- Completeness ----------------------------------------------------------

func checkPurpose(r *registre.Record) []hit {
	if !blank(r.Purposes) || !blank(r.SubPurposes) {
		return nil
	}
	return []hit{{rule: "PUR-001", m: firstPlaceholder("purposes", r.Purposes)}}
}

func checkRecipients(r *registre.Record) []hit {
	if !blank(r.Recipients.Internal) || !blank(r.Recipients.External) || !blank(r.PersonsWithAccess) {
		return nil
	}
	// A recipients label answered "non" is a statement (no recipient), not a
	// gap: normalize keeps the label's provenance with an empty list.
	if len(r.Recipients.Internal)+len(r.Recipients.External) == 0 {
		for _, k := range []string{"recipients", "recipients.internal", "recipients.external"} {
			if _, ok := r.Provenance[k]; ok {
				return nil
			}
		}
	}
	m := firstPlaceholder("recipients.external", r.Recipients.External)
	if m.evidence == "" {
		m = firstPlaceholder("recipients.internal", r.Recipients.Internal)
	}
	m.field = "recipients"
	return []hit{{rule: "REC-001", m: m}}
}

func checkSecurity(r *registre.Record) []hit {
	if !blank(r.SecurityMeasures) {
		return nil
	}
	return []hit{{rule: "SEC-001", m: firstPlaceholder("security_measures", r.SecurityMeasures)}}
}

func checkController(r *registre.Record) []hit {
	if r.Controller != nil && (!isPlaceholder(deref(r.Controller.Name)) || !isPlaceholder(deref(r.Controller.Contact))) {
		return nil
	}
	return []hit{{rule: "CTL-001", m: match{field: "controller", index: -1}}}
}

// firstPlaceholder quotes the first non-empty placeholder ("/") of a list.
func firstPlaceholder(field string, vals []string) match {
	for i, v := range vals {
		if strings.TrimSpace(v) != "" {
			return whole(fieldText{field: field, index: i, text: v})
		}
	}
	return match{field: field, index: -1}
}

// --- Data categories -------------------------------------------------------

var (
	// subjectPrefixRe strips "Assurés :" before a category list.
	subjectPrefixRe = regexp.MustCompile(`^[^:0-9]{1,60}:\s*`)
	// dataPointerRe: the value refers to another document instead of listing.
	dataPointerRe = regexp.MustCompile(`^(?:suivant|selon|cf\b|voir|se referer|conformement)|\b(?:celles?|ceux) (?:indique|mentionne|liste|enumere|prevu|defini|vise|figurant)|\b(?:figurant|indiquee?s?|mentionnee?s?|enumeree?s?|listee?s?|definie?s?|prevue?s?|visee?s?) (?:a|au|aux|dans|par|en) (?:l'|la |le |les )?(?:page|article|engagement|decision|declaration|acte|decret|arrete|deliberation|annexe|convention|document|fiche|dossier|systemes?)|\bresultant de l'application|\bdecisions? (?:de la )?(?:cnam|nationale|cnamts)|\bdeclaration (?:a la )?cnil|\bengagement de conformite|\bacte reglementaire`)
	// catchAllRe: "all data" formulations name no category.
	catchAllRe = regexp.MustCompile(`\b(?:toutes? (?:les )?(?:categories de )?(?:donnees|informations)|l'ensemble des (?:categories de )?(?:donnees|informations)|tout type de donnees?|toute donnee)\b`)
	// concreteRe: words that name an actual category of data.
	concreteRe = regexp.MustCompile(`\b(?:noms?|prenoms?|nir|nia|adresses?|date de naissance|naissance|telephone|e-?mail|courriels?|mail|coordonnees|identit\w*|identif\w*|civilite|sexe|age|situations?|revenus?|salaires?|bancaires?|rib|iban|sante|medica\w*|diagnostics?|photos?|images?|videos?|voix|enregistrements?|connexion|logs?|traces?|ip|numeros? (?:de|d'|du)|matricules?|immatriculation|professions?|emplois?|fonctions?|metiers?|siret|siren|raison sociale|montants?|pensions?|taux|vie (?:personnelle|professionnelle)|habitudes|famil\w*|nationalite|signature electronique|certificats? electroniques?|questionnaires?|courriers?|cv|curriculum|diplomes?|formations?|evaluations?|horaires?|badges?|geolocalisation|securite sociale|contrats?|factures?|paiements?|versements?|creances?|dossiers? (?:medica|administrati)\w*)\b`)
)

// contentless reports whether a data-category value names no category:
// empty once its "Assurés :" prefix is removed, or only a pointer/catch-all.
func contentless(v string) (bool, bool) {
	f := strings.TrimSpace(foldString(v))
	rest := subjectPrefixRe.ReplaceAllString(f, "")
	if isPlaceholder(rest) {
		return true, false
	}
	pointer := dataPointerRe.MatchString(rest) || catchAllRe.MatchString(rest)
	if !pointer {
		return false, false
	}
	// "Code de la santé publique" names a code, not a category.
	rest = genericProvisionRe.ReplaceAllString(rest, " ")
	return !concreteRe.MatchString(rest), true
}

func checkDataCategories(r *registre.Record) []hit {
	if blank(r.DataCategories) {
		return []hit{{rule: "DAT-001", m: firstPlaceholder("data_categories", r.DataCategories)}}
	}
	var ptr *match
	for i, v := range r.DataCategories {
		empty, isPtr := contentless(v)
		if !empty {
			return nil
		}
		if isPtr && ptr == nil {
			m := whole(fieldText{field: "data_categories", index: i, text: v})
			ptr = &m
		}
	}
	if ptr == nil {
		return []hit{{rule: "DAT-001", m: firstPlaceholder("data_categories", r.DataCategories)}}
	}
	return []hit{{rule: "DAT-002", m: *ptr}}
}

// --- Legal basis -----------------------------------------------------------

// art6TextRe recognises an Art. 6 basis written out when no code was set.
var art6TextRe = regexp.MustCompile(`\b(?:art(?:icle)?\.?\s*6\s*[-.(§,]*\s*(?:paragraphe\s*)?1\s*[-.)(, ]*\s*(?:point\s*)?[a-f]\b|6[-.]1[-.]?[a-f]\b|obligations? (?:legales?|reglementaires?)|missions? d'interet (?:public|general)|missions? de service public|service public|execution d'une mission|autorite publique|consentement|interets? legitimes?|execution (?:d'un|du) contrat|contrat de travail|mesures precontractuelles|interets vitaux)`)

func checkLegalBasis(r *registre.Record) []hit {
	for _, lb := range r.LegalBases {
		if strings.HasPrefix(lb.Code, "6-1-") {
			return nil
		}
	}
	texts := scalar("legal_basis_text", r.LegalBasisText)
	for i, lb := range r.LegalBases {
		if lb.Text != "" {
			texts = append(texts, newText("legal_bases", i, lb.Text))
		}
	}
	if _, ok := findFirst(art6TextRe, texts); ok {
		return nil
	}
	m := match{field: "legal_bases", index: -1}
	for _, t := range texts {
		if !isPlaceholder(t.text) {
			m = whole(t)
			m.field = "legal_bases"
			break
		}
	}
	return []hit{{rule: "LB-001", m: m}}
}

var (
	endedRe   = regexp.MustCompile(`\b(?:a pris fin|prend fin|a cesse|cesse de s'appliquer|n'est plus en vigueur|expire|jusqu'au)\s*(?:le |au |a compter du |du )?(\d{1,2})(?:er)?[ /.-](\d{1,2}|janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)[ /.-](\d{4})`)
	monthsFld = map[string]int{"janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12}
)

func (e *Engine) checkExpiredBasis(r *registre.Record) []hit {
	texts := scalar("legal_basis_text", r.LegalBasisText)
	for i, lb := range r.LegalBases {
		if lb.Text != "" {
			texts = append(texts, newText("legal_bases", i, lb.Text))
		}
	}
	texts = append(texts, scalar("objection_exemption", r.ObjectionExemption)...)
	for _, t := range texts {
		f := t.fold()
		for _, sm := range endedRe.FindAllStringSubmatchIndex(f.s, -1) {
			day, _ := strconv.Atoi(f.s[sm[2]:sm[3]])
			mon, ok := monthsFld[f.s[sm[4]:sm[5]]]
			if !ok {
				mon, _ = strconv.Atoi(f.s[sm[4]:sm[5]])
			}
			year, _ := strconv.Atoi(f.s[sm[6]:sm[7]])
			end := time.Date(year, time.Month(mon), day, 0, 0, 0, 0, time.UTC)
			if mon < 1 || mon > 12 || !end.Before(e.now) {
				continue
			}
			ev, s, en := f.clause(sm[0], sm[1])
			return []hit{{rule: "LB-002", m: match{field: t.field, index: t.index, text: t.text, evidence: ev, start: s, end: en}}}
		}
	}
	return nil
}
