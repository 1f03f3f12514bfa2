// Package pdf reads PDF files into a registre.Document.
//
// The main reader interprets each page's content stream with
// github.com/ledongthuc/pdf and rebuilds lines, columns and reading order from
// the glyph positions. It produces one Block per paragraph or list item (the
// lines of an item are joined with a space), each with its page and its
// positioned Runs (one per line piece and style), so extractors can rebuild
// table cells by X position. List markers ("•", "–") are not part of the
// block text: they make the block a list item, with a level from the marker's
// indentation.
//
// Every call into ledongthuc/pdf runs under recover(). A page that panics,
// or whose text decodes to garbage, is read again with poppler's
// `pdftotext -layout`; a file ledongthuc cannot open at all is read by
// pdftotext alone. Both are recorded in Document.Warnings.
package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	lpdf "github.com/ledongthuc/pdf"

	"registre"
)

// Reasons a PDF cannot be read. They are wrapped with details, so test them
// with errors.Is.
var (
	// ErrEncrypted: the file needs a password.
	ErrEncrypted = errors.New("encrypted PDF")
	// ErrNoText: no page has a text layer; the file is probably a scan and
	// needs OCR.
	ErrNoText = errors.New("no text layer (scanned PDF?)")
	// ErrTruncated: the file ends before its end-of-file marker.
	ErrTruncated = errors.New("truncated PDF")
	// ErrCorrupt: neither reader could make sense of the file.
	ErrCorrupt = errors.New("corrupt PDF")
)

// glyphPool keeps the glyph buffers of finished files for the next ones; a
// buffer grown past maxPooledGlyphs (a page of a million glyphs) is left
// to the garbage collector.
var glyphPool = sync.Pool{New: func() any { return new([]glyph) }}

const maxPooledGlyphs = 1 << 16

// maxPages bounds the pages read from one file: a forged page count must not
// make the reader loop for hours.
const maxPages = 20000

// Read reads a PDF file's bytes into a document.
func Read(ctx context.Context, path string, data []byte) (*registre.Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%w: empty file", ErrCorrupt)
	}
	if !bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-")) {
		return nil, fmt.Errorf("%w: no %%PDF- header", ErrCorrupt)
	}
	if !bytes.Contains(data[max(0, len(data)-2048):], []byte("%%EOF")) {
		// A cut file still opens in tolerant readers, but pages past the cut
		// would be silently lost: refuse it instead.
		return nil, fmt.Errorf("%w: no %%%%EOF marker at the end of the file (%d bytes); the file was probably cut short", ErrTruncated, len(data))
	}
	r, err := open(data)
	if err != nil {
		if errors.Is(err, lpdf.ErrInvalidPassword) {
			return nil, fmt.Errorf("%w: a password is required to open it", ErrEncrypted)
		}
		encrypted := bytes.Contains(data, []byte("/Encrypt"))
		slog.Debug("pdf: ledongthuc cannot open the file, using pdftotext", "path", path, "err", err)
		doc, perr := readPoppler(ctx, path, data)
		if perr != nil {
			if errors.Is(perr, ErrEncrypted) || errors.Is(perr, ErrNoText) || errors.Is(perr, errNoPoppler) {
				return nil, perr
			}
			if encrypted {
				return nil, fmt.Errorf("%w: cannot decrypt it without a password (%v; pdftotext: %v)", ErrEncrypted, err, perr)
			}
			return nil, fmt.Errorf("%w: %v; fallback pdftotext: %v", ErrCorrupt, err, perr)
		}
		doc.Warnings = append([]string{fmt.Sprintf("read with pdftotext: ledongthuc/pdf could not open the file (%v)", err)}, doc.Warnings...)
		if encrypted {
			doc.Warnings = append(doc.Warnings, "encrypted with an empty user password (opened without one)")
		}
		return doc, nil
	}
	return readPages(ctx, path, data, r)
}

// open opens the file with ledongthuc/pdf, turning a panic into an error.
func open(data []byte) (r *lpdf.Reader, err error) {
	defer func() {
		if x := recover(); x != nil {
			r, err = nil, fmt.Errorf("ledongthuc/pdf panicked while opening: %v", x)
		}
	}()
	return lpdf.NewReader(bytes.NewReader(data), int64(len(data)))
}

// info reads the page list and the Info title under recover.
func info(r *lpdf.Reader) (pages []lpdf.Page, title string, encrypted bool, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("ledongthuc/pdf panicked while reading the page tree: %v", x)
		}
	}()
	t := r.Trailer()
	encrypted = !t.Key("Encrypt").IsNull()
	pages, err = pageTree(t.Key("Root").Key("Pages"))
	title = infoText(t.Key("Info").Key("Title").RawString(), encrypted)
	return pages, title, encrypted, err
}

