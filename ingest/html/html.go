// Package html reads HTML pages into a registre.Document with goquery: site
// chrome (navigation, header, footer, scripts, forms) is dropped; headings,
// paragraphs, nested lists with their depth, tables and links are kept.
package html

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"

	"registre"
)

// maxDepth bounds the recursion over hostile, deeply nested markup: below it
// a subtree's text is gathered flat.
const maxDepth = 200

// Read parses an HTML page.
func Read(ctx context.Context, path string, data []byte) (*registre.Document, error) {
	enc, _, _ := charset.DetermineEncoding(data, "text/html")
	utf8Data, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return nil, fmt.Errorf("decode html: %w", err)
	}
	gq, err := goquery.NewDocumentFromReader(bytes.NewReader(utf8Data))
	if err != nil {
		// The parser refuses some hostile markup (nesting deeper than 512
		// elements): keep the text rather than lose the file.
		return flat(path, utf8Data, err), nil
	}
	w := &walker{b: registre.NewBuilder(path, registre.FormatHTML, "")}
	body := gq.Find("body")
	if body.Length() == 0 {
		return nil, fmt.Errorf("parse html: no body")
	}
	w.out = &w.top
	w.container(body.Nodes[0], "body", 0, 0)
	for _, blk := range w.top {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if blk.Kind == registre.BlockTable {
			w.b.AddTable(blk.table, blk.cells, blk.spans)
			continue
		}
		w.b.Add(blk.Block)
	}
	doc := w.b.Doc()
	doc.Title = strings.TrimSpace(collapse(gq.Find("title").First().Text()))
	return doc, nil
}

// pending is a block not yet placed in the document text; tables keep their
// cells' blocks until the builder lays them out.
type pending struct {
	registre.Block
	table registre.Block
	cells [][][]registre.Block
	spans [][]int
}

type walker struct {
	b   *registre.Builder
	top []pending
	out *[]pending
}

// inline accumulates the inline content of one block with white space
// collapsed as a browser would, keeping link and bold spans.
type inline struct {
	sb        strings.Builder
	links     []registre.Link
	labels    []registre.Span
	lastSpace bool
}

func (in *inline) text(s string) {
	for _, r := range s {
		if r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '\f' {
			if in.sb.Len() > 0 && !in.lastSpace {
				in.sb.WriteByte(' ')
				in.lastSpace = true
			}
			continue
		}
		in.sb.WriteRune(r)
		in.lastSpace = false
	}
}

func (in *inline) newline() {
	s := strings.TrimRight(in.sb.String(), " ")
	in.sb.Reset()
	in.sb.WriteString(s)
	if in.sb.Len() > 0 {
		in.sb.WriteByte('\n')
		in.lastSpace = true
	}
}

func (in *inline) empty() bool { return strings.TrimSpace(in.sb.String()) == "" }

var noise = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Nav: true,
	atom.Header: true, atom.Footer: true, atom.Form: true, atom.Template: true,
	atom.Iframe: true, atom.Svg: true, atom.Button: true, atom.Select: true,
	atom.Input: true, atom.Textarea: true, atom.Aside: true, atom.Head: true,
	atom.Object: true, atom.Embed: true, atom.Canvas: true, atom.Audio: true,
	atom.Video: true,
}

var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Li: true, atom.Ul: true, atom.Ol: true,
	atom.Table: true, atom.Div: true, atom.Section: true, atom.Article: true,
	atom.Main: true, atom.Blockquote: true, atom.Pre: true, atom.Dl: true,
	atom.Dt: true, atom.Dd: true, atom.Figure: true, atom.Figcaption: true,
	atom.Address: true, atom.Hr: true, atom.Details: true, atom.Summary: true,
	atom.Fieldset: true, atom.Center: true, atom.Caption: true, atom.Tr: true,
	atom.Td: true, atom.Th: true, atom.Tbody: true, atom.Thead: true, atom.Tfoot: true,
}

func isNoise(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return n.Type == html.CommentNode
	}
	if noise[n.DataAtom] {
		return true
	}
	for _, a := range n.Attr {
		switch {
		case a.Key == "hidden", a.Key == "aria-hidden" && a.Val == "true":
			return true
		case a.Key == "role" && (a.Val == "navigation" || a.Val == "banner" || a.Val == "contentinfo" || a.Val == "search"):
			return true
		}
	}
	return false
}

