package holdout_test

import (
	"context"
	"path/filepath"
	"testing"

	"registre/eval"
	"registre/flags"
	"registre/pipeline"
)

// The bar a hold-out document must clear: every record found and no
// invented one, and fields nearly as good as on the bundled corpus.
const (
	minRecordF1   = 1.0
	minFieldScore = 0.90
)

// TestHoldout runs ingest → extract → normalize → flags on each hold-out
// rendering and scores it against its hand-checked gold file.
func TestHoldout(t *testing.T) {
	cases, err := eval.LoadCases(filepath.Join("..", "..", "fixtures", "holdout", "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	p := pipeline.New(pipeline.Options{Workers: 1, Checker: flags.New()})
	for _, c := range cases {
		t.Run(filepath.Base(c.Input), func(t *testing.T) {
			g, err := eval.LoadGold(c.Gold)
			if err != nil {
				t.Fatal(err)
			}
			results, err := p.Run(context.Background(), []string{c.Input})
			if err != nil {
				t.Fatal(err)
			}
			if len(results) != 1 || results[0].Err != nil {
				t.Fatalf("read %s: %v", c.Input, results)
			}
			res := eval.Score(g, results[0].Records)
			t.Logf("layout %s: records P=%.3f R=%.3f F1=%.3f (%d gold, %d extracted), field score %.3f, flags F1 %.3f",
				results[0].Layout, res.Records.Precision, res.Records.Recall, res.Records.F1, res.GoldCount, res.GotCount, res.FieldScore, res.Flags.F1)
			if res.Records.F1 < minRecordF1 {
				t.Errorf("record F1 = %.3f, want %.1f (missed %q, invented %q)", res.Records.F1, minRecordF1, res.UnmatchedGold, res.UnmatchedFound)
			}
			if res.FieldsScored > 0 && res.FieldScore < minFieldScore {
				for _, f := range res.Fields {
					if f.N > 0 && f.Mean < 1 {
						t.Logf("  %s: %.3f over %d", f.Field, f.Mean, f.N)
					}
				}
				t.Errorf("field score = %.3f, want ≥ %.2f", res.FieldScore, minFieldScore)
			}
		})
	}
}
