package bleveindex

import (
	"context"
	"testing"

	"registre/index/synth"
)

// BenchmarkPutRecords indexes 2,000 synthetic records into a fresh index per
// iteration, in PutRecords calls of 500; docs/s is the figure to read.
func BenchmarkPutRecords(b *testing.B) {
	ctx := context.Background()
	recs := synth.Records(2000, 1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		x, err := Open(ctx, b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for j := 0; j < len(recs); j += 500 {
			res, err := x.PutRecords(ctx, recs[j:min(j+500, len(recs))])
			if err != nil || len(res.Failures) > 0 {
				b.Fatalf("PutRecords: %v %v", err, res.Failures)
			}
		}
		b.StopTimer()
		if err := x.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(len(recs)*b.N)/b.Elapsed().Seconds(), "docs/s")
}
