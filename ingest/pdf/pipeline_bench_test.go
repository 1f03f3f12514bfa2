package pdf_test

import (
	"context"
	"testing"

	"registre/flags"
	"registre/pipeline"
)

// BenchmarkPDFPipeline runs the whole pipeline on PDF registers — read,
// extract, normalize, then flag — the way `registre bench run --stage
// pipeline` does for each file, so a CPU profile of it shows where that
// command's time goes (go test -run '^$' -bench PDFPipeline -cpuprofile
// cpu.prof ./ingest/pdf). The printed Cramif register has the layout of the
// PDFs `registre bench gen` writes; the Cnam register is the two-column
// table layout; the decision is prose.
func BenchmarkPDFPipeline(b *testing.B) {
	for _, name := range []string{"cramif-registre-print.pdf", "cnam-registre.pdf", "ccmsa-decision-14-04.pdf"} {
		b.Run(name, func(b *testing.B) {
			path := "../../fixtures/pdf/" + name
			p := pipeline.New(pipeline.Options{Workers: 1})
			checker := flags.New()
			pages := 0
			for b.Loop() {
				res := p.File(context.Background(), path)
				if res.Err != nil {
					b.Fatal(res.Err)
				}
				if len(res.Records) == 0 {
					b.Fatal("no record")
				}
				checker.Check(res.Records)
				pages += res.Pages
			}
			b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}
