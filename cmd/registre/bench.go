package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"time"

	"registre"
	"registre/index/bleveindex"
	"registre/index/esindex"
	"registre/index/esindex/rawbulk"
	"registre/index/synth"
)

const benchUsage = `Usage: registre bench SUBCOMMAND [flags]

  gen    generate realistic registers (PDF, DOCX, HTML) into a folder
  run    pipeline and ingestion throughput over a folder
  index  docs/s into the embedded index, into Elasticsearch, and raw _bulk
`

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, benchUsage)
		return exitUsage
	}
	switch args[0] {
	case "gen":
		return runBenchGen(ctx, args[1:], stdout, stderr)
	case "run":
		return runBenchRun(ctx, args[1:], stdout, stderr)
	case "index":
		return runBenchIndex(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, benchUsage)
		return exitOK
	}
	fmt.Fprintf(stderr, "registre bench: unknown subcommand %q\n\n%s", args[0], benchUsage)
	return exitUsage
}

// runBenchIndex measures indexing throughput on synthetic records: the bleve
// backend, our Elasticsearch bulk path (esindex.PutRecords: long-lived
// BulkIndexer, per-item outcomes), and a raw _bulk of the same _source bytes
// over plain HTTP. Each run writes into a fresh index, deleted afterwards.
func runBenchIndex(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench index", flag.ContinueOnError)
	fs.SetOutput(stderr)
	docs := fs.Int("docs", 20000, "records to index")
	batch := fs.Int("batch", 1000, "records per PutRecords call")
	esURL := fs.String("es-url", os.Getenv("ELASTICSEARCH_URL"), "Elasticsearch URL (default $ELASTICSEARCH_URL; empty = bleve only)")
	bulkBytes := fs.Int("bulk-bytes", 1<<20, "bytes per _bulk request (both ES paths)")
	workers := fs.Int("workers", 2, "bulk workers of our path")
	rounds := fs.Int("rounds", 3, "Elasticsearch rounds (each path once per round)")
	data := fs.String("data", "", "dir for the bleve index (default: a temp dir, removed)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *docs <= 0 || *batch <= 0 || *rounds <= 0 || fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	recs := synth.Records(*docs, 1)
	var size int
	for i := range recs {
		b, _ := esindex.Document(&recs[i])
		size += len(b)
	}
	fmt.Fprintf(stdout, "registre bench index: %d records (%.1f KiB average _source), %s, %d CPU, %s\n",
		len(recs), float64(size)/float64(len(recs))/1024, runtime.GOOS+"/"+runtime.GOARCH, runtime.NumCPU(), time.Now().UTC().Format(time.RFC3339))

	dir := *data
	if dir == "" {
		tmp, err := os.MkdirTemp("", "registre-bench-*")
		if err != nil {
			fmt.Fprintf(stderr, "registre bench index: %v\n", err)
			return exitFailed
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	bleveRate, err := benchBleve(ctx, dir, recs, *batch)
	if err != nil {
		fmt.Fprintf(stderr, "registre bench index: bleve: %v\n", err)
		return exitFailed
	}
	fmt.Fprintf(stdout, "%-28s %10.0f docs/s\n", "bleve (embedded)", bleveRate)
	if *esURL == "" {
		fmt.Fprintln(stdout, "elasticsearch: skipped (no --es-url nor $ELASTICSEARCH_URL)")
		return exitOK
	}
	// Rounds rotate which path goes first, so JVM warm-up and a busy
	// machine weigh on all; best and median rounds are reported. "raw" builds
	// the NDJSON from the same records inside the timing, as any client
	// must; "raw pre-encoded" times the HTTP requests alone (the floor).
	paths := []string{"esindex", "raw", "raw pre-encoded"}
	rates := map[string][]float64{}
	for round := 1; round <= *rounds; round++ {
		for k := range paths {
			p := paths[(k+round-1)%len(paths)]
			var rate float64
			var err error
			switch p {
			case "esindex":
				rate, err = benchES(ctx, *esURL, recs, *batch, *workers, *bulkBytes)
			case "raw":
				rate, err = benchRawBulk(ctx, *esURL, recs, *bulkBytes, false)
			default:
				rate, err = benchRawBulk(ctx, *esURL, recs, *bulkBytes, true)
			}
			if err != nil {
				fmt.Fprintf(stderr, "registre bench index: elasticsearch %s: %v\n", p, err)
				return exitFailed
			}
			rates[p] = append(rates[p], rate)
			fmt.Fprintf(stdout, "  round %d %-19s %10.0f docs/s\n", round, p, rate)
		}
	}
	best := func(p string) float64 { return slices.Max(rates[p]) }
	median := func(p string) float64 {
		r := slices.Sorted(slices.Values(rates[p]))
		if len(r)%2 == 1 {
			return r[len(r)/2]
		}
		return (r[len(r)/2-1] + r[len(r)/2]) / 2
	}
	fmt.Fprintf(stdout, "%-28s %10s %10s   (docs/s over %d rounds)\n", "", "best", "median", *rounds)
	for _, p := range paths {
		fmt.Fprintf(stdout, "%-28s %10.0f %10.0f\n", "elasticsearch "+p, best(p), median(p))
	}
	fmt.Fprintf(stdout, "%-28s %9.0f%% %9.0f%%\n", "esindex / raw", 100*best("esindex")/best("raw"), 100*median("esindex")/median("raw"))
	fmt.Fprintf(stdout, "%-28s %9.0f%% %9.0f%%\n", "esindex / raw pre-encoded", 100*best("esindex")/best("raw pre-encoded"), 100*median("esindex")/median("raw pre-encoded"))
	return exitOK
}

func benchBleve(ctx context.Context, dir string, recs []registre.Record, batch int) (float64, error) {
	x, err := bleveindex.Open(ctx, dir)
	if err != nil {
		return 0, err
	}
	defer x.Close()
	start := time.Now()
	for i := 0; i < len(recs); i += batch {
		res, err := x.PutRecords(ctx, recs[i:min(i+batch, len(recs))])
		if err != nil {
			return 0, err
		}
		if len(res.Failures) > 0 {
			return 0, fmt.Errorf("%d records refused, first %s: %s", len(res.Failures), res.Failures[0].ID, res.Failures[0].Reason)
		}
	}
	return float64(len(recs)) / time.Since(start).Seconds(), nil
}

// benchAlias is a fresh alias per run, so runs never share an index.
func benchAlias() string { return fmt.Sprintf("registre-bench-%d", rand.Uint32()) }

func benchES(ctx context.Context, url string, recs []registre.Record, batch, workers, bulkBytes int) (float64, error) {
	zero := 0
	x, err := esindex.Open(ctx, esindex.Config{URL: url, Alias: benchAlias(), Replicas: &zero, Workers: workers, FlushBytes: bulkBytes})
	if err != nil {
		return 0, err
	}
	defer x.Close()
	defer x.Drop(context.WithoutCancel(ctx))
	start := time.Now()
	for i := 0; i < len(recs); i += batch {
		res, err := x.PutRecords(ctx, recs[i:min(i+batch, len(recs))])
		if err != nil {
			return 0, err
		}
		if len(res.Failures) > 0 {
			return 0, fmt.Errorf("%d records refused, first %s: %s", len(res.Failures), res.Failures[0].ID, res.Failures[0].Reason)
		}
	}
	if err := x.Refresh(ctx); err != nil {
		return 0, err
	}
	return float64(len(recs)) / time.Since(start).Seconds(), nil
}

// benchRawBulk sends the same _source bytes as NDJSON _bulk requests of
// bulkBytes each, one after the other, over plain HTTP; preEncoded leaves
// the encoding out of the timing. The index is made by esindex.Open so it
// has the same template.
func benchRawBulk(ctx context.Context, url string, recs []registre.Record, bulkBytes int, preEncoded bool) (float64, error) {
	zero := 0
	x, err := esindex.Open(ctx, esindex.Config{URL: url, Alias: benchAlias(), Replicas: &zero})
	if err != nil {
		return 0, err
	}
	defer x.Close()
	defer x.Drop(context.WithoutCancel(ctx))
	var bodies [][]byte
	if preEncoded {
		if bodies, err = rawbulk.Bodies(recs, bulkBytes); err != nil {
			return 0, err
		}
	}
	start := time.Now()
	if !preEncoded {
		if bodies, err = rawbulk.Bodies(recs, bulkBytes); err != nil {
			return 0, err
		}
	}
	if err := rawbulk.Send(ctx, url, x.Alias(), bodies); err != nil {
		return 0, err
	}
	if err := x.Refresh(ctx); err != nil {
		return 0, err
	}
	return float64(len(recs)) / time.Since(start).Seconds(), nil
}
