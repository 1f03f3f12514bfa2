package form

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"registre/eval"
	"registre/normalize"
)

// Each form is a rendering of one record of the Cramif register: scored
// against the register's gold, its record must match one gold record by
// name, with a field score of at least 0.95.
func TestGold(t *testing.T) {
	g, err := eval.LoadGold("../../fixtures/docx/seed-cramif.json")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../../fixtures/docx/*")
	var results []eval.Result
	for _, f := range files {
		ext := filepath.Ext(f)
		if ext != ".docx" && ext != ".doc" && ext != ".pdf" && ext != ".odt" && ext != ".rtf" {
			continue
		}
		base := filepath.Base(f)
		// Only the corpus renderings of Cramif records are in the gold.
		if !strings.HasPrefix(base, "declaration-") && !strings.HasPrefix(base, "fiche-registre-") {
			continue
		}
		if ext != ".docx" && ext != ".pdf" {
			if _, err := exec.LookPath("soffice"); err != nil {
				continue
			}
		}
		t.Run(base, func(t *testing.T) {
			doc, err := readCached(base)
			if err != nil {
				t.Fatal(err)
			}
			raws, err := Parser{}.Extract(context.Background(), doc)
			if err != nil {
				t.Fatal(err)
			}
			recs := normalize.Records(doc, raws)
			res := eval.Score(g, recs)
			res.Input = base
			results = append(results, res)
			if res.Records.Precision != 1 || len(recs) != 1 {
				t.Fatalf("%d records, precision %.3f (unmatched %v)", len(recs), res.Records.Precision, res.UnmatchedFound)
			}
			if res.FieldScore < 0.95 {
				var b strings.Builder
				eval.WriteDetails(&b, []*eval.Gold{g}, []eval.Result{res})
				t.Errorf("field score %.3f\n%s", res.FieldScore, b.String())
			}
		})
	}
	if testing.Verbose() {
		var b strings.Builder
		eval.WriteText(&b, results)
		t.Log("\n" + b.String())
	}
}

func BenchmarkExtract(b *testing.B) {
	for _, name := range []string{"declaration-sntrp.docx", "fiche-registre-journal-d-entreprise-10-minutes.docx", "cgss-rgpd-crise.docx"} {
		doc, err := readCached(name)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := (Parser{}).Extract(context.Background(), doc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
