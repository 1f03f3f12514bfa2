package decision

import (
	"context"
	"os/exec"
	"strings"
	"testing"

	"registre"
)

// pdftotextDoc reads a PDF with poppler's `pdftotext -layout` (the project's
// fallback PDF reader) into a document of one block per line, page breaks
// on form feeds: the shape a line-oriented PDF reader gives.
func pdftotextDoc(t *testing.T, path string) *registre.Document {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	out, err := exec.CommandContext(context.Background(), "pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	b := registre.NewBuilder(path, registre.FormatPDF, "")
	for pi, page := range strings.Split(string(out), "\f") {
		if strings.TrimSpace(page) == "" {
			continue
		}
		b.PageBreak(pi + 1)
		for _, l := range strings.Split(page, "\n") {
			if strings.TrimSpace(l) == "" {
				continue
			}
			b.Add(registre.Block{Kind: registre.BlockParagraph, Text: strings.TrimSpace(l), Page: pi + 1})
		}
	}
	return b.Doc()
}
