package normalize

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"registre"
)

// Retention parsing works on the folded text (lower case, no accents, same
// rune count as the source except ligatures), finds every duration, then
// reads around each one its trigger ("après la fin de validité des droits")
// and its scope ("pour les cookies", "Base SCAPIN :", "Les données
// d'identification … sont conservées"). Triggers and scopes are cut back
// from the verbatim text.
//
// Choices (documented for reviewers and the flag rules):
//   - a sum "20 ans + 3 ans …" is one period of the total (23 years) with the
//     trigger that follows: the record keeps data that long after the event;
//   - a range "1 an à 5 ans" is one period of its upper bound;
//   - "+ année en cours" / "Année en cours + 2 ans" is the period with the
//     trigger "année en cours" (counted from the end of the current year);
//   - a parenthesised total right after a period ("5 ans + l'année en cours
//     (6 ans)") is a gloss, not another period;
//   - "EVENT + 18 mois" gives the period with EVENT as trigger;
//   - durations that are conditions ("décède moins de 10 ans après", "de plus
//     de 20 ans") or counts ("les 12 derniers mois") are not periods;
//   - hours become fractions of a day; iso8601 is set only for whole amounts.

var numberWords = map[string]float64{
	"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
	"dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
	"vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100,
	"et": 0, "demi": 0.5, "demie": 0.5,
}

const numWord = `(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingts?|trente|quarante|cinquante|soixante|cent)`

var (
	reDuration = regexp.MustCompile(`(?:\b(\d+(?:[.,]\d+)?|\d+/\d+)|\b(` + numWord + `(?:[- ](?:et[- ])?` + numWord + `){0,3}))\s*(?:\(\s*(?:\d+|` + numWord + `(?:[- ]` + numWord + `){0,3})\s*\)\s*)?` +
		`(ans|an|annees|annee|mois|semaines|semaine|jours|jour|j|heures|heure|h|journees|journee)\b` +
		`(?:\s+(?:civiles?|glissant(?:es|e|s)?|calendaires?|ouvres|ouvrables|francs|pleins|pleines|revolus|revolues|entiers|entieres)\b)?`)
	reIndefinite = regexp.MustCompile(`\b(illimitee?s?|sans limit(e|ation) de (duree|temps)|sans limite|duree (illimitee|indeterminee|indefinie)|indefiniment|pas de suppression|aucune suppression|jamais supprimee?s?|ne sont jamais (supprimees|effacees|detruites)|archives? definitives?|conservee?s? (a vie|definitivement|sans limite))\b`)
	reNoneKept   = regexp.MustCompile(`^\s*(pas de conservation|aucune conservation|non conservee?s?|il n'y a pas de conservation|pas de stockage|aucun stockage|sans conservation|neant|aucune)\b`)
	// Words that may sit between a duration and its trigger.
	reBetween = regexp.MustCompile(`^[\s,]*(?:(?:\+|plus)\s*(?:l')?annee en cours\b[\s,]*|(?:au |a )?(?:maximum|minimum|plus|moins|max\.?|min\.?|environ|maxi)\b[\s,]*|(?:de |en )?(?:duree maximale|archivage\w*|archive\w*)\b[\s,]*)*`)
	// Trigger introducers, right after a duration.
	reTrigger = regexp.MustCompile(`^[\s,]*(?:a la ((?:fin|cloture|date|liquidation|sortie|fermeture)\b)|apres(?: que)?|a compter (?:de la|du|des|de l'|de|d')|a partir (?:de la|du|des|de l'|de|d')|suivant(?: la| le| les| l')?|a l'issue (?:de la|du|des|de l'|de|d')|a la suite (?:de la|du|des|de l'|de|d')|au terme (?:de la|du|des|de l'|de|d')|des (?:la|le|les|l')|depuis(?: la| le| les| l')?)\s*`)
	// Scope introducers, right after a duration (and its trigger).
	reScopeAfter = regexp.MustCompile(`^(?:pour|dans|sur|a la|au sein de|concernant)\s+`)
	// Where a trigger or scope ends.
	reClauseEnd = regexp.MustCompile(`;|\s+et (?:dans|pour|sur|a la|au)\s|\s[-–—]\s|,\s*en l'absence|\s+(?:donnees|elles|ils)\s+(?:sont\s+)?conserv|\s+a l'exception|,\s*sauf|\s+ou jusqu|,\s*ou\b|\s+ou,|,?\s+(?:puis|sauf|si|lorsqu\w*|conformement|en cas|dans le respect|afin|a des fins|aux fins|et jusqu|pour (?:tout|toute|assurer|permettre|des besoins|les|le|la|l')|en archiv\w*|dans un environnement|par (?:le|la|l')\s)\b|\s+\(conservation|\s*:\s|\n`)
	// "Les données X sont conservées" / "Relevés de compte à conserver".
	reSubjectScope = regexp.MustCompile(`([^;:]{3,160}?)\s+(?:(?:sont|est|seront|sera|peuvent etre|doivent etre|doit etre|peut etre)\s+(?:conserv|archiv|gard|stock|supprim|detrui|efface|mis\w* a disposition|accessibl)\w*|a conserver|conserv\w+ par)`)
	reUntilThen    = regexp.MustCompile(`(?:jusqu'(?:a|au|aux)|pendant|durant|toute la duree d[eu']|le temps d[eu'])\s*([^.;:]{3,120}?)\s*,?\s*puis\s*$`)
	rePeriodic     = regexp.MustCompile(`\b(tous les|toutes les)\s*$`)
	reDaily        = regexp.MustCompile(`\bchaque (soir|jour|nuit)\b|\bquotidienne(ment)?\b`)
	reCondition    = regexp.MustCompile(`(?:plus de|moins de|plus d'|moins d'|age de|agee? de|ages de|depuis plus de|au-dela de|superieure? a|inferieure? a|derniers?|dernieres?)\s*$`)
	reGenericSub   = regexp.MustCompile(`^(?:les |la |le |l')?(?:donnees|elles|ils|informations|celles-ci|ceux-ci|ces donnees|ces informations|donnees personnelles|donnees a caractere personnel|donnees des personnes concernees)$`)
)

