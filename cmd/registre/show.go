package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"registre/index"
)

func runShow(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("show", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: registre show [--data DIR] [--es-url URL] ID\n\nPrints the full record (JSON) stored under ID.")
		fs.PrintDefaults()
	}
	var idxFlags indexFlags
	idxFlags.register(fs)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	id := fs.Arg(0)
	idx, err := openForReading(ctx, idxFlags)
	if err != nil {
		fmt.Fprintf(stderr, "registre show: %v\n", err)
		return exitFailed
	}
	defer idx.Close()
	rec, err := idx.Get(ctx, id)
	if errors.Is(err, index.ErrNotFound) {
		fmt.Fprintf(stderr, "registre show: no record with id %q (registre search lists ids)\n", id)
		return exitFailed
	}
	if err != nil {
		fmt.Fprintf(stderr, "registre show: %v\n", err)
		return exitFailed
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rec); err != nil {
		fmt.Fprintf(stderr, "registre show: write record: %v\n", err)
		return exitFailed
	}
	return exitOK
}
