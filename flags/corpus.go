package flags

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"registre"
)

// corpusHit is a hit on the record at index.
type corpusHit struct {
	index int
	hit   hit
}

func (e *Engine) corpusHits(recs []registre.Record) []corpusHit {
	out := duplicates(recs)
	out = append(out, crossRegister(recs)...)
	return out
}

// stopwords are dropped before comparing names and purposes.
var stopwords = map[string]bool{
	"le": true, "la": true, "les": true, "l": true, "de": true, "des": true, "du": true, "d": true, "un": true, "une": true,
	"et": true, "ou": true, "a": true, "au": true, "aux": true, "en": true, "dans": true, "par": true, "pour": true, "sur": true,
	"avec": true, "ses": true, "son": true, "sa": true, "leur": true, "leurs": true, "qui": true, "que": true, "est": true,
	"sont": true, "ce": true, "cette": true, "ces": true, "se": true, "afin": true, "ne": true, "pas": true, "plus": true,
	"gestion": true, "gerer": true, "suivi": true, "donnees": true, "traitement": true, "traitements": true, "permettre": true,
}

func contentTokens(s string) []string {
	var out []string
	for _, t := range tokens(s) {
		if !stopwords[t] && len(t) > 1 {
			out = append(out, t)
		}
	}
	return out
}

func normKey(s string) string { return strings.Join(tokens(s), " ") }

// sourceLabel names where a record comes from, for messages.
func sourceLabel(r *registre.Record) string {
	s := r.Source.Path
	if s == "" {
		s = "source inconnue"
	}
	if r.Source.Locator != "" {
		s += ", " + r.Source.Locator
	}
	return s
}

// duplicates groups records by organisation, normalised name and purposes.
func duplicates(recs []registre.Record) []corpusHit {
	groups := map[string][]int{}
	var keys []string
	for i := range recs {
		r := &recs[i]
		name := normKey(r.Name)
		var ps []string
		for _, p := range append(append([]string(nil), r.Purposes...), r.SubPurposes...) {
			if k := normKey(p); k != "" {
				ps = append(ps, k)
			}
		}
		if name == "" && len(ps) == 0 {
			continue
		}
		sort.Strings(ps)
		ps = dedupSorted(ps)
		k := normKey(r.Organisation) + "\x00" + name + "\x00" + strings.Join(ps, "\x01")
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], i)
	}
	var out []corpusHit
	for _, k := range keys {
		idx := groups[k]
		if len(idx) < 2 {
			continue
		}
		for _, i := range idx {
			var others []string
			for _, j := range idx {
				if j == i || sameOccurrence(&recs[i], &recs[j]) {
					continue
				}
				others = append(others, fmt.Sprintf("« %s » (%s)", recs[j].Name, sourceLabel(&recs[j])))
			}
			if len(others) == 0 {
				continue
			}
			out = append(out, corpusHit{index: i, hit: hit{
				rule: "DUP-001",
				m:    match{field: "name", index: -1, text: recs[i].Name, evidence: recs[i].Name, start: 0, end: len(recs[i].Name)},
				vars: map[string]string{"others": strings.Join(others, " ; ")},
			}})
		}
	}
	return out
}

// sameOccurrence is the same record given twice (same file, same place).
func sameOccurrence(a, b *registre.Record) bool {
	return a.Source.Path == b.Source.Path && a.Source.Locator == b.Source.Locator && a.ID == b.ID
}

