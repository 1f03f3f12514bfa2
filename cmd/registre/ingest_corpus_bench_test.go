package main

import (
	"context"
	"os"
	"strconv"
	"testing"

	"registre/flags"
	"registre/index/bleveindex"
	"registre/index/synth"
)

// BenchmarkCorpusPassBleve measures the ingest corpus pass over an embedded
// index of synthetic records (index/synth): the scan of every record's
// projection, the rules, and the first pass's re-puts; then a second pass
// over the up-to-date index (scan and rules only). REGISTRE_CORPUS_N sets the
// size (default 20000).
func BenchmarkCorpusPassBleve(b *testing.B) {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("REGISTRE_CORPUS_N")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	x, err := bleveindex.Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	const chunk = 5000
	for start := 0; start < n; start += chunk {
		recs := synth.Records(min(chunk, n-start), uint64(start+1))
		for i := range recs {
			recs[i].ID += "-" + strconv.Itoa(start+i) // synth ids restart with each chunk's seed
		}
		if res, err := x.PutRecords(ctx, recs); err != nil || len(res.Failures) > 0 {
			b.Fatalf("put: %v %v", err, res.Failures)
		}
	}
	in := &ingester{idx: x, checker: flags.New(), rep: &ingestReport{}}
	for b.Loop() {
		for _, pass := range []string{"first", "second"} {
			var st corpusStats
			if err := in.corpusPass(ctx, &st); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(st.Seconds, pass+"-pass-s")
			b.ReportMetric(float64(st.RecordsChanged), pass+"-changed")
		}
	}
}
