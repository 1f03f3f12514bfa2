package flags

import (
	"regexp"
	"regexp/syntax"
	"strings"

	"registre"
)

// country is a destination named in a transfer answer.
type country struct {
	name     string
	re       *regexp.Regexp
	eu       bool // EU/EEA: not a transfer
	adequate bool // adequacy decision (art. 45) other than the DPF
	// lits: every match of re contains one of them (nil: no such list).
	lits []string
}

func c(name, pattern string, eu, adequate bool) country {
	return country{name: name, re: regexp.MustCompile(`\b(?:` + pattern + `)\b`), eu: eu, adequate: adequate, lits: requiredLiterals(pattern)}
}

// requiredLiterals returns, for a pattern that is an alternation, the
// longest literal of each alternative: every match contains one of them.
// It returns nil when an alternative has no literal of its own.
func requiredLiterals(pattern string) []string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	alts := []*syntax.Regexp{re}
	if re.Op == syntax.OpAlternate {
		alts = re.Sub
	}
	var out []string
	for _, a := range alts {
		parts := []*syntax.Regexp{a}
		if a.Op == syntax.OpConcat {
			parts = a.Sub
		}
		best := ""
		for _, p := range parts {
			if p.Op == syntax.OpLiteral && p.Flags&syntax.FoldCase == 0 && len(string(p.Rune)) > len(best) {
				best = string(p.Rune)
			}
		}
		if best == "" {
			return nil
		}
		out = append(out, best)
	}
	return out
}

// countries lists the destinations registers name. Adequacy decisions as of
// 2024 (European Commission list); the United States are adequate only for
// DPF-certified recipients, hence not marked adequate here.
var countries = []country{
	c("États-Unis", `etats[- ]unis(?: d'amerique)?|usa|u\.s\.a\.?`, false, false),
	c("Royaume-Uni", `royaume[- ]uni|grande[- ]bretagne|angleterre`, false, true),
	c("Suisse", `suisse`, false, true),
	c("Canada", `canada`, false, true),
	c("Japon", `japon`, false, true),
	c("Corée du Sud", `coree du sud|republique de coree`, false, true),
	c("Israël", `israel`, false, true),
	c("Nouvelle-Zélande", `nouvelle[- ]zelande`, false, true),
	c("Argentine", `argentine`, false, true),
	c("Uruguay", `uruguay`, false, true),
	c("Andorre", `andorre`, false, true),
	c("Îles Féroé", `iles? feroe`, false, true),
	c("Guernesey", `guernesey`, false, true),
	c("Jersey", `jersey`, false, true),
	c("Île de Man", `ile de man`, false, true),
	c("Inde", `inde`, false, false),
	c("Chine", `chine`, false, false),
	c("Maroc", `maroc`, false, false),
	c("Tunisie", `tunisie`, false, false),
	c("Algérie", `algerie`, false, false),
	c("Sénégal", `senegal`, false, false),
	c("Madagascar", `madagascar`, false, false),
	c("Maurice", `ile maurice`, false, false),
	c("Brésil", `bresil`, false, false),
	c("Russie", `russie`, false, false),
	c("Singapour", `singapour`, false, false),
	c("Australie", `australie`, false, false),
	c("Turquie", `turquie`, false, false),
	c("Ukraine", `ukraine`, false, false),
	c("Émirats arabes unis", `emirats arabes unis|dubai`, false, false),
	c("Mexique", `mexique`, false, false),
	c("Philippines", `philippines`, false, false),
	c("Vietnam", `vietnam|viet nam`, false, false),
	c("Côte d'Ivoire", `cote d'ivoire`, false, false),
	c("Cameroun", `cameroun`, false, false),
	c("Égypte", `egypte`, false, false),
	c("Hong Kong", `hong kong`, false, false),
	c("Afrique du Sud", `afrique du sud`, false, false),
	c("Union européenne", `union europeenne|ue|eee|espace economique europeen|europe`, true, false),
	c("France", `france|metropole`, true, false),
	c("Allemagne", `allemagne`, true, false),
	c("Irlande", `irlande`, true, false),
	c("Belgique", `belgique`, true, false),
	c("Pays-Bas", `pays[- ]bas`, true, false),
	c("Luxembourg", `luxembourg`, true, false),
	c("Espagne", `espagne`, true, false),
	c("Italie", `italie`, true, false),
	c("Portugal", `portugal`, true, false),
	c("Autriche", `autriche`, true, false),
	c("Suède", `suede`, true, false),
	c("Danemark", `danemark`, true, false),
	c("Finlande", `finlande`, true, false),
	c("Pologne", `pologne`, true, false),
	c("Norvège", `norvege`, true, false),
	c("Islande", `islande`, true, false),
	c("Liechtenstein", `liechtenstein`, true, false),
}

