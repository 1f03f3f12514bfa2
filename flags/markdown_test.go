package flags

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocsUpToDate fails when docs/flags.md no longer matches the catalogue.
func TestDocsUpToDate(t *testing.T) {
	e := New()
	var b bytes.Buffer
	if err := Markdown(&b, e.Rules(), e.Providers()); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join("..", "docs", "flags.md"))
	if err != nil {
		t.Fatalf("read docs/flags.md: %v (run go generate ./flags)", err)
	}
	if !bytes.Equal(got, b.Bytes()) {
		t.Fatal("docs/flags.md is stale: run go generate ./flags")
	}
	doc := b.String()
	for _, r := range e.Rules() {
		if !strings.Contains(doc, "## "+r.ID) || !strings.Contains(doc, r.Citation) || !strings.Contains(doc, r.Effective) {
			t.Errorf("%s: section, citation or effective date missing from the page", r.ID)
		}
	}
	if strings.Contains(doc, "{{") {
		t.Error("a template was left unrendered")
	}
}
