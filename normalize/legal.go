package normalize

import (
	"regexp"
	"strings"

	"registre"
)

// Legal-basis codes.
const (
	CodeNational = "national"
	CodeUnknown  = "unknown"
)

var (
	// "Article 6-1-c du RGPD", "art. 6.1.e", "article 6 (1) c", "article 6,
	// paragraphe 1, point c)", "Art. 9-2-h", "article 9 paragraphe 2 point h".
	reArticleCited = regexp.MustCompile(`\bart(?:icle)?s?\.?\s*(6|9)\s*(?:[-.,§()]|\s)*\s*(?:paragraphe|para\.?|par\.|alinea|al\.|§)?\s*([12])\s*(?:[-.,)(°]|\s)*\s*(?:point|lettre|litt?\.?|sous-paragraphe|sous)?\s*\(?([a-j])(?:\)|\b)`)
	// Without the paragraph: "article 6 c)", "art 6 e", "Art. 9 h)".
	reArticleNoPar = regexp.MustCompile(`\bart(?:icle)?s?\.?\s*(6|9)\s*[-.]?\s*\(?([a-j])(?:\)|$|\s*[,;.:/]|\s+(?:du|de|rgpd|et)\b)`)
	// Bare forms: "6-1-c", "6.1.e", "6§1 e)", "6(1)(c)", "9.2.b", "6-1 c".
	reArticleBare = regexp.MustCompile(`(?:^|[^\w.\-/])(6|9)\s*(?:[-.§]|\()\s*([12])\s*(?:[-.]|\)\s*\(?|\s)\s*\(?([a-j])(?:\)|\b)`)
	// National texts: code articles, laws, decrees, orders, deliberations.
	reNational = regexp.MustCompile(`\b(?:articles?\s+)?[lrd]\s?[.\-]?\s?\d{1,4}(?:[-.]\d+){1,4}\b|\bcode (?:de la |de |du |des |la |rural|civil)|\b(?:loi|lois|decret|decrets|arrete|arretes|ordonnance|deliberation|circulaire|lfss|directive)\b|\breglement \(?(?:ue|ce)\)?|\bconvention d'objectifs|\bloi de financement|\b(?:css|csp|crpa|casf|crpm|cpat)\b`)
)

// Phrases that name a basis without citing its article, folded, in the
// order they are tried: the Art. 9 wordings first, since they contain Art. 6
// words ("intérêt public", "intérêts vitaux", "consentement").
var basisPhrases = []struct {
	code string
	re   *regexp.Regexp
}{
	{"9-2-a", regexp.MustCompile(`consentement (explicite|expres)`)},
	{"9-2-b", regexp.MustCompile(`(obligations et (a l'exercice des )?droits propres|droit du travail,? de la securite sociale et de la protection sociale|en matiere de droit du travail)`)},
	{"9-2-c", regexp.MustCompile(`interets? vita(l|ux)[^.]{0,120}(incapable|physiquement ou juridiquement)`)},
	{"9-2-d", regexp.MustCompile(`(fondation|association|organisme a but non lucratif)[^.]{0,80}(politique|philosophique|religieuse|syndicale)`)},
	{"9-2-e", regexp.MustCompile(`(manifestement rendues? publiques?|rendues? manifestement publiques?)`)},
	{"9-2-f", regexp.MustCompile(`(constatation,? (a l'exercice|l'exercice|exercice) ou (a la )?defense d'un droit en justice|defense (de ses |d'un |des )?droits? en justice)`)},
	{"9-2-i", regexp.MustCompile(`(interet public dans le domaine de la sante publique|motifs? (legitimes? et imperieux|imperieux et legitimes?) de sante publique|menaces? transfrontalieres? graves? pesant sur la sante)`)},
	{"9-2-h", regexp.MustCompile(`(medecine preventive|medecine du travail|diagnostics? medica(l|ux)|prise en charge sanitaire ou sociale|gestion des systemes et des services de soins|appreciation de la capacite de travail)`)},
	{"9-2-g", regexp.MustCompile(`motifs? d'interet public important`)},
	{"9-2-j", regexp.MustCompile(`(fins? archivistiques?|recherche scientifique|fins? (de recherche|statistiques))`)},
	{"6-1-d", regexp.MustCompile(`(sauvegarde des interets vitaux|interets? vita(l|ux))`)},
	{"6-1-e", regexp.MustCompile(`(mis+i?ons? (d'|d )?interet (public|general)|^interet public$|missions? de service public|exercice de l'autorite publique|autorite publique dont est investi|execution d'une (des )?missions?|missions? (de l'am|de l'assurance maladie|legales?|de service)\b)`)},
	{"6-1-c", regexp.MustCompile(`(obligations? (legales?|reglementaires?|legale|legal)|l'obligation (comme|et)\b|respect d'une obligation|obligation legales|impose par (la loi|un texte|le code))`)},
	{"6-1-f", regexp.MustCompile(`(interets? legitimes?|interet legitime)`)},
	{"6-1-b", regexp.MustCompile(`(execution (d'un|du|des) contrats?|mesures precontractuelles|precontractuel|^contrat\b|^contractuel|relation contractuelle|\bcontrat (de travail|conclu|passe)\b)`)},
	{"6-1-a", regexp.MustCompile(`(consentement|consenti|accord (expres |prealable )?de la personne)`)},
}