// ParseRetention reads the retention texts of a record (one per printed line
// or bullet): the text stays verbatim (lines joined), every duration becomes
// a period with its trigger and scope, and indefinite is true for
// "illimitée", "sans limitation de durée", "pas de suppression"…, false when
// a duration (or "pas de conservation") settles it, nil otherwise.
func ParseRetention(texts ...string) registre.Retention {
	r := registre.Retention{Periods: []registre.Period{}}
	var kept []string
	for _, t := range texts {
		if t = clean(t); t != "" && !isPlaceholder(t) {
			kept = append(kept, t)
		}
	}
	if len(kept) == 0 {
		return r
	}
	r.Text = registre.Str(joinLines(kept))
	heading := ""
	noneKept := false
	for _, t := range kept {
		f := fold(t)
		if reIndefinite.MatchString(f) {
			r.Indefinite = registre.Bool(true)
		}
		if reNoneKept.MatchString(f) {
			noneKept = true
		}
		ps := Periods(t)
		if len(ps) == 0 {
			// A line like "Pour les adhérents :" scopes the lines after it.
			if h, ok := scopeHeading(t); ok {
				heading = h
			}
			continue
		}
		for i := range ps {
			if ps[i].Scope == nil && heading != "" {
				ps[i].Scope = registre.Str(heading)
			}
		}
		r.Periods = append(r.Periods, ps...)
	}
	if r.Indefinite == nil && (len(r.Periods) > 0 || noneKept) {
		r.Indefinite = registre.Bool(false)
	}
	return r
}

// scopeHeading reads a line that introduces the lines after it ("Pour les
// adhérents :", "Données relatives au C2P :"): a short line ending with a
// colon that is not a sentence about retention itself.
func scopeHeading(t string) (string, bool) {
	t = clean(t)
	if !strings.HasSuffix(t, ":") {
		return "", false
	}
	body := clean(strings.TrimSuffix(t, ":"))
	f := fold(body)
	if len(strings.Fields(f)) > 10 || strings.Contains(f, "conserv") || strings.Contains(f, "delai") || strings.Contains(f, "suivant les cas") || strings.Contains(f, "duree") {
		return "", false
	}
	return stripIntro(body), body != ""
}

type durMatch struct {
	start, end int // rune offsets in the folded text
	amount     float64
	unit       string
}

// Periods reads every retention period of one text.
func Periods(text string) []registre.Period {
	text = clean(text)
	if text == "" {
		return nil
	}
	src := []rune(text)
	f := []rune(foldSameLen(text))
	fs := string(f)
	// Byte offsets of the folded string → rune offsets.
	b2r := byteToRune(fs)

	depth := parenDepths(f)
	var ds []durMatch
	for _, m := range reDuration.FindAllStringSubmatchIndex(fs, -1) {
		start, end := b2r[m[0]], b2r[m[1]]
		var amount float64
		var ok bool
		if m[2] >= 0 {
			amount, ok = parseNumber(fs[m[2]:m[3]])
		} else {
			amount, ok = parseNumberWords(fs[m[4]:m[5]])
		}
		unit, mult := unitOf(fs[m[6]:m[7]])
		if !ok || amount <= 0 || unit == "" {
			continue
		}
		before := string(f[max(0, start-25):start])
		if reCondition.MatchString(before) {
			continue
		}
		// "une année en cours" is the current year, not a duration.
		after := string(f[end:min(len(f), end+10)])
		if strings.HasPrefix(strings.TrimSpace(after), "en cours") {
			continue
		}
		// Asides in parentheses ("(possibilité de re-calculs sur 3 ans)")
		// are not periods; glosses after a period are skipped later.
		if depth[start] > 0 && !glossAt(f, start) {
			continue
		}
		// "jusqu'à 65 ans" after "l'âge légal …" is an age.
		if unit == "year" && amount >= 50 && strings.Contains(string(f[max(0, start-120):start]), "age") {
			continue
		}
		ds = append(ds, durMatch{start: start, end: end, amount: amount * mult, unit: unit})
	}

	var out []registre.Period
	consumed := 0
	lastEnd := 0
	for i := 0; i < len(ds); i++ {
		d := ds[i]
		if d.start < consumed {
			continue
		}
		segStart := lastEnd
		// Range "1 an à 5 ans", "de 3 à 5 ans": keep the upper bound.
		for i+1 < len(ds) {
			rawGap := string(f[d.end:ds[i+1].start])
			gap := strings.TrimSpace(rawGap)
			if gap == "a" || rawGap == "-" || rawGap == "–" {
				d = durMatch{start: d.start, end: ds[i+1].end, amount: ds[i+1].amount, unit: ds[i+1].unit}
				i++
				continue
			}
			// Sum "20 ans + 3 ans", "5 ans et 3 mois".
			if gap == "+" || gap == "plus" || (gap == "et" && unitRank[ds[i+1].unit] < unitRank[d.unit]) {
				a, u := addDur(d, ds[i+1])
				d = durMatch{start: d.start, end: ds[i+1].end, amount: a, unit: u}
				i++
				continue
			}
			break
		}
		p := registre.Period{Amount: round3(d.amount), Unit: d.unit}
		// Amounts out of any retention range are typos or other numbers.
		if p.Amount <= 0 || p.Amount > 100000 {
			continue
		}
		// Whatever precedes the duration in its clause.
		pre := string(f[segStart:d.start])
		preSrc := src[segStart:d.start]
		var trigger, scope string
		// "EVENT + 18 mois", "Année en cours + 2 ans".
		if ev, ok := eventBeforePlus(pre, preSrc); ok {
			trigger = ev
		}
		// "jusqu'à la fin du contrat puis 5 ans": the period runs from the
		// end of the first phase.
		if trigger == "" {
			if m := reUntilThen.FindStringSubmatchIndex(pre); m != nil {
				trigger = stripArticle(trimTrail(clean(string(preSrc[len([]rune(pre[:m[2]])):len([]rune(pre[:m[3]]))]))))
			}
		}
		if rePeriodic.MatchString(pre) {
			trigger = "purge périodique"
		}
		// After the duration: qualifiers, then a trigger, then a scope.
		pos := d.end
		rest := string(f[pos:min(len(f), pos+60)])
		if m := reBetween.FindStringIndex(rest); m != nil {
			if strings.Contains(rest[:m[1]], "annee en cours") && trigger == "" {
				trigger = "année en cours"
			}
			pos += len([]rune(rest[:m[1]]))
		}
		// Skip a gloss "(6 ans)".
		if j := glossEnd(f, pos); j > pos {
			pos = j
			for i+1 < len(ds) && ds[i+1].start < pos {
				i++
			}
		}
		next := len(f)
		if i+1 < len(ds) {
			next = ds[i+1].start
		}
		rest = string(f[pos:next])
		if m := reTrigger.FindStringSubmatchIndex(rest); m != nil {
			tstart := pos + len([]rune(rest[:m[1]]))
			if m[2] >= 0 {
				// "à la fin du prêt": the noun after "à la" is the event.
				tstart = pos + len([]rune(rest[:m[2]]))
			}
			tend := clauseEnd(f, src, tstart, next, false)
			// "3 ans après, elles …": an adverb, not an event.
			if t := stripArticle(trimTrail(clean(string(src[tstart:tend])))); t != "" && !strings.HasPrefix(strings.TrimSpace(string(src[tstart:min(tend, tstart+2)])), ",") {
				trigger = t
			}
			pos = tend
			rest = string(f[pos:next])
		}
		// Value-first scope: "60 jours : données personnelles d'identification."
		if strings.HasPrefix(strings.TrimSpace(rest), ":") {
			k := pos + len([]rune(rest[:strings.Index(rest, ":")+1]))
			e := clauseEnd(f, src, k, len(f), true)
			scope = trimTrail(clean(string(src[k:e])))
			// "2 ans : une année en cours et une année d'historique" glosses
			// the duration; it names no data.
			if strings.Contains(fold(scope), "annee en cours") {
				scope = ""
			}
			pos = e
			// Durations inside this scope belong to it.
			consumed = e
		} else if m := reScopeAfter.FindStringIndex(strings.TrimLeft(rest, " ,")); m != nil {
			lead := len([]rune(rest)) - len([]rune(strings.TrimLeft(rest, " ,")))
			sstart := pos + lead + len([]rune(strings.TrimLeft(rest, " ,")[:m[1]]))
			intro := strings.TrimSpace(strings.TrimLeft(rest, " ,")[:m[1]])
			send := clauseEnd(f, src, sstart, next, true)
			s := trimTrail(clean(string(src[sstart:send])))
			// A capitalised "Pour …" starts another statement.
			introCap := isUpper(src[pos+lead])
			if s != "" && !introCap && scopeLike(fold(s), intro) {
				scope = stripArticle(s)
				pos = send
				// "Un an pour les dossiers classés … à compter de la date de
				// cette décision": a trigger after the scope.
				if trigger == "" && pos < next {
					r2 := string(f[pos:next])
					if m := reTrigger.FindStringSubmatchIndex(r2); m != nil {
						tstart := pos + len([]rune(r2[:m[1]]))
						if m[2] >= 0 {
							tstart = pos + len([]rune(r2[:m[2]]))
						}
						tend := clauseEnd(f, src, tstart, next, false)
						if t := stripArticle(trimTrail(clean(string(src[tstart:tend])))); t != "" {
							trigger = t
						}
						pos = tend
					}
				}
			}
		}
		// Scope before the duration: "Base SCAPIN : 5 ans", "Les données X
		// sont conservées 5 ans".
		if scope == "" {
			scope = scopeBefore(pre, preSrc)
		}
		if trigger != "" {
			p.Trigger = registre.Str(trigger)
		}
		if scope != "" {
			p.Scope = registre.Str(scope)
		}
		p.ISO8601 = iso8601(p.Amount, p.Unit)
		out = append(out, p)
		if pos > consumed {
			consumed = pos
		}
		lastEnd = max(d.end, pos)
	}
	// "Suppression … chaque soir à minuit": a daily purge.
	if len(out) == 0 {
		if loc := reDaily.FindStringIndex(fs); loc != nil {
			out = append(out, registre.Period{Amount: 1, Unit: "day", Trigger: registre.Str("purge quotidienne"), ISO8601: "P1D"})
		}
	}
	return out
}