var (
	// psRe / safeHarborRe: invalidated EU–US adequacy decisions.
	psRe         = regexp.MustCompile(`\bprivacy[- ]?shield\b|\bbouclier (?:de protection des donnees|vie privee|de protection de la vie privee)(?: ue[- ]etats[- ]unis)?\b`)
	safeHarborRe = regexp.MustCompile(`\bsafe[- ]?harbou?r\b|\bsphere de securite\b`)
	// replacedRe: the clause says the invalidated instrument was replaced.
	replacedRe = regexp.MustCompile(`\b(?:invalid\w*|annul\w*|remplac\w*|n'est plus|ne s'applique plus|ne repose plus|anciennement|au lieu d[eu]|et non plus|abandon\w*)\b`)
	// safeguardRe: a valid transfer instrument (art. 45, 46, 47, 49).
	safeguardRe = regexp.MustCompile(`\b(?:decisions? d'adequation|adequation|data privacy framework|dpf|cadre (?:de protection des donnees|de confidentialite des donnees) ue[- ]etats[- ]unis|clauses? contractuelles?(?: types?)?|clauses? types|cct|scc|standard contractual clauses|model clauses|regles d'entreprise contraignantes|bcr|binding corporate rules|article 49|art\. ?49|derogations?|consentement explicite|conventions? (?:bilaterales?|multilaterales?|internationales?)|accords? (?:bilateraux|bilateral|internationaux|international|de securite sociale)|instrument juridiquement contraignant|code de conduite approuve)\b`)
	// oldSCCRe: standard contractual clauses repealed in 2021.
	oldSCCRe = regexp.MustCompile(`\b(?:2001/497|2004/915|2010/87)\b|\b(?:clauses? contractuelles?(?: types?)?|cct|scc)\b[^.;]{0,60}\b(?:de|du|version) (?:2001|2004|2010|5 fevrier 2010)\b`)
	newSCCRe = regexp.MustCompile(`\b2021/914\b|\b(?:clauses? contractuelles?(?: types?)?|cct|scc)\b[^.;]{0,60}\b(?:de |du |version )?(?:2021|4 juin 2021)\b|\bdata privacy framework\b|\bdpf\b|\bbcr\b|\bregles d'entreprise contraignantes\b`)
	// answerNoRe / answerYesRe read the transfer answer.
	answerNoRe  = regexp.MustCompile(`^\s*(?:non|no|aucun|aucune|neant|pas de transfert|sans transfert|sans objet|n/a)\b|\b(?:ne (?:sont|seront|font|fait) (?:pas|l'objet d'aucun|l'objet d'aucune) (?:transfer|communiqu)\w*|aucun transfert|pas de transfert|n'est pas transfer\w*|ne quittent pas)`)
	answerYesRe = regexp.MustCompile(`^\s*(?:oui|yes)\b`)
	// euHostingRe: a commitment that the provider keeps data in the EU.
	euHostingRe = regexp.MustCompile(`\b(?:heberg\w*|stock\w*|localis\w*|situe\w*|conserv\w*|traite\w*)\s+(?:exclusivement\s+|uniquement\s+)?(?:en|dans l'|au sein de l'|sur le territoire de l'|sur le territoire francais|sur le sol)\s*(?:france|europe|union europeenne|ue|eee)\b|\beu data boundary\b|\bregion europe\b`)
)

// transferAnswer says what the record declares: -1 no, 1 yes, 0 not said.
func transferAnswer(r *registre.Record) (int, string) {
	txt := strings.TrimSpace(deref(r.Transfers.Text))
	f := foldString(txt)
	switch {
	case r.Transfers.OutsideEU != nil && !*r.Transfers.OutsideEU:
		if txt == "" {
			txt = "non"
		}
		return -1, txt
	case r.Transfers.OutsideEU != nil && *r.Transfers.OutsideEU:
		return 1, txt
	case answerYesRe.MatchString(f):
		return 1, txt
	case answerNoRe.MatchString(f):
		return -1, txt
	}
	return 0, txt
}

// destinationTexts are the values that name transfer destinations.
func destinationTexts(r *registre.Record) []fieldText {
	return append(scalar("transfers.text", r.Transfers.Text), list("transfers.destinations", r.Transfers.Destinations)...)
}

// anyCountryRe matches wherever one of the countries' patterns does: a
// value it does not match names no country, and most values name none.
var anyCountryRe = func() *regexp.Regexp {
	var alts []string
	for _, cn := range countries {
		alts = append(alts, cn.re.String())
	}
	return regexp.MustCompile(strings.Join(alts, "|"))
}()

// namedCountries returns the countries named in the transfer values.
func namedCountries(vals []fieldText) []country {
	var some []fieldText
	for _, v := range vals {
		if anyCountryRe.MatchString(v.fold().s) {
			some = append(some, v)
		}
	}
	if len(some) == 0 {
		return nil
	}
	vals = some
	var out []country
	for _, cn := range countries {
		for _, v := range vals {
			if cn.lits != nil && !containsAny(v.fold().s, cn.lits) {
				continue
			}
			if _, ok := findFirst(cn.re, []fieldText{v}); ok {
				out = append(out, cn)
				break
			}
		}
	}
	return out
}