func dedupSorted(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// --- Cross-register divergence ----------------------------------------------

// minSimilarity is the TF-IDF cosine (name twice, purposes) above which two
// records of different bodies are taken as the same national processing.
const minSimilarity = 0.2

type vec map[string]float64

// crossRegister pairs each record with its most similar record in every
// other organisation's register (mutual best match above minSimilarity) and
// compares retention and legal bases.
func crossRegister(recs []registre.Record) []corpusHit {
	var out []corpusHit
	for _, p := range sameProcessing(recs, minSimilarity) {
		out = append(out, divergences(&recs[p.i], &recs[p.j], p.i)...)
	}
	return out
}

// xpair is record i matched with record j of another organisation.
type xpair struct {
	i, j int
	sim  float64
}

// sameProcessing pairs each record with its most similar record in every
// other organisation (mutual best match, similarity at least min).
func sameProcessing(recs []registre.Record, min float64) []xpair {
	orgOf := make([]string, len(recs))
	orgs := map[string]bool{}
	for i := range recs {
		orgOf[i] = normKey(recs[i].Organisation)
		orgs[orgOf[i]] = true
	}
	if len(orgs) < 2 {
		return nil
	}
	// TF-IDF over name (counted twice: it is the strongest signal) and purposes.
	docs := make([][]string, len(recs))
	df := map[string]int{}
	for i := range recs {
		r := &recs[i]
		toks := append(contentTokens(r.Name), contentTokens(r.Name)...)
		for _, p := range append(append([]string(nil), r.Purposes...), r.SubPurposes...) {
			toks = append(toks, contentTokens(p)...)
		}
		docs[i] = toks
		seen := map[string]bool{}
		for _, t := range toks {
			if !seen[t] {
				seen[t] = true
				df[t]++
			}
		}
	}
	n := float64(len(recs))
	vecs := make([]vec, len(recs))
	posting := map[string][]int{}
	for i, toks := range docs {
		v := vec{}
		for _, t := range toks {
			v[t]++
		}
		norm := 0.0
		for t, tf := range v {
			w := (1 + math.Log(tf)) * math.Log(1+n/float64(df[t]))
			v[t] = w
			norm += w * w
		}
		norm = math.Sqrt(norm)
		for t := range v {
			v[t] /= norm
			posting[t] = append(posting[t], i)
		}
		vecs[i] = v
	}
	// best[i][org] = best match of i in org.
	type cand struct {
		j   int
		sim float64
	}
	best := make([]map[string]cand, len(recs))
	for i := range recs {
		best[i] = map[string]cand{}
		scores := map[int]float64{}
		for t, w := range vecs[i] {
			// Very common words carry no identity; skipping them also keeps
			// the comparison far from quadratic on large batches.
			if float64(df[t]) > 0.2*n && df[t] > 20 {
				continue
			}
			for _, j := range posting[t] {
				if orgOf[j] != orgOf[i] {
					scores[j] += w * vecs[j][t]
				}
			}
		}
		for j, s := range scores {
			o := orgOf[j]
			if b, ok := best[i][o]; !ok || s > b.sim || (s == b.sim && j < b.j) {
				best[i][o] = cand{j, s}
			}
		}
	}
	var out []xpair
	for i := range recs {
		var os []string
		for o := range best[i] {
			os = append(os, o)
		}
		sort.Strings(os)
		for _, o := range os {
			b := best[i][o]
			if b.sim < min {
				continue
			}
			if bb, ok := best[b.j][orgOf[i]]; !ok || bb.j != i {
				continue
			}
			out = append(out, xpair{i, b.j, b.sim})
		}
	}
	return out
}

// divergences compares two matched records and returns the hits for a.
func divergences(a, b *registre.Record, ai int) []corpusHit {
	var out []corpusHit
	base := map[string]string{
		"other_org":    b.Organisation,
		"other_name":   b.Name,
		"other_source": sourceLabel(b),
		"this_source":  sourceLabel(a),
	}
	da, db := maxDays(a), maxDays(b)
	if da > 0 && db > 0 && math.Abs(da-db) > 0.1*math.Max(da, db) {
		vars := copyVars(base)
		vars["other_value"] = shorten(deref(b.Retention.Text))
		vars["this_max"] = "jusqu'à " + humanDays(da)
		vars["other_max"] = "jusqu'à " + humanDays(db)
		m := whole(fieldText{field: "retention.text", index: -1, text: deref(a.Retention.Text)})
		out = append(out, corpusHit{index: ai, hit: hit{rule: "XRG-001", m: m, vars: vars}})
	}
	ca, cb := art6Codes(a), art6Codes(b)
	if len(ca) > 0 && len(cb) > 0 && strings.Join(ca, ",") != strings.Join(cb, ",") {
		vars := copyVars(base)
		vars["this_value"] = strings.Join(ca, ", ")
		vars["other_value"] = strings.Join(cb, ", ")
		m := match{field: "legal_bases", index: -1, evidence: strings.Join(ca, ", ")}
		out = append(out, corpusHit{index: ai, hit: hit{rule: "XRG-002", m: m, vars: vars}})
	}
	return out
}

func copyVars(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= 160 {
		return s
	}
	cut := 160
	for cut > 0 && (s[cut]&0xC0) == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}

func art6Codes(r *registre.Record) []string {
	set := map[string]bool{}
	for _, lb := range r.LegalBases {
		if strings.HasPrefix(lb.Code, "6-1-") {
			set[lb.Code] = true
		}
	}
	var out []string
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

var unitDays = map[string]float64{"day": 1, "week": 7, "month": 30.44, "year": 365.25}

// maxDays is the longest duration a record states, in days: from the
// normalised periods, else read from the retention text.
func maxDays(r *registre.Record) float64 {
	best := 0.0
	for _, p := range r.Retention.Periods {
		if d := p.Amount * unitDays[p.Unit]; d > best {
			best = d
		}
	}
	if best > 0 {
		return best
	}
	f := foldString(deref(r.Retention.Text))
	for _, m := range durationTermRe.FindAllStringSubmatch(f, -1) {
		amt := numberValue(m[1])
		u := m[2]
		var d float64
		switch {
		case strings.HasPrefix(u, "an"):
			d = amt * 365.25
		case strings.HasPrefix(u, "mois"):
			d = amt * 30.44
		case strings.HasPrefix(u, "semaine"):
			d = amt * 7
		case strings.HasPrefix(u, "jour"):
			d = amt
		}
		if d > best {
			best = d
		}
	}
	return best
}

var (
	durationTermRe = regexp.MustCompile(`\b(\d+(?:[.,]\d+)?|` + numWord + `)\s*(?:(?:derni|premi|plein|entier|calendaire|civil|glissant)\w*\s+)?(ans?|annees?|mois|semaines?|jours?)\b`)
	wordValues     = map[string]float64{"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100}
)

// numberValue reads "12", "2,5" or a French number word ("vingt-quatre").
func numberValue(s string) float64 {
	if v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64); err == nil {
		return v
	}
	total := 0.0
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == ' ' }) {
		if w == "cent" && total > 0 {
			total *= 100
			continue
		}
		total += wordValues[w]
	}
	return total
}

func humanDays(d float64) string {
	switch {
	case d >= 365:
		y := d / 365.25
		if math.Abs(y-math.Round(y)) < 0.05 {
			if math.Round(y) == 1 {
				return "1 an"
			}
			return fmt.Sprintf("%d ans", int(math.Round(y)))
		}
		return fmt.Sprintf("%.1f ans", y)
	case d >= 28:
		return fmt.Sprintf("%d mois", int(math.Round(d/30.44)))
	}
	return fmt.Sprintf("%d jours", int(math.Round(d)))
}
