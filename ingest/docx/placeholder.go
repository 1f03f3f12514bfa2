package docx

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
)

// Word's prompt texts ("Cliquez ici pour taper du texte.") are what an empty
// content control or form field shows. They are never values: the reader
// removes them, so an unfilled form reads as empty.
var promptRe = regexp.MustCompile(`(?i)\b(?:cliquez|cliquer|click|appuyez|tap)\b(?:\s+(?:ou|et|or|and)\s+\S+)?(?:\s+(?:ici|here))?\s+(?:pour|to)\b[^.\n]*\.?`)

// fixedRe matches Word's built-in prompts that do not start with "click".
var fixedRe = regexp.MustCompile(`(?i)(?:choisissez un élément\.|choose an item\.|entrez une date\.|enter a date\.|entrez du texte\.|enter text\.)`)

// span is a byte range removed from a paragraph's text.
type span struct{ start, end int }

// placeholderSpans returns the byte ranges of s that are Word prompts.
func placeholderSpans(s string) []span {
	low := strings.ToLower(s)
	// Most paragraphs hold no prompt: skip the regexp for them.
	if !strings.Contains(low, "cliqu") && !strings.Contains(low, "click") && !strings.Contains(low, "appuyez") &&
		!strings.Contains(low, "tap ") && !strings.Contains(low, "choisissez") && !strings.Contains(low, "choose") &&
		!strings.Contains(low, "entrez") && !strings.Contains(low, "enter") {
		return nil
	}
	var out []span
	for _, m := range promptRe.FindAllStringIndex(s, -1) {
		out = append(out, span{m[0], m[1]})
	}
	for _, m := range fixedRe.FindAllStringIndex(s, -1) {
		out = append(out, span{m[0], m[1]})
	}
	return out
}

// IsPlaceholder reports whether a text is nothing but Word prompts and blanks:
// such a value is empty.
func IsPlaceholder(s string) bool {
	t, _ := cleanText(s)
	return t == ""
}

func isBlank(r rune) bool {
	return unicode.IsSpace(r) || r == '\u00a0' || r == '\u2002' || r == '\u2003' || r == '\u2007' || r == '\u202f' || r == '\u200b' || r == '\ufeff'
}

// cleanText removes prompts and outer blanks from a paragraph's text and
// returns the removed ranges (sorted, disjoint), so that offsets into the raw
// text (links, bold label spans) can be moved with shift.
func cleanText(s string) (string, []span) {
	rm := placeholderSpans(s)
	// Outer blanks, computed on the text left after removing prompts.
	keep := func(i int) bool {
		for _, r := range rm {
			if i >= r.start && i < r.end {
				return false
			}
		}
		return true
	}
	first, last := -1, -1
	for i, r := range s {
		if !keep(i) || isBlank(r) {
			continue
		}
		if first < 0 {
			first = i
		}
		last = i + len(string(r))
	}
	if first < 0 {
		return "", []span{{0, len(s)}}
	}
	rm = append(rm, span{0, first}, span{last, len(s)})
	rm = merge(rm)
	var b strings.Builder
	prev := 0
	for _, r := range rm {
		b.WriteString(s[prev:r.start])
		prev = r.end
	}
	b.WriteString(s[prev:])
	return b.String(), rm
}

func merge(in []span) []span {
	var out []span
	for _, r := range in {
		if r.end > r.start {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	var m []span
	for _, r := range out {
		if n := len(m); n > 0 && r.start <= m[n-1].end {
			if r.end > m[n-1].end {
				m[n-1].end = r.end
			}
			continue
		}
		m = append(m, r)
	}
	return m
}

// shift maps an offset of the raw text to the cleaned text.
func shift(off int, rm []span) int {
	d := 0
	for _, r := range rm {
		switch {
		case off >= r.end:
			d += r.end - r.start
		case off > r.start:
			d += off - r.start
		}
	}
	return off - d
}
