package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"registre/extract/llm"
	"registre/index"
	"registre/index/bleveindex"
	"registre/ingest"
	"registre/ledger"
)

const ingestUsage = `usage: registre ingest [flags] PATH...

Reads every file under PATH (content-sniffed: PDF, DOCX, DOC, ODT, HTML,
XLSX, ODS, text), extracts, normalizes and flags its processing records and
indexes them. A ledger in the data dir remembers what was done: a re-run only
processes new or changed files (or files whose reader, parser, normalizer or
rule version changed), a killed run resumes, a moved file is recognised by its
content, and --prune removes deleted files from the index.

With --llm, an OpenAI-compatible model is asked about the documents and
records the rules could not read (see "registre extract"); its grounded
values are indexed with method "llm". The model and prompt version are part
of the ledger's key: turning --llm on (or changing the model) processes the
files again, and its answer cache makes a re-run cost nothing. Without --llm
no request is ever made.

Flags are raised per file (the record rules, and the duplicate/divergence
rules among the records of one file); then, when the run changed the index,
a corpus pass runs the duplicate and cross-register divergence rules over
every processing record in the index (a compact projection of each) and puts
again only the records whose corpus flags changed: a Cramif record diverging
from the matching Cnam fiche of another file gets its flag, and loses it when
that file is pruned. --no-corpus-flags skips the pass (the next run without
it does it); with --shard, give it to every shard, then run one of them once
more without it.

Default data dir: $REGISTRE_DATA, else $XDG_DATA_HOME/registre, else
~/.local/share/registre.

Exit status: 0 every file was processed (a file with no record is processed),
1 some files failed (each one reported with its reason), 2 usage.

Flags:
`

// ingestConfig is a parsed ingest command line.
type ingestConfig struct {
	DataDir string
	// Index selects the backend (its data dir is DataDir).
	Index    indexFlags
	Workers  int
	Timeout  time.Duration
	MaxSize  int64
	Report   string
	DryRun   bool
	Prune    bool
	Shard    ledger.Shard
	Paths    []string
	Progress time.Duration
	// NoCorpusFlags skips the corpus pass (flags across files).
	NoCorpusFlags bool
	// CorpusGetMax bounds the changed records the corpus pass reads back
	// one by one (0 = defaultCorpusGetMax, < 0 = always a second scan;
	// tests exercise both paths with it).
	CorpusGetMax int
	// LLM configures the optional LLM assistance (off by default).
	LLM llmFlags
	// Versions replaces the pipeline's stage versions (tests simulate a
	// version bump with it); nil = the pipeline's.
	Versions func(format string) string
}

func runIngest(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, code, ok := parseIngest(args, stderr)
	if !ok {
		return code
	}
	rep, err := ingestRun(ctx, cfg, stdout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "registre ingest: %v\n", err)
		var ue usageError
		if errors.As(err, &ue) {
			return exitUsage
		}
		return exitFailed
	}
	if len(rep.Failed) > 0 {
		return exitFailed
	}
	return exitOK
}

// usageError is a command-line mistake (exit 2), not a processing failure.
type usageError struct{ error }

