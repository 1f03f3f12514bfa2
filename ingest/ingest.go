// Package ingest finds input files, recognises their format from their
// content, and reads each one into a registre.Document with the reader of that
// format (one sub-package per format and outside dependency).
package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"registre"
	"registre/ingest/docx"
	"registre/ingest/html"
	"registre/ingest/ocr"
	"registre/ingest/office"
	"registre/ingest/pdf"
	"registre/ingest/sheet"
	"registre/ingest/text"
)

// ReadFunc reads the bytes of one file into a document. Readers take the
// bytes, not a file handle, so that sniffing, hashing and reading see the same
// content.
type ReadFunc func(ctx context.Context, path string, data []byte) (*registre.Document, error)

// Options tune reading.
type Options struct {
	// MaxSize is the largest file read, in bytes (0 = DefaultMaxSize).
	MaxSize int64
}

// DefaultMaxSize caps a single input file.
const DefaultMaxSize = 200 << 20

// ErrEmpty and friends name the reasons a file is refused before any reader
// sees it.
var (
	ErrEmpty       = errors.New("empty file")
	ErrTooLarge    = errors.New("file too large")
	ErrUnsupported = errors.New("unsupported format")
)

// readers maps each format to its reader.
func readerFor(f registre.Format) ReadFunc {
	switch f {
	case registre.FormatPDF:
		return pdf.Read
	case registre.FormatDOCX:
		return docx.Read
	case registre.FormatDOC, registre.FormatODT:
		return office.Read
	case registre.FormatHTML:
		return html.Read
	case registre.FormatXLSX, registre.FormatODS:
		return sheet.Read
	case registre.FormatTXT, registre.FormatMD:
		return text.Read
	}
	return nil
}

// ReadFile reads one file from disk into a document. Any panic inside a
// third-party parser becomes this file's error.
func ReadFile(ctx context.Context, path string, opt Options) (*registre.Document, error) {
	max := opt.MaxSize
	if max <= 0 {
		max = DefaultMaxSize
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() > max {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, st.Size(), max)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Read(ctx, path, data)
}

// Read reads the bytes of one file into a document.
func Read(ctx context.Context, path string, data []byte) (doc *registre.Document, err error) {
	format, err := Sniff(path, data)
	if err != nil {
		return nil, err
	}
	read := readerFor(format)
	if read == nil {
		return nil, fmt.Errorf("%w: %s", ErrUnsupported, format)
	}
	defer func() {
		if r := recover(); r != nil {
			doc = nil
			err = fmt.Errorf("%s reader crashed: %v", format, r)
		}
	}()
	doc, err = read(ctx, path, data)
	if format == registre.FormatPDF {
		// Pages without a text layer (scans) go through OCR.
		doc, err = ocr.Complete(ctx, path, data, doc, err)
	}
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	doc.Path = path
	doc.SHA256 = hex.EncodeToString(sum[:])
	if doc.Format == "" {
		doc.Format = format
	}
	return doc, nil
}

// Sniff recognises a file's format from its content; the name only breaks
// ties between plain text and Markdown.
func Sniff(name string, data []byte) (registre.Format, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return "", ErrEmpty
	}
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	switch {
	case bytes.Contains(head[:min(len(head), 1024)], []byte("%PDF-")):
		return registre.FormatPDF, nil
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return sniffZip(data)
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		// OLE2 compound file: Word 97 has a "WordDocument" stream (its
		// directory entry names are UTF-16).
		if bytes.Contains(data, utf16("WordDocument")) {
			return registre.FormatDOC, nil
		}
		return "", fmt.Errorf("%w: OLE2 compound file that is not a Word document (legacy .xls/.ppt?)", ErrUnsupported)
	case bytes.HasPrefix(data, []byte("{\\rtf")):
		// RTF goes through LibreOffice like .doc.
		return registre.FormatDOC, nil
	}
	if bytes.IndexByte(head, 0) >= 0 || !looksText(head) {
		return "", fmt.Errorf("%w: binary content that is not PDF, DOCX, DOC, XLSX or ODS", ErrUnsupported)
	}
	lower := strings.ToLower(string(head))
	for _, m := range []string{"<!doctype html", "<html", "<body", "<head", "<div", "<p>", "<p ", "<table", "<ul>", "<h1", "<h2"} {
		if strings.Contains(lower, m) && !markdownWithHTML(lower) {
			return registre.FormatHTML, nil
		}
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".md", ".markdown":
		return registre.FormatMD, nil
	}
	return registre.FormatTXT, nil
}

// mdHeadingRe is a Markdown heading at the start of a line.
var mdHeadingRe = regexp.MustCompile(`(?m)^#{1,6} \S`)

// markdownWithHTML: a PDF-to-Markdown conversion keeps HTML fragments for
// what Markdown cannot say (<p>, <ul> lists inside table cells), but it has
// Markdown headings and no HTML document markup.
func markdownWithHTML(lower string) bool {
	for _, m := range []string{"<!doctype html", "<html", "<body", "<head"} {
		if strings.Contains(lower, m) {
			return false
		}
	}
	return mdHeadingRe.MatchString(lower)
}

func sniffZip(data []byte) (registre.Format, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", fmt.Errorf("corrupt zip container: %w", err)
	}
	names := map[string]*zip.File{}
	for _, f := range zr.File {
		names[f.Name] = f
	}
	switch {
	case names["word/document.xml"] != nil:
		return registre.FormatDOCX, nil
	case names["xl/workbook.xml"] != nil:
		return registre.FormatXLSX, nil
	case names["mimetype"] != nil:
		rc, err := names["mimetype"].Open()
		if err != nil {
			return "", fmt.Errorf("corrupt zip container: %w", err)
		}
		defer rc.Close()
		var buf [128]byte
		n, _ := rc.Read(buf[:])
		mt := string(buf[:n])
		switch {
		case strings.Contains(mt, "opendocument.spreadsheet"):
			return registre.FormatODS, nil
		case strings.Contains(mt, "opendocument.text"):
			return registre.FormatODT, nil
		}
		return "", fmt.Errorf("%w: OpenDocument type %q", ErrUnsupported, mt)
	}
	return "", fmt.Errorf("%w: zip archive that is not a DOCX, XLSX, ODT or ODS", ErrUnsupported)
}

// looksText accepts UTF-8 and, for legacy files, Latin-1 text with few
// control characters.
func looksText(b []byte) bool {
	if utf8.Valid(b) || utf8.Valid(b[:max(0, len(b)-4)]) {
		return true
	}
	ctl := 0
	for _, c := range b {
		if c < 0x09 || (c > 0x0d && c < 0x20) {
			ctl++
		}
	}
	return ctl*100 < len(b)
}

func utf16(s string) []byte {
	out := make([]byte, 0, 2*len(s))
	for _, r := range s {
		out = append(out, byte(r), 0)
	}
	return out
}

// Walk expands files and folders (recursively) into a sorted list of files,
// so runs are deterministic. Hidden files and folders are skipped.
func Walk(paths []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if path != p && strings.HasPrefix(name, ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() && !seen[path] {
				seen[path] = true
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(out)
	return out, nil
}
