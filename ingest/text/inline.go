package text

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"registre"
)

// PDF-to-Markdown converters keep what Markdown cannot say as inline HTML:
// a table cell becomes `<p><b>Label</b></p> <ul><li>• item<ul><li>– sub…`,
// and text keeps `**bold**`, `*italic*` and `<sup>er</sup>`. The inline
// scanner turns such a piece of text into clean blocks: one per paragraph,
// list item or line break, markup dropped, entities decoded, white space
// collapsed. Block texts are what the document text will hold, so the spans
// the Builder gives them are honest by construction.

// piece is a block being written by the scanner.
type piece struct {
	kind  registre.BlockKind
	level int
	buf   strings.Builder
	space bool // a space is due before the next character
	// label: 0 nothing written yet, 1 all bold so far, 2 some plain text.
	label    int
	labelEnd int
	links    []registre.Link
	linkAt   int // start of the open link's text, -1 before its first character
	href     string
	inLink   bool
}

// scanner reads inline HTML and Markdown emphasis into pieces.
type scanner struct {
	path   string
	out    []registre.Block
	cur    *piece
	depth  int   // open <ul>/<ol>
	items  []int // levels of the open <li>
	bold   int   // open <b>/<strong>
	mdBold bool  // inside **…**
	// flat: block-level tags give a space, not a new block (a heading or
	// a paragraph line is one block whatever its markup).
	flat bool
}

// inlineBlocks reads one table cell (or any piece of converted text) into
// its blocks.
func inlineBlocks(s, path string) []registre.Block {
	sc := &scanner{path: path}
	sc.run(s)
	sc.end()
	return sc.out
}

// inlineText reads one line into one block's text: markup dropped, with the
// span of a leading bold label and whether the whole line is bold.
func inlineText(s string) (text string, bold bool, labels []registre.Span, links []registre.Link) {
	sc := &scanner{flat: true}
	sc.run(s)
	sc.end()
	if len(sc.out) == 0 {
		return "", false, nil, nil
	}
	b := sc.out[0]
	return b.Text, b.Bold, b.Labels, b.Links
}

func (sc *scanner) run(s string) {
	for i := 0; i < len(s); {
		if s[i] == '<' {
			if n := sc.tag(s[i:]); n > 0 {
				i += n
				continue
			}
		}
		j := i + 1
		for j < len(s) && s[j] != '<' {
			j++
		}
		sc.text(html.UnescapeString(s[i:j]))
		i = j
	}
}

// tag handles the HTML tag at the start of s and returns its length, or 0
// when s does not start with a tag (a literal "<", as in "< 5 ans").
func (sc *scanner) tag(s string) int {
	if strings.HasPrefix(s, "<!--") {
		if end := strings.Index(s, "-->"); end >= 0 {
			return end + 3
		}
		return len(s)
	}
	i := 1
	closing := false
	if i < len(s) && s[i] == '/' {
		closing = true
		i++
	}
	start := i
	for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || s[i] >= '0' && s[i] <= '9' && i > start) {
		i++
	}
	if i == start || i >= len(s) || !(s[i] == '>' || s[i] == ' ' || s[i] == '/' || s[i] == '\t') {
		return 0
	}
	name := strings.ToLower(s[start:i])
	// A tag holds no "<": looking no further than the next one keeps the
	// scan linear on text full of "<".
	end := strings.IndexAny(s[i:], "<>")
	if end < 0 || s[i+end] == '<' {
		return 0
	}
	attrs := s[i : i+end]
	n := i + end + 1
	switch name {
	case "ul", "ol":
		sc.brk()
		if closing {
			if sc.depth > 0 {
				sc.depth--
			}
		} else {
			sc.depth++
		}
	case "li":
		sc.brk()
		if closing {
			if len(sc.items) > 0 {
				sc.items = sc.items[:len(sc.items)-1]
			}
		} else {
			lvl := sc.depth - 1
			if lvl < 0 {
				lvl = 0
			}
			sc.items = append(sc.items, lvl)
		}
	case "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table", "blockquote", "hr":
		sc.brk()
	case "b", "strong":
		if closing {
			if sc.bold > 0 {
				sc.bold--
			}
		} else {
			sc.bold++
		}
	case "a":
		if closing {
			sc.closeLink()
		} else {
			p := sc.cur
			if p == nil {
				p = sc.open()
			}
			p.inLink, p.linkAt, p.href = true, -1, attr(attrs, "href")
		}
	}
	// Any other tag (i, em, span, sup, sub, u, font, img…) is dropped and
	// its content kept.
	return n
}

// attr returns the value of an attribute in a tag's attribute text.
func attr(attrs, name string) string {
	l := strings.ToLower(attrs)
	i := strings.Index(l, name+"=")
	if i < 0 {
		return ""
	}
	v := attrs[i+len(name)+1:]
	if v != "" && (v[0] == '"' || v[0] == '\'') {
		if j := strings.IndexByte(v[1:], v[0]); j >= 0 {
			return html.UnescapeString(v[1 : 1+j])
		}
		return html.UnescapeString(v[1:])
	}
	if j := strings.IndexAny(v, " \t/"); j >= 0 {
		v = v[:j]
	}
	return html.UnescapeString(v)
}

