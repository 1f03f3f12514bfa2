// Package labels is the French label dictionary every layout parser shares:
// the many ways registers, forms and notices name an Art. 30 field, matched
// insensitive to accents, case, NBSP, "(s)" and colon spacing.
package labels

import (
	"bytes"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"

	"registre"
)

// Norm folds a label or phrase for comparison: NFC, accents stripped, lower
// case, NBSP and typographic apostrophes made plain, "(s)" removed, leading
// bullets and a trailing colon or "(suite)" dropped, spaces collapsed.
func Norm(s string) string {
	var buf [128]byte
	return string(normBytes(appendFold(buf[:0], s)))
}

// normBytes is Norm's work after folding, on the folded bytes (modified in
// place): Lookup runs it on a stack buffer, without allocating.
func normBytes(b []byte) []byte {
	b = removeAll(b, "(s)")
	b = removeAll(b, "(es)")
	if len(b) > 0 && (b[0] >= utf8.RuneSelf || strings.IndexByte("*#- \t", b[0]) >= 0) {
		// Only a leading marker or space is trimmed (and most labels
		// start with a letter): TrimLeft with this non-ASCII cutset is slow.
		b = bytes.TrimLeft(b, "•*#-–· \t")
	}
	b = bytes.TrimSpace(b)
	b = bytes.TrimRight(b, ": \t")
	// Dot leaders of typed lists: "Finalité .......... :".
	b = bytes.TrimRight(b, ". …\t")
	b = bytes.TrimSuffix(b, []byte("(suite)"))
	b = bytes.TrimSpace(bytes.TrimRight(b, ": \t"))
	return b
}

// removeAll is strings.ReplaceAll(b, old, "") in place: the occurrences
// are found left to right in the original bytes, as ReplaceAll finds them.
func removeAll(b []byte, old string) []byte {
	if !bytes.Contains(b, []byte(old)) {
		return b
	}
	w := 0
	for r := 0; r < len(b); {
		if bytes.HasPrefix(b[r:], []byte(old)) {
			r += len(old)
			continue
		}
		b[w] = b[r]
		w++
		r++
	}
	return b[:w]
}