// pageTree lists the pages in document order. It walks the tree once
// (ledongthuc's Reader.Page walks it again for every page) and bounds depth
// and node count, so a cyclic or forged tree cannot hang the reader.
func pageTree(root lpdf.Value) ([]lpdf.Page, error) {
	var out []lpdf.Page
	nodes := 0
	var walk func(v lpdf.Value, depth int) error
	walk = func(v lpdf.Value, depth int) error {
		nodes++
		if depth > 64 || nodes > 4*maxPages {
			return errors.New("page tree too deep or too large (cyclic?)")
		}
		kids := v.Key("Kids")
		if v.Key("Type").Name() == "Pages" || (kids.Kind() == lpdf.Array && v.Key("Type").Name() != "Page") {
			for i := 0; i < kids.Len(); i++ {
				if err := walk(kids.Index(i), depth+1); err != nil {
					return err
				}
			}
			return nil
		}
		if v.Kind() == lpdf.Dict {
			out = append(out, lpdf.Page{V: v})
			if len(out) > maxPages {
				return fmt.Errorf("more than %d pages", maxPages)
			}
		}
		return nil
	}
	err := walk(root, 0)
	return out, err
}

// infoText decodes an Info dictionary string. ledongthuc leaves the AES
// padding on decrypted strings, so it is stripped here; the rest is UTF-16BE
// with a byte-order mark or PDFDocEncoding (read as Latin-1, which matches it
// for letters).
func infoText(raw string, encrypted bool) string {
	if n := len(raw); encrypted && n > 0 {
		if p := int(raw[n-1]); p >= 1 && p <= 16 && p <= n && strings.Count(raw[n-p:], raw[n-1:]) == p {
			raw = raw[:n-p]
		}
	}
	var rs []rune
	if strings.HasPrefix(raw, "\xfe\xff") {
		for i := 2; i+1 < len(raw); i += 2 {
			rs = append(rs, rune(raw[i])<<8|rune(raw[i+1]))
		}
		rs = []rune(string(utf16.Decode(u16(rs))))
	} else if utf8.ValidString(raw) {
		rs = []rune(raw)
	} else {
		for i := 0; i < len(raw); i++ {
			rs = append(rs, rune(raw[i]))
		}
	}
	return strings.TrimSpace(cleanText(string(rs)))
}

func u16(rs []rune) []uint16 {
	out := make([]uint16, len(rs))
	for i, r := range rs {
		out[i] = uint16(r)
	}
	return out
}

// page reads one page's glyphs under recover, appending them to buf[:0].
func page(p lpdf.Page, fonts map[string]*fontInfo, buf []glyph) (pc pageContent, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("ledongthuc/pdf panicked: %v", x)
		}
	}()
	return extractPage(p, fonts, buf), nil
}

// pageResult is one page turned into paragraphs, or the reason it fell back.
type pageResult struct {
	paras    []para
	fallback []para
	images   int
	warning  string
}

// effective is what the page contributes: its own paragraphs, else the
// fallback reader's.
func (r pageResult) effective() []para {
	if len(r.paras) > 0 {
		return r.paras
	}
	return r.fallback
}

