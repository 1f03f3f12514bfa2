package pdf

import (
	"context"
	"os"
	"testing"
)

// BenchmarkReadCnam reads the 163-page Cnam register and reports pages/s.
func BenchmarkReadCnam(b *testing.B) {
	data, err := os.ReadFile("../../fixtures/pdf/cnam-registre.pdf")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	pages := 0
	for b.Loop() {
		doc, err := Read(context.Background(), "cnam-registre.pdf", data)
		if err != nil {
			b.Fatal(err)
		}
		pages += doc.Pages
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
}
