package llm

import (
	"strings"

	"registre"
	"registre/extract/labels"
)

// A chunk is the smallest piece of a document sent for one question: the
// region around one rule record, or one group of sections of a document no
// rule understood. Values of the answer are grounded in the chunk's region
// of Document.Text, never elsewhere.
type chunk struct {
	Start, End int           // region of Document.Text
	Core       registre.Span // the rule record's own span (preferred when grounding)
	Record     int           // index of the rule record it completes, -1 for a document chunk
	Name       string        // the rule record's name, when it has one
	Text       string        // the region rendered for the prompt
}

// unit is the finest piece a chunk boundary may fall between: a block, or a
// table row.
type unit struct {
	start, end int
	heading    bool
}

func units(doc *registre.Document) []unit {
	var out []unit
	for _, b := range doc.Blocks {
		switch b.Kind {
		case registre.BlockPageBreak:
			continue
		case registre.BlockTable:
			for _, row := range b.Rows {
				if s, e, ok := rowSpan(row); ok {
					out = append(out, unit{start: s, end: e})
				}
			}
		default:
			if b.End > b.Start {
				out = append(out, unit{start: b.Start, end: b.End, heading: b.Kind == registre.BlockHeading})
			}
		}
	}
	return out
}

func rowSpan(row []registre.Cell) (int, int, bool) {
	s, e, ok := 0, 0, false
	for _, c := range row {
		if c.End <= c.Start {
			continue
		}
		if !ok || c.Start < s {
			s = c.Start
		}
		if !ok || c.End > e {
			e = c.End
		}
		ok = true
	}
	return s, e, ok
}

// render lays out the blocks of doc overlapping [lo, hi) for the prompt:
// headings as Markdown headings, list items as bullets, table rows as
// "cell | cell" lines. Text outside [lo, hi) is cut off, and the result is
// at most limit bytes.
func render(doc *registre.Document, lo, hi, limit int) string {
	var b strings.Builder
	clip := func(s, e int) string {
		s, e = max(s, lo), min(e, hi)
		if e <= s {
			return ""
		}
		return strings.TrimSpace(doc.Text[s:e])
	}
	line := func(s string) {
		if s == "" || b.Len() >= limit {
			return
		}
		b.WriteString(s)
		b.WriteByte('\n')
	}
	for _, blk := range doc.Blocks {
		if blk.End <= lo || blk.Start >= hi || blk.Kind == registre.BlockPageBreak {
			continue
		}
		switch blk.Kind {
		case registre.BlockTable:
			for _, row := range blk.Rows {
				s, e, ok := rowSpan(row)
				if !ok || e <= lo || s >= hi {
					continue
				}
				var cells []string
				for _, c := range row {
					cells = append(cells, strings.Join(strings.Fields(clip(c.Start, c.End)), " "))
				}
				line("| " + strings.Join(cells, " | ") + " |")
			}
		case registre.BlockHeading:
			if t := clip(blk.Start, blk.End); t != "" {
				line(strings.Repeat("#", max(1, min(blk.Level, 6))) + " " + t)
			}
		case registre.BlockListItem:
			if t := clip(blk.Start, blk.End); t != "" {
				line(strings.Repeat("  ", min(blk.Level, 4)) + "- " + t)
			}
		default:
			line(clip(blk.Start, blk.End))
		}
	}
	s := b.String()
	if len(s) > limit {
		s = cutRunes(s, limit)
	}
	return strings.TrimRight(s, "\n")
}

// cutRunes cuts s to at most n bytes on a rune boundary.
func cutRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// recordRegion returns the span of a rule record's own values (the header
// values it inherits and the boilerplate it shares point elsewhere).
func recordRegion(r registre.RawRecord) (registre.Span, bool) {
	sp, ok := registre.Span{}, false
	for _, vs := range r.Fields {
		for _, v := range vs {
			if v.Inherited || v.Shared || v.End <= v.Start {
				continue
			}
			if !ok || v.Start < sp.Start {
				sp.Start = v.Start
			}
			if !ok || v.End > sp.End {
				sp.End = v.End
			}
			ok = true
		}
	}
	return sp, ok
}

