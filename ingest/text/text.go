// Package text reads plain text and Markdown into a registre.Document: one
// block per non-empty line, with headings, list items (depth from the
// indentation or the Markdown nesting) and Markdown pipe tables recognised.
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
	lines := strings.Split(s, "\n")
	for i := 0; i < len(lines); i++ {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		line := strings.TrimRight(lines[i], " \t\u00a0")
		trimmed := strings.TrimLeft(line, " \t")
		if format == registre.FormatMD && strings.HasPrefix(trimmed, ">") {
			// A blockquote ("> **Responsable de traitement** : …"): its
			// text is read like any other line.
			trimmed = strings.TrimLeft(trimmed, "> \t")
		}
		if strings.TrimSpace(trimmed) == "" {
			continue
		}
		indent := indentWidth(line[:len(line)-len(trimmed)])
		// Markdown pipe table: a header line, a separator, rows.
		if strings.HasPrefix(trimmed, "|") && i+1 < len(lines) && isSeparator(lines[i+1]) {
			var rows [][][]registre.Block
			rows = append(rows, cells(trimmed, i))
			j := i + 2
			for ; j < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[j]), "|"); j++ {
				rows = append(rows, cells(strings.TrimSpace(lines[j]), j))
			}
			b.AddTable(registre.Block{Path: lineRef(i)}, rows, nil)
			i = j - 1
			continue
		}
		blk := registre.Block{Kind: registre.BlockParagraph, Text: trimmed, Path: lineRef(i)}
		if lvl := underline(lines, i+1); lvl > 0 && !hasBullet(trimmed) && !strings.HasPrefix(trimmed, "#") {
			// A title underlined with ==== or ---- (typed lists, Setext
			// Markdown headings).
			blk.Kind, blk.Level, blk.Text = registre.BlockHeading, lvl, strings.TrimSpace(trimmed)
			b.Add(blk)
			i++
			continue
		}
		switch {
		case strings.HasPrefix(trimmed, "#"):
			lvl := len(trimmed) - len(strings.TrimLeft(trimmed, "#"))
			if lvl <= 6 && len(trimmed) > lvl && trimmed[lvl] == ' ' {
				blk.Kind, blk.Level, blk.Text = registre.BlockHeading, lvl, strings.TrimSpace(trimmed[lvl:])
			}
		case hasBullet(trimmed):
			blk.Kind, blk.Level = registre.BlockListItem, indent/2
			blk.Text = strings.TrimSpace(stripBullet(trimmed))
		}
		if blk.Text == "" {
			continue
		}
		b.Add(blk)
	}
	return b.Doc(), nil
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

func cells(line string, n int) [][]registre.Block {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	line = strings.TrimSuffix(line, "|")
	var out [][]registre.Block
	for _, c := range strings.Split(line, "|") {
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
