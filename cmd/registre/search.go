package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/blevesearch/bleve/v2"

	"registre/index"
	"registre/index/bleveindex"
)

// filterFlags collects repeated --filter key=value.
type filterFlags map[string][]string

func (f filterFlags) String() string { return fmt.Sprint(map[string][]string(f)) }

func (f filterFlags) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	k, v = strings.TrimSpace(k), strings.TrimSpace(v)
	if !ok || k == "" || v == "" {
		return fmt.Errorf("want key=value, got %q", s)
	}
	if !index.IsFacet(k) {
		return fmt.Errorf("unknown filter %q (known: %s)", k, strings.Join(index.FacetKeys, ", "))
	}
	f[k] = append(f[k], v)
	return nil
}

const searchUsage = `Usage: registre search [--data DIR] [--es-url URL] [--filter key=value]... [--json] QUERY

An empty QUERY matches every processing record. Filters of one key are ORed,
different keys ANDed. Keys: %s.
Totals count processing records only; --filter kind=document_status lists the
files that failed.

`

func runSearch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, searchUsage, strings.Join(index.FacetKeys, ", "))
		fs.PrintDefaults()
	}
	var idxFlags indexFlags
	idxFlags.register(fs)
	filters := filterFlags{}
	fs.Var(filters, "filter", "key=value facet filter (repeatable)")
	asJSON := fs.Bool("json", false, `print {"total", "hits", "facets"} as JSON`)
	from := fs.Int("from", 0, "first hit (pagination)")
	size := fs.Int("size", index.DefaultSize, "hits per page")
	records := fs.Bool("records", false, "with --json, include each hit's full record")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	q := index.Query{
		Text:        strings.Join(fs.Args(), " "),
		Filters:     filters,
		Highlight:   true,
		WithRecords: *records,
		From:        *from,
		Size:        *size,
	}
	if _, err := index.Normalize(q); err != nil {
		fmt.Fprintf(stderr, "registre search: %v\n", err)
		return exitUsage
	}
	idx, err := openForReading(ctx, idxFlags)
	if err != nil {
		fmt.Fprintf(stderr, "registre search: %v\n", err)
		return exitFailed
	}
	defer idx.Close()
	res, err := idx.Search(ctx, q)
	if err != nil {
		fmt.Fprintf(stderr, "registre search: %v\n", err)
		return exitFailed
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false) // highlights carry <mark>
		if err := enc.Encode(res); err != nil {
			fmt.Fprintf(stderr, "registre search: write result: %v\n", err)
			return exitFailed
		}
		return exitOK
	}
	printSearch(stdout, q, res)
	return exitOK
}

// openForReading opens the configured index to read: the embedded index is
// opened read-only, so searches run while "registre serve" or another search
// has it open (a running ingest still excludes them, with a clear error).
func openForReading(ctx context.Context, f indexFlags) (index.Index, error) {
	if f.esURL != "" {
		return f.open(ctx)
	}
	x, err := bleveindex.OpenWith(ctx, f.data, bleveindex.Options{ReadOnly: true})
	if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) {
		return nil, fmt.Errorf("no index in %s yet: run registre ingest first (or pass --data / --es-url)", f.data)
	}
	if err != nil {
		return nil, fmt.Errorf("open the index: %w", err)
	}
	return x, nil
}

// printSearch writes a result for a terminal: the hits, their highlights
// (marks shown as « »), then the facets.
func printSearch(w io.Writer, q index.Query, res *index.Result) {
	fmt.Fprintf(w, "%d result(s)", res.Total)
	if len(res.Hits) > 0 {
		fmt.Fprintf(w, ", %d-%d shown", q.From+1, q.From+len(res.Hits))
	}
	fmt.Fprintln(w)
	// Highlights are HTML fragments: marks become « », entities text.
	marks := strings.NewReplacer("<mark>", "«", "</mark>", "»")
	for _, h := range res.Hits {
		fmt.Fprintf(w, "\n%s  [%s] %s\n", h.ID, h.Organisation, h.Name)
		if h.SourcePath != "" {
			fmt.Fprintf(w, "    %s %s\n", h.SourcePath, h.Locator)
		}
		// Three fragments say why it matched; --json has them all.
		shown := 0
		for _, f := range index.HighlightFields {
			for _, frag := range h.Highlights[f] {
				if shown == 3 {
					break
				}
				shown++
				fmt.Fprintf(w, "    %s: %s\n", f, html.UnescapeString(marks.Replace(strings.Join(strings.Fields(frag), " "))))
			}
		}
	}
	fmt.Fprintln(w)
	for _, k := range index.FacetKeys {
		vals := res.Facets[k]
		if len(vals) == 0 {
			continue
		}
		var parts []string
		for i, v := range vals {
			if i == 8 {
				parts = append(parts, fmt.Sprintf("… %d more", len(vals)-i))
				break
			}
			parts = append(parts, fmt.Sprintf("%s (%d)", v.Value, v.Count))
		}
		fmt.Fprintf(w, "%-14s %s\n", k+":", strings.Join(parts, ", "))
	}
}