func readPages(ctx context.Context, path string, data []byte, r *lpdf.Reader) (*registre.Document, error) {
	pgs, title, encrypted, err := info(r)
	n := len(pgs)
	if err != nil || n <= 0 {
		reason := err
		if reason == nil {
			reason = errors.New("no pages in the page tree")
		}
		doc, perr := readPoppler(ctx, path, data)
		if perr != nil {
			if errors.Is(perr, ErrEncrypted) || errors.Is(perr, ErrNoText) || errors.Is(perr, errNoPoppler) {
				return nil, perr
			}
			return nil, fmt.Errorf("%w: %v; fallback pdftotext: %v", ErrCorrupt, reason, perr)
		}
		doc.Warnings = append([]string{fmt.Sprintf("read with pdftotext: %v", reason)}, doc.Warnings...)
		return doc, nil
	}
	results := make([]pageResult, n)
	var bad []int
	textPages := 0
	pageLines := make([][]line, n)
	fonts := map[string]*fontInfo{}
	gutters := make([]float64, n)
	// One glyph buffer for every page (lines copy what they keep), and
	// from file to file.
	gp := glyphPool.Get().(*[]glyph)
	glyphs := (*gp)[:0]
	defer func() {
		if cap(glyphs) <= maxPooledGlyphs {
			*gp = glyphs[:0]
			glyphPool.Put(gp)
		}
	}()
	for i := 1; i <= n; i++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("read page %d: %w", i, err)
		}
		pc, err := page(pgs[i-1], fonts, glyphs)
		res := &results[i-1]
		res.images = pc.images
		if err != nil {
			res.warning = fmt.Sprintf("page %d: %v", i, err)
			bad = append(bad, i)
			continue
		}
		glyphs = pc.glyphs
		lines := buildLinesInPlace(pc.glyphs)
		if garbled(lines) {
			res.warning = fmt.Sprintf("page %d: text decodes to garbage (font without a usable encoding)", i)
			bad = append(bad, i)
			continue
		}
		pageLines[i-1] = lines
		gutters[i-1] = gutter(lines, pc.width)
	}
	// A page with too few two-sided lines to show its gutter (the tail of
	// a table) gets the document's usual one.
	docGutter := commonGutter(gutters)
	for i, lines := range pageLines {
		g := gutters[i]
		if g == 0 {
			g = docGutter
		}
		results[i].paras = paragraphs(readingOrder(lines, g))
		if len(results[i].paras) > 0 {
			textPages++
		}
	}
	// Pages ledongthuc could not read are read again by pdftotext; so is a
	// file where it found no text at all, before calling it a scan.
	if len(bad) > 0 || textPages == 0 {
		redo := bad
		if textPages == 0 {
			redo = nil
			for i := 1; i <= n; i++ {
				redo = append(redo, i)
			}
		}
		pages, perr := popplerPages(ctx, data)
		for _, i := range redo {
			res := &results[i-1]
			if perr != nil {
				if res.warning != "" {
					res.warning += fmt.Sprintf("; fallback pdftotext failed: %v", perr)
				}
				continue
			}
			if i-1 < len(pages) {
				res.fallback = pages[i-1]
				if len(res.fallback) > 0 {
					textPages++
					if res.warning == "" {
						res.warning = fmt.Sprintf("page %d: no text found by ledongthuc/pdf", i)
					}
					res.warning += "; read with pdftotext"
				}
			}
		}
		if perr != nil && errors.Is(perr, errNoPoppler) && textPages == 0 && len(bad) > 0 {
			return nil, fmt.Errorf("%w: ledongthuc/pdf failed on every page (%s) and %v", ErrCorrupt, results[bad[0]-1].warning, perr)
		}
	}
	if textPages == 0 {
		imgs := 0
		for _, res := range results {
			imgs += res.images
		}
		return nil, fmt.Errorf("%w: none of its %d pages has text (%d images)", ErrNoText, n, imgs)
	}
	doc := build(path, results)
	doc.Title = title
	doc.Pages = n
	if encrypted {
		doc.Warnings = append(doc.Warnings, "encrypted with an empty user password (opened without one)")
	}
	for i, res := range results {
		if res.warning != "" {
			doc.Warnings = append(doc.Warnings, res.warning)
		}
		if len(res.paras) == 0 && len(res.fallback) == 0 {
			doc.Warnings = append(doc.Warnings, fmt.Sprintf("page %d: no text layer (%d images)", i+1, res.images))
		}
	}
	return doc, nil
}

// commonGutter is the gutter most pages share (to 5 points), or 0.
func commonGutter(gs []float64) float64 {
	count := map[float64]int{}
	best, n := 0.0, 0
	for _, g := range gs {
		if g == 0 {
			continue
		}
		k := math.Round(g/5) * 5
		count[k]++
		if count[k] > n {
			best, n = g, count[k]
		}
	}
	return best
}

// garbled reports whether a page's text is mostly undecodable: replacement
// characters, private-use code points or control characters, as left by a
// font with no usable encoding.
func garbled(lines []line) bool {
	bad, total := 0, 0
	for _, l := range lines {
		for _, s := range l.segs {
			for _, r := range s.text {
				if unicode.IsSpace(r) {
					continue
				}
				total++
				if r == unicode.ReplacementChar || unicode.Is(unicode.Co, r) && !isBullet(string(r)) || unicode.IsControl(r) {
					bad++
				}
			}
		}
	}
	return total >= 20 && bad*3 > total
}

// build lays the pages' paragraphs out as blocks.
func build(path string, results []pageResult) *registre.Document {
	b := registre.NewBuilder(path, registre.FormatPDF, "")
	body := bodySize(results)
	levels := markerLevels(results)
	headSizes := headingSizes(results, body)
	for i, res := range results {
		b.PageBreak(i + 1)
		for _, p := range res.effective() {
			b.Add(block(p, i+1, body, levels, headSizes))
		}
	}
	return b.Doc()
}

