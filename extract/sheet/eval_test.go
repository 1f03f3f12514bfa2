package sheet_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"registre"
	"registre/eval"
	"registre/extract"
	"registre/extract/sheet"
	"registre/ingest"
	"registre/normalize"
)

// The XLSX and ODS renderings of the Cramif register, scored against the
// hand-checked gold of that register (records matched by name).
func TestGold(t *testing.T) {
	g, err := eval.LoadGold("../../fixtures/sheet/seed-cramif.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"cramif-registre.xlsx", "cramif-registre.ods"} {
		t.Run(file, func(t *testing.T) {
			doc, err := ingest.ReadFile(context.Background(), "../../fixtures/sheet/"+file, ingest.Options{})
			if err != nil {
				t.Fatal(err)
			}
			raws, err := sheet.Parser{}.Extract(context.Background(), doc)
			if err != nil {
				t.Fatal(err)
			}
			recs := normalize.Records(doc, raws)
			res := eval.Score(g, recs)
			if testing.Verbose() || res.FieldScore < 0.95 {
				var b strings.Builder
				eval.WriteText(&b, []eval.Result{res})
				t.Log("\n" + b.String())
			}
			if res.Records.F1 != 1 {
				t.Errorf("record F1 = %.3f (unmatched gold %v, extracted %v)", res.Records.F1, res.UnmatchedGold, res.UnmatchedFound)
			}
			if res.FieldScore < 0.95 {
				t.Errorf("field score = %.3f, want ≥ 0.95", res.FieldScore)
			}
			ids := map[string]bool{}
			for _, r := range recs {
				if r.Organisation != "Cramif" {
					t.Errorf("%s: organisation %q", r.Name, r.Organisation)
				}
				ids[r.ID] = true
			}
			if len(ids) != len(recs) {
				t.Errorf("%d distinct ids for %d records", len(ids), len(recs))
			}
		})
	}
	_ = os.Getenv
	_ = registre.FormatXLSX
}

// The same register read from its spreadsheet and from its web page gives
// the same record ids.
func TestIDsAgreeWithHTML(t *testing.T) {
	read := func(path string) map[string]string {
		doc, err := ingest.ReadFile(context.Background(), path, ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ex := extract.New()
		raws, _, err := ex.Extract(context.Background(), doc)
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]string{}
		for _, r := range normalize.Records(doc, raws) {
			ids[r.Name] = r.ID
		}
		return ids
	}
	x, h := read("../../fixtures/sheet/cramif-registre.xlsx"), read("../../fixtures/corpus/cramif-registre.html")
	if len(x) != 73 {
		t.Fatalf("%d named records from the xlsx", len(x))
	}
	same := 0
	for name, id := range x {
		if h[name] == id {
			same++
		}
	}
	if same != len(x) {
		t.Errorf("%d of %d xlsx ids equal the HTML ids", same, len(x))
	}
}

func BenchmarkExtract(b *testing.B) {
	doc, err := ingest.ReadFile(context.Background(), "../../fixtures/sheet/cramif-registre.xlsx", ingest.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := (sheet.Parser{}).Extract(context.Background(), doc); err != nil {
			b.Fatal(err)
		}
	}
}
