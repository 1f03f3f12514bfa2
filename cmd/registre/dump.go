package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"registre"
	"registre/ingest"
)

// runDump shows how a file is read: its blocks with kinds, levels, pages,
// paths and spans. A tool for writing parsers and for bug reports.
func runDump(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("dump", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the whole document as JSON")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: registre dump [--json] FILE")
		return exitUsage
	}
	doc, err := ingest.ReadFile(ctx, fs.Arg(0), ingest.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", fs.Arg(0), err)
		return exitFailed
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", " ")
		_ = enc.Encode(doc)
		return exitOK
	}
	fmt.Fprintf(stdout, "%s format=%s pages=%d title=%q blocks=%d\n", doc.Path, doc.Format, doc.Pages, doc.Title, len(doc.Blocks))
	for _, b := range doc.Blocks {
		dumpBlock(stdout, b, "")
	}
	return exitOK
}

func dumpBlock(w io.Writer, b registre.Block, indent string) {
	fmt.Fprintf(w, "%s[%s l%d p%d %d-%d %s] %q", indent, b.Kind, b.Level, b.Page, b.Start, b.End, b.Path, b.Text)
	for _, l := range b.Links {
		fmt.Fprintf(w, " <a %q→%s after=%q>", l.Text, l.Href, l.After)
	}
	fmt.Fprintln(w)
	for i, row := range b.Rows {
		for j, c := range row {
			fmt.Fprintf(w, "%s  cell %d,%d:\n", indent, i, j)
			for _, cb := range c.Blocks {
				dumpBlock(w, cb, indent+strings.Repeat(" ", 4))
			}
		}
	}
}
