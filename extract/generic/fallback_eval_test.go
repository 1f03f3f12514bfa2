package generic

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"registre/eval"
	"registre/ingest"
	"registre/normalize"
)

// TestFallbackOnKnownRegisters runs the fallback alone, as if the layout
// parsers did not exist, on registers the project has gold for: a register
// of a shape it has never been written for must still come out.
func TestFallbackOnKnownRegisters(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the 163-page Cnam PDF")
	}
	tests := []struct {
		input, gold   string
		minRecordF1   float64
		minFieldScore float64
	}{
		{"cramif-registre.html", "seed-cramif.json", 1, 0.95},
		{"cramif-registre-print.pdf", "seed-cramif.json", 1, 0.95},
		{"cnam-registre.pdf", "seed-cnam.json", 1, 0.85},
	}
	for _, tt := range tests {
		t.Run(tt.input, func(t *testing.T) {
			doc, err := ingest.ReadFile(context.Background(), filepath.Join("../../fixtures/eval/corpus", tt.input), ingest.Options{})
			if err != nil {
				t.Fatal(err)
			}
			raws, err := Parser{}.Extract(context.Background(), doc)
			if err != nil {
				t.Fatal(err)
			}
			g, err := eval.LoadGold(filepath.Join("../../fixtures/eval/gold", tt.gold))
			if err != nil {
				t.Fatal(err)
			}
			res := eval.Score(g, normalize.Records(doc, raws))
			res.Input = tt.input
			var buf bytes.Buffer
			eval.WriteText(&buf, []eval.Result{res})
			t.Log("\n" + buf.String())
			if res.Records.F1 < tt.minRecordF1 || res.FieldScore < tt.minFieldScore {
				t.Errorf("records F1 %.3f (want ≥ %.2f), field score %.3f (want ≥ %.2f)",
					res.Records.F1, tt.minRecordF1, res.FieldScore, tt.minFieldScore)
			}
		})
	}
}
