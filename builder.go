package registre

import "strings"

// Builder assembles a Document so that every reader lays out Document.Text the
// same way and every span is right by construction: each block's text is
// written followed by a newline, and the block gets its [Start, End) span.
//
// Readers give Links, Labels and Runs with offsets relative to the block's
// own text; the builder makes them absolute.
type Builder struct {
	doc Document
	buf strings.Builder
}

// NewBuilder starts a document.
func NewBuilder(path string, format Format, sha256 string) *Builder {
	return &Builder{doc: Document{Path: path, Format: format, SHA256: sha256}}
}

// Add appends a block (not a table) and returns its span.
func (b *Builder) Add(blk Block) Span {
	b.place(&blk)
	b.doc.Blocks = append(b.doc.Blocks, blk)
	return Span{blk.Start, blk.End}
}

// AddTable appends a table. rows[i][j] holds the blocks of cell (i, j); their
// texts are written cell after cell, row after row. colspans, when not nil,
// gives each cell's column span (same shape as rows).
func (b *Builder) AddTable(t Block, rows [][][]Block, colspans [][]int) Span {
	t.Kind = BlockTable
	t.Start = b.buf.Len()
	t.Rows = make([][]Cell, len(rows))
	for i, row := range rows {
		t.Rows[i] = make([]Cell, len(row))
		for j, blocks := range row {
			c := Cell{Start: b.buf.Len()}
			for _, cb := range blocks {
				if cb.Kind == BlockTable {
					b.placeTable(&cb)
				} else {
					b.place(&cb)
				}
				c.Blocks = append(c.Blocks, cb)
			}
			c.End = b.buf.Len()
			if c.End > c.Start {
				c.End-- // the cell's span ends before its last newline
			}
			if colspans != nil && i < len(colspans) && j < len(colspans[i]) && colspans[i][j] > 1 {
				c.ColSpan = colspans[i][j]
			}
			t.Rows[i][j] = c
		}
	}
	t.End = b.buf.Len()
	if t.End > t.Start {
		t.End--
	}
	t.Text = ""
	b.doc.Blocks = append(b.doc.Blocks, t)
	return Span{t.Start, t.End}
}

// placeTable lays out a table nested in a cell (DOCX and HTML allow tables
// inside cells): its cells' blocks are written in order, like AddTable's.
func (b *Builder) placeTable(t *Block) {
	t.Start = b.buf.Len()
	t.Text = ""
	for i := range t.Rows {
		for j := range t.Rows[i] {
			c := &t.Rows[i][j]
			c.Start = b.buf.Len()
			for k := range c.Blocks {
				if c.Blocks[k].Kind == BlockTable {
					b.placeTable(&c.Blocks[k])
				} else {
					b.place(&c.Blocks[k])
				}
			}
			c.End = b.buf.Len()
			if c.End > c.Start {
				c.End--
			}
		}
	}
	t.End = b.buf.Len()
	if t.End > t.Start {
		t.End--
	}
}

// PageBreak marks the start of a new page.
func (b *Builder) PageBreak(page int) {
	b.doc.Blocks = append(b.doc.Blocks, Block{Kind: BlockPageBreak, Page: page, Start: b.buf.Len(), End: b.buf.Len()})
}

func (b *Builder) place(blk *Block) {
	blk.Text = strings.ReplaceAll(blk.Text, "\r", "")
	off := b.buf.Len()
	blk.Start = off
	b.buf.WriteString(blk.Text)
	blk.End = b.buf.Len()
	b.buf.WriteByte('\n')
	for i := range blk.Links {
		blk.Links[i].Start += off
		blk.Links[i].End += off
	}
	for i := range blk.Labels {
		blk.Labels[i].Start += off
		blk.Labels[i].End += off
	}
	for i := range blk.Runs {
		blk.Runs[i].Start += off
		blk.Runs[i].End += off
	}
}

// Doc returns the finished document. Set Title, Date, Pages and Warnings on
// it afterwards.
func (b *Builder) Doc() *Document {
	d := b.doc
	d.Text = b.buf.String()
	return &d
}

// Len is the length of the text written so far.
func (b *Builder) Len() int { return b.buf.Len() }
