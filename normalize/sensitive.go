package normalize

import (
	"regexp"
	"strings"

	"registre"
)

// Health data vocabulary, folded. Kept to terms that name the person's
// health itself: "complémentaire santé", "frais de santé", "professionnels
// de santé", "accès aux soins", "service médical" or "médecin traitant" name
// coverage, actors or services, not health data, and a careful DPO does not
// count them (see the Cnam and Cramif gold files).
var reHealth = regexp.MustCompile(`\b(` + strings.Join([]string{
	`donnees? (de |relatives? a (la |leur )?|concernant (la |leur )?|liees? a (la |leur )?|sur (la |leur )?|ayant trait a (la )?)?sante\b`,
	`donnees? sensibles? \(sante`, `(informations?|elements?) (de |relati(f|fs|ve|ves) a (la |leur )?|sur (la |leur )?)sante\b`, `(nature|siege|description) (de la |des )?lesions?`, `^\W*(a |aux |relatives? a )?(la |leur )?sante\b`,
	`etat de sante`, `sante des (femmes|hommes|personnes|assures|patients|salaries|agents)`, `sante mentale`, `sante au travail\b.{0,20}\b(visite|aptitude)`,
	`informations? (de nature )?medicales?`, `donnees? medicales?`, `nature medicale`, `dossiers? (medica(l|ux)|patients?|de soins|de sante)`,
	`questionnaires? (medica(l|ux)|de sante)`, `certificats? medica(l|ux)`, `avis medica(l|ux)`, `bilans? (medica(l|ux)|de sante)`,
	`examens? (medica(l|ux)|de sante|periodiques de sante|cliniques?)`, `secret medical`, `actes? medica(l|ux)`, `motifs? medica(l|ux)`,
	`pathologies?`, `diagnostics?`, `maladies? professionnelles?`, `maladies? chroniques?`, `maladie \(ij\)`, `risque maladie`,
	`affections? de longue duree`, `\bald\b`, `handicap(e|es|ee|ees)?`, `travailleurs? handicapes?`, `rqth`, `invalidite permanente`,
	`taux d'(incapacite|invalidite)`, `incapacite permanente`, `sequelles?`, `date de guerison`,
	`arrets? (de travail|maladie)`, `hospitalisations?`, `hospitalise`, `soins (medicaux|infirmiers|dentaires)`,
	`donnees relatives aux soins`, `consommation de soins`, `medicaments?`, `ordonnances? medicales?`, `actes? \(?codes?\)?`, `codification des actes`, `nature des actes`, `traitements? medica(l|ux)`,
	`plan de traitement`, `contre[ -]indications?`, `vaccin(s|ation|ations)?`, `covid positif`, `depistages?`, `tests? (de vision|de depistage|pcr|antigeniques?)`,
	`vision`, `dentaires?`, `paracliniques?`, `para cliniques?`, `imagerie`, `echantillons? (de sang|biologiques?)`, `analyses? (biologiques|medicales)`,
	`grossesse`, `situation liee a la maternite`, `interruption volontaire`, `ivg`, `psycholog(ique|iques|ie)`, `psychiatri(que|e)`,
	`addictions?`, `grille aggir`, `gir\b`, `dependance`, `difficultes? sociales? et medicales?`,
	`donnees? genetiques?`, `antecedents? (medicaux|familiaux|chirurgicaux)`, `groupe sanguin`, `taux d'ipp`, `\bipp\b`, `incapacite permanente partielle`, `biometri(que|ques|e)`, `poids`, `taille et poids`, `imc`, `allergies?`, `cim ?10`, `cim\b`,
}, "|") + `)`)

// Negations that cancel a health term in the same clause ("ces messages ne
// doivent pas comporter d'informations de nature médicale").
var reNegated = regexp.MustCompile(`\b(ne|n')\s*(doi\w*|peu\w*|comport\w*|contien\w*|sont|est|figur\w*|collect\w*)?\s*(pas|aucun\w*|jamais)\b|\b(aucune?|sans|hors|exclu\w*|a l'exclusion)\b`)

// NIR vocabulary: the social-security number and its synonyms.
var reNIR = regexp.MustCompile(`\b(nir|nia|nni|nirpp|numeros? de securite sociale|n° de securite sociale|n°de securite sociale|no de securite sociale|numeros? de ss|n° ss|numeros? d'inscription au repertoire|numeros? d'immatriculation|immatriculation (de l'assure|au repertoire|a la securite sociale)|identifiant national de sante|\bins\b(?: qualifie)?|matricule ins|numeros? insee|n° insee|numeros? de secu|n° de secu|numero ss)\b`)