// open starts a block: a list item when inside <li> or <ul>, else a
// paragraph.
func (sc *scanner) open() *piece {
	p := &piece{kind: registre.BlockParagraph, linkAt: -1}
	switch {
	case sc.flat:
	case len(sc.items) > 0:
		p.kind, p.level = registre.BlockListItem, sc.items[len(sc.items)-1]
	case sc.depth > 0:
		p.kind, p.level = registre.BlockListItem, sc.depth-1
	}
	sc.cur = p
	return p
}

// text writes decoded text: white space collapsed, Markdown emphasis
// markers and backslash escapes dropped.
func (sc *scanner) text(s string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c == '\\' && i+1 < len(s) && strings.IndexByte("\\`*_{}[]()#+-.!|<>~", s[i+1]) >= 0 {
			sc.char(string(s[i+1]))
			i += 2
			continue
		}
		if c == '*' {
			k := 1
			for i+k < len(s) && s[i+k] == '*' {
				k++
			}
			if k <= 3 && sc.emphasis(s, i, k) {
				if k >= 2 {
					sc.mdBold = !sc.mdBold
				}
				i += k
				continue
			}
			sc.char(s[i : i+k])
			i += k
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if isSpace(r) {
			if sc.cur != nil {
				sc.cur.space = sc.cur.buf.Len() > 0
			}
			i += n
			continue
		}
		sc.char(s[i : i+n])
		i += n
	}
}

// emphasis reports whether the run of k stars at s[i] is an emphasis
// marker: touching text on at least one side (a lone " * " is a star).
func (sc *scanner) emphasis(s string, i, k int) bool {
	next := false
	if i+k < len(s) {
		r, _ := utf8.DecodeRuneInString(s[i+k:])
		next = !isSpace(r)
	}
	prev := false
	if i > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:i])
		prev = !isSpace(r)
	} else if sc.cur != nil && sc.cur.buf.Len() > 0 && !sc.cur.space {
		prev = true
	}
	return next || prev
}

func isSpace(r rune) bool { return unicode.IsSpace(r) || r == '\u00a0' }

// char writes one visible character (or a run of literal stars).
func (sc *scanner) char(s string) {
	p := sc.cur
	if p == nil {
		p = sc.open()
	}
	if p.space {
		p.buf.WriteByte(' ')
		p.space = false
	}
	bold := sc.bold > 0 || sc.mdBold
	switch {
	case p.label == 0 && bold:
		p.label = 1
	case p.label == 0:
		p.label = 2
	case p.label == 1 && !bold:
		p.label, p.labelEnd = 2, len(strings.TrimRight(p.buf.String(), " "))
	}
	if p.inLink && p.linkAt < 0 {
		p.linkAt = p.buf.Len()
	}
	p.buf.WriteString(s)
}

func (sc *scanner) closeLink() {
	p := sc.cur
	if p == nil || !p.inLink {
		return
	}
	if p.linkAt >= 0 {
		t := p.buf.String()[p.linkAt:]
		p.links = append(p.links, registre.Link{Text: t, Href: p.href, Start: p.linkAt, End: p.buf.Len()})
	}
	p.inLink = false
}

// brk handles block-level markup: it ends the block being written, or in
// flat mode only separates words.
func (sc *scanner) brk() {
	if !sc.flat {
		sc.end()
		return
	}
	if p := sc.cur; p != nil && p.buf.Len() > 0 {
		p.space = true
	}
}

// end ends the block being written.
func (sc *scanner) end() {
	p := sc.cur
	if p == nil {
		return
	}
	sc.closeLink()
	sc.cur = nil
	t := p.buf.String()
	cut := 0
	if p.kind == registre.BlockListItem {
		// "<li>• item", "<li>– sub-item": the glyph printed by the PDF is
		// the list marker the <li> already gives. Only one is dropped
		// ("– - Données de connexion" keeps its hyphen).
		for _, g := range []string{"• ", "– ", "- ", "* ", "◦ ", "▪ ", "·"} {
			if strings.HasPrefix(t, g) {
				cut = len(g)
				break
			}
		}
		for cut < len(t) && t[cut] == ' ' {
			cut++
		}
	}
	t = t[cut:]
	if t == "" {
		return
	}
	blk := registre.Block{Kind: p.kind, Level: p.level, Text: t, Path: sc.path, Bold: p.label == 1}
	if p.label == 2 && p.labelEnd > cut {
		blk.Labels = []registre.Span{{Start: 0, End: p.labelEnd - cut}}
	}
	for _, l := range p.links {
		l.Start -= cut
		l.End -= cut
		if l.Start >= 0 && l.End <= len(t) && l.Start < l.End {
			blk.Links = append(blk.Links, l)
		}
	}
	sc.out = append(sc.out, blk)
}
