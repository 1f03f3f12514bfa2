package eval

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Tokens splits a text the way the gold format scores it: lower-cased,
// accents stripped, split on every character that is not a letter or a digit.
// Ligatures (œ, æ) are spelled out so that "œuvre" and "oeuvre" agree, as
// accent-stripping intends.
func Tokens(s string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// a combining accent: part of the previous letter, dropped
		case r == 'œ' || r == 'Œ':
			cur.WriteString("oe")
		case r == 'æ' || r == 'Æ':
			cur.WriteString("ae")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur.WriteRune(unicode.ToLower(r))
		default:
			flush()
		}
	}
	flush()
	return out
}

// TokenF1 is the F1 of the token multisets of two texts. Two texts without
// tokens agree (1); one empty side against a non-empty one scores 0.
func TokenF1(gold, got string) float64 {
	return bagF1(Tokens(gold), Tokens(got))
}

func bagF1(g, e []string) float64 {
	if len(g) == 0 && len(e) == 0 {
		return 1
	}
	if len(g) == 0 || len(e) == 0 {
		return 0
	}
	counts := make(map[string]int, len(g))
	for _, t := range g {
		counts[t]++
	}
	common := 0
	for _, t := range e {
		if counts[t] > 0 {
			counts[t]--
			common++
		}
	}
	if common == 0 {
		return 0
	}
	p := float64(common) / float64(len(e))
	r := float64(common) / float64(len(g))
	return 2 * p * r / (p + r)
}

// setF1 is the F1 of two sets of codes; two empty sets agree.
func setF1(g, e []string) float64 {
	gs, es := toSet(g), toSet(e)
	if len(gs) == 0 && len(es) == 0 {
		return 1
	}
	if len(gs) == 0 || len(es) == 0 {
		return 0
	}
	common := 0
	for c := range es {
		if gs[c] {
			common++
		}
	}
	if common == 0 {
		return 0
	}
	p := float64(common) / float64(len(es))
	r := float64(common) / float64(len(gs))
	return 2 * p * r / (p + r)
}

func toSet(xs []string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}
