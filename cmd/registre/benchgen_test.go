package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"registre/ingest"
	"registre/pipeline"
)

// genCorpus generates n bench files into a temporary dir.
func genCorpus(t testing.TB, n int, formats string) string {
	return genCorpusSeed(t, n, formats, 1)
}

func genCorpusSeed(t testing.TB, n int, formats string, seed int) string {
	t.Helper()
	if findFont() == "" && strings.Contains(formats, "pdf") {
		t.Fatal("no Unicode TrueType font (install fonts-dejavu-core): bench gen cannot write PDFs")
	}
	dir := t.TempDir()
	var out strings.Builder
	if code := runBenchGen(context.Background(), []string{"--files", itoa(n), "--out", dir, "--formats", formats, "--workers", "2", "--seed", itoa(seed)}, &out, io.Discard); code != exitOK {
		t.Fatalf("bench gen exit %d", code)
	}
	return dir
}

func itoa(n int) string { return strconv.Itoa(n) }

// Every generated file, in each format and layout, must read and give
// records: the benchmark measures real extraction, not failures.
func TestBenchGenFilesIngestIntoRecords(t *testing.T) {
	dir := genCorpus(t, 30, "pdf,docx,html")
	files, err := ingest.Walk([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 30 {
		t.Fatalf("generated %d files, want 30", len(files))
	}
	p := newPipeline(pipeline.Options{Workers: 2})
	byExt := map[string]int{}
	err = p.Stream(context.Background(), files, func(r pipeline.FileResult) error {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Path, r.Err)
			return nil
		}
		if len(r.Records) == 0 {
			t.Errorf("%s: no record (layout %q)", r.Path, r.Layout)
		}
		byExt[filepath.Ext(r.Path)] += len(r.Records)
		for _, rec := range r.Records {
			if !strings.Contains(rec.Name, "n°") {
				t.Errorf("%s: record name %q is not a generated name", r.Path, rec.Name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{".pdf", ".docx", ".html"} {
		if byExt[ext] == 0 {
			t.Errorf("no record from %s files", ext)
		}
	}
	t.Logf("records by extension: %v", byExt)
	// Same seed, same bytes: a corpus can be rebuilt on another machine.
	again := genCorpus(t, 3, "pdf,docx,html")
	for _, name := range []string{"msa-dordogne-lot-et-garonne-000001-fiche.docx", "carsat-bretagne-000002-registre.html"} {
		da, err1 := os.ReadFile(filepath.Join(dir, "lot-000", name))
		db, err2 := os.ReadFile(filepath.Join(again, "lot-000", name))
		if err1 != nil || err2 != nil {
			t.Fatalf("generated names changed: %v %v", err1, err2)
		}
		if string(da) != string(db) {
			t.Errorf("%s: same seed gave different bytes", name)
		}
	}
}