// container walks an element whose children are blocks or inline content;
// loose inline content between block children becomes paragraphs (or, for a
// list item, the item's own text).
func (w *walker) container(n *html.Node, path string, listDepth, depth int) {
	kind, level := registre.BlockParagraph, 0
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		kind, level = registre.BlockHeading, int(n.Data[1]-'0')
	case atom.Li:
		kind, level = registre.BlockListItem, listDepth
	}
	in := &inline{}
	flush := func() {
		if in.empty() {
			*in = inline{}
			return
		}
		w.emit(in, kind, level, path)
		// Text after a nested block inside a list item continues the item
		// as a paragraph.
		if kind == registre.BlockListItem {
			kind = registre.BlockParagraph
		}
		*in = inline{}
	}
	counts := map[string]int{}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if isNoise(c) {
			continue
		}
		if c.Type == html.ElementNode && blockTags[c.DataAtom] {
			counts[c.Data]++
			cpath := childPath(path, c, counts[c.Data])
			flush()
			if depth >= maxDepth {
				in.text(textOf(c))
				flush()
				continue
			}
			switch c.DataAtom {
			case atom.Ul, atom.Ol, atom.Dl:
				d := 0
				if n.DataAtom == atom.Li {
					d = listDepth + 1
				}
				w.list(c, cpath, d, depth+1)
			case atom.Table:
				w.table(c, cpath, depth+1)
			case atom.Hr:
			default:
				w.container(c, cpath, listDepth, depth+1)
			}
			continue
		}
		w.inlineNode(c, in, depth+1)
	}
	flush()
}

// list walks a ul/ol/dl: each li is a list item at depth d.
func (w *walker) list(n *html.Node, path string, d, depth int) {
	counts := map[string]int{}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if isNoise(c) || c.Type != html.ElementNode {
			continue
		}
		counts[c.Data]++
		cpath := childPath(path, c, counts[c.Data])
		switch c.DataAtom {
		case atom.Ul, atom.Ol:
			w.list(c, cpath, d+1, depth+1)
		default:
			w.container(c, cpath, d, depth+1)
		}
	}
}

func (w *walker) table(n *html.Node, path string, depth int) {
	var rows [][][]registre.Block
	var spans [][]int
	var walkRows func(x *html.Node)
	rowN := 0
	walkRows = func(x *html.Node) {
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || isNoise(c) {
				continue
			}
			switch c.DataAtom {
			case atom.Thead, atom.Tbody, atom.Tfoot:
				walkRows(c)
			case atom.Tr:
				rowN++
				var row [][]registre.Block
				var rs []int
				cellN := 0
				for td := c.FirstChild; td != nil; td = td.NextSibling {
					if td.Type != html.ElementNode || (td.DataAtom != atom.Td && td.DataAtom != atom.Th) {
						continue
					}
					cellN++
					sub := &walker{b: w.b}
					sub.out = &sub.top
					sub.container(td, fmt.Sprintf("%s/tr[%d]/%s[%d]", path, rowN, td.Data, cellN), 0, depth+1)
					var blocks []registre.Block
					for _, p := range sub.top {
						if p.Kind == registre.BlockTable {
							// A nested table flattens into its cells' blocks.
							for _, r := range p.cells {
								for _, cb := range r {
									blocks = append(blocks, cb...)
								}
							}
							continue
						}
						blocks = append(blocks, p.Block)
					}
					row = append(row, blocks)
					span := 1
					for _, a := range td.Attr {
						if a.Key == "colspan" {
							if v, err := strconv.Atoi(a.Val); err == nil && v > 1 && v < 1000 {
								span = v
							}
						}
					}
					rs = append(rs, span)
				}
				if len(row) > 0 {
					rows = append(rows, row)
					spans = append(spans, rs)
				}
			}
		}
	}
	walkRows(n)
	if len(rows) == 0 {
		return
	}
	*w.out = append(*w.out, pending{
		Block: registre.Block{Kind: registre.BlockTable},
		table: registre.Block{Kind: registre.BlockTable, Path: path},
		cells: rows, spans: spans,
	})
}

// inlineNode adds an inline node's text to the block being built.
func (w *walker) inlineNode(n *html.Node, in *inline, depth int) {
	switch n.Type {
	case html.TextNode:
		in.text(n.Data)
		return
	case html.ElementNode:
	default:
		return
	}
	if depth >= maxDepth {
		in.text(textOf(n))
		return
	}
	switch n.DataAtom {
	case atom.Br:
		in.newline()
		return
	case atom.Img:
		return
	}
	start := in.sb.Len()
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if isNoise(c) {
			continue
		}
		if c.Type == html.ElementNode && blockTags[c.DataAtom] {
			// Block inside inline markup (invalid but common): keep its text.
			in.text(" " + textOf(c) + " ")
			continue
		}
		w.inlineNode(c, in, depth+1)
	}
	end := len(strings.TrimRight(in.sb.String(), " "))
	if s := strings.TrimLeft(in.sb.String()[start:], " "); len(s) < in.sb.Len()-start {
		start = in.sb.Len() - len(s)
	}
	if end <= start {
		return
	}
	switch n.DataAtom {
	case atom.A:
		href := attr(n, "href")
		if href != "" {
			in.links = append(in.links, registre.Link{Text: in.sb.String()[start:end], Href: href, Start: start, End: end})
		}
	case atom.Strong, atom.B:
		in.labels = append(in.labels, registre.Span{Start: start, End: end})
	}
}

// emit turns accumulated inline content into a pending block.
func (w *walker) emit(in *inline, kind registre.BlockKind, level int, path string) {
	raw := in.sb.String()
	text := strings.TrimRight(raw, " \n")
	lead := len(text) - len(strings.TrimLeft(text, " \n"))
	text = text[lead:]
	shift := func(s, e int) (int, int, bool) {
		s, e = s-lead, e-lead
		if s < 0 {
			s = 0
		}
		if e > len(text) {
			e = len(text)
		}
		return s, e, e > s
	}
	blk := registre.Block{Kind: kind, Level: level, Text: text, Path: path}
	for i, l := range in.links {
		s, e, ok := shift(l.Start, l.End)
		if !ok {
			continue
		}
		l.Start, l.End = s, e
		// The text right after a link, up to the next link, is where
		// registers print the file size.
		next := len(text)
		if i+1 < len(in.links) {
			next, _, _ = shift(in.links[i+1].Start, in.links[i+1].End)
		}
		if next > e {
			l.After = strings.TrimSpace(text[e:next])
		}
		blk.Links = append(blk.Links, l)
	}
	for _, sp := range in.labels {
		if s, e, ok := shift(sp.Start, sp.End); ok {
			blk.Labels = append(blk.Labels, registre.Span{Start: s, End: e})
		}
	}
	*w.out = append(*w.out, pending{Block: blk})
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func childPath(parent string, c *html.Node, nth int) string {
	if id := attr(c, "id"); id != "" && !strings.ContainsAny(id, "/ ") {
		return c.Data + "#" + id
	}
	return fmt.Sprintf("%s/%s[%d]", parent, c.Data, nth)
}

// textOf gathers a subtree's text without recursion (hostile depth).
func textOf(n *html.Node) string {
	var sb strings.Builder
	stack := []*html.Node{n}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if isNoise(x) && x != n {
			continue
		}
		if x.Type == html.TextNode {
			sb.WriteString(x.Data)
			sb.WriteByte(' ')
		}
		for c := x.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, c)
		}
	}
	return sb.String()
}

var (
	reTag   = regexp.MustCompile(`(?s)<(script|style)[^>]*>.*?</(script|style)>|<[^>]*>`)
	reBlank = regexp.MustCompile(`\n\s*\n+`)
)

// flat reads markup the HTML parser refused as text: tags become line
// breaks, entities are decoded, each non-empty line is a paragraph.
func flat(path string, data []byte, cause error) *registre.Document {
	b := registre.NewBuilder(path, registre.FormatHTML, "")
	text := reTag.ReplaceAllString(string(data), "\n")
	text = reBlank.ReplaceAllString(html.UnescapeString(text), "\n")
	for i, line := range strings.Split(text, "\n") {
		if line = collapse(line); line != "" {
			b.Add(registre.Block{Kind: registre.BlockParagraph, Text: line, Path: fmt.Sprintf("text line %d", i+1)})
		}
	}
	doc := b.Doc()
	doc.Warnings = append(doc.Warnings, fmt.Sprintf("markup not parseable (%v): read as text without structure", cause))
	return doc
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
