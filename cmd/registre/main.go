// Command registre turns French social-security data-protection paperwork
// into one searchable, checked register of processing activities (GDPR
// Art. 30). This file only dispatches subcommands; each lives in its own file.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes shared by every subcommand.
const (
	exitOK     = 0
	exitFailed = 1 // some input could not be processed
	exitUsage  = 2
)

const usage = `registre — registre des activités de traitement (RGPD art. 30)

Usage:
  registre extract --jsonl PATH...      extract records as JSON lines
  registre dump FILE                    show how a file is read (blocks, spans)
  registre eval --gold GOLD INPUT       score extraction against gold records
  registre flags PATH...                flag summary per organisation
  registre rules                        the flag rule catalogue
  registre ingest [--data DIR] PATH...  extract, flag and index
  registre search [--data DIR] QUERY    search the index
  registre show ID                      one record
  registre reindex --es-url URL         rebuild the Elasticsearch index, swap its alias
  registre serve [--addr 127.0.0.1:8080] web app for analysts and reviewers
  registre bench gen|run|index ...      benchmarks (docs/benchmarks.md)
  registre users add --role reviewer|analyst NAME   API token for the web app

Run "registre COMMAND -h" for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "extract":
		return runExtract(ctx, rest, stdout, stderr)
	case "dump":
		return runDump(ctx, rest, stdout, stderr)
	case "ingest":
		return runIngest(ctx, rest, stdout, stderr)
	case "eval":
		return runEval(ctx, rest, stdout, stderr)
	case "flags":
		return runFlags(ctx, rest, stdout, stderr)
	case "rules":
		return runRules(ctx, rest, stdout, stderr)
	case "search":
		return runSearch(ctx, rest, stdout, stderr)
	case "show":
		return runShow(ctx, rest, stdout, stderr)
	case "bench":
		return runBench(ctx, rest, stdout, stderr)
	case "reindex":
		return runReindex(ctx, rest, stdout, stderr)
	case "serve":
		return runServe(ctx, rest, stdout, stderr)
	case "users":
		return runUsers(ctx, rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "registre: unknown command %q\n\n%s", cmd, usage)
	return exitUsage
}
