package index

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"registre"
)

// Facet keys: the same names for the CLI's --filter key=value, the web API
// and the facet counts of a Result.
const (
	FacetOrganisation = "organisation"
	FacetLegalBasis   = "legal_basis"   // legal-basis codes: 6-1-c, 9-2-h, national, unknown
	FacetFlag         = "flag"          // codes of flags not resolved or dismissed
	FacetDataCategory = "data_category" // keywords, see dataCategoryKeywords
	FacetSensitive    = "sensitive"     // health, nir
	FacetTransfer     = "transfer"      // outside the EU: yes, no, unknown
	FacetRetention    = "retention"     // le1y, 1-5y, 5-10y, gt10y, indefinite, undetermined, missing
	FacetDecade       = "decade"        // implementation decade: 1990s
	FacetFormat       = "format"        // source format: pdf, docx, html…
	FacetKind         = "kind"          // record, document_status
)

// FacetKeys lists every facet, in display order.
var FacetKeys = []string{
	FacetOrganisation, FacetLegalBasis, FacetFlag, FacetDataCategory, FacetSensitive,
	FacetTransfer, FacetRetention, FacetDecade, FacetFormat, FacetKind,
}

// IsFacet says whether key is a facet key.
func IsFacet(key string) bool { return slices.Contains(FacetKeys, key) }

// Retention buckets.
const (
	RetentionLE1Y       = "le1y"
	Retention1To5Y      = "1-5y"
	Retention5To10Y     = "5-10y"
	RetentionGT10Y      = "gt10y"
	RetentionIndefinite = "indefinite"
	RetentionMissing    = "missing"
	// RetentionUndetermined: a retention is stated but gives no duration
	// ("le temps nécessaire", a pointer to another document).
	RetentionUndetermined = "undetermined"
)

// FacetValues derives every facet value of rec. Both backends index exactly
// these values, so their facet counts and filters agree. Each list is sorted
// and has no duplicates; a facet with nothing to say is absent.
func FacetValues(rec *registre.Record) map[string][]string {
	f := map[string][]string{}
	add := func(key, v string) {
		if v = strings.TrimSpace(v); v != "" {
			f[key] = append(f[key], v)
		}
	}
	add(FacetOrganisation, rec.Organisation)
	for _, lb := range rec.LegalBases {
		add(FacetLegalBasis, lb.Code)
	}
	for _, fl := range rec.Flags {
		// A reviewer's decision closes the flag: facet on what is still open.
		if fl.Status == "resolved" || fl.Status == "dismissed" {
			continue
		}
		add(FacetFlag, fl.Code)
	}
	for _, c := range rec.DataCategories {
		for _, k := range DataCategoryKeywords(c) {
			add(FacetDataCategory, k)
		}
	}
	if rec.Sensitive.Health != nil && *rec.Sensitive.Health {
		add(FacetSensitive, "health")
	}
	if rec.Sensitive.NIR != nil && *rec.Sensitive.NIR {
		add(FacetSensitive, "nir")
	}
	switch {
	case rec.Transfers.OutsideEU == nil:
		add(FacetTransfer, "unknown")
	case *rec.Transfers.OutsideEU:
		add(FacetTransfer, "yes")
	default:
		add(FacetTransfer, "no")
	}
	add(FacetRetention, RetentionBucket(rec.Retention))
	add(FacetDecade, Decade(rec.ImplementationDate))
	add(FacetFormat, string(rec.Source.Format))
	add(FacetKind, KindOf(rec))
	for k, vs := range f {
		slices.Sort(vs)
		f[k] = slices.Compact(vs)
	}
	return f
}

// KindOf returns rec's kind, KindRecord when unset.
func KindOf(rec *registre.Record) string {
	if rec.Kind == "" {
		return KindRecord
	}
	return rec.Kind
}

// RetentionBucket buckets the longest stated period: a record kept "5 ans
// puis 10 ans en archive" is kept 10 years. Indefinite wins over periods.
func RetentionBucket(r registre.Retention) string {
	if r.Indefinite != nil && *r.Indefinite {
		return RetentionIndefinite
	}
	longest := -1.0
	for _, p := range r.Periods {
		if y, ok := years(p); ok && y > longest {
			longest = y
		}
	}
	switch {
	case longest < 0 && r.Text != nil && strings.TrimSpace(*r.Text) != "":
		return RetentionUndetermined
	case longest < 0:
		return RetentionMissing
	case longest <= 1:
		return RetentionLE1Y
	case longest <= 5:
		return Retention1To5Y
	case longest <= 10:
		return Retention5To10Y
	default:
		return RetentionGT10Y
	}
}

func years(p registre.Period) (float64, bool) {
	switch p.Unit {
	case "year":
		return p.Amount, true
	case "month":
		return p.Amount / 12, true
	case "week":
		return p.Amount * 7 / 365, true
	case "day":
		return p.Amount / 365, true
	}
	return 0, false
}

// Decade returns "1990s" for an implementation date in 1990-1999, "" when
// the date is missing or has no 4-digit year.
func Decade(date *string) string {
	if date == nil || len(*date) < 4 {
		return ""
	}
	y := (*date)[:4]
	for _, c := range y {
		if c < '0' || c > '9' {
			return ""
		}
	}
	return fmt.Sprintf("%s0s", y[:3])
}