func parseIngest(args []string, stderr io.Writer) (ingestConfig, int, bool) {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg ingestConfig
	cfg.Index.register(fs)
	fs.IntVar(&cfg.Workers, "workers", 0, "files processed at once (default: number of CPUs)")
	fs.DurationVar(&cfg.Timeout, "timeout", 2*time.Minute, "time limit per file")
	fs.Int64Var(&cfg.MaxSize, "max-size", ingest.DefaultMaxSize, "largest file read, in bytes")
	fs.StringVar(&cfg.Report, "report", "", "write the run's report as JSON to this file")
	fs.BoolVar(&cfg.DryRun, "dry-run", false, "say what would be added, changed, unchanged and removed, and do nothing")
	fs.BoolVar(&cfg.Prune, "prune", false, "remove from the index the files deleted from the tree")
	shard := fs.String("shard", "", "process only shard K of N (by content hash), e.g. 2/4")
	fs.DurationVar(&cfg.Progress, "progress-every", 0, "progress line interval when stderr is not a terminal (default 10s)")
	fs.BoolVar(&cfg.NoCorpusFlags, "no-corpus-flags", false, "skip the corpus pass (duplicate and divergence flags across files)")
	cfg.LLM.register(fs)
	fs.Usage = func() {
		fmt.Fprint(stderr, ingestUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return cfg, exitOK, false
		}
		return cfg, exitUsage, false
	}
	cfg.Paths = fs.Args()
	cfg.DataDir = cfg.Index.data
	if cfg.LLM.enabled && !flagSet(fs, "timeout") {
		// A file's questions to the model count in its time limit: leave
		// room for a few of them (each bounded by --llm-timeout).
		cfg.Timeout = max(cfg.Timeout, 4*cfg.LLM.timeout)
	}
	bad := func(format string, a ...any) (ingestConfig, int, bool) {
		fmt.Fprintf(stderr, "registre ingest: "+format+"\n", a...)
		fs.Usage()
		return cfg, exitUsage, false
	}
	if len(cfg.Paths) == 0 {
		return bad("no PATH given")
	}
	if *shard != "" {
		s, err := ledger.ParseShard(*shard)
		if err != nil {
			return bad("%v", err)
		}
		cfg.Shard = s
	}
	if cfg.Workers < 0 || cfg.Timeout <= 0 || cfg.MaxSize <= 0 {
		return bad("--workers must be ≥ 0, --timeout and --max-size > 0")
	}
	if cfg.DataDir == "" {
		return bad("--data must not be empty")
	}
	return cfg, exitOK, true
}

// flagSet reports whether the command line set the flag name.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// openIngestIndex opens the backend the configuration names.
func openIngestIndex(ctx context.Context, cfg ingestConfig) (index.Index, string, error) {
	f := cfg.Index
	f.data = cfg.DataDir
	x, err := f.open(ctx)
	if err != nil {
		return nil, "", fmt.Errorf("open the index: %w", err)
	}
	if f.esURL != "" {
		return x, "elasticsearch " + f.esURL, nil
	}
	return x, "bleve " + filepath.Join(cfg.DataDir, bleveindex.DirName), nil
}

// ingestReport is the outcome of a run; --report writes it as JSON.
type ingestReport struct {
	Files   int          `json:"files"`
	Records int          `json:"records"`
	Failed  []failedFile `json:"failed"`

	Processed   int `json:"processed"`
	Added       int `json:"added"`
	Changed     int `json:"changed"`
	Reprocessed int `json:"reprocessed"`
	Unchanged   int `json:"unchanged"`
	Moved       int `json:"moved"`
	Duplicates  int `json:"duplicates"`
	Removed     int `json:"removed"`
	Pruned      int `json:"pruned"`
	// SkippedOtherShards counts files left to other shards.
	SkippedOtherShards int `json:"skipped_other_shards,omitempty"`
	Pages              int `json:"pages"`

	ByFormat         map[string]int `json:"by_format"`
	Flags            map[string]int `json:"flags"`
	FailuresByReason map[string]int `json:"failures_by_reason"`

	ElapsedSeconds   float64 `json:"elapsed_seconds"`
	FilesPerSecond   float64 `json:"files_per_second"`
	PagesPerSecond   float64 `json:"pages_per_second"`
	RecordsPerSecond float64 `json:"records_per_second"`

	DataDir string `json:"data_dir"`
	Backend string `json:"backend,omitempty"`
	DryRun  bool   `json:"dry_run,omitempty"`
	Shard   string `json:"shard,omitempty"`
	// Plan lists, on a dry run, each file with what would happen to it.
	Plan []planLine `json:"plan,omitempty"`
	// LLM is what the LLM assistance did (nil when it was off).
	LLM *llm.Stats `json:"llm,omitempty"`
	// Corpus is what the corpus pass did (flags across files).
	Corpus *corpusStats `json:"corpus_flags,omitempty"`
}

type failedFile struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
	Class  string `json:"class"`
	// Previous is true when the failure is from an earlier run (the file
	// did not change since, so it was not tried again).
	Previous bool `json:"previous,omitempty"`
}

type planLine struct {
	Path   string `json:"path"`
	Action string `json:"action"`
	From   string `json:"from,omitempty"`
}

func newReport(cfg ingestConfig) *ingestReport {
	r := &ingestReport{
		Failed:           []failedFile{},
		ByFormat:         map[string]int{},
		Flags:            map[string]int{},
		FailuresByReason: map[string]int{},
		DataDir:          cfg.DataDir,
		DryRun:           cfg.DryRun,
	}
	if cfg.Shard.N > 1 {
		r.Shard = fmt.Sprintf("%d/%d", cfg.Shard.K, cfg.Shard.N)
	}
	return r
}

// ingestRun runs one ingestion and returns its report (also written to
// cfg.Report and summarised on stderr).
func ingestRun(ctx context.Context, cfg ingestConfig, stdout, stderr io.Writer) (*ingestReport, error) {
	start := time.Now()
	var roots []string
	for _, p := range cfg.Paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, usageError{fmt.Errorf("path %s: %w", p, err)}
		}
		if _, err := os.Stat(abs); err != nil {
			return nil, usageError{fmt.Errorf("path %s: %w", p, err)}
		}
		roots = append(roots, filepath.Clean(abs))
	}
	files, err := ingest.Walk(roots)
	if err != nil {
		return nil, fmt.Errorf("list files: %w", err)
	}
	led, err := ledger.Open(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	defer led.Close()

	assistant, err := cfg.LLM.assistant(stderr, cfg.DataDir)
	if err != nil {
		return nil, usageError{err}
	}
	pipe := newPipeline(applyAssistant(pipelineOptions(cfg), assistant))
	versions := cfg.Versions
	if versions == nil {
		versions = func(f string) string { return pipe.Versions(registreFormat(f)) }
	}
	plan, err := led.MakePlan(ctx, files, ledger.PlanOptions{Roots: roots, Versions: versions, Shard: cfg.Shard, Workers: cfg.Workers})
	if err != nil {
		return nil, fmt.Errorf("compare the tree with the ledger: %w", err)
	}
	rep := newReport(cfg)
	rep.SkippedOtherShards = plan.Skipped
	if cfg.DryRun {
		dryRun(plan, rep, stdout)
		rep.ElapsedSeconds = time.Since(start).Seconds()
		return rep, writeReport(cfg, rep, stderr)
	}

	idx, backend, err := openIngestIndex(ctx, cfg)
	if err != nil {
		return nil, err
	}
	rep.Backend = backend
	run := &ingester{
		cfg:      cfg,
		led:      led,
		idx:      idx,
		pipe:     pipe,
		checker:  defaultChecker(),
		versions: versions,
		rep:      rep,
		stderr:   stderr,
	}
	err = run.executeThenCorpus(ctx, plan)
	if cerr := idx.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("close index: %w", cerr)
	}
	rep.ElapsedSeconds = time.Since(start).Seconds()
	if assistant != nil {
		st := assistant.Stats()
		rep.LLM = &st
	}
	if s := rep.ElapsedSeconds; s > 0 {
		rep.FilesPerSecond = float64(rep.Processed) / s
		rep.PagesPerSecond = float64(run.pagesProcessed) / s
		rep.RecordsPerSecond = float64(run.recordsProcessed) / s
	}
	sort.Slice(rep.Failed, func(i, j int) bool { return rep.Failed[i].Path < rep.Failed[j].Path })
	if err != nil {
		// Interrupted: what was done is in the ledger; the next run resumes.
		_ = writeReport(cfg, rep, stderr)
		return rep, err
	}
	printSummary(stderr, rep)
	return rep, writeReport(cfg, rep, stderr)
}

func writeReport(cfg ingestConfig, rep *ingestReport, stderr io.Writer) error {
	if cfg.Report == "" {
		return nil
	}
	raw, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return fmt.Errorf("encode report: %w", err)
	}
	if err := os.WriteFile(cfg.Report, append(raw, '\n'), 0o644); err != nil {
		return fmt.Errorf("write report %s: %w", cfg.Report, err)
	}
	return nil
}