// eventBeforePlus reads "EVENT +" right before a duration.
func eventBeforePlus(pre string, preSrc []rune) (string, bool) {
	t := strings.TrimRight(pre, " ")
	if !strings.HasSuffix(t, "+") {
		return "", false
	}
	body := []rune(strings.TrimSuffix(t, "+"))
	// The event starts after the last clause break.
	start := 0
	for j := len(body) - 1; j >= 0; j-- {
		if strings.ContainsRune(".;:\n", body[j]) {
			start = j + 1
			break
		}
		if body[j] == '-' && j > 0 && body[j-1] == ' ' {
			start = j + 1
			break
		}
	}
	ev := clean(string(preSrc[start:len(body)]))
	fev := fold(ev)
	if strings.Contains(fev, "annee en cours") {
		return "année en cours", true
	}
	for _, p := range []string{"pendant ", "conservation ", "durant ", "toute ", "tout ", "le temps de ", "la durée de la ", "la duree de la "} {
		if strings.HasPrefix(fold(ev), p) {
			ev = clean(string([]rune(ev)[len([]rune(p)):]))
		}
	}
	ev = stripArticle(ev)
	if ev == "" {
		return "", false
	}
	return ev, true
}

// scopeBefore reads a scope stated before the duration in its clause.
func scopeBefore(pre string, preSrc []rune) string {
	// Only the current clause.
	start := 0
	rs := []rune(pre)
	for j := len(rs) - 1; j >= 0; j-- {
		if (rs[j] == '.' && j+1 < len(rs) && rs[j+1] == ' ' && !isAbbrevBefore(string(rs[:j]))) || rs[j] == ';' || rs[j] == '\n' || (rs[j] == '-' && (j == 0 || rs[j-1] == ' ') && j+1 < len(rs) && rs[j+1] == ' ') {
			start = j + 1
			break
		}
	}
	clause := string(rs[start:])
	srcClause := preSrc[start:]
	// "Label : 5 ans" (the last colon of the clause).
	if k := strings.LastIndex(clause, ":"); k >= 0 {
		kr := len([]rune(clause[:k]))
		label := clean(string(srcClause[:kr]))
		after := strings.TrimSpace(clause[k+1:])
		// "données de contact : durée de la relation + 5 ans" → the label.
		if label != "" && len(strings.Fields(label)) <= 14 {
			label = stripLabelNoise(label)
			if label != "" && (after == "" || !strings.Contains(after, ":")) {
				return stripIntro(label)
			}
		}
	}
	if m := reSubjectScope.FindStringSubmatchIndex(clause); m != nil {
		s := clean(string(srcClause[len([]rune(clause[:m[2]])):len([]rune(clause[:m[3]]))]))
		// "Dans tous les cas, si …, le dossier est conservé": the last
		// comma-separated part is the subject; connectors go.
		if k := strings.LastIndex(s, ", "); k >= 0 {
			s = clean(s[k+2:])
		}
		s = stripConnector(s)
		s = trimTrail(s)
		for _, suf := range []string{" qui", " que"} {
			if strings.HasSuffix(fold(s), suf) {
				s = clean(string([]rune(s)[:len([]rune(s))-len(suf)]))
			}
		}
		for _, pre := range []string{"a l'exception de la ", "a l'exception de l'", "a l'exception du ", "a l'exception des ", "a l'exception de "} {
			if strings.HasPrefix(fold(s), pre) {
				s = clean(string([]rune(s)[len([]rune(pre)):]))
			}
		}
		if !reGenericSub.MatchString(fold(s)) && !strings.HasPrefix(fold(s), "au-dela") {
			return stripArticle(s)
		}
	}
	return ""
}

