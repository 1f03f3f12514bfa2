package flags

import (
	"regexp"
	"strings"

	"registre"
)

var (
	// healthRe: words that make a data category health data (GDPR art. 4.15),
	// including the indirect terms of social-security registers.
	healthRe = regexp.MustCompile(`\b(?:sante|medica(?:l|le|les|ux)|diagnostics?|patholog\w*|maladies?|malades?|handicap\w*|invalidite permanente|taux d'(?:invalidite|incapacite)|incapacite permanente|inaptitude|hospitalis\w*|therapeut\w*|medicaments?|ald|affections? de longue duree|arrets? de travail|accidents? du travail|at/mp|maladies? professionnelles?|rqth|travailleurs? handicapes?|aggir|paraclinique\w*|echantillons? (?:de sang|biologiques)|prelevements? (?:sanguins|biologiques)|sang|vision|dentaire|psycholog\w*|psychiatr\w*|grossesse|covid(?:-19)? positif|cas contacts?|vaccin\w*|depistage|imagerie|actes? medicaux|soins|consommation de soins|dossier medical|etat de sante|situation de covid|(?:d'un|un|en) at)\b`)
	// notHealthRe: phrases with a health word that are not health data
	// (organisation names, professions, insurance products).
	notHealthRe = regexp.MustCompile(`\b(?:professionnels? de (?:la )?sante|etablissements? (?:de sante|sanitaires?|medico-sociaux)|centres? (?:de sante|medica\w*|d'examens? de sante|de soins)|complementaire sante|(?:code|codes) de la sante publique|assurance maladie|caisses? (?:primaires? |nationales? |regionales? )?d'assurance maladie|service (?:du controle )?medical|controle medical|service medical|offre de soins|acces aux soins|agences? regionales? de sante|haute autorite de sante|sante au travail|medecine du travail|medecins? (?:conseils?|traitants?)|examens? de sante|ministere de la sante|systeme de sante)\b`)
	// anonymRe: the source declares the data anonymised.
	anonymRe = regexp.MustCompile(`\banonymi\w*|\banonymes?\b|\bnon nominati\w*`)
	// otherArt9: the other special categories of art. 9.1, by kind.
	otherArt9 = []struct {
		kind string
		re   *regexp.Regexp
	}{
		{"convictions religieuses ou philosophiques", regexp.MustCompile(`\b(?:convictions? (?:religieuses?|philosophiques?)|religion|confession religieuse|pratiques? religieuses?)\b`)},
		{"appartenance syndicale", regexp.MustCompile(`\b(?:appartenance syndicale|affiliation syndicale|(?:delegues?|representants?|mandats?|heures?|responsables?) (?:(?:electifs? ou )?representatifs? )?syndica\w*)\b`)},
		{"opinions politiques", regexp.MustCompile(`\b(?:opinions? politiques?|appartenance politique|engagements? politiques?)\b`)},
		{"orientation ou vie sexuelle", regexp.MustCompile(`\b(?:orientation sexuelle|vie sexuelle)\b`)},
		{"origine raciale ou ethnique", regexp.MustCompile(`\b(?:origine (?:raciale|ethnique)|origines? ethniques?)\b`)},
		{"données biométriques", regexp.MustCompile(`\b(?:biometri\w+|empreintes? digitales?|reconnaissance faciale|gabarits?)\b`)},
		{"données génétiques", regexp.MustCompile(`\b(?:genetiques?|adn)\b`)},
	}
	// art9ExceptionRe: an art. 9.2 condition, by reference or by its wording.
	art9ExceptionRe = regexp.MustCompile(`\b(?:art(?:icle)?\.?\s*9\s*(?:[-.]\s*2|\(2\)|§\s*2|,?\s*(?:paragraphe|par\.|al\.|alinea)\s*2|\s+2)\s*[-.,]?\s*(?:point\s*)?\(?[a-j]\)?(?:\W|$)|9-2-[a-j]\b|\b9\s?\.\s?2\s?\.?\s?[a-j]\)?(?:\W|$)|\b9\s*\(\s*2\s*\)\s*\(?\s*[a-j]\s*\)|consentement (?:explicite|expres)|prise en charge sanitaire ou sociale|medecine preventive|gestion des systemes et des services de (?:soins|sante|protection sociale)|motifs? d'interet public important|interet public dans le domaine de la sante publique|(?:constatation, (?:a l')?exercice ou (?:a la )?)?defense d'(?:un|des) droits? en justice|droit de la securite sociale et de la protection sociale|(?:droits? propres|obligations) (?:au|du) responsable du traitement ou a la personne concernee)`)
	// provisionRe: a specific national provision: a code article number or a
	// numbered loi, décret, ordonnance or délibération.
	provisionRe = regexp.MustCompile(`\b[lrd]\.?\s?-?\s?\d{1,4}(?:[-.]\d{1,4}){1,3}\b|\barticles?\s+[lrd]\.?\s?-?\s?\d{1,4}\b|\b(?:loi|decret|ordonnance|deliberation|arrete)s?\b[^.;\n]{0,40}?(?:n\s?°|no|numero)?\s?\d{2,4}[- ]\d{1,5}\b|\barticle\s+\d+\w*\s+(?:de la |du )?(?:loi|lfss|decret|ordonnance)\b`)
	// genericProvisionRe: mentions that do not count, quoted in the message.
	loi7817Re          = regexp.MustCompile(`\b78-17\b|\bdu 6 janvier 1978\b`)
	genericProvisionRe = regexp.MustCompile(`\b(?:loi (?:n\s?° ?)?78-17|code de (?:la )?securite sociale|code de (?:la )?sante publique?|code du travail|code rural[^.;,]*|loi informatique et libertes|reglementation en vigueur|dispositions legales|textes? en vigueur)\b`)
)