// recordChunk is the region around a rule record: its own span widened by
// ctx bytes on each side, snapped to whole blocks or table rows, at most
// maxBytes long (the context shrinks first, then the record is cut).
func recordChunk(doc *registre.Document, us []unit, core registre.Span, ctx, maxBytes int) (int, int) {
	if core.End-core.Start >= maxBytes {
		return core.Start, snapBack(doc.Text, core.Start+maxBytes)
	}
	room := (maxBytes - (core.End - core.Start)) / 2
	ctx = min(ctx, room)
	lo, hi := max(0, core.Start-ctx), min(len(doc.Text), core.End+ctx)
	// Snap outward to unit boundaries when that stays under the cap.
	for _, u := range us {
		if u.start <= lo && lo < u.end && hi-u.start <= maxBytes {
			lo = u.start
		}
		if u.start < hi && hi <= u.end && u.end-lo <= maxBytes {
			hi = u.end
		}
	}
	return lo, hi
}

// snapBack moves i back to a rune boundary of s.
func snapBack(s string, i int) int {
	if i >= len(s) {
		return len(s)
	}
	for i > 0 && s[i]&0xC0 == 0x80 {
		i--
	}
	return i
}

// documentChunks cuts a document into regions of at most maxBytes: sections
// start at headings and are packed together while they fit; a section too
// long is cut between blocks or table rows, and a block too long is cut on
// white space.
func documentChunks(doc *registre.Document, us []unit, maxBytes int) []registre.Span {
	// Split over-long units into pieces first.
	var pieces []unit
	for _, u := range us {
		for u.end-u.start > maxBytes {
			cut := snapBack(doc.Text, u.start+maxBytes)
			if sp := strings.LastIndexAny(doc.Text[u.start:cut], " \n\t"); sp > maxBytes/2 {
				cut = u.start + sp
			}
			if cut <= u.start {
				cut = u.start + maxBytes
			}
			pieces = append(pieces, unit{start: u.start, end: cut, heading: u.heading})
			u = unit{start: cut, end: u.end}
		}
		pieces = append(pieces, u)
	}
	// Sections: a heading starts one.
	var sections [][]unit
	for _, p := range pieces {
		if len(sections) == 0 || p.heading {
			sections = append(sections, nil)
		}
		sections[len(sections)-1] = append(sections[len(sections)-1], p)
	}
	var out []registre.Span
	cur, open := registre.Span{}, false
	add := func(u unit) {
		if open && u.end-cur.Start <= maxBytes {
			cur.End = u.end
			return
		}
		if open {
			out = append(out, cur)
		}
		cur, open = registre.Span{Start: u.start, End: u.end}, true
	}
	for _, sec := range sections {
		s, e := sec[0].start, sec[len(sec)-1].end
		if open && e-cur.Start <= maxBytes {
			cur.End = e
			continue
		}
		if e-s <= maxBytes {
			if open {
				out = append(out, cur)
			}
			cur, open = registre.Span{Start: s, End: e}, true
			continue
		}
		for _, u := range sec {
			add(u)
		}
	}
	if open {
		out = append(out, cur)
	}
	return out
}

// cues are words (folded) of the vocabulary of processing records; a
// document chunk is sent only if it uses at least minCues of them, so user
// guides and covers cost nothing.
var cues = []string{
	"donnees", "traite", "finalite", "conserv", "destinataire",
	"personnes concernees", "base legale", "fondement", "rgpd",
	"sous-traitant", "securite", "caractere personnel", "informatique et libertes",
}

const minCues = 3

func hasCues(text string) bool {
	f := labels.Fold(text)
	n := 0
	for _, c := range cues {
		if strings.Contains(f, c) {
			n++
		}
	}
	return n >= minCues
}
