package llm

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Direct identifiers never leave the machine: they are replaced by
// placeholders before a prompt is built and put back in the answer, so the
// values the model returns can still be grounded in the source text.
//
// The patterns err on the side of redacting: a number shaped like a NIR is
// redacted whether or not its key checks, because a mistyped NIR is still
// personal data.
var (
	// IBAN: two letters, two check digits, then 11 to 30 alphanumerics in
	// groups of up to four, spaced or not ("FR76 3000 6000 0112 3456 7890 189").
	reIBAN = regexp.MustCompile(`\b[A-Z]{2}[0-9]{2}(?:[ \x{00A0}]?[A-Z0-9]{4}){2,7}(?:[ \x{00A0}]?[A-Z0-9]{1,4})?\b`)
	reMail = regexp.MustCompile(`(?i)[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}`)
	// NIR: sex digit, year, month, department (2A/2B for Corsica), commune,
	// order number and a 2-digit key, each group optionally separated by a
	// space, NBSP, dot or dash; the key may be absent (13 digits).
	reNIR = regexp.MustCompile(`(?i)\b[1-478][ \x{00A0}.\-]?[0-9]{2}[ \x{00A0}.\-]?[0-9]{2}[ \x{00A0}.\-]?(?:[0-9]{2}|2[AB])[ \x{00A0}.\-]?[0-9]{3}[ \x{00A0}.\-]?[0-9]{3}(?:[ \x{00A0}.\-]?[0-9]{2})?\b`)
	// French phone numbers: 0X or +33 / 0033 (with an optional "(0)"), then
	// four pairs, spaced, dotted, dashed or not.
	rePhone = regexp.MustCompile(`(?:\+33[ \x{00A0}.\-]?(?:\(0\)[ \x{00A0}]?)?|\b0033[ \x{00A0}.\-]?|\b0)[1-9](?:[ \x{00A0}.\-]?[0-9]{2}){4}\b`)
	// A bare run of 13 or 15 digits is NIR-shaped even with an unusual
	// first digit.
	reDigits = regexp.MustCompile(`\b[0-9]{13}(?:[0-9]{2})?\b`)
)

// kinds in the order they are applied: the longest, most specific shapes
// first so that an IBAN is not half-eaten as a phone number.
var redactors = []struct {
	kind string
	re   *regexp.Regexp
	ok   func(string) bool
}{
	{"IBAN", reIBAN, ibanShaped},
	{"EMAIL", reMail, nil},
	{"NIR", reNIR, nil},
	{"NIR", reDigits, nil},
	{"TEL", rePhone, nil},
}

// ibanShaped keeps IBAN matches that hold enough digits: upper-case words
// ("ABCD EFGH") are not account numbers.
func ibanShaped(s string) bool {
	d := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			d++
		}
	}
	return d >= 10
}

// Redaction is the placeholder table of one redacted text.
type Redaction struct {
	// byPlaceholder maps "[EMAIL_1]" to the original text.
	byPlaceholder map[string]string
	order         []string
	counts        map[string]int
}

// Count is the number of identifiers replaced.
func (r *Redaction) Count() int { return len(r.order) }

// Kinds returns how many identifiers of each kind were replaced.
func (r *Redaction) Kinds() map[string]int {
	out := map[string]int{}
	for k, n := range r.counts {
		out[k] = n
	}
	return out
}

// Redact replaces direct identifiers in s by placeholders. The same
// identifier gets the same placeholder everywhere, and a placeholder is
// never one that already occurs in s, so Restore gives s back exactly.
func Redact(s string) (string, *Redaction) {
	red := &Redaction{byPlaceholder: map[string]string{}, counts: map[string]int{}}
	byValue := map[string]string{}
	next := map[string]int{}
	for _, rx := range redactors {
		s = rx.re.ReplaceAllStringFunc(s, func(m string) string {
			if rx.ok != nil && !rx.ok(m) {
				return m
			}
			if p, ok := byValue[m]; ok {
				return p
			}
			var p string
			for {
				next[rx.kind]++
				p = fmt.Sprintf("[%s_%d]", rx.kind, next[rx.kind])
				if !strings.Contains(s, p) {
					break
				}
			}
			byValue[m] = p
			red.byPlaceholder[p] = m
			red.order = append(red.order, p)
			red.counts[rx.kind]++
			return p
		})
	}
	return s, red
}

// Restore puts the original identifiers back in place of the placeholders.
func (r *Redaction) Restore(s string) string {
	if r == nil || len(r.order) == 0 || !strings.Contains(s, "[") {
		return s
	}
	// Every placeholder ends with "]", so none is a prefix of another and
	// one pass of a replacer is enough; longest first anyway, to be safe
	// whatever the replacer's tie-breaking.
	ps := append([]string(nil), r.order...)
	sort.SliceStable(ps, func(i, j int) bool { return len(ps[i]) > len(ps[j]) })
	args := make([]string, 0, 2*len(ps))
	for _, p := range ps {
		args = append(args, p, r.byPlaceholder[p])
	}
	return strings.NewReplacer(args...).Replace(s)
}

// Identifiers reports whether s still holds something shaped like a direct
// identifier. Tests and the request guard use it.
func Identifiers(s string) []string {
	var out []string
	for _, rx := range redactors {
		for _, m := range rx.re.FindAllString(s, -1) {
			if rx.ok != nil && !rx.ok(m) {
				continue
			}
			out = append(out, rx.kind+": "+m)
		}
	}
	return out
}