// healthItems returns, for the given values, those that name health data
// and are not declared anonymised, and whether some health value was
// declared anonymised.
func healthItems(vals []fieldText) (named []match, anonymised bool) {
	for _, v := range vals {
		f := v.fold()
		// Masking only blanks whole words, so a value healthRe does not
		// match unmasked has no match masked either: skip the masking
		// (FuzzHealthItems).
		if !healthRe.MatchString(f.s) {
			continue
		}
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

// conditionTexts are the values where a record names its legal conditions.
func conditionTexts(r *registre.Record) []fieldText {
	var out []fieldText
	out = append(out, scalar("legal_basis_text", r.LegalBasisText)...)
	for i, lb := range r.LegalBases {
		if lb.Text != "" {
			out = append(out, newText("legal_bases", i, lb.Text))
		}
	}
	out = append(out, list("purposes", r.Purposes)...)
	out = append(out, list("sub_purposes", r.SubPurposes)...)
	out = append(out, list("data_categories", r.DataCategories)...)
	out = append(out, scalar("objection_exemption", r.ObjectionExemption)...)
	out = append(out, scalar("regulatory_act", r.RegulatoryAct)...)
	out = append(out, list("lineage", r.Lineage)...)
	return out
}

// hasArt9Condition reports whether the record names an art. 9.2 exception
// or a specific national provision; generic is the first generic mention
// found otherwise.
func hasArt9Condition(r *registre.Record) (bool, string) {
	for _, lb := range r.LegalBases {
		if strings.HasPrefix(lb.Code, "9-2-") {
			return true, ""
		}
	}
	texts := conditionTexts(r)
	if _, ok := findFirst(art9ExceptionRe, texts); ok {
		return true, ""
	}
	for _, t := range texts {
		// Loi 78-17 as a whole is the general data-protection law, no more
		// specific than the GDPR itself: only one of its articles counts.
		f := loi7817Re.ReplaceAllStringFunc(t.fold().s, func(s string) string { return strings.Repeat(" ", len(s)) })
		if provisionRe.MatchString(f) {
			return true, ""
		}
	}
	generic := ""
	for _, t := range texts {
		f := t.fold()
		if loc := genericProvisionRe.FindStringIndex(f.s); loc != nil {
			s, e := f.span(loc[0], loc[1])
			generic = t.text[s:e]
			break
		}
	}
	return false, generic
}

func checkSpecialCategories(r *registre.Record) []hit {
	// A "no" from normalize does not silence the detector: data categories
	// that name health data are health data whatever a summary field says.
	data := list("data_categories", r.DataCategories)
	named, anonymised := healthItems(data)
	if len(named) == 0 && !anonymised && r.Sensitive.Health != nil && *r.Sensitive.Health {
		// The health statement is elsewhere (purposes, an explicit field).
		named, anonymised = healthItems(append(list("purposes", r.Purposes), list("sub_purposes", r.SubPurposes)...))
		if len(named) == 0 && !anonymised {
			named = []match{{field: "sensitive.health", index: -1, evidence: "Données de santé : oui"}}
		}
	}
	health := len(named) > 0
	if r.Sensitive.Health == nil && !health {
		return checkOtherArt9(r)
	}
	if !health {
		return checkOtherArt9(r)
	}
	ok, generic := hasArt9Condition(r)
	if ok {
		return nil
	}
	h := hit{rule: "ART9-001", m: named[0], vars: map[string]string{"generic": generic}}
	return []hit{h}
}

// criminalRe: data relating to offences and convictions (art. 10).
var criminalRe = regexp.MustCompile(`\b(?:infractions?|condamnations?(?: penales?)?|casier judiciaire|bulletin n\s?° ?2|mesures? de surete|antecedents judiciaires|poursuites penales|peines?)\b`)

func checkCriminal(r *registre.Record) []hit {
	m, ok := findFirst(criminalRe, list("data_categories", r.DataCategories))
	if !ok {
		return nil
	}
	if c, _ := hasArt9Condition(r); c {
		return nil
	}
	if _, ok := findFirst(art10Re, conditionTexts(r)); ok {
		return nil
	}
	return []hit{{rule: "ART10-001", m: m}}
}

var art10Re = regexp.MustCompile(`\bart(?:icle)?\.?\s*10\s+(?:du )?(?:rgpd|reglement)|\bsous le controle de l'autorite publique\b`)

func checkOtherArt9(r *registre.Record) []hit {
	data := list("data_categories", r.DataCategories)
	for _, k := range otherArt9 {
		m, ok := findFirst(k.re, data)
		if !ok {
			continue
		}
		if anonymRe.MatchString(foldString(m.text)) {
			continue
		}
		if c, _ := hasArt9Condition(r); c {
			return nil
		}
		return []hit{{rule: "ART9-002", m: m, vars: map[string]string{"kind": k.kind}}}
	}
	return nil
}
