package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"registre/index/esindex"
)

const reindexUsage = `usage: registre reindex --es-url URL [--es-index ALIAS]

Rebuilds the Elasticsearch index from the records it holds: a new versioned
index is made from the current template (French analysis, facet fields), every
stored record and document-status entry is copied into it, and the alias is
moved to it in one atomic call; the old index is then deleted. Searches see
the old index until the swap and the new one after, never a half-filled one.
Run it after an upgrade that changes the template (registre warns "index made
from an older template"). The embedded index has no alias: it is rebuilt by
deleting its folder and the ledger and running "registre ingest" again.

Exit status: 0 done, 1 the rebuild failed (the alias still points at the old
index), 2 usage.

Flags:
`

func runReindex(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("reindex", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f indexFlags
	f.register(fs)
	fs.Usage = func() {
		fmt.Fprint(stderr, reindexUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 0 || f.esURL == "" {
		fmt.Fprintln(stderr, "registre reindex: needs --es-url (or $ELASTICSEARCH_URL) and no argument")
		fs.Usage()
		return exitUsage
	}
	x, err := f.open(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "registre reindex: open the index: %v\n", err)
		return exitFailed
	}
	defer x.Close()
	es, ok := x.(*esindex.Index)
	if !ok {
		fmt.Fprintf(stderr, "registre reindex: %T is not an Elasticsearch index\n", x)
		return exitFailed
	}
	name, err := es.Reindex(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "registre reindex: %v\n", err)
		return exitFailed
	}
	fmt.Fprintf(stdout, "alias %s now points at %s\n", es.Alias(), name)
	return exitOK
}