// Pointers instead of data: "Suivant décision Cnam", "Celles indiquées dans
// l'engagement de conformité", "voir l'engagement…", "Toutes les catégories
// de données peuvent être potentiellement utilisées…". Anchored forms count
// wherever they are; the others only in a short item, since a real list may
// also cite a decree.
var (
	rePointerStart  = regexp.MustCompile(`^(suivant|selon|voir|cf\b|conforme|conformement|celles?|ceux|idem|se reporter|donnees? (definies|prevues|indiquees|listees)|donnees? a caractere personnel et informations|toutes les (informations|donnees|categories)\b[^.]*\b(figurant|indiquee|prevue|definie|visee|mentionnee|potentiellement|engagement|resultant))`)
	rePointerAny    = regexp.MustCompile(`\b(decisions? (de la )?(cnam|nationale|cnil)|declaration cnil|engagement de conformite|acte reglementaire)\b`)
	rePointerStrong = regexp.MustCompile(`\b(page \d+ de|figurant dans les systemes|resultant de l'application de la (legislation|reglementation))\b`)
)

// Other special categories (Art. 9 and 10), as codes for sensitive.other.
var otherSensitive = []struct {
	code string
	re   *regexp.Regexp
}{
	{"religion", regexp.MustCompile(`\b(religi\w*|convictions? (religieuses?|philosophiques?)|croyances?|confession)\b`)},
	{"opinions_politiques", regexp.MustCompile(`\b(opinions? politiques?|appartenance (syndicale ou )?politique|ou politique)\b`)},
	{"syndicat", regexp.MustCompile(`\b(syndica(l|le|les|ux|t|ts)|appartenance syndicale|mandats? (syndica\w*|representatifs?)|representants? du personnel)\b`)},
	{"vie_sexuelle", regexp.MustCompile(`\b(vie sexuelle|orientation sexuelle)\b`)},
	{"origine_ethnique", regexp.MustCompile(`\b(origine (raciale|ethnique)|origines? raciales?|ethni\w+)\b`)},
	{"infractions", regexp.MustCompile(`\b(infractions?|condamnations?|casier judiciaire|mesures de surete|procedures? (penales?|judiciaires?)|antecedents judiciaires)\b`)},
	{"biometrie", regexp.MustCompile(`\b(biometri\w*|empreintes? digitales?|reconnaissance faciale|gabarit)\b`)},
	{"genetique", regexp.MustCompile(`\b(genetiques?|adn)\b`)},
}

var otherStems = []string{"religi", "convict", "croyance", "confession", "politique", "syndica", "representant", "mandat", "sexuel", "ethni", "origine", "infraction", "condamnation", "casier", "surete", "penal", "judiciaire", "biometri", "empreinte", "faciale", "gabarit", "genetique", "adn"}

// OtherSensitive returns the codes of the other special categories the data
// categories name (religion, opinions_politiques, syndicat, vie_sexuelle,
// origine_ethnique, infractions, biometrie, genetique), in that order.
func OtherSensitive(categories []string) []string {
	out := []string{}
	folded := make([]string, len(categories))
	for i, c := range categories {
		folded[i] = fold(c)
	}
	found := false
	for _, f := range folded {
		if hasAnyStem(f, otherStems) {
			found = true
			break
		}
	}
	if !found {
		return out
	}
	for _, o := range otherSensitive {
		for _, f := range folded {
			if loc := o.re.FindStringIndex(f); loc != nil && !negated(f, loc[0]) {
				out = append(out, o.code)
				break
			}
		}
	}
	return out
}

// Sensitive reads from the data categories whether health data and the NIR
// are processed. Both are nil when no category is listed or the categories
// are only pointers ("Suivant décision Cnam"); false when concrete
// categories are listed and none is sensitive. context (the record's name
// and purposes) can only add health: a purpose "tenir le dossier médical"
// means health data even when the categories list says "données du dossier".
func Sensitive(categories, context []string) (health, nir *bool) {
	concrete := false
	for _, c := range categories {
		if !isPointer(c) {
			concrete = true
		}
		f := fold(c)
		if health == nil && hasHealthFolded(f) {
			health = registre.Bool(true)
		}
		if nir == nil && hasNIRFolded(f) {
			nir = registre.Bool(true)
		}
	}
	// The name and purposes only speak when the categories do not: a
	// register that lists its data has said what it processes ("référencer
	// les données de santé" in a purpose does not put health data in an
	// INS lookup that lists none).
	if health == nil && !concrete {
		for _, c := range context {
			if reHealthContext.MatchString(fold(c)) {
				health = registre.Bool(true)
				break
			}
		}
	}
	if concrete {
		if health == nil {
			health = registre.Bool(false)
		}
		if nir == nil {
			nir = registre.Bool(false)
		}
	}
	return health, nir
}