// bodySize is the font size that carries most of the document's text.
func bodySize(results []pageResult) float64 {
	count := map[float64]int{}
	for _, res := range results {
		for _, p := range res.effective() {
			for _, pc := range p.pieces {
				for _, s := range pc.segs {
					count[s.size] += len(s.text)
				}
			}
		}
	}
	best, n := 0.0, -1
	for s, c := range count {
		if c > n || (c == n && s < best) {
			best, n = s, c
		}
	}
	return best
}

// isHeading: text clearly larger than the body text.
func isHeading(p para, body float64) bool {
	return p.marker == "" && body > 0 && p.pieces[0].size() >= 1.2*body
}

// headingSizes ranks heading font sizes, largest first, for heading levels.
func headingSizes(results []pageResult, body float64) []float64 {
	seen := map[float64]bool{}
	for _, res := range results {
		for _, p := range res.effective() {
			if isHeading(p, body) {
				seen[p.pieces[0].size()] = true
			}
		}
	}
	var out []float64
	for s := range seen {
		out = append(out, s)
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(out)))
	return out
}

// markerLevels clusters the x positions of list markers per column over the
// whole document: the n-th indentation from the left is nesting level n.
// A document keeps one indentation scheme, so a page that starts with nested
// items (a list continued from the previous page) still gets their level.
func markerLevels(results []pageResult) map[int][]float64 {
	xs := map[int][]float64{}
	for _, res := range results {
		for _, p := range res.effective() {
			if p.marker != "" {
				xs[p.col] = append(xs[p.col], p.markerX)
			}
		}
	}
	out := map[int][]float64{}
	for col, v := range xs {
		sort.Float64s(v)
		var cl []float64
		for _, x := range v {
			if len(cl) == 0 || x-cl[len(cl)-1] > 4 {
				cl = append(cl, x)
			}
		}
		out[col] = cl
	}
	return out
}

func level(levels map[int][]float64, col int, x float64) int {
	lv := 0
	for i, c := range levels[col] {
		if x >= c-2 {
			lv = i
		}
	}
	return min(lv, 8)
}

// block turns a paragraph into a Block with its runs.
func block(p para, pageNo int, body float64, levels map[int][]float64, headSizes []float64) registre.Block {
	var sb strings.Builder
	var runs []registre.Run
	allBold := true
	for i, pc := range p.pieces {
		for j, s := range pc.segs {
			if sb.Len() > 0 {
				if j == 0 && i > 0 {
					sb.WriteString(joinLines(sb.String(), s.text))
				} else {
					sb.WriteByte(' ')
				}
			}
			off := sb.Len()
			sb.WriteString(s.text)
			for _, r := range s.runs {
				if r.end <= r.start || r.end > len(s.text) {
					continue
				}
				allBold = allBold && r.bold
				runs = append(runs, registre.Run{
					Text: s.text[r.start:r.end], X: round2(r.x), Y: round2(s.y), W: round2(r.w),
					FontSize: r.size, Bold: r.bold, Italic: r.italic,
					Start: off + r.start, End: off + r.end,
				})
			}
		}
	}
	blk := registre.Block{Kind: registre.BlockParagraph, Text: sb.String(), Page: pageNo, Runs: runs, Bold: allBold && len(runs) > 0}
	switch {
	case p.marker != "":
		blk.Kind = registre.BlockListItem
		blk.Level = level(levels, p.col, p.markerX)
	case isHeading(p, body):
		blk.Kind = registre.BlockHeading
		blk.Level = 1
		for i, s := range headSizes {
			if s == p.pieces[0].size() {
				blk.Level = min(i+1, 6)
			}
		}
	}
	// A bold lead-in followed by regular text is a label ("Finalité : …").
	if !blk.Bold && len(runs) > 1 && runs[0].Bold {
		end := runs[0].End
		for _, r := range runs[1:] {
			if !r.Bold {
				break
			}
			end = r.End
		}
		blk.Labels = []registre.Span{{Start: 0, End: end}}
	}
	return blk
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// cleanText drops control characters from metadata strings.
func cleanText(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

// PagesWithoutText lists the pages of a PDF document that hold no text
// block: the pages an OCR step would have to read.
func PagesWithoutText(doc *registre.Document) []int {
	has := map[int]bool{}
	for _, b := range doc.Blocks {
		if b.Kind != registre.BlockPageBreak && strings.TrimSpace(b.Text) != "" {
			has[b.Page] = true
		}
	}
	var out []int
	for p := 1; p <= doc.Pages; p++ {
		if !has[p] {
			out = append(out, p)
		}
	}
	return out
}
