package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"registre"
	"registre/eval"
	"registre/pipeline"
)

// evalOutput is the --json shape: one result per case, in cases order.
type evalOutput struct {
	Cases []eval.Result `json:"cases"`
}

func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	goldPath := fs.String("gold", "", "gold file (../shared/contract/gold-format.md) for the one INPUT")
	casesPath := fs.String("cases", "", `cases file: a JSON list of {"gold": …, "input": …}, paths relative to it`)
	asJSON := fs.Bool("json", false, "print the results as JSON")
	details := fs.Bool("details", false, "also list unmatched records and imperfect fields per record")
	failUnder := fs.Float64("fail-under", 0, "exit 1 when a case's field score or record F1 is below this")
	var llmf llmFlags
	llmf.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: registre eval --gold GOLD.json INPUT\n       registre eval --cases CASES.json")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	var cases []eval.Case
	switch {
	case *goldPath != "" && *casesPath == "" && fs.NArg() == 1:
		cases = []eval.Case{{Gold: *goldPath, Input: fs.Arg(0)}}
	case *casesPath != "" && *goldPath == "" && fs.NArg() == 0:
		cs, err := eval.LoadCases(*casesPath)
		if err != nil {
			fmt.Fprintf(stderr, "registre eval: %v\n", err)
			return exitUsage
		}
		cases = cs
	default:
		fs.Usage()
		return exitUsage
	}

	assistant, err := llmf.assistant(stderr, "")
	if err != nil {
		fmt.Fprintf(stderr, "registre eval: %v\n", err)
		return exitUsage
	}
	defer reportLLM(stderr, assistant)
	opt := applyAssistant(pipeline.Options{Workers: 1}, assistant)

	code := exitOK
	var results []eval.Result
	var golds []*eval.Gold
	extracted := map[string][]registre.Record{} // an input shared by cases is read once
	for _, c := range cases {
		g, err := eval.LoadGold(c.Gold)
		if err != nil {
			fmt.Fprintf(stderr, "registre eval: %v\n", err)
			return exitUsage
		}
		recs, ok := extracted[c.Input]
		if !ok {
			recs, err = extractFile(ctx, c.Input, opt)
			if err != nil {
				// The input's records are absent: it scores as an empty
				// extraction, and the run says so in its exit code.
				fmt.Fprintf(stderr, "%s: %v\n", c.Input, err)
				code = exitFailed
			}
			extracted[c.Input] = recs
		}
		res := eval.Score(g, recs)
		res.Gold, res.Input = c.Gold, c.Input
		results = append(results, res)
		golds = append(golds, g)
		if *failUnder > 0 && (res.FieldsScored > 0 && res.FieldScore < *failUnder || res.Records.F1 < *failUnder) {
			code = exitFailed
		}
	}

	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(evalOutput{Cases: results}); err != nil {
			fmt.Fprintf(stderr, "registre eval: write: %v\n", err)
			return exitFailed
		}
		return code
	}
	if err := eval.WriteText(stdout, results); err != nil {
		fmt.Fprintf(stderr, "registre eval: write: %v\n", err)
		return exitFailed
	}
	if *details {
		eval.WriteDetails(stdout, golds, results)
	}
	return code
}

// extractFile runs the whole pipeline (ingest → extract → normalize → flags)
// on one input, as `registre extract` would.
func extractFile(ctx context.Context, path string, opt pipeline.Options) ([]registre.Record, error) {
	results, err := extractAll(ctx, []string{path}, opt)
	if err != nil {
		return nil, err
	}
	var recs []registre.Record
	for _, r := range results {
		if r.Err != nil {
			return recs, r.Err
		}
		recs = append(recs, r.Records...)
	}
	return recs, nil
}
