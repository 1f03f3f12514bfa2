// Package ocr reads PDF pages that have no text layer (scans) with tesseract:
// each page is rasterised with poppler's pdftoppm, then recognised with
// `tesseract PAGE.png - -l fra tsv`, page by page, so one bad page costs one
// page and memory stays at one page image. Blocks read this way carry an
// "ocr/…" locator with the page's mean word confidence, and Mark turns the
// provenance of every value found in them into method "ocr" with a lowered
// confidence, so reviewers know what to check first.
package ocr

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"registre"
	"registre/ingest/pdf"
)

// Version is the OCR step's version (part of the PDF reader's version in the
// bulk ledger): bump it when a change alters what OCR'd pages give.
const Version = 1

// ErrNotInstalled: a page needs OCR and tesseract (tesseract-ocr,
// tesseract-ocr-fra) or pdftoppm (poppler-utils) is missing.
var ErrNotInstalled = errors.New("needs OCR but tesseract is not installed (install tesseract-ocr and tesseract-ocr-fra)")

// Lang is the tesseract language used: the documents are French.
const Lang = "fra"

// DPI of the rasterised pages: 300 is what tesseract is trained for.
const DPI = 300

// pageTimeout bounds one page (rasterise + recognise).
const pageTimeout = 120 * time.Second

// MaxPages bounds the pages OCR'd in one file (a scan of thousands of pages
// would hold a worker for hours: it is reported instead).
const MaxPages = 500

// ConfidenceFactor scales the confidence of values read from OCR'd text (on
// top of the page's mean word confidence).
const ConfidenceFactor = 0.8

// Complete runs after the PDF reader: doc and err are what it returned.
// A file with no text at all (pdf.ErrNoText) is read entirely by OCR; a file
// with some pages without text gets those pages OCR'd and put back in page
// order. Any other outcome is returned unchanged.
func Complete(ctx context.Context, path string, data []byte, doc *registre.Document, err error) (*registre.Document, error) {
	switch {
	case err != nil && errors.Is(err, pdf.ErrNoText):
		out, oerr := readAll(ctx, path, data)
		if oerr != nil {
			return nil, fmt.Errorf("%w; %w", err, oerr)
		}
		return out, nil
	case err != nil || doc == nil:
		return doc, err
	}
	missing := pdf.PagesWithoutText(doc)
	if len(missing) == 0 {
		return doc, nil
	}
	if !Available() {
		// The text pages are still worth having: say what was not read.
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("pages %v have no text layer and were not OCR'd: %v", missing, ErrNotInstalled))
		return doc, nil
	}
	pages, warns, oerr := recognise(ctx, data, missing)
	if oerr != nil {
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("OCR of pages %v failed: %v", missing, oerr))
		return doc, nil
	}
	out := merge(doc, pages)
	out.Warnings = append(out.Warnings, warns...)
	return out, nil
}

// Available says whether both tools OCR needs are installed.
func Available() bool {
	_, e1 := exec.LookPath("tesseract")
	_, e2 := exec.LookPath("pdftoppm")
	return e1 == nil && e2 == nil
}

// readAll OCRs every page of a PDF with no text layer.
func readAll(ctx context.Context, path string, data []byte) (*registre.Document, error) {
	if !Available() {
		return nil, ErrNotInstalled
	}
	tmp, err := tempPDF(data)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(filepath.Dir(tmp))
	n, err := pageCount(ctx, tmp)
	if err != nil {
		return nil, err
	}
	if n > MaxPages {
		return nil, fmt.Errorf("OCR: %d pages is over the limit of %d pages per file", n, MaxPages)
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i + 1
	}
	pages, warns, err := recogniseFile(ctx, tmp, all)
	if err != nil {
		return nil, err
	}
	text := 0
	for _, p := range pages {
		if len(p.paras) > 0 {
			text++
		}
	}
	if text == 0 {
		return nil, fmt.Errorf("OCR found no text on any of the %d pages", n)
	}
	b := registre.NewBuilder(path, registre.FormatPDF, "")
	for _, p := range pages {
		addPage(b, p)
	}
	doc := b.Doc()
	doc.Pages = n
	doc.Warnings = append([]string{fmt.Sprintf("no text layer: all %d pages read by OCR (tesseract, %s)", n, Lang)}, warns...)
	return doc, nil
}

// page is one OCR'd page: its paragraphs (lines joined) and its mean word
// confidence in percent.
type page struct {
	no    int
	paras []para
	conf  int
}

type para struct {
	text   string
	bullet bool
}

func recognise(ctx context.Context, data []byte, pages []int) ([]page, []string, error) {
	tmp, err := tempPDF(data)
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(filepath.Dir(tmp))
	if len(pages) > MaxPages {
		return nil, nil, fmt.Errorf("%d pages without text is over the limit of %d", len(pages), MaxPages)
	}
	return recogniseFile(ctx, tmp, pages)
}

