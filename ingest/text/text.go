// Package text reads plain text and Markdown into a registre.Document: one
// block per non-empty line, with headings, list items (depth from the
// indentation or the Markdown nesting) and tables recognised. Tables are
// Markdown pipe tables and tab-separated rows (what PDF-to-Markdown
// converters write for a PDF table); the inline HTML of their cells
// (<ul><li>, <p>, <br>) becomes the cell's paragraphs and list items. In
// Markdown, emphasis markers, inline tags and entities are dropped from the
// text and hard line breaks join their lines, so block texts, and the spans
// of every value cut from them, are the clean text.
package text

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"registre"
)

// Read reads text or Markdown bytes. Invalid UTF-8 is taken as Windows-1252,
// the usual encoding of legacy French text exports.
func Read(ctx context.Context, path string, data []byte) (*registre.Document, error) {
	s := string(data)
	if !utf8.ValidString(s) {
		if dec, err := charmap.Windows1252.NewDecoder().String(s); err == nil {
			s = dec
		}
	}
	s = strings.TrimPrefix(s, "\ufeff")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	format := registre.FormatTXT
	if isMarkdown(path, s) {
		format = registre.FormatMD
	}
	b := registre.NewBuilder(path, format, "")
	md := format == registre.FormatMD
	lines := strings.Split(s, "\n")
	noTable := 0 // lines before it are known not to start a table
	for i := 0; i < len(lines); i++ {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		line := strings.TrimRight(lines[i], " \t\u00a0")
		trimmed := strings.TrimLeft(line, " \t")
		if md && strings.HasPrefix(trimmed, ">") {
			// A blockquote ("> **Responsable de traitement** : …"): its
			// text is read like any other line.
			trimmed = strings.TrimLeft(trimmed, "> \t")
		}
		if strings.TrimSpace(trimmed) == "" {
			continue
		}
		indent := indentWidth(line[:len(line)-len(trimmed)])
		// A table written one row a line, cells separated by tabs (what
		// PDF-to-Markdown converters make of a PDF table).
		n := 0
		if i >= noTable {
			n = tabTable(lines, i, md)
			if n < 0 {
				// Not a table, nor is any row of the same run.
				noTable = i - n
				n = 0
			}
		}
		if n > 0 {
			var rows [][][]registre.Block
			width := 0
			for j := i; j < i+n; j++ {
				r := tabCells(lines[j], j)
				rows = append(rows, r)
				width = max(width, len(r))
			}
			for k := range rows {
				for len(rows[k]) < width {
					rows[k] = append(rows[k], nil)
				}
			}
			b.AddTable(registre.Block{Path: lineRef(i)}, rows, nil)
			i += n - 1
			continue
		}
		// Markdown pipe table: a header line, a separator, rows.
		if strings.HasPrefix(trimmed, "|") && i+1 < len(lines) && isSeparator(lines[i+1]) {
			var rows [][][]registre.Block
			rows = append(rows, cells(trimmed, i, md))
			j := i + 2
			for ; j < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[j]), "|"); j++ {
				rows = append(rows, cells(strings.TrimSpace(lines[j]), j, md))
			}
			b.AddTable(registre.Block{Path: lineRef(i)}, rows, nil)
			i = j - 1
			continue
		}
		first := i
		if md && !strings.HasPrefix(trimmed, "#") && i+1 < len(lines) && hardBreak(lines[i]) && joinable(lines[i+1]) {
			// A Markdown hard line break (two trailing spaces or a
			// backslash) continues the paragraph on the next line.
			var sb strings.Builder
			sb.WriteString(trimmed)
			for i+1 < len(lines) && hardBreak(lines[i]) && joinable(lines[i+1]) {
				i++
				sb.WriteByte(' ')
				sb.WriteString(strings.TrimSpace(lines[i]))
			}
			trimmed = sb.String()
		}
		blk := registre.Block{Kind: registre.BlockParagraph, Text: trimmed, Path: lineRef(first)}
		if lvl := underline(lines, i+1); lvl > 0 && !hasBullet(trimmed) && !strings.HasPrefix(trimmed, "#") {
			// A title underlined with ==== or ---- (typed lists, Setext
			// Markdown headings).
			blk.Kind, blk.Level, blk.Text = registre.BlockHeading, lvl, strings.TrimSpace(trimmed)
			if md {
				blk.Text, blk.Bold, blk.Labels, blk.Links = inlineText(blk.Text)
			}
			if blk.Text != "" {
				b.Add(blk)
			}
			i++
			continue
		}
		switch {
		case strings.HasPrefix(trimmed, "#"):
			lvl := len(trimmed) - len(strings.TrimLeft(trimmed, "#"))
			if lvl <= 6 && len(trimmed) > lvl && trimmed[lvl] == ' ' {
				blk.Kind, blk.Level, blk.Text = registre.BlockHeading, lvl, strings.TrimSpace(trimmed[lvl:])
				if md {
					// "## *Title*", "# 03 | **CONTRÔLE**": a heading's
					// emphasis is presentation.
					blk.Text, blk.Bold, blk.Labels, blk.Links = inlineText(blk.Text)
				}
			}
		case hasBullet(trimmed):
			blk.Kind, blk.Level = registre.BlockListItem, indent/2
			blk.Text = strings.TrimSpace(stripBullet(trimmed))
		}
		if md && blk.Kind == registre.BlockParagraph && hasBlockHTML(blk.Text) {
			// Converted HTML lists outside any table: one block each.
			for _, cb := range inlineBlocks(blk.Text, blk.Path) {
				b.Add(cb)
			}
			continue
		}
		if md && blk.Kind != registre.BlockHeading {
			blk.Text, blk.Bold, blk.Labels, blk.Links = inlineText(blk.Text)
		}
		if blk.Text == "" {
			continue
		}
		b.Add(blk)
	}
	return b.Doc(), nil
}

