package normalize

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// rePrefix finds a "Prefix :" at the start of an item: a short phrase (at
// most ~8 words, no sentence punctuation) followed by a colon.
var rePrefix = regexp.MustCompile(`^\s*>?\s*([^:;.!?]{1,90}?)\s*:`)

var reInnerSubject = regexp.MustCompile(`(?:^|[\p{Ll}\d)] )(\p{Lu}[^:;.]{0,90}?)\s?:\s`)

// innerSubject reads the subject at the end of a phrase that runs into a
// colon ("IP du poste de l'agent, signature du message Assuré bénéficiaire"
// → "Assuré bénéficiaire"): the longest tail starting with a capitalised
// word that names people.
func innerSubject(phrase string) string {
	rs := []rune(phrase)
	for i := 0; i < len(rs); i++ {
		if (i == 0 || rs[i-1] == ' ') && unicode.IsUpper(rs[i]) {
			if s := subjectOf(string(rs[i:])); s != "" {
				return s
			}
		}
	}
	return ""
}

// SplitDataCategories splits a Cramif-style data value — "Assuré/Débiteur :
// nom, NIR… . Agent : nom… ; Opposant : …" — into one item per listed group,
// and returns the data subjects its prefixes name ("Assuré/Débiteur",
// "Agent"…). Items are cut on ";" and on ". " before a capital letter, and
// only when the value starts with a "Prefix :" (a value of plain prose, or a
// Cnam line "Données d'identification dont … ; photographie", stays whole).
// Prefixes that name data rather than people ("Identification des
// personnes", "Vie professionnelle", "Base AGATA") are not subjects.
func SplitDataCategories(v string) (items, subjects []string) {
	v = clean(v)
	if v == "" {
		return []string{}, nil
	}
	m := rePrefix.FindStringSubmatch(v)
	if m == nil || strings.HasSuffix(strings.TrimSpace(v), ":") && strings.Count(v, ":") == 1 {
		// No group prefix, or a heading line ("Pour les bénéficiaires :").
		return []string{v}, nil
	}
	for _, it := range splitItems(v) {
		items = append(items, it)
		if pm := rePrefix.FindStringSubmatch(it); pm != nil {
			if s := subjectOf(pm[1]); s != "" {
				subjects = append(subjects, s)
			}
		}
		// Groups run together without punctuation ("… sur la fraude Auteur
		// présumé : identité …"): a capitalised subject before a colon
		// inside the item is a subject too.
		for _, m := range reInnerSubject.FindAllStringSubmatchIndex(it, -1) {
			if m[2] == 0 {
				continue
			}
			if s := innerSubject(it[m[2]:m[3]]); s != "" {
				subjects = append(subjects, s)
			}
		}
	}
	if len(items) == 0 {
		items = []string{v}
	}
	if len(subjects) > 1 {
		subjects = dedupe(subjects)
	}
	return items, subjects
}

// splitItems cuts a value on ";" and on ". " followed by an upper-case
// letter, keeping the text verbatim (the final period stays with its item).
func splitItems(v string) []string {
	var out []string
	start := 0
	push := func(end int) {
		it := clean(strings.TrimRight(clean(v[start:end]), ";"))
		if it != "" && !isPlaceholder(it) {
			out = append(out, it)
		}
	}
	depth := 0
	for i := 0; i < len(v); {
		r, size := utf8.DecodeRuneInString(v[i:])
		switch r {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		case ';':
			if depth == 0 {
				push(i)
				start = i + size
			}
		case '.':
			if depth == 0 {
				j := i + size
				sp := j
				for sp < len(v) && (v[sp] == ' ' || strings.HasPrefix(v[sp:], "\u00a0")) {
					if v[sp] == ' ' {
						sp++
					} else {
						sp += 2
					}
				}
				if sp > j && sp < len(v) {
					nr, _ := utf8.DecodeRuneInString(v[sp:])
					if unicode.IsUpper(nr) && !isAbbrevBefore(v[:i]) {
						push(j)
						start = sp
					}
				}
			}
		}
		i += size
	}
	push(len(v))
	return out
}

// isAbbrevBefore says whether the text before a period ends with an
// abbreviation ("n°", "art", "ex", "M", "Dr"), after which a capital does
// not start a new item.
func isAbbrevBefore(s string) bool {
	w := s
	if i := strings.LastIndexAny(s, " (\u00a0"); i >= 0 {
		w = s[i+1:]
	}
	switch strings.ToLower(w) {
	case "art", "ex", "m", "mme", "dr", "pr", "n°", "no", "cf", "etc", "env", "p", "r", "l", "d", "st", "ste":
		return true
	}
	return false
}

// Head nouns of prefixes that name categories of people.
var subjectNouns = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`assure assures assuree assurees agent agents salarie salaries salariee salariees
		personnel personnels opposant opposants debiteur debiteurs creancier creanciers tiers appelant appelants
		fournisseur fournisseurs eleve eleves etudiant etudiants praticien praticiens prescripteur prescripteurs
		contact contacts entreprise entreprises administrateur administrateurs signataire signataires auteur auteurs
		professionnel professionnels visiteur visiteurs beneficiaire beneficiaires patient patients patiente patientes
		cas correspondant correspondants employeur employeurs partenaire partenaires stagiaire stagiaires
		prestataire prestataires candidat candidats candidate candidates victime victimes ayant ayants allocataire allocataires
		adherent adherents usager usagers utilisateur utilisateurs client clients medecin medecins pensionne pensionnes
		retraite retraites demandeur demandeurs requerant requerants interlocuteur interlocuteurs membre membres
		representant representants enfant enfants mineur mineurs conjoint conjoints internaute internautes abonne abonnes
		consultant consultants mandataire mandataires temoin temoins participant participants inscrit inscrits
		intervenant intervenants benevole benevoles collaborateur collaborateurs personne personnes individu individus
		titulaire titulaires redacteur redacteurs journaliste journalistes infirmier infirmiers infirmiere infirmieres
		pharmacien pharmaciens kinesitherapeute dentiste dentistes chirurgien chirurgiens auxiliaire auxiliaires
		aidant aidants tuteur tuteurs heritier heritiers defunt defunts signalant declarant declarants`) {
		subjectNouns[w] = true
	}
}

// subjectOf returns the prefix as a data subject when its head word names
// people ("Assurés", "Agent SSR", "Pour les signataires des courriers"),
// else "".
func subjectOf(prefix string) string {
	p := strings.TrimSpace(strings.TrimLeft(prefix, "> •-–*"))
	if p == "" || len([]rune(p)) > 90 {
		return ""
	}
	words := strings.Fields(foldKey(p))
	// Skip an introducing "pour les", "concernant les", "données des".
	for len(words) > 0 {
		switch words[0] {
		case "pour", "les", "le", "la", "l", "des", "du", "de", "concernant", "s", "agissant", "autres", "autre", "nouveaux", "nouvel", "anciens", "ancien", "futurs", "certains", "tous", "toutes":
			words = words[1:]
			continue
		}
		break
	}
	if len(words) == 0 || len(words) > 12 {
		return ""
	}
	if !subjectNouns[words[0]] {
		return ""
	}
	// "Personnes" alone is fine; but "Identification des personnes" was
	// already excluded by its head word.
	return p
}
