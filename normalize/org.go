package normalize

import (
	"regexp"
	"strings"

	"registre"
)

// Canonical organisation names, matched on the folded key of the whole
// value. Local caisses keep their territory ("CPAM de Paris", "CGSS
// Guadeloupe", "MSA Dordogne, Lot et Garonne").
var orgAliases = []struct {
	re   *regexp.Regexp
	name string
}{
	{regexp.MustCompile(`^(cramif|caisse regionale d assurance maladie d ile de france|caisse regionale d assurance maladie de l ile de france|cram ile de france|cram idf)$`), "Cramif"},
	{regexp.MustCompile(`^(cnam|cnamts|caisse nationale (de l |d )?assurance maladie( des travailleurs salaries)?|assurance maladie|l assurance maladie|moad cnamts)$`), "Cnam"},
	{regexp.MustCompile(`^(ccmsa|cmsa|caisse centrale (de la )?(mutualite sociale agricole|msa))$`), "CCMSA"},
	{regexp.MustCompile(`^(cnav|caisse nationale (d |de l )?assurance vieillesse)$`), "Cnav"},
	{regexp.MustCompile(`^(acoss|urssaf caisse nationale)$`), "Acoss"},
	{regexp.MustCompile(`^(cnaf|caisse nationale (des )?allocations familiales)$`), "Cnaf"},
	{regexp.MustCompile(`^(drsmif|direction regionale du service medical d ile de france)$`), "DRSMIF"},
}

// Territorial caisses: the kind, then the territory as printed.
var reLocalOrg = regexp.MustCompile(`(?i)^\s*(cpam|caisse primaire d'assurance maladie|cgss|caisse g[ée]n[ée]rale de s[ée]curit[ée] sociale|msa|caisse de (la )?mutualit[ée] sociale agricole|carsat|caisse d'assurance retraite et de la sant[ée] au travail|caf|caisse d'allocations familiales|urssaf|cram)\b[\s,:\-–]*((?i:de la |de l'|du |des |de |d'))?(.*)$`)

var localKinds = map[string]string{
	"cpam": "CPAM", "caisse primaire d'assurance maladie": "CPAM",
	"cgss": "CGSS", "caisse generale de securite sociale": "CGSS",
	"msa": "MSA", "caisse de la mutualite sociale agricole": "MSA", "caisse de mutualite sociale agricole": "MSA",
	"carsat": "Carsat", "caisse d'assurance retraite et de la sante au travail": "Carsat",
	"caf": "CAF", "caisse d'allocations familiales": "CAF",
	"urssaf": "Urssaf", "cram": "CRAM",
}

// Organisation returns the canonical name of an organisation ("CRAMIF" →
// "Cramif", "Caisse nationale de l'Assurance Maladie" → "Cnam", "CPAM DE
// PARIS" → "CPAM de Paris", "Caisse Générale de Sécurité Sociale de la
// Guadeloupe" → "CGSS Guadeloupe"), or s trimmed when it is not one we know.
func Organisation(s string) string {
	s = clean(s)
	if s == "" {
		return ""
	}
	k := foldKey(s)
	for _, a := range orgAliases {
		if a.re.MatchString(k) {
			return a.name
		}
	}
	// "Cramif (Caisse régionale d'assurance maladie d'Île-de-France)": the
	// name outside or inside the parentheses.
	if i := strings.Index(s, "("); i > 0 && strings.HasSuffix(strings.TrimSpace(s), ")") {
		outer, inner := clean(s[:i]), clean(strings.TrimSuffix(strings.TrimSpace(s[i+1:]), ")"))
		for _, c := range []string{outer, inner} {
			if o := Organisation(c); o != c {
				return o
			}
		}
		for _, a := range orgAliases {
			if a.re.MatchString(foldKey(outer)) {
				return a.name
			}
		}
	}
	if m := reLocalOrg.FindStringSubmatch(strings.ReplaceAll(s, "’", "'")); m != nil {
		kind := localKinds[strings.Join(strings.Fields(strings.ReplaceAll(fold(m[1]), "’", "'")), " ")]
		prep := strings.ToLower(m[3])
		territory := clean(strings.TrimRight(m[4], " .,;"))
		if kind != "" {
			if territory == "" {
				return kind
			}
			territory = titleTerritory(territory)
			// CPAM, CAF and Urssaf names keep the printed preposition ("CPAM
			// de Paris"); CGSS, MSA and Carsat names go without ("CGSS
			// Guadeloupe").
			switch kind {
			case "CPAM", "CAF", "Urssaf":
				return kind + " " + prep + territory
			}
			return kind + " " + territory
		}
	}
	return s
}

// titleTerritory capitalises a territory printed in capitals ("PARIS" →
// "Paris") and keeps any other spelling.
func titleTerritory(t string) string {
	if strings.ToUpper(t) != t {
		return t
	}
	words := strings.Fields(strings.ToLower(t))
	for i, w := range words {
		switch w {
		case "de", "du", "des", "la", "le", "les", "et", "sur", "en", "d'", "l'":
			if i > 0 {
				continue
			}
		}
		rs := []rune(w)
		rs[0] = []rune(strings.ToUpper(string(rs[0])))[0]
		words[i] = string(rs)
	}
	return strings.Join(words, " ")
}

// reOrgMention finds an organisation named in a document header.
var reOrgMention = regexp.MustCompile(`(?i)\b(cramif|cnamts|cnam|ccmsa|cnav|acoss|cnaf|(?:cpam|cgss|msa|carsat|caf|urssaf)(?:\s+(?:de la |de l'|du |des |de |d')?[A-ZÉÈ][\p{L}'\-]+(?:[ ,]+(?:et |de |du |des |la )?[A-ZÉÈ][\p{L}'\-]+){0,3})?|caisse (?:r[ée]gionale|nationale|primaire|g[ée]n[ée]rale|centrale)[\p{L}' \-]{5,80}?(?:maladie|vieillesse|sociale|agricole|familiales)(?: d'[ÎI]le-de-France| de [A-ZÉ][\p{L}\-]+)?)\b`)

// OrganisationIn finds the organisation a document's header names: the
// first body recognised, canonicalised; "" when none is named.
func OrganisationIn(text string) string {
	m := reOrgMention.FindString(text)
	if m == "" {
		return ""
	}
	return Organisation(m)
}

var reSize = regexp.MustCompile(`(?i)(\d+(?:[.,]\d+)?)\s*(ko|mo|go|kb|mb|gb|octets)\b`)

// AttachmentOf makes an attachment from its raw value: the label as
// printed, the link target and the size ("119.09 Ko"), read from the text
// when the extractor did not separate it ("Acte réglementaire pdf - 119.09
// Ko" → label "Acte réglementaire", size "119.09 Ko").
func AttachmentOf(v registre.RawValue) registre.Attachment {
	label := clean(v.Text)
	size := clean(v.Size)
	if size == "" {
		if m := reSize.FindStringSubmatchIndex(label); m != nil {
			size = label[m[0]:m[1]]
			label = clean(label[:m[0]] + label[m[1]:])
		}
	}
	label = strings.TrimRight(label, " -–—:,")
	for _, ext := range []string{" pdf", " PDF", " docx", " doc", " odt", " xlsx"} {
		label = strings.TrimRight(strings.TrimSuffix(label, ext), " -–—:,")
	}
	if label == "" {
		label = clean(v.Text)
	}
	return registre.Attachment{Label: label, Href: registre.Str(clean(v.Href)), Size: registre.Str(size)}
}