// recogniseFile OCRs the given pages of the PDF at path, one at a time. A
// page that fails is a warning, not the file's failure.
func recogniseFile(ctx context.Context, path string, pages []int) ([]page, []string, error) {
	var out []page
	var warns []string
	for _, n := range pages {
		if err := ctx.Err(); err != nil {
			return nil, nil, fmt.Errorf("OCR page %d: %w", n, err)
		}
		p, err := onePage(ctx, path, n)
		if err != nil {
			warns = append(warns, fmt.Sprintf("page %d: OCR failed: %v", n, err))
			out = append(out, page{no: n})
			continue
		}
		warns = append(warns, fmt.Sprintf("page %d: read by OCR (tesseract %s, mean word confidence %d%%)", n, Lang, p.conf))
		out = append(out, p)
	}
	return out, warns, nil
}

func onePage(ctx context.Context, path string, n int) (page, error) {
	ctx, cancel := context.WithTimeout(ctx, pageTimeout)
	defer cancel()
	prefix := filepath.Join(filepath.Dir(path), fmt.Sprintf("p%d", n))
	no := strconv.Itoa(n)
	if err := runTool(ctx, "pdftoppm", "-r", strconv.Itoa(DPI), "-gray", "-png", "-singlefile", "-f", no, "-l", no, path, prefix); err != nil {
		return page{}, fmt.Errorf("rasterise: %w", err)
	}
	img := prefix + ".png"
	defer os.Remove(img)
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, "tesseract", img, "-", "-l", Lang, "tsv")
	// One thread per page: the worker pool already uses every CPU.
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	cmd.Stdout = &out
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return page{}, fmt.Errorf("tesseract: %v: %s", err, firstLine(stderr.String()))
	}
	paras, conf := parseTSV(out.Bytes())
	return page{no: n, paras: paras, conf: conf}, nil
}

func runTool(ctx context.Context, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("%s: %w", name, ctx.Err())
		}
		return fmt.Errorf("%s: %v: %s", name, err, firstLine(stderr.String()))
	}
	return nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

func tempPDF(data []byte) (string, error) {
	dir, err := os.MkdirTemp("", "registre-ocr-")
	if err != nil {
		return "", fmt.Errorf("OCR: temporary dir: %w", err)
	}
	p := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("OCR: write temporary copy: %w", err)
	}
	return p, nil
}

var rePages = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)

// pageCount asks pdfinfo, falling back to pdftoppm's view of the file.
func pageCount(ctx context.Context, path string) (int, error) {
	out, err := exec.CommandContext(ctx, "pdfinfo", path).Output()
	if err != nil {
		return 0, fmt.Errorf("count pages with pdfinfo: %w", err)
	}
	m := rePages.FindSubmatch(out)
	if m == nil {
		return 0, errors.New("count pages: pdfinfo gives no page count")
	}
	return strconv.Atoi(string(m[1]))
}

// parseTSV rebuilds paragraphs from tesseract's TSV output (level 5 rows are
// words, numbered by block, paragraph and line) and the mean confidence of
// the recognised words.
func parseTSV(tsv []byte) ([]para, int) {
	type key struct{ block, par int }
	type lineKey struct{ block, par, line int }
	lines := map[lineKey][]string{}
	var order []lineKey
	sum, words := 0.0, 0
	sc := bufio.NewScanner(bytes.NewReader(tsv))
	sc.Buffer(make([]byte, 1<<16), 1<<22)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 12 || f[0] != "5" {
			continue
		}
		word := strings.TrimSpace(f[11])
		if word == "" {
			continue
		}
		conf, err := strconv.ParseFloat(f[10], 64)
		// Tesseract gives 0–100 per word, -1 for non-words; anything else
		// is not a confidence (and a huge one would overflow the mean).
		if err == nil && conf >= 0 && conf <= 100 {
			sum += conf
			words++
		}
		b, _ := strconv.Atoi(f[2])
		p, _ := strconv.Atoi(f[3])
		l, _ := strconv.Atoi(f[4])
		k := lineKey{b, p, l}
		if _, ok := lines[k]; !ok {
			order = append(order, k)
		}
		lines[k] = append(lines[k], word)
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if a.block != b.block {
			return a.block < b.block
		}
		if a.par != b.par {
			return a.par < b.par
		}
		return a.line < b.line
	})
	var out []para
	var cur *para
	var curKey key
	for _, k := range order {
		text := strings.Join(lines[k], " ")
		text, bullet := stripBullet(text)
		if cur == nil || bullet || (key{k.block, k.par}) != curKey {
			out = append(out, para{text: text, bullet: bullet})
			cur = &out[len(out)-1]
			curKey = key{k.block, k.par}
			continue
		}
		cur.text += " " + text
	}
	conf := 0
	if words > 0 {
		conf = int(sum/float64(words) + 0.5)
	}
	return out, conf
}

