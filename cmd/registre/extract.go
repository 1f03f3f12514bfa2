package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"registre/ingest"
	"registre/pipeline"
)

// newPipeline builds the pipeline every command shares, with the flag
// engine when it is wired.
func newPipeline(opt pipeline.Options) *pipeline.Pipeline {
	if opt.Checker == nil {
		opt.Checker = defaultChecker()
	}
	return pipeline.New(opt)
}

// extractAll runs the pipeline over paths (files and folders) and returns
// the results in deterministic order.
func extractAll(ctx context.Context, paths []string, opt pipeline.Options) ([]pipeline.FileResult, error) {
	files, err := ingest.Walk(paths)
	if err != nil {
		return nil, err
	}
	return newPipeline(opt).Run(ctx, files)
}

func runExtract(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("extract", flag.ContinueOnError)
	fs.SetOutput(stderr)
	jsonl := fs.Bool("jsonl", false, "print one JSON record per line (the output contract)")
	workers := fs.Int("workers", 0, "files processed at once (default: number of CPUs)")
	var llmf llmFlags
	llmf.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: registre extract --jsonl [--workers N] [--llm [--llm-base-url URL] [--llm-model NAME] | --llm-dry-run] PATH...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if !*jsonl || fs.NArg() == 0 {
		fs.Usage()
		return exitUsage
	}
	assistant, err := llmf.assistant(stderr, "")
	if err != nil {
		fmt.Fprintf(stderr, "registre extract: %v\n", err)
		return exitUsage
	}
	results, err := extractAll(ctx, fs.Args(), applyAssistant(pipeline.Options{Workers: *workers}, assistant))
	if err != nil {
		fmt.Fprintf(stderr, "registre extract: %v\n", err)
		return exitUsage
	}
	defer reportLLM(stderr, assistant)
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	code := exitOK
	for _, r := range results {
		if r.Err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", r.Path, r.Err)
			code = exitFailed
			continue
		}
		for _, rec := range r.Records {
			if err := enc.Encode(rec); err != nil {
				fmt.Fprintf(stderr, "registre extract: write: %v\n", err)
				return exitFailed
			}
		}
	}
	return code
}
