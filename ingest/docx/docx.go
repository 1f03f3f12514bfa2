// Package docx reads Word 2007+ documents (WordprocessingML) into a
// registre.Document by walking word/document.xml itself: paragraphs with
// heading and list levels, tables (nested, merged cells), content controls,
// legacy form fields, checkboxes, hyperlinks and page breaks. Word's
// placeholder prompts are read as empty, never as text.
package docx

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"time"

	"registre"
)

// DefaultMaxPartSize caps the decompressed size of one XML part: a real
// document.xml is at most a few MiB, a zip bomb is many GiB.
const DefaultMaxPartSize = 64 << 20

// ErrTooLarge is returned when a part decompresses beyond the cap.
var ErrTooLarge = errors.New("decompressed part too large (zip bomb?)")

// Options tune the reader.
type Options struct {
	// MaxPartSize caps the decompressed size of each XML part read
	// (0 = DefaultMaxPartSize).
	MaxPartSize int64
	// Format is recorded on the document (default docx); the office reader
	// sets doc/odt for converted files.
	Format registre.Format
}

// Read reads a .docx file's bytes into a document.
func Read(ctx context.Context, path string, data []byte) (*registre.Document, error) {
	return ReadWith(ctx, path, data, Options{})
}

// ReadWith reads a .docx file's bytes with options.
func ReadWith(ctx context.Context, p string, data []byte, opt Options) (*registre.Document, error) {
	if opt.MaxPartSize <= 0 {
		opt.MaxPartSize = DefaultMaxPartSize
	}
	if opt.Format == "" {
		opt.Format = registre.FormatDOCX
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("docx: not a readable zip archive (corrupt, truncated or not a Word file): %w", err)
	}
	pkg := &pkg{files: map[string]*zip.File{}, max: opt.MaxPartSize}
	for _, f := range zr.File {
		pkg.files[f.Name] = f
	}
	mainPart := pkg.mainPart()
	if pkg.files[mainPart] == nil {
		return nil, fmt.Errorf("docx: zip archive has no %s: not a Word document", mainPart)
	}
	root, err := pkg.parse(ctx, mainPart)
	if err != nil {
		return nil, err
	}
	body := root.child("body")
	if root.local != "document" || body == nil {
		return nil, fmt.Errorf("docx: %s has no w:document/w:body", mainPart)
	}
	r := &reader{ctx: ctx, b: registre.NewBuilder(p, opt.Format, "")}
	r.st = parseStyles(pkg.parseOptional(ctx, path.Join(path.Dir(mainPart), "styles.xml"), &r.warnings))
	r.rels = pkg.rels(ctx, mainPart, &r.warnings)

	// Page headers come first, in reading order: forms often print the
	// organisation's name there.
	seen := map[string]bool{}
	for i, h := range r.rels.headers {
		hr, err := pkg.parse(ctx, h)
		if err != nil {
			r.warnings = append(r.warnings, fmt.Sprintf("header %s skipped: %v", h, err))
			continue
		}
		for _, blk := range r.container(hr.kids, fmt.Sprintf("header%d", i+1)) {
			if blk.Kind == registre.BlockTable || blk.Kind == registre.BlockPageBreak || seen[blk.Text] {
				continue
			}
			seen[blk.Text] = true
			r.emit(blk)
		}
	}
	blocks := r.container(body.kids, "body")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, blk := range blocks {
		r.emit(blk)
	}
	doc := r.b.Doc()
	doc.Pages = r.page
	if core := pkg.parseOptional(ctx, "docProps/core.xml", &r.warnings); core != nil {
		doc.Title = strings.TrimSpace(textOf(core.child("title")))
		for _, k := range []string{"created", "modified"} {
			if d := isoDate(textOf(core.child(k))); d != "" {
				doc.Date = d
				break
			}
		}
	}
	doc.Warnings = r.warnings
	return doc, nil
}

func textOf(n *node) string {
	if n == nil {
		return ""
	}
	return n.text
}

// isoDate keeps the date part of a W3CDTF timestamp; LibreOffice and Word
// write "0001-01-01T00:00:00Z"-like dummies that are not dates.
func isoDate(s string) string {
	s = strings.TrimSpace(s)
	if len(s) < 10 {
		return ""
	}
	t, err := time.Parse("2006-01-02", s[:10])
	if err != nil || t.Year() < 1980 {
		return ""
	}
	return s[:10]
}

// pkg is the opened zip package.
type pkg struct {
	files map[string]*zip.File
	max   int64
}

// mainPart finds the main document part from the package relationships
// (usually word/document.xml).
func (p *pkg) mainPart() string {
	if f := p.files["_rels/.rels"]; f != nil {
		if root, err := p.parseFile(context.Background(), f); err == nil {
			for _, rel := range root.kids {
				t, _ := rel.attr1("Type")
				tg, _ := rel.attr1("Target")
				if strings.HasSuffix(t, "/officeDocument") && tg != "" {
					tg = strings.TrimPrefix(tg, "/")
					if p.files[tg] != nil {
						return tg
					}
				}
			}
		}
	}
	return "word/document.xml"
}

func (p *pkg) parse(ctx context.Context, name string) (*node, error) {
	f := p.files[name]
	if f == nil {
		return nil, fmt.Errorf("docx: missing part %s", name)
	}
	root, err := p.parseFile(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("docx: read %s: %w", name, err)
	}
	return root, nil
}

// parseOptional parses a part that may be missing; a broken one is a warning.
func (p *pkg) parseOptional(ctx context.Context, name string, warnings *[]string) *node {
	if p.files[name] == nil {
		return nil
	}
	root, err := p.parse(ctx, name)
	if err != nil {
		*warnings = append(*warnings, err.Error())
		return nil
	}
	return root
}

func (p *pkg) parseFile(ctx context.Context, f *zip.File) (*node, error) {
	if f.UncompressedSize64 > uint64(p.max) {
		return nil, fmt.Errorf("%w: %d bytes declared, limit %d", ErrTooLarge, f.UncompressedSize64, p.max)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	// The declared size can lie: count what really comes out.
	return parseXML(&capReader{r: rc, left: p.max, ctx: ctx})
}

type capReader struct {
	r    io.Reader
	left int64
	ctx  context.Context
}

func (c *capReader) Read(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	if c.left <= 0 {
		return 0, fmt.Errorf("%w: more than the limit", ErrTooLarge)
	}
	if int64(len(b)) > c.left {
		b = b[:c.left]
	}
	n, err := c.r.Read(b)
	c.left -= int64(n)
	return n, err
}

// rels are the main part's relationships: hyperlink targets and headers.
type rels struct {
	targets map[string]string
	headers []string
}

func (p *pkg) rels(ctx context.Context, part string, warnings *[]string) rels {
	out := rels{targets: map[string]string{}}
	name := path.Join(path.Dir(part), "_rels", path.Base(part)+".rels")
	root := p.parseOptional(ctx, name, warnings)
	if root == nil {
		return out
	}
	for _, rel := range root.kids {
		id, _ := rel.attr1("Id")
		t, _ := rel.attr1("Type")
		tg, _ := rel.attr1("Target")
		out.targets[id] = tg
		if strings.HasSuffix(t, "/header") {
			full := path.Join(path.Dir(part), tg)
			if p.files[full] != nil {
				out.headers = append(out.headers, full)
			}
		}
	}
	sort.Strings(out.headers)
	return out
}