// stripBullet recognises a list marker at the start of an OCR'd line
// (tesseract reads "•" as "•", "e", "«" or "o" depending on the font).
func stripBullet(s string) (string, bool) {
	for _, m := range []string{"• ", "- ", "– ", "« ", "° ", "o "} {
		if strings.HasPrefix(s, m) && len(s) > len(m) {
			return strings.TrimSpace(s[len(m):]), true
		}
	}
	return s, false
}

// locator is the Block.Path of an OCR'd paragraph: page, paragraph and the
// page's mean word confidence, which Mark reads back.
func locator(pageNo, par, conf int) string {
	return fmt.Sprintf("ocr/page[%d]/par[%d]@%d%%", pageNo, par, conf)
}

var reLocator = regexp.MustCompile(`^ocr/page\[\d+\]/par\[\d+\]@(\d+)%$`)

func addPage(b *registre.Builder, p page) {
	b.PageBreak(p.no)
	for i, pa := range p.paras {
		kind := registre.BlockParagraph
		if pa.bullet {
			kind = registre.BlockListItem
		}
		b.Add(registre.Block{Kind: kind, Text: pa.text, Page: p.no, Path: locator(p.no, i+1, p.conf)})
	}
}

// merge rebuilds doc with the OCR'd pages put back in page order. Blocks are
// re-added through a Builder so every span is recomputed.
func merge(doc *registre.Document, pages []page) *registre.Document {
	byPage := map[int]page{}
	for _, p := range pages {
		byPage[p.no] = p
	}
	b := registre.NewBuilder(doc.Path, doc.Format, doc.SHA256)
	done := map[int]bool{}
	flushUpTo := func(n int) {
		var nos []int
		for no := range byPage {
			if no <= n && !done[no] {
				nos = append(nos, no)
			}
		}
		sort.Ints(nos)
		for _, no := range nos {
			addPage(b, byPage[no])
			done[no] = true
		}
	}
	for _, blk := range doc.Blocks {
		if blk.Page > 0 {
			flushUpTo(blk.Page - 1)
		}
		switch blk.Kind {
		case registre.BlockPageBreak:
			if _, ocrd := byPage[blk.Page]; ocrd {
				continue // addPage writes its own break
			}
			b.PageBreak(blk.Page)
		case registre.BlockTable:
			rows := make([][][]registre.Block, len(blk.Rows))
			var spans [][]int
			for i, row := range blk.Rows {
				rows[i] = make([][]registre.Block, len(row))
				spans = append(spans, make([]int, len(row)))
				for j, c := range row {
					for _, cb := range c.Blocks {
						rows[i][j] = append(rows[i][j], relative(cb))
					}
					spans[i][j] = c.ColSpan
				}
			}
			b.AddTable(blk, rows, spans)
		default:
			b.Add(relative(blk))
		}
	}
	flushUpTo(1 << 30)
	out := b.Doc()
	out.Title, out.Date, out.Pages = doc.Title, doc.Date, doc.Pages
	out.Warnings = append([]string(nil), doc.Warnings...)
	return out
}

// relative turns a placed block's absolute offsets back into offsets within
// its own text, as Builder.Add expects.
func relative(blk registre.Block) registre.Block {
	off := blk.Start
	blk.Links = append([]registre.Link(nil), blk.Links...)
	for i := range blk.Links {
		blk.Links[i].Start -= off
		blk.Links[i].End -= off
	}
	blk.Labels = append([]registre.Span(nil), blk.Labels...)
	for i := range blk.Labels {
		blk.Labels[i].Start -= off
		blk.Labels[i].End -= off
	}
	blk.Runs = append([]registre.Run(nil), blk.Runs...)
	for i := range blk.Runs {
		blk.Runs[i].Start -= off
		blk.Runs[i].End -= off
	}
	return blk
}

// Mark sets method "ocr" and lowers the confidence of every provenance
// entry whose evidence lies in an OCR'd block of doc: the value's
// confidence is scaled by the page's mean word confidence and by
// ConfidenceFactor.
func Mark(doc *registre.Document, recs []registre.Record) {
	if doc == nil {
		return
	}
	type span struct {
		start, end int
		conf       float64
	}
	var spans []span
	for _, blk := range doc.Blocks {
		m := reLocator.FindStringSubmatch(blk.Path)
		if m == nil {
			continue
		}
		c, _ := strconv.Atoi(m[1])
		spans = append(spans, span{blk.Start, blk.End, float64(c) / 100})
	}
	if len(spans) == 0 {
		return
	}
	for i := range recs {
		for k, p := range recs[i].Provenance {
			for _, s := range spans {
				if p.Start >= s.start && p.Start <= s.end && p.End > p.Start {
					p.Method = registre.MethodOCR
					if p.Confidence <= 0 {
						p.Confidence = 1
					}
					p.Confidence = round2(p.Confidence * s.conf * ConfidenceFactor)
					recs[i].Provenance[k] = p
					break
				}
			}
		}
	}
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }
