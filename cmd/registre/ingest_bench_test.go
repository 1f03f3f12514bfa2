package main

import (
	"context"
	"testing"

	"registre/ingest"
	"registre/pipeline"
)

// BenchmarkPipelineGenerated measures read + extract + normalize + flag per
// generated file, by format (go test -bench Pipeline -run ^$).
func BenchmarkPipelineGenerated(b *testing.B) {
	for _, format := range []string{"pdf", "docx", "html"} {
		b.Run(format, func(b *testing.B) {
			dir := genCorpus(b, 30, format)
			files, err := ingest.Walk([]string{dir})
			if err != nil {
				b.Fatal(err)
			}
			p := newPipeline(pipeline.Options{Workers: 1})
			checker := defaultChecker()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				res := p.File(context.Background(), files[i%len(files)])
				if res.Err != nil {
					b.Fatal(res.Err)
				}
				if checker != nil {
					checker.Check(res.Records)
				}
			}
		})
	}
}