// dataCategoryKeywords maps a keyword to the folded, lowercased phrases that
// reveal it in a free-text category ("Données d'identification dont nom,
// prénom, NIR" → identification, nir). Registers word categories in many
// ways; analysts facet on these stable keywords instead.
var dataCategoryKeywords = []struct {
	keyword string
	phrases []string
}{
	{"identification", []string{"identification", "identifiant", "identite", "etat civil", "etat-civil", "nom, prenom", "nom et prenom"}},
	{"nir", []string{"nir", "nia", "numero de securite sociale", "numero d'inscription au repertoire"}},
	{"contact", []string{"contact", "coordonnees", "adresse", "e-mail", "email", "courriel", "telephone"}},
	{"connexion", []string{"connexion", "logs", "traces", "journalisation", "adresse ip"}},
	{"sante", []string{"donnees de sante", "donnees relatives a la sante", "sante dont", "medical", "medicaux", "medicament", "pathologie", "handicap", "invalidite", "diagnostic", "soins"}},
	{"professionnel", []string{"professionnel", "profession", "employeur", "emploi", "siret", "diplome"}},
	{"economique", []string{"economique", "financier", "financiere", "ressources", "salaire", "revenu", "imposition", "impot", "fiscal"}},
	{"bancaire", []string{"bancaire", "rib", "iban", "banque"}},
	{"vie-personnelle", []string{"vie personnelle", "situation familiale", "foyer", "habitudes de vie", "parente", "enfant"}},
	{"prestations", []string{"prestation", "remboursement", "indemnisation", "indemnite", "allocation"}},
	{"droits", []string{"rattachement", "droits", "affiliation", "regime", "adhesion", "carte vitale"}},
	{"juridique", []string{"juridique", "fraude", "infraction", "contentieux", "condamnation", "recours"}},
	{"localisation", []string{"localisation", "geolocalisation", "gps"}},
	{"image", []string{"photo", "image", "video", "voix", "enregistrement"}},
}

// categoryPhrase is one phrase of dataCategoryKeywords as DataCategoryKeywords
// compares it: a single folded word, or the padded forms of a multi-word
// phrase (singular and plurals in s/x).
type categoryPhrase struct {
	word   string
	first  string // first word of a multi-word phrase: a cheap pre-check
	padded []string
}

// categoryPhrases is dataCategoryKeywords prepared once: indexing derives
// the keywords of every category of every record.
var categoryPhrases = func() [][]categoryPhrase {
	out := make([][]categoryPhrase, len(dataCategoryKeywords))
	for i, k := range dataCategoryKeywords {
		for _, p := range k.phrases {
			p = wordsOnly(Fold(p))
			if !strings.Contains(p, " ") {
				out[i] = append(out[i], categoryPhrase{word: p})
				continue
			}
			first, _, _ := strings.Cut(p, " ")
			out[i] = append(out[i], categoryPhrase{first: first, padded: []string{" " + p + " ", " " + p + "s ", " " + p + "x "}})
		}
	}
	return out
}()

// DataCategoryKeywords returns the keywords of one data-category text, sorted.
func DataCategoryKeywords(category string) []string {
	folded := wordsOnly(Fold(category))
	words := strings.Fields(folded)
	hasWord := func(w string) bool {
		for _, x := range words {
			// Plurals in s/x: "bancaires", "prestations".
			if x == w || len(x) == len(w)+1 && strings.HasPrefix(x, w) && (x[len(w)] == 's' || x[len(w)] == 'x') {
				return true
			}
		}
		return false
	}
	text := " " + folded + " "
	var out []string
	for i, k := range dataCategoryKeywords {
		for _, p := range categoryPhrases[i] {
			hit := false
			if p.word != "" {
				hit = hasWord(p.word)
			} else if slices.Contains(words, p.first) {
				for _, pad := range p.padded {
					if strings.Contains(text, pad) {
						hit = true
						break
					}
				}
			}
			if hit {
				out = append(out, k.keyword)
				break
			}
		}
	}
	slices.Sort(out)
	return out
}

// wordsOnly keeps letters and digits, one space between words, so phrases
// match on word boundaries whatever the punctuation ("NIR," "(logs)").
func wordsOnly(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}), " ")
}

// frenchFolds covers the letters of French text; others go through Unicode
// decomposition. Indexing folds every category of every record: the table
// keeps that off the profile.
var frenchFolds = map[rune]string{
	'à': "a", 'â': "a", 'ä': "a", 'á': "a", 'ã': "a", 'å': "a",
	'ç': "c", 'é': "e", 'è': "e", 'ê': "e", 'ë': "e",
	'î': "i", 'ï': "i", 'í': "i", 'ì': "i", 'ô': "o", 'ö': "o", 'ó': "o", 'ò': "o", 'õ': "o",
	'ù': "u", 'û': "u", 'ü': "u", 'ú': "u", 'ÿ': "y", 'ý': "y", 'ñ': "n",
	'œ': "oe", 'æ': "ae", '’': "'", '‘': "'",
}

// Fold lowercases s and strips its accents: « Données de santé » → "donnees de sante".
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r < 0x80 {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
			continue
		}
		r = unicode.ToLower(r)
		if f, ok := frenchFolds[r]; ok {
			b.WriteString(f)
			continue
		}
		for _, d := range norm.NFD.String(string(r)) {
			if !unicode.Is(unicode.Mn, d) {
				b.WriteRune(d)
			}
		}
	}
	return b.String()
}