// stripConnector removes a leading "En revanche", "Par ailleurs"…
func stripConnector(s string) string {
	for _, p := range []string{"en revanche ", "par ailleurs ", "en outre ", "toutefois ", "cependant ", "ensuite ", "de plus ", "enfin ", "neanmoins "} {
		if strings.HasPrefix(fold(s), p) {
			return clean(string([]rune(s)[len([]rune(p)):]))
		}
	}
	return s
}

// stripLabelNoise removes a repeated field label ("Durée de conservation :
// Videosurveillance") from a scope.
func stripLabelNoise(label string) string {
	f := fold(label)
	for _, p := range []string{"duree de conservation", "durees de conservation", "conservation"} {
		if strings.HasPrefix(f, p) {
			rest := strings.TrimLeft(string([]rune(label)[len([]rune(p)):]), " :")
			return clean(rest)
		}
	}
	return label
}

// stripIntro removes "Pour les", "Concernant" before a scope.
func stripIntro(s string) string {
	s = clean(s)
	for {
		f := fold(s)
		done := true
		for _, p := range []string{"pour ", "concernant ", "s'agissant ", "en ce qui concerne "} {
			if strings.HasPrefix(f, p) {
				s = clean(string([]rune(s)[len([]rune(p)):]))
				done = false
			}
		}
		if done {
			break
		}
	}
	return stripArticle(s)
}

