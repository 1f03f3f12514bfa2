package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"registre"
	"registre/pipeline"
)

// orgSummary is what `registre flags` reports for one organisation.
type orgSummary struct {
	Organisation string         `json:"organisation"`
	Records      int            `json:"records"`
	Files        int            `json:"files"`
	Codes        []codeCount    `json:"codes"`
	Worst        []recordReport `json:"worst"`
}

type codeCount struct {
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Records  int    `json:"records"` // records raising the code at least once
	Flags    int    `json:"flags"`
}

type recordReport struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Source   string   `json:"source"`
	Errors   int      `json:"errors"`
	Warnings int      `json:"warnings"`
	Infos    int      `json:"infos"`
	Codes    []string `json:"codes"`
	score    int
}

var severityOrder = map[string]int{registre.SeverityError: 0, registre.SeverityWarning: 1, registre.SeverityInfo: 2}

func runFlags(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("flags", flag.ContinueOnError)
	fs.SetOutput(stderr)
	top := fs.Int("top", 10, "records listed per organisation, worst first")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	workers := fs.Int("workers", 0, "files processed at once (default: number of CPUs)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: registre flags [--top N] [--json] PATH...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() == 0 || *top < 0 {
		fs.Usage()
		return exitUsage
	}
	results, err := extractAll(ctx, fs.Args(), pipeline.Options{Workers: *workers})
	if err != nil {
		fmt.Fprintf(stderr, "registre flags: %v\n", err)
		return exitUsage
	}
	code := exitOK
	var recs []registre.Record
	for _, r := range results {
		if r.Err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", r.Path, r.Err)
			code = exitFailed
			continue
		}
		recs = append(recs, r.Records...)
	}
	sums := summarize(recs, *top)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(sums); err != nil {
			fmt.Fprintf(stderr, "registre flags: write: %v\n", err)
			return exitFailed
		}
		return code
	}
	if err := writeSummary(stdout, sums); err != nil {
		fmt.Fprintf(stderr, "registre flags: write: %v\n", err)
		return exitFailed
	}
	return code
}

// summarize groups records by organisation: counts by code, and the records
// with the most serious open flags first. Dismissed and resolved flags do
// not count.
func summarize(recs []registre.Record, top int) []orgSummary {
	byOrg := map[string][]registre.Record{}
	for _, r := range recs {
		org := strings.TrimSpace(r.Organisation)
		if org == "" {
			org = "(organisation inconnue)"
		}
		byOrg[org] = append(byOrg[org], r)
	}
	var orgs []string
	for o := range byOrg {
		orgs = append(orgs, o)
	}
	sort.Strings(orgs)
	var out []orgSummary
	for _, o := range orgs {
		rs := byOrg[o]
		s := orgSummary{Organisation: o, Records: len(rs), Codes: []codeCount{}, Worst: []recordReport{}}
		files := map[string]bool{}
		counts := map[string]*codeCount{}
		var reports []recordReport
		for _, r := range rs {
			files[r.Source.Path] = true
			rep := recordReport{ID: r.ID, Name: r.Name, Source: r.Source.Path}
			if r.Source.Locator != "" {
				rep.Source += " (" + r.Source.Locator + ")"
			}
			seen := map[string]bool{}
			for _, f := range r.Flags {
				if f.Status != "" && f.Status != "open" {
					continue
				}
				c := counts[f.Code]
				if c == nil {
					c = &codeCount{Code: f.Code, Severity: f.Severity}
					counts[f.Code] = c
				}
				c.Flags++
				if !seen[f.Code] {
					seen[f.Code] = true
					c.Records++
					rep.Codes = append(rep.Codes, f.Code)
				}
				switch f.Severity {
				case registre.SeverityError:
					rep.Errors++
				case registre.SeverityWarning:
					rep.Warnings++
				default:
					rep.Infos++
				}
			}
			rep.score = rep.Errors*100 + rep.Warnings*10 + rep.Infos
			if rep.score > 0 {
				reports = append(reports, rep)
			}
		}
		s.Files = len(files)
		for _, c := range counts {
			s.Codes = append(s.Codes, *c)
		}
		sort.Slice(s.Codes, func(i, j int) bool {
			a, b := s.Codes[i], s.Codes[j]
			if severityOrder[a.Severity] != severityOrder[b.Severity] {
				return severityOrder[a.Severity] < severityOrder[b.Severity]
			}
			if a.Records != b.Records {
				return a.Records > b.Records
			}
			return a.Code < b.Code
		})
		sort.SliceStable(reports, func(i, j int) bool {
			if reports[i].score != reports[j].score {
				return reports[i].score > reports[j].score
			}
			if reports[i].Source != reports[j].Source {
				return reports[i].Source < reports[j].Source
			}
			return reports[i].Name < reports[j].Name
		})
		if len(reports) > top {
			reports = reports[:top]
		}
		s.Worst = append(s.Worst, reports...)
		out = append(out, s)
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

func writeSummary(w io.Writer, sums []orgSummary) error {
	if len(sums) == 0 {
		_, err := fmt.Fprintln(w, "Aucun traitement trouvé.")
		return err
	}
	for i, s := range sums {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "== %s — %s, %s ==\n\n", s.Organisation, plural(s.Records, "traitement", "traitements"), plural(s.Files, "fichier", "fichiers"))
		if len(s.Codes) == 0 {
			fmt.Fprintln(w, "Aucun flag ouvert.")
			continue
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "CODE\tGRAVITÉ\tTRAITEMENTS\tFLAGS")
		for _, c := range s.Codes {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\n", c.Code, c.Severity, c.Records, c.Flags)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if len(s.Worst) == 0 {
			continue
		}
		fmt.Fprintf(w, "\nTraitements à revoir en priorité :\n")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "#\tTRAITEMENT\tERR\tAVERT\tINFO\tCODES\tSOURCE")
		for k, r := range s.Worst {
			fmt.Fprintf(tw, "%d\t%s\t%d\t%d\t%d\t%s\t%s\n", k+1, truncate(r.Name, 60), r.Errors, r.Warnings, r.Infos, strings.Join(r.Codes, ", "), r.Source)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

func truncate(s string, n int) string {
	rs := []rune(strings.Join(strings.Fields(s), " "))
	if len(rs) <= n {
		return string(rs)
	}
	return string(rs[:n-1]) + "…"
}