// LegalBases reads the legal bases of a record, one printed line (or
// bullet) per text. GDPR articles cited in any format give their code
// (6-1-a … 6-1-f, 9-2-a … 9-2-j); without an article, the French wording
// of a basis gives it ("mission d'intérêt public" → 6-1-e, "obligation
// légale" → 6-1-c…); national texts (code articles, lois, décrets, arrêtés)
// give "national", and a line that names none of these "unknown". Each
// basis keeps its line verbatim as text. A GDPR code appears once, with the
// first line that states it.
func LegalBases(texts ...string) []registre.LegalBasis {
	out := []registre.LegalBasis{}
	seen := map[string]bool{}
	for _, t := range texts {
		t = clean(t)
		if t == "" || isPlaceholder(t) {
			continue
		}
		codes := BasisCodes(t)
		for _, c := range codes {
			if c != CodeNational && c != CodeUnknown {
				if seen[c] {
					continue
				}
				seen[c] = true
			}
			out = append(out, registre.LegalBasis{Code: c, Text: t})
		}
	}
	return out
}

// BasisCodes returns the codes one line of legal-basis text states, in
// order: cited GDPR articles, else recognised wordings; then "national"
// when it cites a national text; "unknown" when nothing is recognised.
func BasisCodes(s string) []string {
	f := fold(s)
	var codes []string
	add := func(c string) {
		for _, x := range codes {
			if x == c {
				return
			}
		}
		codes = append(codes, c)
	}
	// Each part of a list ("Mission d'intérêt public ; article 9.2.h du
	// RGPD") is read on its own: a part that cites an article gives it, a
	// part that cites none is read for the wording of a basis.
	for _, part := range strings.FieldsFunc(f, func(r rune) bool { return r == ';' || r == '\n' }) {
		for _, c := range partCodes(strings.TrimSpace(part)) {
			add(c)
		}
	}
	if reNational.MatchString(f) && !onlyGDPR(f) {
		add(CodeNational)
	}
	if len(codes) == 0 {
		add(CodeUnknown)
	}
	return codes
}

// partCodes returns the GDPR codes one part of a legal-basis line states:
// its cited articles, else the bases its wording names.
func partCodes(f string) []string {
	var codes []string
	for _, re := range []*regexp.Regexp{reArticleCited, reArticleBare} {
		for _, m := range re.FindAllStringSubmatch(f, -1) {
			if c := articleCode(m[1], m[2], m[3]); c != "" {
				codes = append(codes, c)
			}
		}
	}
	if len(codes) == 0 {
		for _, m := range reArticleNoPar.FindAllStringSubmatch(f, -1) {
			par := "1"
			if m[1] == "9" {
				par = "2"
			}
			if c := articleCode(m[1], par, m[2]); c != "" {
				codes = append(codes, c)
			}
		}
	}
	if len(codes) > 0 {
		return codes
	}
	// Wordings: strip what a national text's title may say ("loi relative
	// à la mission de service public…") by only looking at the part before
	// the first national reference when there is one.
	w := f
	if loc := reNational.FindStringIndex(f); loc != nil && loc[0] > 0 {
		w = f[:loc[0]]
	} else if loc != nil && loc[0] == 0 {
		w = ""
	}
	claimed := ""
	for _, p := range basisPhrases {
		if m := p.re.FindStringIndex(w); m != nil {
			// The 9-2 wordings contain 6-1 ones; once a 9-2 phrase
			// matched, its words do not also count for 6-1.
			if claimed != "" && strings.Contains(claimed, w[m[0]:m[1]]) {
				continue
			}
			codes = append(codes, p.code)
			if strings.HasPrefix(p.code, "9-") {
				claimed += " " + w[m[0]:m[1]]
			}
		}
	}
	return codes
}

// onlyGDPR reports whether the only "national" reference in f is the GDPR
// itself ("règlement (UE) 2016/679"), which is not a national text.
func onlyGDPR(f string) bool {
	g := strings.NewReplacer("reglement (ue) 2016/679", "", "reglement ue 2016/679", "", "reglement general sur la protection des donnees", "").Replace(f)
	return !reNational.MatchString(g)
}

// articleCode validates a cited article: 6(1)(a-f) and 9(2)(a-j).
func articleCode(art, par, letter string) string {
	switch {
	case art == "6" && par == "1" && letter >= "a" && letter <= "f":
		return "6-1-" + letter
	case art == "9" && par == "2" && letter >= "a" && letter <= "j":
		return "9-2-" + letter
	}
	return ""
}