// stripArticle removes a leading article: "la fin de validité" → "fin de
// validité".
func stripArticle(s string) string {
	s = clean(s)
	f := fold(s)
	for _, p := range []string{"les ", "la ", "le ", "l'", "des ", "du ", "de la ", "de l'", "d'", "que "} {
		if strings.HasPrefix(f, p) && len(f) > len(p)+1 {
			return clean(string([]rune(s)[len([]rune(p)):]))
		}
	}
	return s
}

func trimTrail(s string) string {
	for {
		t := clean(strings.TrimRight(clean(s), " ,;:-–—"))
		t = strings.TrimSuffix(t, ".")
		f := fold(t)
		for _, w := range []string{" et", " ou", " puis", " et de", " ou de"} {
			if strings.HasSuffix(f, w) {
				t = string([]rune(t)[:len([]rune(t))-len([]rune(w))])
			}
		}
		if t == s {
			return t
		}
		s = t
	}
}

// scopeLike accepts a scope after "pour"/"dans"/"sur" when it names data or
// a place ("pour les cookies", "dans ESPACE RDV", "sur les serveurs du
// sous-traitant") rather than a purpose ("pour assurer …").
func scopeLike(f, intro string) bool {
	w := strings.Fields(f)
	if len(w) == 0 {
		return false
	}
	for _, p := range []string{"un environnement", "le cadre", "la limite", "le respect", "une duree", "des durees", "une periode", "des besoins", "les besoins", "raison", "des raisons", "tout ", "toute "} {
		if strings.HasPrefix(f, p) {
			return false
		}
	}
	switch w[0] {
	case "les", "le", "la", "l", "un", "une", "des", "ses", "leurs", "leur", "chaque", "tous", "toutes", "ces", "cette", "ce":
		return true
	}
	if strings.HasPrefix(w[0], "l'") || strings.HasPrefix(w[0], "d'") {
		return true
	}
	switch strings.TrimRight(w[0], "s") {
	case "donnee", "dossier", "document", "compte", "candidature", "signalement", "archive", "contenu", "fichier", "information", "trace", "log", "cookie", "visiteur", "salarie", "agent", "assure", "patient", "personne", "inscription", "enregistrement", "message", "courrier", "releve", "appel", "image", "video", "photo", "piece", "questionnaire", "echantillon", "base", "serveur", "application", "outil", "logiciel":
		return true
	}
	// An application name in capitals ("WEBACCUEIL", "ESPACE RDV").
	return intro != "pour" || len(w) <= 3
}

