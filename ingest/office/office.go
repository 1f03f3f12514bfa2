// Package office reads legacy word-processing files (.doc, .odt, .rtf) by
// converting them to .docx with LibreOffice headless and reading the result
// with ingest/docx. Without LibreOffice, .doc files fall back to catdoc
// (text only) when it is installed.
package office

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"registre"
	"registre/ingest/docx"
)

// DefaultTimeout bounds one conversion: LibreOffice converts a form in about
// a second, but a first start creates its profile and a broken file can hang
// the filter.
const DefaultTimeout = 2 * time.Minute

// ErrNoConverter is returned when neither LibreOffice nor a fallback can read
// the file.
var ErrNoConverter = errors.New("LibreOffice (soffice) is not installed: install libreoffice-writer (or libreoffice-writer-nogui) to read .doc/.odt/.rtf files")

// Converter converts with external programs. The zero value uses soffice and
// catdoc from PATH.
type Converter struct {
	// Soffice and Catdoc are the program names or paths ("" = default).
	Soffice, Catdoc string
	Timeout         time.Duration
}

// Read reads a .doc, .odt or .rtf file's bytes into a document.
func Read(ctx context.Context, path string, data []byte) (*registre.Document, error) {
	return Converter{}.Read(ctx, path, data)
}

// kind recognises the legacy format from the content.
func kind(data []byte) (ext string, format registre.Format, err error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return ".doc", registre.FormatDOC, nil
	case bytes.HasPrefix(data, []byte("{\\rtf")):
		return ".rtf", registre.FormatDOC, nil
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return ".odt", registre.FormatODT, nil
	}
	return "", "", errors.New("office: not a Word 97 (.doc), RTF or OpenDocument text file")
}

// Read converts and reads one file.
func (c Converter) Read(ctx context.Context, path string, data []byte) (*registre.Document, error) {
	ext, format, err := kind(data)
	if err != nil {
		return nil, err
	}
	soffice := c.Soffice
	if soffice == "" {
		soffice = "soffice"
	}
	bin, lookErr := exec.LookPath(soffice)
	if lookErr != nil {
		if ext == ".doc" {
			if doc, err := c.catdoc(ctx, path, data); err == nil {
				return doc, nil
			} else if !errors.Is(err, exec.ErrNotFound) {
				return nil, fmt.Errorf("office: %w; catdoc fallback failed: %v", ErrNoConverter, err)
			}
		}
		return nil, fmt.Errorf("office: %w", ErrNoConverter)
	}
	out, err := c.convert(ctx, bin, ext, data)
	if err != nil {
		return nil, err
	}
	doc, err := docx.ReadWith(ctx, path, out, docx.Options{Format: format})
	if err != nil {
		return nil, fmt.Errorf("office: read LibreOffice's conversion: %w", err)
	}
	return doc, nil
}

// convert runs `soffice --headless --convert-to docx` in a private temporary
// directory with a profile of its own (see acquireProfile), so that parallel
// conversions never share a LibreOffice profile or its lock.
func (c Converter) convert(ctx context.Context, bin, ext string, data []byte) ([]byte, error) {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	dir, err := os.MkdirTemp("", "registre-office-")
	if err != nil {
		return nil, fmt.Errorf("office: temp dir: %w", err)
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "input"+ext)
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return nil, fmt.Errorf("office: write temp input: %w", err)
	}
	outDir := filepath.Join(dir, "out")
	profDir, release, err := acquireProfile(dir)
	if err != nil {
		return nil, fmt.Errorf("office: LibreOffice profile: %w", err)
	}
	defer release()
	profile := "file://" + filepath.ToSlash(profDir)
	// An explicit import filter keeps LibreOffice from falling back to its
	// plain-text import on a corrupt file (it would "convert" the garbage).
	cmd := exec.CommandContext(ctx, bin, "--headless", "--norestore", "--nolockcheck",
		"-env:UserInstallation="+profile, "--infilter="+inFilters[ext],
		"--convert-to", "docx:MS Word 2007 XML", "--outdir", outDir, in)
	cmd.Dir = dir
	// Kill the whole process group on timeout: soffice forks soffice.bin.
	setProcessGroup(cmd)
	var stderr bytes.Buffer
	cmd.Stdout = &stderr
	cmd.Stderr = &stderr
	err = cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		return nil, fmt.Errorf("office: LibreOffice conversion timed out after %s", timeout)
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("office: LibreOffice conversion failed: %v: %s", err, lastLine(stderr.String()))
	}
	out, err := os.ReadFile(filepath.Join(outDir, "input.docx"))
	if err != nil {
		// soffice exits 0 when its filter refuses a file.
		return nil, fmt.Errorf("office: LibreOffice could not convert the file (corrupt or unsupported %s): %s", ext, lastLine(stderr.String()))
	}
	return out, nil
}

// inFilters are LibreOffice's import filter names per input kind.
var inFilters = map[string]string{
	".doc": "MS Word 97",
	".rtf": "Rich Text Format",
	".odt": "writer8",
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" && !strings.Contains(l, "javaldx") {
			return l
		}
	}
	return "no output"
}

// catdoc reads a .doc as plain text: paragraphs only, no tables.
func (c Converter) catdoc(ctx context.Context, path string, data []byte) (*registre.Document, error) {
	name := c.Catdoc
	if name == "" {
		name = "catdoc"
	}
	bin, err := exec.LookPath(name)
	if err != nil {
		return nil, err
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// -w: no line wrapping, -d utf-8: output charset.
	cmd := exec.CommandContext(ctx, bin, "-w", "-d", "utf-8")
	cmd.Stdin = bytes.NewReader(data)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("catdoc: %v: %s", err, lastLine(stderr.String()))
	}
	b := registre.NewBuilder(path, registre.FormatDOC, "")
	n := 0
	for _, line := range strings.Split(out.String(), "\n") {
		line = strings.TrimRight(line, " \t\r\f")
		if strings.TrimSpace(line) == "" {
			continue
		}
		n++
		b.Add(registre.Block{Kind: registre.BlockParagraph, Text: line, Path: fmt.Sprintf("body/p[%d]", n)})
	}
	doc := b.Doc()
	doc.Warnings = append(doc.Warnings, "LibreOffice (soffice) not found: read as plain text with catdoc (no tables, bold or checkboxes)")
	return doc, nil
}