// Strong phrases in a name or purpose that mean health data.
var reHealthContext = regexp.MustCompile(`\b(donnees (de|relatives a la|concernant la) sante|dossiers? medica(l|ux)|donnees medicales|pathologies?|diagnostics? medica(l|ux)|vaccination|depistage|dossier medical partage|dmp)\b`)

// HasHealth reports whether a text names health data (not negated in its
// clause).
func HasHealth(s string) bool {
	return hasHealthFolded(fold(s))
}

// Literal stems one of which every health term contains: a text with none
// of them skips the (large) regular expression.
var healthStems = []string{
	"sante", "medic", "patholog", "diagnos", "maladi", "affection", "ald", "handicap", "rqth", "invalidite",
	"incapacite", "sequelle", "guerison", "arret", "hospitali", "soins", "ordonnance", "acte", "traitement",
	"contre", "vaccin", "covid", "depistage", "test", "vision", "dentaire", "clinique", "imagerie", "echantillon",
	"analyse", "grossesse", "maternite", "interruption", "ivg", "psych", "addiction", "aggir", "gir", "dependance",
	"difficulte", "genetique", "biometri", "poids", "imc", "allergi", "cim", "examen", "bilan", "certificat",
	"avis", "secret", "questionnaire", "dossier", "motif", "informations", "antecedent", "sanguin", "ipp", "lesion",
}

func hasAnyStem(f string, stems []string) bool {
	for _, st := range stems {
		if strings.Contains(f, st) {
			return true
		}
	}
	return false
}

func hasHealthFolded(f string) bool {
	if !hasAnyStem(f, healthStems) {
		return false
	}
	for _, m := range reHealth.FindAllStringIndex(f, -1) {
		if !negated(f, m[0]) {
			return true
		}
	}
	// "rapports médicaux", "informations médicales": a medical adjective on
	// data, but not on a service or a person ("service médical", "centre
	// médical", "personnel médical").
	if !strings.Contains(f, "medica") {
		return false
	}
	for _, m := range reMedical.FindAllStringSubmatchIndex(f, -1) {
		if !medicalActors[f[m[2]:m[3]]] && !negated(f, m[0]) {
			return true
		}
	}
	return false
}

var reMedical = regexp.MustCompile(`\b([a-z]+)\s+medica(?:l|le|ux|les)\b`)

var medicalActors = map[string]bool{
	"service": true, "services": true, "centre": true, "centres": true, "controle": true, "echelon": true,
	"personnel": true, "personnels": true, "secretariat": true, "equipe": true, "equipes": true, "corps": true,
	"cabinet": true, "cabinets": true, "direction": true, "conseil": true, "delegue": true, "medecin": true,
	"auxiliaire": true, "auxiliaires": true, "transport": true, "transports": true, "etablissement": true,
	"etablissements": true, "plateau": true, "materiel": true, "dispositif": true, "dispositifs": true,
	"secret": false, "du": true, "le": true, "la": true, "au": true, "et": true, "acteur": true, "acteurs": true,
	"professionnel": true, "professionnels": true, "responsable": true, "medico": true, "pole": true, "unite": true,
}

// HasNIR reports whether a text names the social-security number.
func HasNIR(s string) bool {
	return hasNIRFolded(fold(s))
}

var nirStems = []string{"nir", "nia", "nni", "securite sociale", "ss", "repertoire", "immatriculation", "identifiant national", "ins", "matricule", "secu"}

func hasNIRFolded(f string) bool {
	if !hasAnyStem(f, nirStems) {
		return false
	}
	for _, m := range reNIR.FindAllStringIndex(f, -1) {
		if !negated(f, m[0]) {
			return true
		}
	}
	return false
}

// negated looks for a negation in the clause before position i.
func negated(f string, i int) bool {
	start := strings.LastIndexAny(f[:i], ".;:,(")
	clause := f[start+1 : i]
	return reNegated.MatchString(clause)
}

// isPointer reports whether a data-category item only points elsewhere.
func isPointer(s string) bool {
	s = clean(s)
	// "Assurés : toutes les informations … de l'engagement" → look past the
	// subject prefix.
	if m := rePrefix.FindStringSubmatch(s); m != nil && subjectOf(m[1]) != "" {
		s = clean(s[len(m[0]):])
	}
	f := strings.TrimLeft(fold(s), "> ")
	if rePointerStart.MatchString(f) {
		return true
	}
	if rePointerStrong.MatchString(f) {
		return true
	}
	return len(strings.Fields(f)) <= 15 && rePointerAny.MatchString(f)
}