// mask blanks the clauses that mention an invalidated instrument, so that
// "décision d'adéquation Privacy Shield" does not pass for a safeguard.
func mask(vals []fieldText) []fieldText {
	out := make([]fieldText, len(vals))
	for i, v := range vals {
		out[i] = v
		f := v.fold()
		for _, re := range []*regexp.Regexp{psRe, safeHarborRe} {
			for _, loc := range re.FindAllStringIndex(f.s, -1) {
				_, s, e := f.clause(loc[0], loc[1])
				out[i].text = out[i].text[:s] + strings.Repeat(" ", e-s) + out[i].text[e:]
				out[i].fo = nil
			}
		}
	}
	return out
}

func (e *Engine) checkTransfers(r *registre.Record, texts []fieldText) []hit {
	var out []hit

	// privacy_shield: anywhere in the record, unless the clause says it
	// was replaced by a valid instrument.
	for _, rr := range []struct {
		id string
		re *regexp.Regexp
	}{{"XFR-001", psRe}, {"XFR-002", safeHarborRe}} {
		for _, m := range find(rr.re, texts) {
			fe := foldString(m.evidence)
			if replacedRe.MatchString(fe) && newSCCRe.MatchString(fe) {
				continue
			}
			out = append(out, hit{rule: rr.id, m: m})
			break
		}
	}

	answer, answerText := transferAnswer(r)
	dests := destinationTexts(r)
	named := namedCountries(dests)
	var third, eu []country
	for _, cn := range named {
		if cn.eu {
			eu = append(eu, cn)
		} else {
			third = append(third, cn)
		}
	}
	// Attachment labels are link texts ("Twitter" share buttons): a
	// provider named there says nothing about where data go.
	var providerTexts []fieldText
	for _, t := range texts {
		if t.field != "attachments" {
			providerTexts = append(providerTexts, t)
		}
	}
	provs := findProviders(e.matchers, providerTexts)
	destProvs := findProviders(e.matchers, dests)
	euOnly := len(third) == 0 && (len(eu) > 0 || len(destProvs) > 0)
	for _, ph := range destProvs {
		if !ph.p.EU {
			euOnly = false
		}
	}

	// transfer_without_safeguard: a declared transfer (yes, or a named
	// third country) and no valid instrument anywhere in the record.
	declared := answer == 1 || (answer == 0 && len(third) > 0)
	if declared && !euOnly {
		masked := mask(texts)
		safeguards := append(list("transfers.safeguards", r.Transfers.Safeguards), masked...)
		adequate := len(third) > 0
		for _, cn := range third {
			if !cn.adequate {
				adequate = false
			}
		}
		old, hasOld := findFirst(oldSCCRe, safeguards)
		_, hasNew := findFirst(newSCCRe, safeguards)
		_, hasAny := findFirst(safeguardRe, safeguards)
		switch {
		case hasOld && !hasNew:
			out = append(out, hit{rule: "XFR-004", m: old})
		case !hasAny && !adequate:
			m := match{field: "transfers.text", index: -1, evidence: answerText}
			if len(dests) > 0 {
				m = whole(dests[0])
			}
			vars := map[string]string{}
			var names []string
			for _, cn := range third {
				names = append(names, cn.name)
			}
			vars["destination"] = strings.Join(names, ", ")
			if _, ok := findFirst(psRe, texts); ok {
				vars["invalid"] = "le Privacy Shield"
			} else if _, ok := findFirst(safeHarborRe, texts); ok {
				vars["invalid"] = "le Safe Harbor"
			}
			out = append(out, hit{rule: "XFR-003", m: m, vars: vars})
		}
	}

	// transfer_contradiction: "non" but a provider known to process data
	// outside the EU, unless the record states EU hosting.
	if answer == -1 {
		if _, ok := findFirst(euHostingRe, texts); !ok {
			for _, ph := range provs {
				if ph.p.EU {
					continue
				}
				out = append(out, hit{rule: "XFR-005", m: ph.m, vars: map[string]string{
					"answer": answerText, "provider": ph.p.Name, "country": ph.p.Country, "note": ph.p.Note,
				}})
				break
			}
		}
	}
	// …or the reverse: "oui" while every named destination is in the EU.
	if answer == 1 && euOnly {
		var euNames []string
		for _, cn := range eu {
			euNames = append(euNames, cn.name)
		}
		for _, ph := range destProvs {
			euNames = append(euNames, ph.p.Name)
		}
		m := match{field: "transfers.text", index: -1, evidence: answerText}
		if len(dests) > 0 {
			m = whole(dests[0])
		}
		out = append(out, hit{rule: "XFR-006", m: m, vars: map[string]string{"destination": strings.Join(euNames, ", ")}})
	}
	return out
}

// containsAny reports whether s contains one of subs.
func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}