// Capitalised words that start a new statement inside a run-on value
// ("… départ du salarié Suppression des fax …").
var sentenceStarters = map[string]bool{
	"suppression": true, "conservation": true, "consultation": true, "les": true, "la": true, "le": true,
	"pour": true, "donnees": true, "elles": true, "ils": true, "informations": true, "archivage": true,
	"destruction": true, "purge": true, "epuration": true, "puis": true, "au-dela": true, "en": true,
	"dans": true, "ces": true, "cette": true, "toute": true, "tous": true, "aucune": true, "pas": true,
}

// clauseEnd finds where the clause starting at from ends (before limit): at
// a sentence end (a period followed by a capital, not after an
// abbreviation like "R." or "n°"), a ";", a " - ", a colon, a capitalised
// statement starter, or a connector that opens another idea ("ou jusqu'à",
// "puis", "sauf", "conformément"…). For scopes (scope = true) a "(" and a
// trigger introducer also end it.
func clauseEnd(f, src []rune, from, limit int, scope bool) int {
	if from >= limit {
		return limit
	}
	end := limit
	s := string(f[from:limit])
	if m := reClauseEnd.FindStringIndex(s); m != nil {
		end = from + len([]rune(s[:m[0]]))
	}
	if scope {
		if m := reScopeEnd.FindStringIndex(s); m != nil {
			if e := from + len([]rune(s[:m[0]])); e < end {
				end = e
			}
		}
	}
	for i := from; i < end; i++ {
		switch src[i] {
		case '.', '!', '?':
			if i+1 >= len(src) {
				return i
			}
			if src[i+1] == ' ' || src[i+1] == '\u00a0' || src[i+1] == '\n' {
				if i+2 >= len(src) || isUpper(src[i+2]) || src[i+2] == ' ' || (src[i+2] >= '0' && src[i+2] <= '9') || src[i+2] == '"' || src[i+2] == '«' {
					if !isAbbrevBefore(string(src[from:i])) {
						return i
					}
				}
			}
		case ' ':
			// "… salarié Suppression des fax": a capitalised starter after a
			// lower-case word.
			if i > from && i+1 < end && isUpper(src[i+1]) && !isUpper(src[i-1]) {
				w := wordAt(f, i+1)
				if sentenceStarters[w] {
					return i
				}
			}
		}
	}
	return end
}

var reScopeEnd = regexp.MustCompile(`\s\(|\s+(?:a compter|a partir|apres|a l'issue|suivant)\b|\s+qui\s`)

func isUpper(r rune) bool { return r >= 'A' && r <= 'Z' || r >= 'À' && r <= 'Þ' }

// wordAt returns the folded word starting at i.
func wordAt(f []rune, i int) string {
	j := i
	for j < len(f) && (f[j] == '-' || f[j] == '\'' || (f[j] >= 'a' && f[j] <= 'z')) {
		j++
	}
	return string(f[i:j])
}

// parenDepths gives the parenthesis depth before each rune of f.
func parenDepths(f []rune) []int {
	d := make([]int, len(f)+1)
	depth := 0
	for i, r := range f {
		d[i] = depth
		switch r {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		}
	}
	d[len(f)] = depth
	return d
}

// glossAt reports whether the duration at i is a parenthesised gloss that
// follows another duration ("5 ans + l'année en cours (6 ans)"); such
// durations are kept as candidates so that glossEnd can skip them.
func glossAt(f []rune, i int) bool {
	k := i - 1
	for k >= 0 && f[k] == ' ' {
		k--
	}
	return k >= 0 && f[k] == '('
}

