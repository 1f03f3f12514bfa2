package normalize

import (
	"regexp"
	"strings"
)

var (
	reEmail = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	rePhone = regexp.MustCompile(`(?:\+33\s?|0)[1-9](?:[\s.\-]?\d{2}){4}`)
	// Phrases that name who to contact.
	reContactPhrase = regexp.MustCompile(`\b(delegue(?:\(e\)|e)?s? a la protection des donnees( \((?:dpo|dpd)\))?|dpo|dpd|responsable (du|de) traitement|responsable sst|directeur [a-z' -]{0,60}|directrice [a-z' -]{0,60}|referent [a-z' -]{0,40}|correspondant informatique et libertes|cil|service [a-z' -]{2,40}|medecin [a-z' -]{0,60})\b`)
)

// RightsContact finds who data subjects contact to exercise their rights.
// A value that is only a contact ("délégué à la protection des données
// (DPO)", "DTE", "directeur CMS", an e-mail) is returned whole with whole =
// true; in a sentence, the e-mail, or the DPO / director named after
// "auprès de" / "en contactant", is returned with whole = false. Channels
// alone ("mentions publiées sur l'intranet") give "".
func RightsContact(s string) (contact string, whole bool) {
	s = clean(s)
	if s == "" {
		return "", false
	}
	if isContactOnly(s) {
		return strings.TrimRight(s, " ."), true
	}
	if e := reEmail.FindString(s); e != "" {
		return e, false
	}
	f := fold(s)
	// "auprès du directeur de la caisse … ou du délégué …": the phrase after
	// "auprès".
	for _, intro := range []string{"aupres d", "en contactant ", "s'adresser a", "en s'adressant a", "adresser au", "contacter "} {
		i := strings.Index(f, intro)
		if i < 0 {
			continue
		}
		rest := f[i+len(intro):]
		if m := reContactPhrase.FindStringIndex(rest); m != nil && m[0] < 12 {
			start := i + len(intro) + m[0]
			// The contact runs to the end of the sentence ("directeur de la
			// caisse de rattachement en contactant le DPO de la caisse").
			end := len(f)
			if k := strings.IndexAny(f[start:], ".;\n"); k >= 0 {
				end = start + k
			}
			if end-start > 160 {
				end = i + len(intro) + m[1]
			}
			return strings.TrimSpace(sliceFolded(s, f, start, end)), false
		}
	}
	return "", false
}

// isContactOnly says whether a short value names a contact and nothing else.
func isContactOnly(s string) bool {
	if len([]rune(s)) > 90 || strings.Count(s, " ") > 12 {
		return false
	}
	f := strings.TrimRight(fold(s), " .")
	if reEmail.MatchString(f) && len(strings.Fields(f)) <= 6 {
		return true
	}
	// Sentences have verbs; contacts do not.
	for _, v := range []string{" est ", " sont ", " peut ", " peuvent ", " s'exerce", " exerce", " publie", " disponible", " informe"} {
		if strings.Contains(" "+f+" ", v) {
			return false
		}
	}
	if m := reContactPhrase.FindStringIndex(f); m != nil && m[0] < 8 {
		return true
	}
	// An acronym alone ("DTE", "DRH", "SSI").
	w := strings.Fields(s)
	if len(w) <= 3 {
		for _, x := range w {
			if len(x) >= 2 && strings.ToUpper(x) == x && strings.IndexFunc(x, func(r rune) bool { return r >= 'A' && r <= 'Z' }) >= 0 {
				return true
			}
		}
	}
	return false
}

// sliceFolded maps a byte range of fold(s) back to s. fold only changes
// letter case, accents and a few punctuation marks, so the rune counts
// before the range are equal except for ligatures (œ → oe), handled here.
func sliceFolded(s, f string, start, end int) string {
	rs := []rune(s)
	// Walk s, tracking the folded length of each rune.
	pos, i0, i1 := 0, -1, len(rs)
	for i, r := range rs {
		if pos >= start && i0 < 0 {
			i0 = i
		}
		if pos >= end {
			i1 = i
			break
		}
		pos += len(fold(string(r)))
	}
	if i0 < 0 {
		return ""
	}
	return string(rs[i0:i1])
}

// splitContact separates a party value into a name and a contact (e-mail,
// phone): "David Clair (dg@x.fr)" → "David Clair", "dg@x.fr".
func splitContact(s string) (name, contact string) {
	s = clean(s)
	var contacts []string
	rest := s
	for _, re := range []*regexp.Regexp{reEmail, rePhone} {
		for _, m := range re.FindAllString(rest, -1) {
			contacts = append(contacts, m)
			rest = strings.Replace(rest, m, "", 1)
		}
	}
	rest = strings.NewReplacer("()", "", "( )", "", "[]", "", "<>", "").Replace(rest)
	rest = strings.Trim(rest, " ,;:-–—/")
	for _, p := range []string{"email", "e-mail", "mail", "courriel", "tél", "tel", "téléphone"} {
		rest = strings.TrimSuffix(strings.TrimSpace(rest), p)
		rest = strings.Trim(rest, " ,;:-–—/")
	}
	return clean(rest), strings.Join(contacts, " ; ")
}
