package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"registre/flags"
)

// runRules prints the flag rule catalogue: a table by default, the
// docs/flags.md page with --markdown, the rules as JSON with --json.
func runRules(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rules", flag.ContinueOnError)
	fs.SetOutput(stderr)
	markdown := fs.Bool("markdown", false, "print the reference page (docs/flags.md)")
	asJSON := fs.Bool("json", false, "print the rules as JSON")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: registre rules [--markdown | --json]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 0 || (*markdown && *asJSON) {
		fs.Usage()
		return exitUsage
	}
	e := flags.New()
	switch {
	case *markdown:
		if err := flags.Markdown(stdout, e.Rules(), e.Providers()); err != nil {
			fmt.Fprintf(stderr, "registre rules: write: %v\n", err)
			return exitFailed
		}
		return exitOK
	case *asJSON:
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			Version   string           `json:"version"`
			Rules     []flags.Rule     `json:"rules"`
			Providers []flags.Provider `json:"providers"`
		}{e.Version(), e.Rules(), e.Providers()}); err != nil {
			fmt.Fprintf(stderr, "registre rules: write: %v\n", err)
			return exitFailed
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "RÈGLE\tCODE\tGRAVITÉ\tV\tDEPUIS\tOBJET\tSOURCE\n")
	for _, r := range e.Rules() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\n", r.ID, r.Code, r.Severity, r.Version, r.Effective, r.Title, r.Citation)
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintf(stderr, "registre rules: write: %v\n", err)
		return exitFailed
	}
	fmt.Fprintf(stdout, "\n%d règles (%s). Détail : registre rules --markdown\n", len(e.Rules()), e.Version())
	return exitOK
}