// Fold lower-cases, strips accents, folds ligatures, NBSP, apostrophes and
// dashes, and collapses white space. Used for label lookup and for
// accent-insensitive matching of values.
func Fold(s string) string {
	b := appendFold(make([]byte, 0, len(s)), s)
	// b is never written again: share its bytes, as strings.Builder does.
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// appendFold appends Fold(s) to dst.
func appendFold(dst []byte, s string) []byte { return foldInto(dst, s, nil) }

// foldInto appends Fold(s) to dst. When at is not nil (len(s)+1 long), it
// also records where each prefix of s ends in the output: at[b] is
// len(Fold(s[:b])) for every b that starts a rune (or is len(s)), -1 for
// the other b. Fold only appends, never revisits what it wrote, so
// Fold(s[:b]) is the first at[b] bytes of Fold(s).
func foldInto(dst []byte, s string, at []int) []byte {
	start := len(dst)
	space := false
	for i := 0; i < len(s); {
		if at != nil {
			at[i] = len(dst) - start
		}
		if c := s[i]; c < utf8.RuneSelf {
			i++
			switch {
			case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
				space = len(dst) > start
				continue
			case c == '`':
				c = '\''
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			}
			if space {
				dst = append(dst, ' ')
				space = false
			}
			dst = append(dst, c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if at != nil {
			for k := i + 1; k < i+size; k++ {
				at[k] = -1
			}
		}
		i += size
		// U+00C0…U+024F (French accented letters) are neither spaces nor
		// combining marks: skip the table searches.
		if r < 0xC0 || r >= 0x250 {
			if unicode.IsSpace(r) {
				space = len(dst) > start
				continue
			}
			if unicode.Is(unicode.Mn, r) {
				continue
			}
		}
		if space {
			dst = append(dst, ' ')
			space = false
		}
		dst = append(dst, foldRune(r)...)
	}
	if at != nil {
		at[len(s)] = len(dst) - start
	}
	return dst
}

// foldRune folds one non-ASCII rune: ligatures spelled out, typographic
// apostrophes and dashes made plain, accents stripped, lower case.
func foldRune(r rune) string {
	switch r {
	case '’', '‘', '´':
		return "'"
	case 'œ', 'Œ':
		return "oe"
	case 'æ', 'Æ':
		return "ae"
	case '–', '—', '‐':
		return "-"
	}
	if r < 0x250 && r >= 0xC0 {
		return latinFold[r-0xC0]
	}
	var out strings.Builder
	for _, d := range norm.NFD.String(string(r)) {
		if !unicode.Is(unicode.Mn, d) {
			out.WriteRune(unicode.ToLower(d))
		}
	}
	return out.String()
}

// latinFold is the folded form of U+00C0…U+024F (the accented Latin letters
// of French and its neighbours), computed once: Fold runs on every block of
// every document, and a transform chain per call was most of its cost.
var latinFold = func() (t [0x250 - 0xC0]string) {
	for r := rune(0xC0); r < 0x250; r++ {
		var out strings.Builder
		for _, d := range norm.NFD.String(string(r)) {
			if !unicode.Is(unicode.Mn, d) {
				out.WriteRune(unicode.ToLower(d))
			}
		}
		t[r-0xC0] = out.String()
	}
	return t
}()

// dict maps folded labels to fields. Keys are written already folded (see
// Norm); keep them grouped by field. Parsers may add wordings here.
var dict = map[string]registre.Field{
	// Name
	"nom du traitement":                          registre.FieldName,
	"nom / sigle du traitement":                  registre.FieldName,
	"nom/sigle du traitement":                    registre.FieldName,
	"nom / sigle":                                registre.FieldName,
	"nom du projet":                              registre.FieldName,
	"denomination du traitement":                 registre.FieldName,
	"denomination du traitement (nom du projet)": registre.FieldName,
	"intitule du traitement":                     registre.FieldName,
	"intitule":                                   registre.FieldName,
	"objet du traitement":                        registre.FieldName,
	"traitement":                                 registre.FieldName,
	"nom de l'application":                       registre.FieldName,
	"activite de traitement":                     registre.FieldName,
	// Reference
	"reference": registre.FieldReference,
	"n°":        registre.FieldReference,
	"numero":    registre.FieldReference,
	"n° du traitement au registre des activites de traitement (dpo)": registre.FieldReference,
	"n° du traitement":      registre.FieldReference,
	"numero de declaration": registre.FieldReference,
	"n° de declaration":     registre.FieldReference,
	"n° d'enregistrement":   registre.FieldReference,
	// Controller / DPO / joint controllers
	"responsable des traitements":               registre.FieldController,
	"responsable du traitement":                 registre.FieldController,
	"responsable de traitement":                 registre.FieldController,
	"delegue a la protection des donnees":       registre.FieldDPO,
	"delegue a la protection des donnees (dpo)": registre.FieldDPO,
	"dpo":                          registre.FieldDPO,
	"co-responsable de traitement": registre.FieldJointControllers,
	"co-responsable du traitement": registre.FieldJointControllers,
	"co-responsable":               registre.FieldJointControllers,
	"coresponsable de traitement":  registre.FieldJointControllers,
	"responsable conjoint":         registre.FieldJointControllers,
	"responsables conjoints":       registre.FieldJointControllers,
	"co traitants":                 registre.FieldJointControllers,
	"co-traitants":                 registre.FieldJointControllers,
	// Business unit
	"secteur d'activite":             registre.FieldBusinessUnit,
	"d'activite":                     registre.FieldBusinessUnit,
	"direction / service":            registre.FieldBusinessUnit,
	"direction/service":              registre.FieldBusinessUnit,
	"direction / secteur d'activite": registre.FieldBusinessUnit,
	"direction concernee":            registre.FieldBusinessUnit,
	"service":                        registre.FieldBusinessUnit,
	"direction":                      registre.FieldBusinessUnit,
	"entite en charge du traitement - direction/service en charge du projet": registre.FieldBusinessUnit,
	"service metier maitre d'ouvrage (moa)":                                  registre.FieldBusinessUnit,
	// Purposes
	"finalite du traitement": registre.FieldPurposes,
	"finalite":               registre.FieldPurposes,
	"finalites":              registre.FieldPurposes,
	"finalite/objectifs poursuivis par la mise en oeuvre du traitement": registre.FieldPurposes,
	"objectifs poursuivis":   registre.FieldPurposes,
	"objectif du traitement": registre.FieldPurposes,
	"but du traitement":      registre.FieldPurposes,
	"sous-finalites":         registre.FieldSubPurposes,
	"sous-finalite":          registre.FieldSubPurposes,
	// Legal basis
	"base legale":                       registre.FieldLegalBasis,
	"bases legales":                     registre.FieldLegalBasis,
	"base juridique":                    registre.FieldLegalBasis,
	"bases juridiques":                  registre.FieldLegalBasis,
	"fondement juridique":               registre.FieldLegalBasis,
	"fondements juridiques":             registre.FieldLegalBasis,
	"fondement legal":                   registre.FieldLegalBasis,
	"liceite du traitement":             registre.FieldLegalBasis,
	"contexte legal- bases juridiques":  registre.FieldLegalBasis,
	"contexte legal - bases juridiques": registre.FieldLegalBasis,
	// Data subjects
	"categories de personnes concernees":                   registre.FieldDataSubjects,
	"categorie de personnes concernees":                    registre.FieldDataSubjects,
	"categories de personnes concernees par le traitement": registre.FieldDataSubjects,
	"personnes concernees":                                 registre.FieldDataSubjects,
	// Data categories
	"donnees a caractere personnel":               registre.FieldDataCategories,
	"categories de donnees":                       registre.FieldDataCategories,
	"categories de donnees a caractere personnel": registre.FieldDataCategories,
	"categories de donnees traitees":              registre.FieldDataCategories,
	"categories de donnees personnelles":          registre.FieldDataCategories,
	"donnees traitees":                            registre.FieldDataCategories,
	"donnees collectees":                          registre.FieldDataCategories,
	"donnees personnelles":                        registre.FieldDataCategories,
	"type de donnees":                             registre.FieldDataCategories,
	"types de donnees":                            registre.FieldDataCategories,
	// Recipients
	"destinataire des donnees":     registre.FieldRecipients,
	"destinataires des donnees":    registre.FieldRecipients,
	"destinataires":                registre.FieldRecipients,
	"destinataire":                 registre.FieldRecipients,
	"categories de destinataires":  registre.FieldRecipients,
	"interne":                      registre.FieldRecipientsInternal,
	"destinataires internes":       registre.FieldRecipientsInternal,
	"destinataire interne":         registre.FieldRecipientsInternal,
	"type de destinataire interne": registre.FieldRecipientsInternal,
	"externe":                      registre.FieldRecipientsExternal,
	"externes":                     registre.FieldRecipientsExternal,
	"externe (transmission uniquement de documents papier)": registre.FieldRecipientsExternal,
	"destinataires externes":                                registre.FieldRecipientsExternal,
	"destinataire externe":                                  registre.FieldRecipientsExternal,
	"type de destinataire externe":                          registre.FieldRecipientsExternal,
	"personnes accedant aux donnees":                        registre.FieldPersonsWithAccess,
	"personnes habilitees":                                  registre.FieldPersonsWithAccess,
	// Processors
	"sous-traitant":  registre.FieldProcessors,
	"sous-traitants": registre.FieldProcessors,
	"sous traitant":  registre.FieldProcessors,
	"sous-traitance": registre.FieldProcessors,
	"prestataire":    registre.FieldProcessors,
	"prestataires":   registre.FieldProcessors,
	// Transfers
	"transfert":                                   registre.FieldTransfers,
	"transferts":                                  registre.FieldTransfers,
	"transferts hors ue":                          registre.FieldTransfers,
	"transfert hors ue":                           registre.FieldTransfers,
	"transferts de donnees hors ue":               registre.FieldTransfers,
	"transfert de donnees hors ue":                registre.FieldTransfers,
	"transfert de donnees hors union europeenne":  registre.FieldTransfers,
	"transferts de donnees hors union europeenne": registre.FieldTransfers,
	"transferts hors union europeenne":            registre.FieldTransfers,
	"transfert hors de l'union europeenne":        registre.FieldTransfers,
	// Retention
	"duree de conservation":                        registre.FieldRetention,
	"durees de conservation":                       registre.FieldRetention,
	"duree de conservation des donnees":            registre.FieldRetention,
	"delais d'effacement / duree de conservation":  registre.FieldRetention,
	"delai d'effacement / duree de conservation":   registre.FieldRetention,
	"delais d'effacement":                          registre.FieldRetention,
	"duree de conservation des donnees collectees": registre.FieldRetention,
	"conservation":                                 registre.FieldRetention,
	// Security
	"mesures de securite": registre.FieldSecurity,
	"mesure de securite":  registre.FieldSecurity,
	"mesures de securite techniques et organisationnelles": registre.FieldSecurity,
	"securite des donnees":                                 registre.FieldSecurity,
	"securite":                                             registre.FieldSecurity,
	// Rights
	"droit d'acces":                      registre.FieldRights,
	"droits d'acces":                     registre.FieldRights,
	"droit d'acces (service / fonction)": registre.FieldRights,
	"droits des personnes concernees":    registre.FieldRights,
	"droits des personnes":               registre.FieldRights,
	"exercice des droits":                registre.FieldRights,
	"fonction de la personne du service aupres duquel s'exerce le droit d'acces": registre.FieldRights,
	"justification absence du droit d'opposition":                                registre.FieldObjection,
	// Dates
	"date de mise en oeuvre":           registre.FieldImplementationDate,
	"date souhaitee de mise en oeuvre": registre.FieldImplementationDate,
	"date de mise en service":          registre.FieldImplementationDate,
	"date de creation":                 registre.FieldImplementationDate,
	// Attachments
	"documents associes": registre.FieldAttachments,
	"document associe":   registre.FieldAttachments,
	"pieces jointes":     registre.FieldAttachments,

	// Wordings of privacy notices and of registers written by other bodies
	// (added for the generic fallback parser).
	"libelle du traitement":                        registre.FieldName,
	"nom de l'activite de traitement":              registre.FieldName,
	"intitule de l'activite":                       registre.FieldName,
	"finalites du traitement":                      registre.FieldPurposes,
	"finalite principale":                          registre.FieldPurposes,
	"objectifs":                                    registre.FieldPurposes,
	"objectif":                                     registre.FieldPurposes,
	"pourquoi traitons-nous vos donnees":           registre.FieldPurposes,
	"base legale du traitement":                    registre.FieldLegalBasis,
	"base juridique du traitement":                 registre.FieldLegalBasis,
	"fondement juridique du traitement":            registre.FieldLegalBasis,
	"fondement du traitement":                      registre.FieldLegalBasis,
	"categories de personnes":                      registre.FieldDataSubjects,
	"publics concernes":                            registre.FieldDataSubjects,
	"public concerne":                              registre.FieldDataSubjects,
	"donnees concernees":                           registre.FieldDataCategories,
	"donnees utilisees":                            registre.FieldDataCategories,
	"donnees recueillies":                          registre.FieldDataCategories,
	"nature des donnees":                           registre.FieldDataCategories,
	"informations collectees":                      registre.FieldDataCategories,
	"categories de donnees collectees":             registre.FieldDataCategories,
	"quelles donnees collectons-nous":              registre.FieldDataCategories,
	"destinataires des informations":               registre.FieldRecipients,
	"destinataires de vos donnees":                 registre.FieldRecipients,
	"qui a acces a vos donnees":                    registre.FieldRecipients,
	"delai de conservation":                        registre.FieldRetention,
	"delais de conservation":                       registre.FieldRetention,
	"duree de conservation des informations":       registre.FieldRetention,
	"combien de temps conservons-nous vos donnees": registre.FieldRetention,
	"transferts hors de l'union europeenne":        registre.FieldTransfers,
	"transfert en dehors de l'union europeenne":    registre.FieldTransfers,
	"transferts de donnees":                        registre.FieldTransfers,
	"transferts de donnees hors de l'ue":           registre.FieldTransfers,
	"mesures de securite mises en oeuvre":          registre.FieldSecurity,
	"securite et confidentialite":                  registre.FieldSecurity,
	"vos droits":                                   registre.FieldRights,
	"exercice de vos droits":                       registre.FieldRights,
	"comment exercer vos droits":                   registre.FieldRights,
	"delegue a la protection des donnees (dpd)":    registre.FieldDPO,
	"dpd": registre.FieldDPO,
	// Wordings of declaration forms (added for extract/form).
	"donnees de sante":                               registre.FieldHealth,
	"personnes concernees par le traitement":         registre.FieldDataSubjects,
	"destinataires internes des donnees":             registre.FieldRecipientsInternal,
	"destinataires externes des donnees":             registre.FieldRecipientsExternal,
	"duree de conservation des donnees personnelles": registre.FieldRetention,
	"mesures techniques et organisationnelles":       registre.FieldSecurity,
	"modalites d'exercice des droits":                registre.FieldRights,
	"exercice des droits des personnes":              registre.FieldRights,
	"transfert vers un pays tiers":                   registre.FieldTransfers,
	"transferts vers des pays tiers":                 registre.FieldTransfers,
	"date de mise en production":                     registre.FieldImplementationDate,
	"direction responsable":                          registre.FieldBusinessUnit,
	"service responsable":                            registre.FieldBusinessUnit,
	"responsables conjoints du traitement":           registre.FieldJointControllers,
	// Wordings of the CNIL model register's activity sheets.
	"n° / ref":                       registre.FieldReference,
	"n°/ref":                         registre.FieldReference,
	"nom du responsable conjoint":    registre.FieldJointControllers,
	"transferts des donnees hors ue": registre.FieldTransfers,
	"transfert des donnees hors ue":  registre.FieldTransfers,
	"durees de conservation des categories de donnees": registre.FieldRetention,
	"duree de conservation des categories de donnees":  registre.FieldRetention,
	// Wordings met in registers and forms written after the seeds.
	"contact pour l'exercice des droits":    registre.FieldRights,
	"contact pour exercer vos droits":       registre.FieldRights,
	"contact pour l'exercice de vos droits": registre.FieldRights,
	"donnees sensibles":                     registre.FieldDataCategories,
	"categories particulieres de donnees":   registre.FieldDataCategories,
	"service demandeur":                     registre.FieldBusinessUnit,
	"direction demandeuse":                  registre.FieldBusinessUnit,
	"mise en oeuvre":                        registre.FieldImplementationDate,
	"finalite du traitement effectue":       registre.FieldPurposes,
	"finalites du traitement effectue":      registre.FieldPurposes,
	"finalite poursuivie":                   registre.FieldPurposes,
	"finalites poursuivies":                 registre.FieldPurposes,
	"date de mise en place":                 registre.FieldImplementationDate,
	"mise en service":                       registre.FieldImplementationDate,
}

// Lookup returns the field a label names. A wording the dictionary has
// only in the singular or only in the plural ("Transfert hors Union
// européenne" / "Transferts hors Union européenne") is found too.
//
// Parsers call it on every line and word prefix of every document, most of
// which name no field: it folds into stack buffers and looks the maps up
// with the bytes, so that a miss allocates nothing.
func Lookup(label string) (registre.Field, bool) {
	var nb [128]byte
	return lookupFolded(appendFold(nb[:0], label))
}

// lookupFolded is Lookup for Fold(label), which it modifies.
func lookupFolded(folded []byte) (registre.Field, bool) {
	var sb [128]byte
	n := normBytes(folded)
	if f, ok := dict[string(n)]; ok {
		return f, true
	}
	// singular(n), word by word: most lines are no label, and their first
	// words in the singular already begin no key of singularDict.
	sg := sb[:0]
	for i := 0; i < len(n); {
		if w := isSpaceAt(n, i); w > 0 {
			i += w
			continue
		}
		j := i
		for j < len(n) {
			if c := n[j]; c < utf8.RuneSelf {
				if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' {
					break
				}
				j++
				continue
			}
			r, size := utf8.DecodeRune(n[j:])
			if unicode.IsSpace(r) {
				break
			}
			j += size
		}
		if len(sg) > 0 {
			sg = append(sg, ' ')
		}
		sg = appendSingular(sg, n[i:j])
		if !singularPrefixes[string(sg)] {
			return "", false
		}
		i = j
	}
	f, ok := singularDict[string(sg)]
	return f, ok && f != ""
}

// singularDict maps the dictionary's keys with every word in the singular
// to their field; a key two fields share is mapped to "" (ambiguous).
var singularDict = func() map[string]registre.Field {
	m := make(map[string]registre.Field, len(dict))
	for k, f := range dict {
		s := singular(k)
		if g, seen := m[s]; seen && g != f {
			m[s] = ""
			continue
		}
		m[s] = f
	}
	return m
}()

// singularPrefixes holds the first words of every key of singularDict: its
// first word, its first two words joined by a space, and so on.
var singularPrefixes = func() map[string]bool {
	m := map[string]bool{}
	for k := range singularDict {
		ws := strings.Fields(k)
		for i := range ws {
			m[strings.Join(ws[:i+1], " ")] = true
		}
	}
	return m
}()

// singular drops the plural mark of each word of a folded label: a final
// "s" or "x" ("donnees" → "donnee", "generaux" → "generau"), the same way
// on both sides of the comparison.
func singular(s string) string {
	return string(appendSingular(nil, []byte(s)))
}

// appendSingular appends singular(s) to dst: the words of s (split as
// strings.Fields splits them) joined by one space, each without its plural
// mark.
func appendSingular(dst, s []byte) []byte {
	first := true
	for i := 0; i < len(s); {
		if isSpaceAt(s, i) > 0 {
			i += isSpaceAt(s, i)
			continue
		}
		j := i
		for j < len(s) && isSpaceAt(s, j) == 0 {
			if s[j] < utf8.RuneSelf {
				j++
			} else {
				_, size := utf8.DecodeRune(s[j:])
				j += size
			}
		}
		w := s[i:j]
		if len(w) > 3 && (w[len(w)-1] == 's' || w[len(w)-1] == 'x') {
			w = w[:len(w)-1]
		}
		if !first {
			dst = append(dst, ' ')
		}
		first = false
		dst = append(dst, w...)
		i = j
	}
	return dst
}

// isSpaceAt is the length of the white-space rune (unicode.IsSpace, as
// strings.Fields tests it) at s[i], or 0.
func isSpaceAt(s []byte, i int) int {
	if c := s[i]; c < utf8.RuneSelf {
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' {
			return 1
		}
		return 0
	}
	r, size := utf8.DecodeRune(s[i:])
	if unicode.IsSpace(r) {
		return size
	}
	return 0
}

// LookupLoose is Lookup for a label as forms and table headers print it: a
// trailing colon or question mark, and a precision in parentheses ("Droit
// d'accès (service / fonction)", "Dénomination (nom du projet)"), are
// tolerated.
func LookupLoose(text string) (registre.Field, bool) {
	t := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(text), ":?\u00a0 "))
	if t == "" || len(t) > 150 {
		return "", false
	}
	if f, ok := Lookup(t); ok {
		return f, true
	}
	if i := strings.LastIndex(t, "("); i > 0 && strings.HasSuffix(t, ")") {
		return Lookup(strings.TrimSpace(t[:i]))
	}
	return "", false
}

