package llm

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Grounding: a value the model returns counts only if it can be found in the
// source text. The alignment is deterministic and runs in Go (no model
// offsets are trusted): first an exact match of the folded value (accents,
// case, ligatures, apostrophes, dashes and spacing folded), then a token
// alignment that tolerates small rewordings (a dropped article, a plural).

// folded is a text folded for matching, with, for every byte of the folded
// text, the span of the source bytes it came from.
type folded struct {
	s     string
	start []int // source offset of the rune that produced folded byte i
	end   []int // source end of that rune
}

// foldText folds src. Runs of white space become one space; the folded
// text has no leading or trailing space.
func foldText(src string) folded {
	var b strings.Builder
	b.Grow(len(src))
	f := folded{start: make([]int, 0, len(src)), end: make([]int, 0, len(src))}
	emit := func(s string, i, j int) {
		for k := 0; k < len(s); k++ {
			f.start = append(f.start, i)
			f.end = append(f.end, j)
		}
		b.WriteString(s)
	}
	space := false // a space is pending
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRuneInString(src[i:])
		j := i + size
		if unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f' || r == '\u2009' {
			space = b.Len() > 0
			i = j
			continue
		}
		out := foldRune(r)
		if out == "" {
			i = j
			continue
		}
		if space {
			emit(" ", i, i)
			// The space belongs between the previous rune and this one:
			// point it at this rune's start so spans stay ordered.
			space = false
		}
		emit(out, i, j)
		i = j
	}
	f.s = b.String()
	return f
}

// foldRune folds one rune to the text it compares as.
func foldRune(r rune) string {
	if r < utf8.RuneSelf {
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		if r == '`' {
			r = '\''
		}
		return string(r)
	}
	switch r {
	case '’', '‘', '´', 'ʼ':
		return "'"
	case '–', '—', '‐', '‑', '−':
		return "-"
	case '«', '»', '“', '”', '„':
		return "\""
	case 'œ', 'Œ':
		return "oe"
	case 'æ', 'Æ':
		return "ae"
	case 'ß':
		return "ss"
	case utf8.RuneError:
		return ""
	}
	var b strings.Builder
	for _, d := range norm.NFD.String(string(r)) {
		if unicode.Is(unicode.Mn, d) {
			continue
		}
		b.WriteRune(unicode.ToLower(d))
	}
	return b.String()
}

// Match is where a value was found.
type Match struct {
	Start, End int     // span in the source text
	Exact      bool    // the folded value occurs as such
	Score      float64 // 1 for an exact match, the alignment score otherwise
}

// Aligner finds values in one source text. Build it once per chunk: the
// folding and tokenising of the source are shared by every value.
type Aligner struct {
	src    string
	f      folded
	tokens []token
}

type token struct {
	text       string // folded, plural-stripped
	start, end int    // span in the folded text
}

// NewAligner prepares src for alignment.
func NewAligner(src string) *Aligner {
	a := &Aligner{src: src, f: foldText(src)}
	a.tokens = tokenize(a.f.s)
	return a
}

// minFuzzyTokens is the shortest value (in tokens) that may be aligned
// fuzzily; shorter values must occur exactly, or a one-word hallucination
// would find some word to land on.
const minFuzzyTokens = 3

// fuzzyThreshold is the alignment score (Dice coefficient over tokens) a
// fuzzy match needs.
const fuzzyThreshold = 0.85

// Find locates value in the source, preferring a match inside [lo, hi)
// (the record's own region) when there are several.
func (a *Aligner) Find(value string, lo, hi int) (Match, bool) {
	core := trimValue(value)
	fv := foldText(core).s
	if fv == "" {
		return Match{}, false
	}
	if m, ok := a.exact(fv, lo, hi); ok {
		m.End = a.extend(m.End, value[strings.Index(value, core)+len(core):])
		return m, true
	}
	return a.fuzzy(fv, lo, hi)
}

// extend moves end over the punctuation the value had after its core
// ("… six mois.") when the source has the same right there, so that the
// evidence is the value as printed.
func (a *Aligner) extend(end int, tail string) int {
	tail = strings.TrimRight(tail, " \t\n")
	if tail != "" && strings.HasPrefix(a.src[end:], tail) {
		return end + len(tail)
	}
	return end
}

// trimValue drops quotes, bullets and trailing punctuation models add or
// drop freely around a value.
func trimValue(v string) string {
	return strings.Trim(strings.TrimSpace(v), " \t\n\"'«»“”.;,:•-–*")
}