// tabTable returns the number of lines of the tab-separated table starting
// at line i, or 0, or -n when none of the n lines of the run starting at i
// starts a table (so that a long run is looked at once). Its first line has a tab after its text starts (a
// leading tab is indentation); the rows that follow, up to a blank line,
// may start with a tab (an empty first cell). In plain text, where tabs
// also align prose, a table needs two rows or more, none indented, each
// with two cells that hold text.
func tabTable(lines []string, i int, md bool) int {
	first := strings.TrimRight(lines[i], " \u00a0")
	if !strings.Contains(strings.TrimLeft(first, " \t"), "\t") {
		return 0
	}
	if t := strings.TrimSpace(first); strings.HasPrefix(t, "#") || strings.HasPrefix(t, "|") {
		return 0
	}
	n := 1
	for i+n < len(lines) && strings.TrimSpace(lines[i+n]) != "" && strings.Contains(lines[i+n], "\t") {
		n++
	}
	if md {
		if n == 1 && filledCells(first) < 2 {
			return 0
		}
		return n
	}
	if n < 2 {
		return 0
	}
	for k := i; k < i+n; k++ {
		if lines[k] != strings.TrimLeft(lines[k], " \t") || filledCells(lines[k]) < 2 {
			return -n
		}
	}
	return n
}

// filledCells counts the tab-separated cells of a line that hold text.
func filledCells(line string) int {
	n := 0
	for _, c := range strings.Split(line, "\t") {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return n
}

// tabCells splits a tab-separated row into its cells' blocks.
func tabCells(line string, n int) [][]registre.Block {
	line = strings.TrimRight(line, " \u00a0")
	line = strings.TrimLeft(line, " ")
	var out [][]registre.Block
	for _, c := range strings.Split(line, "\t") {
		out = append(out, inlineBlocks(c, lineRef(n)))
	}
	return out
}

// hardBreak reports whether a Markdown line ends with a hard line break.
func hardBreak(line string) bool {
	return strings.HasSuffix(line, "  ") || strings.HasSuffix(line, "\\")
}

// joinable reports whether a line can continue the paragraph above it.
func joinable(line string) bool {
	t := strings.TrimSpace(line)
	return t != "" && !strings.HasPrefix(t, "#") && !strings.HasPrefix(t, "|") && !strings.HasPrefix(t, ">") &&
		!hasBullet(t) && !strings.Contains(line, "\t")
}

// hasBlockHTML reports whether a line holds HTML lists or paragraphs.
func hasBlockHTML(s string) bool {
	l := strings.ToLower(s)
	return strings.Contains(l, "<li") || strings.Contains(l, "<p>") || strings.Contains(l, "<br")
}

// underline returns the heading level a line of "=" (1) or "-" (2) gives
// the line above it, or 0 when line i is no underline.
func underline(lines []string, i int) int {
	if i >= len(lines) {
		return 0
	}
	t := strings.TrimSpace(lines[i])
	if len(t) < 3 {
		return 0
	}
	switch strings.Trim(t, "=") {
	case "":
		return 1
	}
	if strings.Trim(t, "-") == "" {
		return 2
	}
	return 0
}

func isMarkdown(path string, s string) bool {
	lp := strings.ToLower(path)
	if strings.HasSuffix(lp, ".md") || strings.HasSuffix(lp, ".markdown") {
		return true
	}
	head := s
	if len(head) > 8192 {
		head = head[:8192]
	}
	return strings.HasPrefix(head, "# ") || strings.Contains(head, "\n# ") || strings.Contains(head, "\n## ") || strings.Contains(head, "|---")
}

func indentWidth(ws string) int {
	n := 0
	for _, r := range ws {
		if r == '\t' {
			n += 4
		} else {
			n++
		}
	}
	return n
}

var bullets = []string{"• ", "- ", "* ", "+ ", "– ", "◦ ", "▪ ", "o "}

func hasBullet(s string) bool {
	for _, p := range bullets {
		if strings.HasPrefix(s, p) {
			return p != "o " || len(s) > 2
		}
	}
	return s == "•"
}

func stripBullet(s string) string {
	for _, p := range bullets {
		if strings.HasPrefix(s, p) {
			return s[len(p):]
		}
	}
	return strings.TrimPrefix(s, "•")
}

func isSeparator(line string) bool {
	t := strings.TrimSpace(line)
	if !strings.HasPrefix(t, "|") {
		return false
	}
	return strings.Trim(t, "|-: ") == ""
}

func cells(line string, n int, md bool) [][]registre.Block {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	line = strings.TrimSuffix(line, "|")
	var out [][]registre.Block
	for _, c := range strings.Split(line, "|") {
		if md {
			// "<br>" lists and emphasis inside a cell.
			out = append(out, inlineBlocks(c, lineRef(n)))
			continue
		}
		c = strings.TrimSpace(c)
		var blocks []registre.Block
		if c != "" {
			blocks = append(blocks, registre.Block{Kind: registre.BlockParagraph, Text: c, Path: lineRef(n)})
		}
		out = append(out, blocks)
	}
	return out
}

func lineRef(i int) string { return "line " + strconv.Itoa(i+1) }
