package esindex_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"registre/index/esindex"
	"registre/index/esindex/rawbulk"
	"registre/index/synth"
)

// The two benchmarks index the same 5,000 records into a fresh index per
// iteration: through esindex (encoding included) and as pre-encoded raw
// _bulk bodies of the same size. Compare their docs/s; the goal is esindex
// ≥ 80 % of raw. They need ELASTICSEARCH_URL.
const benchDocs = 5000

func benchIndex(b *testing.B) (*esindex.Index, func()) {
	b.Helper()
	url := os.Getenv("ELASTICSEARCH_URL")
	if url == "" {
		b.Skip("ELASTICSEARCH_URL not set")
	}
	zero := 0
	x, err := esindex.Open(context.Background(), esindex.Config{URL: url, Alias: fmt.Sprintf("registre-bench-%d", rand.Uint32()), Replicas: &zero})
	if err != nil {
		b.Fatal(err)
	}
	return x, func() {
		if err := x.Drop(context.Background()); err != nil {
			b.Error(err)
		}
		x.Close()
	}
}

func BenchmarkPutRecords(b *testing.B) {
	ctx := context.Background()
	recs := synth.Records(benchDocs, 1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		x, done := benchIndex(b)
		b.StartTimer()
		for j := 0; j < len(recs); j += 1000 {
			res, err := x.PutRecords(ctx, recs[j:min(j+1000, len(recs))])
			if err != nil || len(res.Failures) > 0 {
				b.Fatalf("PutRecords: %v %v", err, res.Failures)
			}
		}
		if err := x.Refresh(ctx); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		done()
		b.StartTimer()
	}
	b.ReportMetric(float64(benchDocs*b.N)/b.Elapsed().Seconds(), "docs/s")
}

func BenchmarkRawBulk(b *testing.B) {
	ctx := context.Background()
	bodies, err := rawbulk.Bodies(synth.Records(benchDocs, 1), 1<<20)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		x, done := benchIndex(b)
		b.StartTimer()
		if err := rawbulk.Send(ctx, os.Getenv("ELASTICSEARCH_URL"), x.Alias(), bodies); err != nil {
			b.Fatal(err)
		}
		if err := x.Refresh(ctx); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		done()
		b.StartTimer()
	}
	b.ReportMetric(float64(benchDocs*b.N)/b.Elapsed().Seconds(), "docs/s")
}