// LongestPrefix returns the longest prefix of text, cut before one of its
// first spaces or at its end (the first maxWords such cuts), that
// LookupLoose finds: its field and its length n. It gives what calling
// LookupLoose on each such text[:n] gives, but folds text once instead of
// once per prefix (every run of every PDF goes through here, most of them
// values, not labels).
func LongestPrefix(text string, maxWords int) (f registre.Field, n int, ok bool) {
	var cutBuf [16]int
	cuts := cutBuf[:0]
	for i := 0; i <= len(text) && len(cuts) < maxWords; i++ {
		if i == len(text) || text[i] == ' ' {
			cuts = append(cuts, i)
		}
	}
	if len(cuts) == 0 {
		return "", 0, false
	}
	last := cuts[len(cuts)-1]
	// Fold(text[a:b]) is the first at[b] bytes of Fold(text[:last]) when
	// text[:a] is white space (Fold drops leading white space): the
	// trimmed prefixes below are such text[a:b].
	var foldBuf [256]byte
	var atBuf [257]int
	at := atBuf[:0]
	if last+1 <= len(atBuf) {
		at = atBuf[:last+1]
	} else {
		at = make([]int, last+1)
	}
	folded := foldInto(foldBuf[:0], text[:last], at)
	var work [256]byte
	lookup := func(a, b int) (registre.Field, bool) {
		if at[b] < 0 {
			return Lookup(text[a:b]) // not at a rune start: never, but exact
		}
		return lookupFolded(append(work[:0], folded[:at[b]]...))
	}
	// The longest match wins: try the cuts from the last one.
	for c := len(cuts) - 1; c >= 0; c-- {
		p := text[:cuts[c]]
		// LookupLoose's trims, as offsets into text.
		t := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(p), ":?\u00a0 "))
		if t == "" || len(t) > 150 {
			continue
		}
		a := len(p) - len(strings.TrimLeftFunc(p, unicode.IsSpace))
		if f, ok := lookup(a, a+len(t)); ok {
			return f, cuts[c], true
		}
		if i := strings.LastIndex(t, "("); i > 0 && strings.HasSuffix(t, ")") {
			if f, ok := lookup(a, a+len(strings.TrimSpace(t[:i]))); ok {
				return f, cuts[c], true
			}
		}
	}
	return "", 0, false
}

