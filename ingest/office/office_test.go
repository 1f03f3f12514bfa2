package office

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"registre"
)

const fixtures = "../../fixtures/docx"

func needSoffice(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("soffice"); err != nil {
		t.Skip("LibreOffice (soffice) not installed")
	}
}

// firstTable returns the label/value pairs of a document's first table.
func firstTable(doc *registre.Document) map[string]string {
	out := map[string]string{}
	for _, b := range doc.Blocks {
		if b.Kind != registre.BlockTable {
			continue
		}
		for _, row := range b.Rows {
			if len(row) == 2 {
				out[row[0].Text()] = row[1].Text()
			}
		}
		break
	}
	return out
}

// The .doc, .odt and .rtf renderings read like the .docx they were saved from.
func TestReadConverted(t *testing.T) {
	needSoffice(t)
	tests := []struct {
		file, from string
		format     registre.Format
	}{
		{"declaration-sntrp.doc", "declaration-sntrp.docx", registre.FormatDOC},
		{"declaration-prise-de-rendez-vous-des-patients-du-centre-medical.doc", "declaration-prise-de-rendez-vous-des-patients-du-centre-medical.docx", registre.FormatDOC},
		{"declaration-sntrp.odt", "declaration-sntrp.docx", registre.FormatODT},
		{"declaration-medialog.rtf", "declaration-medialog.docx", registre.FormatDOC},
	}
	var wg sync.WaitGroup
	for _, tt := range tests {
		wg.Add(1)
		// Conversions run in parallel, as a batch does: each needs a
		// profile of its own.
		go func() {
			defer wg.Done()
			data, err := os.ReadFile(filepath.Join(fixtures, tt.file))
			if err != nil {
				t.Error(err)
				return
			}
			doc, err := Read(context.Background(), tt.file, data)
			if err != nil {
				t.Errorf("%s: %v", tt.file, err)
				return
			}
			if doc.Format != tt.format {
				t.Errorf("%s: format %q, want %q", tt.file, doc.Format, tt.format)
			}
			got := firstTable(doc)
			if len(got) != 14 {
				t.Errorf("%s: %d label rows, want 14", tt.file, len(got))
			}
			for _, label := range []string{"Nom du traitement", "Destinataires", "Durée de conservation", "Date de mise en œuvre"} {
				if got[label] == "" {
					t.Errorf("%s: %s empty", tt.file, label)
				}
			}
			if !strings.Contains(doc.Text, "Cramif – Déclaration de traitement") {
				t.Errorf("%s: header missing", tt.file)
			}
		}()
	}
	wg.Wait()
}

func TestCorruptDoc(t *testing.T) {
	needSoffice(t)
	data := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, []byte(strings.Repeat("garbage ", 200))...)
	_, err := Read(context.Background(), "broken.doc", data)
	if err == nil || !strings.Contains(err.Error(), "LibreOffice") {
		t.Errorf("err = %v, want a LibreOffice conversion error", err)
	}
}

func TestNotOffice(t *testing.T) {
	if _, err := Read(context.Background(), "x.doc", []byte("hello")); err == nil {
		t.Error("plain text accepted as .doc")
	}
}

func TestNoLibreOffice(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(fixtures, "declaration-sntrp.doc"))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("no converter at all", func(t *testing.T) {
		c := Converter{Soffice: "/nonexistent/soffice", Catdoc: "/nonexistent/catdoc"}
		_, err := c.Read(context.Background(), "x.doc", data)
		if !errors.Is(err, ErrNoConverter) || !strings.Contains(err.Error(), "LibreOffice") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("odt has no fallback", func(t *testing.T) {
		odt, _ := os.ReadFile(filepath.Join(fixtures, "declaration-sntrp.odt"))
		c := Converter{Soffice: "/nonexistent/soffice"}
		if _, err := c.Read(context.Background(), "x.odt", odt); !errors.Is(err, ErrNoConverter) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("catdoc fallback", func(t *testing.T) {
		if _, err := exec.LookPath("catdoc"); err != nil {
			t.Skip("catdoc not installed")
		}
		c := Converter{Soffice: "/nonexistent/soffice"}
		doc, err := c.Read(context.Background(), "x.doc", data)
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.Warnings) != 1 || !strings.Contains(doc.Warnings[0], "catdoc") {
			t.Errorf("warnings = %v", doc.Warnings)
		}
		if !strings.Contains(doc.Text, "SNTRP ( ex base SGE/TAPR)") || !strings.Contains(doc.Text, "Nom du traitement") {
			t.Errorf("catdoc text lacks the form: %q", doc.Text[:min(200, len(doc.Text))])
		}
		if doc.Format != registre.FormatDOC {
			t.Errorf("format %q", doc.Format)
		}
	})
}

func FuzzRead(f *testing.F) {
	f.Add([]byte("{\\rtf1 hello}"))
	f.Add([]byte{0xD0, 0xCF, 0x11, 0xE0})
	f.Fuzz(func(t *testing.T, data []byte) {
		// Without a converter the reader must still classify and refuse
		// cleanly, never panic; conversions are too slow to fuzz.
		c := Converter{Soffice: "/nonexistent/soffice", Catdoc: "/nonexistent/catdoc"}
		doc, err := c.Read(context.Background(), "fuzz", data)
		if err == nil {
			t.Fatalf("read without a converter: %+v", doc)
		}
	})
}

// A conversion that hangs is stopped at the timeout with a clear error; the
// stand-in converter forks a child, as soffice forks soffice.bin.
func TestTimeout(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "soffice")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nsleep 600 &\nwait\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(fixtures, "declaration-sntrp.doc"))
	c := Converter{Soffice: script, Timeout: 300 * time.Millisecond}
	_, err := c.Read(context.Background(), "x.doc", data)
	if err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Errorf("err = %v, want a timeout", err)
	}
}

func BenchmarkConvert(b *testing.B) {
	if _, err := exec.LookPath("soffice"); err != nil {
		b.Skip("LibreOffice (soffice) not installed")
	}
	data, err := os.ReadFile(filepath.Join(fixtures, "declaration-sntrp.doc"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Read(context.Background(), "x.doc", data); err != nil {
			b.Fatal(err)
		}
	}
}