func (a *Aligner) exact(fv string, lo, hi int) (Match, bool) {
	var best Match
	found := false
	for from := 0; from <= len(a.f.s); {
		k := strings.Index(a.f.s[from:], fv)
		if k < 0 {
			break
		}
		i := from + k
		j := i + len(fv)
		from = i + 1
		if !boundary(a.f.s, i, j) {
			continue
		}
		m := Match{Start: a.f.start[i], End: a.f.end[j-1], Exact: true, Score: 1}
		if m.Start >= lo && m.End <= hi {
			return m, true
		}
		if !found {
			best, found = m, true
		}
	}
	return best, found
}

// boundary says whether s[i:j] does not cut a word in two.
func boundary(s string, i, j int) bool {
	if i > 0 && isWord(lastRune(s[:i])) && isWord(firstRune(s[i:])) {
		return false
	}
	if j < len(s) && isWord(lastRune(s[:j])) && isWord(firstRune(s[j:])) {
		return false
	}
	return true
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func firstRune(s string) rune { r, _ := utf8.DecodeRuneInString(s); return r }
func lastRune(s string) rune  { r, _ := utf8.DecodeLastRuneInString(s); return r }

func tokenize(s string) []token {
	var out []token
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWord(r) {
			i += size
			continue
		}
		j := i
		for j < len(s) {
			r2, sz := utf8.DecodeRuneInString(s[j:])
			if !isWord(r2) {
				break
			}
			j += sz
		}
		out = append(out, token{text: stem(s[i:j]), start: i, end: j})
		i = j
	}
	return out
}

// stem strips a French plural mark so that "donnée" aligns with "données".
func stem(w string) string {
	if len(w) > 3 && (strings.HasSuffix(w, "s") || strings.HasSuffix(w, "x")) {
		return w[:len(w)-1]
	}
	return w
}

// maxFuzzyTokens bounds the dynamic programme: values longer than this are
// paragraphs the model must copy exactly.
const maxFuzzyTokens = 400

// maxFuzzyWork caps the dynamic-programme cells one fuzzy search may fill.
const maxFuzzyWork = 4_000_000

func (a *Aligner) fuzzy(fv string, lo, hi int) (Match, bool) {
	vt := tokenize(fv)
	m := len(vt)
	if m < minFuzzyTokens || m > maxFuzzyTokens || len(a.tokens) == 0 {
		return Match{}, false
	}
	heads := map[string]bool{}
	for k := 0; k < 3 && k < m; k++ {
		heads[vt[k].text] = true
	}
	width := m + m/4 + 2
	var best Match
	bestIn := false
	found := false
	prev := make([]int, width+1)
	cur := make([]int, width+1)
	work := 0
	for i, t := range a.tokens {
		if !heads[t.text] {
			continue
		}
		w := a.tokens[i:min(len(a.tokens), i+width)]
		// Bound the work on repetitive sources (a table of identical
		// cells): past the budget the value counts as not found.
		if work += m * len(w); work > maxFuzzyWork {
			break
		}
		lcs, last := lcsTokens(vt, w, prev, cur)
		if last < 0 {
			continue
		}
		score := 2 * float64(lcs) / float64(m+last+1)
		if score < fuzzyThreshold {
			continue
		}
		mt := Match{Start: a.f.start[w[0].start], End: a.f.end[w[last].end-1], Score: score}
		in := mt.Start >= lo && mt.End <= hi
		switch {
		case !found, in && !bestIn, in == bestIn && score > best.Score:
			best, bestIn, found = mt, in, true
		}
	}
	return best, found
}

// lcsTokens returns the length of the longest common subsequence of v and w
// and the index in w of the last token of one such subsequence (the
// smallest such index), or -1 when they share nothing.
func lcsTokens(v []token, w []token, prev, cur []int) (int, int) {
	for j := range prev[:len(w)+1] {
		prev[j] = 0
	}
	for i := 1; i <= len(v); i++ {
		cur[0] = 0
		for j := 1; j <= len(w); j++ {
			switch {
			case v[i-1].text == w[j-1].text:
				cur[j] = prev[j-1] + 1
			case prev[j] >= cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	l := prev[len(w)]
	if l == 0 {
		return 0, -1
	}
	j := len(w)
	for j > 0 && prev[j-1] == l {
		j--
	}
	return l, j - 1
}
