package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"registre"
)

func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want registre.Format
		err  string
	}{
		{"report.pdf", []byte("%PDF-1.7\n..."), registre.FormatPDF, ""},
		{"page.pdf", []byte("<!DOCTYPE html><html><body><p>x</p></body></html>"), registre.FormatHTML, ""}, // mislabelled
		{"a.docx", zipOf(t, map[string]string{"[Content_Types].xml": "", "word/document.xml": "<w:document/>"}), registre.FormatDOCX, ""},
		{"a.bin", zipOf(t, map[string]string{"xl/workbook.xml": ""}), registre.FormatXLSX, ""},
		{"a.ods", zipOf(t, map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}), registre.FormatODS, ""},
		{"a.odt", zipOf(t, map[string]string{"mimetype": "application/vnd.oasis.opendocument.text"}), registre.FormatODT, ""},
		{"garbage.docx", zipOf(t, map[string]string{"junk.bin": "xyz"}), "", "not a DOCX"},
		{"a.doc", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, []byte("W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t\x00")...), registre.FormatDOC, ""},
		{"a.xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 1, 2}, "", "not a Word document"},
		{"notes.md", []byte("# Registre\n"), registre.FormatMD, ""},
		// A PDF converted to Markdown: HTML lists in tab-separated cells.
		{"registre.txt", []byte("# 01 | GESTION – Fiche 1\n\n<p><b>Sous-finalités</b></p> <ul><li>a</li></ul>\t<p><b>Fondements juridiques</b></p>\n"), registre.FormatTXT, ""},
		{"fragment.txt", []byte("<p>Registre</p>\n<ul><li># 1</li></ul>\n"), registre.FormatHTML, ""},
		{"page.md", []byte("<html><body>\n# not a heading\n<p>x</p></body></html>"), registre.FormatHTML, ""},
		{"notes.txt", []byte("Nom du traitement : X\n"), registre.FormatTXT, ""},
		{"empty.pdf", []byte("  \n"), "", "empty file"},
		{"random.docx", []byte{0x00, 0x9f, 0x12, 0xff, 0x00, 0x01, 0x02, 0x03}, "", "binary content"},
	}
	for _, tt := range tests {
		got, err := Sniff(tt.name, tt.data)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Sniff(%s) error = %v, want %q", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Sniff(%s) = %s, %v; want %s", tt.name, got, err, tt.want)
		}
	}
}

func TestReadSetsIdentity(t *testing.T) {
	doc, err := Read(context.Background(), "x/page.pdf", []byte("<html><body><h1>Titre</h1></body></html>"))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Format != registre.FormatHTML || doc.Path != "x/page.pdf" || len(doc.SHA256) != 64 {
		t.Errorf("doc identity = %s %s %s", doc.Format, doc.Path, doc.SHA256)
	}
}

func TestReadFileSizeCap(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.txt")
	if err := os.WriteFile(p, bytes.Repeat([]byte("a"), 2048), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadFile(context.Background(), p, Options{MaxSize: 1024})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
}

func TestWalk(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"b/2.txt", "a.txt", ".hidden/x.txt", "b/.y.txt", "b/1.txt"} {
		full := filepath.Join(dir, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		os.WriteFile(full, []byte("x"), 0o644)
	}
	got, err := Walk([]string{dir, filepath.Join(dir, "a.txt")})
	if err != nil {
		t.Fatal(err)
	}
	var rel []string
	for _, g := range got {
		r, _ := filepath.Rel(dir, g)
		rel = append(rel, r)
	}
	want := []string{"a.txt", "b/1.txt", "b/2.txt"}
	if !reflect.DeepEqual(rel, want) {
		t.Errorf("Walk = %v, want %v", rel, want)
	}
	if _, err := Walk([]string{filepath.Join(dir, "missing")}); err == nil {
		t.Error("Walk of a missing path: no error")
	}
}

func FuzzSniff(f *testing.F) {
	f.Add("x.pdf", []byte("%PDF-1.4"))
	f.Add("x.docx", []byte("PK\x03\x04garbage"))
	f.Add("x.html", []byte("<html>"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		format, err := Sniff(name, data)
		if err == nil && format == "" {
			t.Fatal("no format and no error")
		}
	})
}