// glossEnd returns the end of a parenthesised duration right at pos
// ("(6 ans)"), or pos.
func glossEnd(f []rune, pos int) int {
	s := string(f[pos:min(len(f), pos+20)])
	t := strings.TrimLeft(s, " ")
	if !strings.HasPrefix(t, "(") {
		return pos
	}
	k := strings.Index(t, ")")
	if k < 0 || !reDuration.MatchString(t[:k]) {
		return pos
	}
	return pos + len([]rune(s[:len(s)-len(t)+k+1]))
}

func addDur(a, b durMatch) (float64, string) {
	if a.unit == b.unit {
		return a.amount + b.amount, a.unit
	}
	// Convert both to the smaller unit.
	days := map[string]float64{"day": 1, "week": 7, "month": 30, "year": 365}
	small := a.unit
	if days[b.unit] < days[a.unit] {
		small = b.unit
	}
	conv := func(d durMatch) float64 {
		switch {
		case d.unit == small:
			return d.amount
		case d.unit == "year" && small == "month":
			return d.amount * 12
		case small == "day":
			return d.amount * days[d.unit]
		case small == "week":
			return d.amount * days[d.unit] / 7
		}
		return d.amount * days[d.unit] / days[small]
	}
	return round3(conv(a) + conv(b)), small
}

var unitRank = map[string]int{"day": 1, "week": 2, "month": 3, "year": 4}

func unitOf(u string) (string, float64) {
	switch u {
	case "an", "ans", "annee", "annees":
		return "year", 1
	case "mois":
		return "month", 1
	case "semaine", "semaines":
		return "week", 1
	case "jour", "jours", "j", "journee", "journees":
		return "day", 1
	case "heure", "heures", "h":
		return "day", 1.0 / 24
	}
	return "", 0
}

func parseNumber(s string) (float64, bool) {
	if i := strings.Index(s, "/"); i > 0 {
		a, err1 := strconv.ParseFloat(s[:i], 64)
		b, err2 := strconv.ParseFloat(s[i+1:], 64)
		if err1 != nil || err2 != nil || b == 0 {
			return 0, false
		}
		return a / b, true
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
	return v, err == nil
}

// parseNumberWords reads French number words: "trois" → 3, "dix-huit" →
// 18, "vingt et un" → 21, "soixante-dix" → 70, "quatre-vingt-dix" → 90.
func parseNumberWords(s string) (float64, bool) {
	words := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' })
	total := 0.0
	for i, w := range words {
		v, ok := numberWords[w]
		if !ok {
			return 0, false
		}
		switch {
		case w == "cent":
			if total == 0 {
				total = 1
			}
			total *= 100
		case (w == "vingt" || w == "vingts") && i > 0 && words[i-1] == "quatre":
			total = total - 4 + 80
		default:
			total += v
		}
	}
	return total, total > 0
}

func iso8601(amount float64, unit string) string {
	if amount != math.Trunc(amount) || amount <= 0 {
		return ""
	}
	letter := map[string]string{"day": "D", "week": "W", "month": "M", "year": "Y"}[unit]
	if letter == "" {
		return ""
	}
	return fmt.Sprintf("P%d%s", int64(amount), letter)
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// foldSameLen folds s rune by rune keeping one rune per source rune, so that
// rune offsets in the folded text are offsets in the source.
func foldSameLen(s string) string {
	var b strings.Builder
	for _, r := range s {
		f := fold(string(r))
		rs := []rune(f)
		if len(rs) == 1 {
			b.WriteRune(rs[0])
		} else if len(rs) == 0 {
			b.WriteRune(' ')
		} else {
			b.WriteRune(rs[0]) // ligatures: "œ" → "o"
		}
	}
	return b.String()
}

// byteToRune maps every byte offset of s (and len(s)) to a rune offset.
func byteToRune(s string) []int {
	m := make([]int, len(s)+1)
	n := 0
	for i := range s {
		m[i] = n
		n++
	}
	// Fill continuation bytes.
	last := 0
	for i := 0; i < len(s); i++ {
		if i == 0 || s[i]&0xC0 != 0x80 {
			last = m[i]
		}
		m[i] = last
	}
	m[len(s)] = n
	return m
}