// Known returns every folded label of the dictionary, sorted (for tests and
// for parsers that scan text for labels).
func Known() []string {
	out := make([]string, 0, len(dict))
	for k := range dict {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Split cuts "Label : value" at the first colon when the text before it is a
// known label. It returns the byte offsets of the label's end and of the
// value's start in s, so callers keep exact spans. Colons with or without
// spaces (and NBSP) around them are accepted.
func Split(s string) (f registre.Field, label string, valueStart int, ok bool) {
	i := strings.IndexAny(s, ":")
	for i >= 0 {
		lab := strings.TrimSpace(strings.Trim(s[:i], "\u00a0 \t•"))
		if f, ok := Lookup(lab); ok && lab != "" {
			j := i + 1
			for j < len(s) {
				c := s[j]
				if c == ' ' || c == '\t' {
					j++
					continue
				}
				if strings.HasPrefix(s[j:], "\u00a0") {
					j += len("\u00a0")
					continue
				}
				break
			}
			return f, lab, j, true
		}
		next := strings.IndexAny(s[i+1:], ":")
		if next < 0 || i+1+next > 80 { // labels are short
			break
		}
		i = i + 1 + next
	}
	return "", "", 0, false
}

// orgs lists the bodies registre knows, most specific first: the folded
// needle to look for and the canonical name.
var orgs = []struct{ needle, name string }{
	{"caisse regionale d'assurance maladie d'ile-de-france", "Cramif"},
	{"cramif", "Cramif"},
	{"msa dordogne, lot et garonne", "MSA Dordogne, Lot et Garonne"},
	{"msa dordogne lot et garonne", "MSA Dordogne, Lot et Garonne"},
	{"caisse centrale de la mutualite sociale agricole", "CCMSA"},
	{"ccmsa", "CCMSA"},
	{"cgss de la guadeloupe", "CGSS Guadeloupe"},
	{"cgss guadeloupe", "CGSS Guadeloupe"},
	{"caisse nationale de l'assurance maladie", "Cnam"},
	{"operes par l'assurance maladie", "Cnam"},
	{"cnamts", "Cnam"},
	{"cnam", "Cnam"},
}

// Organisation returns the canonical name of the first body named in text
// (document header, title), or "".
func Organisation(text string) string {
	f := Fold(text)
	best, bestAt := "", -1
	for _, o := range orgs {
		if i := strings.Index(f, o.needle); i >= 0 && (bestAt < 0 || i < bestAt) {
			best, bestAt = o.name, i
		}
	}
	return best
}
