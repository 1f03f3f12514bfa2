package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"registre"
)

// errNoPoppler: the fallback reader is not installed.
var errNoPoppler = errors.New("fallback reader pdftotext not found (install poppler-utils)")

// popplerTimeout bounds one pdftotext run: a hostile file must not hold a
// worker forever.
const popplerTimeout = 60 * time.Second

// pdftotext runs poppler's `pdftotext -layout` on the file and returns its
// text, pages separated by form feeds.
func pdftotext(ctx context.Context, data []byte) (string, error) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		return "", fmt.Errorf("%w: %v", errNoPoppler, err)
	}
	f, err := os.CreateTemp("", "registre-*.pdf")
	if err != nil {
		return "", fmt.Errorf("write temporary copy for pdftotext: %w", err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return "", fmt.Errorf("write temporary copy for pdftotext: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("write temporary copy for pdftotext: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, popplerTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-layout", "-enc", "UTF-8", f.Name(), "-")
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	err = cmd.Run()
	msg := strings.TrimSpace(stderr.String())
	if ctx.Err() != nil {
		return "", fmt.Errorf("pdftotext: %w", ctx.Err())
	}
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && (ee.ExitCode() == 3 || strings.Contains(strings.ToLower(msg), "password")) {
			return "", fmt.Errorf("%w: a password is required to open it", ErrEncrypted)
		}
		if msg == "" {
			msg = err.Error()
		}
		if len(msg) > 300 {
			msg = msg[:300] + "…"
		}
		return "", fmt.Errorf("pdftotext: %s", msg)
	}
	return out.String(), nil
}

// Fallback geometry: pdftotext -layout lays text out on a character grid, so
// each character becomes a glyph of a nominal size on that grid and the same
// line, column and paragraph rebuilding applies.
const (
	gridW    = 5.0
	gridH    = 12.0
	gridSize = 10.0
)

// popplerPages reads every page with pdftotext and rebuilds its paragraphs.
func popplerPages(ctx context.Context, data []byte) ([][]para, error) {
	txt, err := pdftotext(ctx, data)
	if err != nil {
		return nil, err
	}
	pages := strings.Split(txt, "\f")
	// pdftotext ends the last page with a form feed.
	if n := len(pages); n > 1 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1]
	}
	out := make([][]para, len(pages))
	for i, pg := range pages {
		var gs []glyph
		width := 0
		for li, ln := range strings.Split(pg, "\n") {
			col := 0
			for _, r := range ln {
				if r != ' ' && r != '\t' && r != '\r' {
					gs = append(gs, glyph{s: string(r), x: float64(col) * gridW, y: float64(li) * gridH, w: gridW, size: gridSize})
				}
				col++
			}
			width = max(width, col)
		}
		lines := buildLines(gs)
		out[i] = paragraphs(readingOrder(lines, gutter(lines, float64(width)*gridW)))
	}
	return out, nil
}

// readPoppler reads a whole file with pdftotext, for files ledongthuc/pdf
// cannot open.
func readPoppler(ctx context.Context, path string, data []byte) (*registre.Document, error) {
	pages, err := popplerPages(ctx, data)
	if err != nil {
		return nil, err
	}
	results := make([]pageResult, len(pages))
	text := 0
	for i, ps := range pages {
		results[i].fallback = ps
		if len(ps) > 0 {
			text++
		} else {
			results[i].warning = fmt.Sprintf("page %d: no text layer", i+1)
		}
	}
	if text == 0 {
		return nil, fmt.Errorf("%w: pdftotext finds no text on any of its %d pages", ErrNoText, len(pages))
	}
	doc := build(path, results)
	doc.Pages = len(pages)
	for _, res := range results {
		if res.warning != "" {
			doc.Warnings = append(doc.Warnings, res.warning)
		}
	}
	return doc, nil
}