// dryRun prints what a run would do, one line per file that would change,
// and fills the report's counts.
func dryRun(plan *ledger.Plan, rep *ingestReport, stdout io.Writer) {
	for _, it := range plan.Items {
		rep.Files++
		action := ""
		switch it.Action {
		case ledger.Add:
			rep.Added++
			action = "added"
		case ledger.Change:
			rep.Changed++
			action = "changed"
		case ledger.Reprocess:
			rep.Reprocessed++
			action = "changed (new stage version)"
		case ledger.Move:
			rep.Moved++
			action = "moved"
		case ledger.Copy:
			rep.Duplicates++
			action = "duplicate"
		case ledger.Unchanged:
			rep.Unchanged++
			action = "unchanged"
		}
		rep.Plan = append(rep.Plan, planLine{Path: it.Path, Action: action, From: it.From})
		if it.Action == ledger.Unchanged {
			continue
		}
		switch {
		case it.Action == ledger.Move && it.From != it.Path:
			fmt.Fprintf(stdout, "%-9s %s (from %s)\n", "moved", it.Path, it.From)
		case it.Action == ledger.Copy:
			fmt.Fprintf(stdout, "%-9s %s (same content as %s)\n", "duplicate", it.Path, it.Of)
		case it.Action == ledger.Reprocess:
			fmt.Fprintf(stdout, "%-9s %s (new stage version)\n", "changed", it.Path)
		default:
			fmt.Fprintf(stdout, "%-9s %s\n", action, it.Path)
		}
	}
	for _, r := range plan.Removed {
		rep.Removed++
		rep.Plan = append(rep.Plan, planLine{Path: r.Path, Action: "removed"})
		fmt.Fprintf(stdout, "%-9s %s\n", "removed", r.Path)
	}
	fmt.Fprintf(stdout, "dry run: %d added, %d changed, %d unchanged, %d removed (%d moved, %d duplicates)\n",
		rep.Added, rep.Changed+rep.Reprocessed, rep.Unchanged, rep.Removed, rep.Moved, rep.Duplicates)
}

// printSummary writes the end-of-run tables.
func printSummary(w io.Writer, rep *ingestReport) {
	fmt.Fprintf(w, "\nregistre ingest: %d files, %d records (%s)\n", rep.Files, rep.Records, rep.Backend)
	fmt.Fprintf(w, "  processed %d (added %d, changed %d, new version %d), unchanged %d, moved %d, duplicates %d, removed %d, pruned %d",
		rep.Processed, rep.Added, rep.Changed, rep.Reprocessed, rep.Unchanged, rep.Moved, rep.Duplicates, rep.Removed, rep.Pruned)
	if rep.SkippedOtherShards > 0 {
		fmt.Fprintf(w, ", %d left to other shards", rep.SkippedOtherShards)
	}
	fmt.Fprintf(w, "\n  %.1f s, %.1f files/s, %.1f pages/s, %.1f records/s\n", rep.ElapsedSeconds, rep.FilesPerSecond, rep.PagesPerSecond, rep.RecordsPerSecond)
	printCorpusSummary(w, rep.Corpus)
	table(w, "files by format", "format", rep.ByFormat)
	table(w, "flags by code", "code", rep.Flags)
	table(w, "failures by reason", "reason", rep.FailuresByReason)
	if rep.LLM != nil {
		fmt.Fprintf(w, "\n%s\n", rep.LLM.Summary())
	}
	if len(rep.Failed) > 0 {
		fmt.Fprintf(w, "\nfailed files (%d):\n", len(rep.Failed))
		for _, f := range rep.Failed {
			prev := ""
			if f.Previous {
				prev = " (unchanged since an earlier run)"
			}
			fmt.Fprintf(w, "  %s: %s%s\n", f.Path, f.Reason, prev)
		}
	}
	if rep.Removed > rep.Pruned {
		fmt.Fprintf(w, "\n%d files are gone from the tree but still indexed: run with --prune to remove them\n", rep.Removed-rep.Pruned)
	}
}

func table(w io.Writer, title, col string, m map[string]int) {
	if len(m) == 0 {
		return
	}
	keys := make([]string, 0, len(m))
	width := len(col)
	for k := range m {
		keys = append(keys, k)
		width = max(width, len([]rune(k)))
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	fmt.Fprintf(w, "\n  %s\n  %-*s %8s\n  %s\n", title, width, col, "count", strings.Repeat("-", width+9))
	for _, k := range keys {
		fmt.Fprintf(w, "  %-*s %8d\n", width, k, m[k])
	}
}
