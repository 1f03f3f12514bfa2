package eval

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
)

// Summary is the one-line summary of a result.
func (r Result) Summary() string {
	return fmt.Sprintf("%s: records P=%.3f R=%.3f F1=%.3f (%d matched, %d gold, %d extracted) field score %s flags P=%.3f R=%.3f F1=%.3f",
		label(r), r.Records.Precision, r.Records.Recall, r.Records.F1, r.Records.TP, r.GoldCount, r.GotCount,
		fieldScore(r), r.Flags.Precision, r.Flags.Recall, r.Flags.F1)
}

// fieldScore prints "-" when no field was scored: a document that should
// give no record has no field score, which is not a score of 0.
func fieldScore(r Result) string {
	if r.FieldsScored == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f", r.FieldScore)
}

func label(r Result) string {
	if r.Input == "" {
		return "eval"
	}
	return filepath.Base(r.Input)
}

// WriteText writes the per-field table of each result (one column per
// result when there are several, so renderings of the same content can be
// compared side by side), then one summary line per result.
func WriteText(w io.Writer, results []Result) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	var head strings.Builder
	head.WriteString("field\tkind\t")
	for _, r := range results {
		fmt.Fprintf(&head, "%s (n)\t", label(r))
	}
	fmt.Fprintln(tw, head.String())
	row := func(name, kind string, cell func(Result) string) {
		var b strings.Builder
		fmt.Fprintf(&b, "%s\t%s\t", name, kind)
		for _, r := range results {
			b.WriteString(cell(r) + "\t")
		}
		fmt.Fprintln(tw, b.String())
	}
	for i, name := range FieldNames() {
		row(name, fields[i].kind, func(r Result) string {
			f := r.Fields[i]
			if f.N == 0 {
				return "- (0)"
			}
			return fmt.Sprintf("%.3f (%d)", f.Mean, f.N)
		})
	}
	row("FIELD SCORE", "mean", func(r Result) string { return fieldScore(r) })
	row("records F1", "P/R/F1", func(r Result) string {
		return fmt.Sprintf("%.3f/%.3f/%.3f", r.Records.Precision, r.Records.Recall, r.Records.F1)
	})
	row("flags F1", "P/R/F1", func(r Result) string {
		return fmt.Sprintf("%.3f/%.3f/%.3f", r.Flags.Precision, r.Flags.Recall, r.Flags.F1)
	})
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, r := range results {
		if _, err := fmt.Fprintln(w, r.Summary()); err != nil {
			return err
		}
	}
	if len(results) > 1 {
		if _, err := fmt.Fprintln(w, Overall(results)); err != nil {
			return err
		}
	}
	return nil
}

// Overall is the one-line summary of several cases: the worst case decides
// whether a change is safe, so minima come first.
func Overall(results []Result) string {
	minF1, minFlags, minField, sumField := 1.0, 1.0, 1.0, 0.0
	scored := 0
	for _, r := range results {
		minF1 = min(minF1, r.Records.F1)
		minFlags = min(minFlags, r.Flags.F1)
		if r.FieldsScored > 0 {
			minField = min(minField, r.FieldScore)
			sumField += r.FieldScore
			scored++
		}
	}
	mean := "-"
	if scored > 0 {
		mean = fmt.Sprintf("%.3f", sumField/float64(scored))
	} else {
		minField = 0
	}
	return fmt.Sprintf("overall: %d cases, records F1 min %.3f, field score min %.3f mean %s, flags F1 min %.3f",
		len(results), minF1, minField, mean, minFlags)
}

// WriteDetails lists, for each result, the unmatched records and the
// matched pairs whose fields scored below 1: what a developer reads next.
func WriteDetails(w io.Writer, g []*Gold, results []Result) {
	for k, r := range results {
		fmt.Fprintf(w, "== %s\n", label(r))
		for _, n := range r.UnmatchedGold {
			fmt.Fprintf(w, "  missed gold record: %q\n", n)
		}
		for _, n := range r.UnmatchedFound {
			fmt.Fprintf(w, "  extra extracted record: %q\n", n)
		}
		for _, p := range r.Pairs {
			var bad []string
			for _, name := range FieldNames() {
				if s, ok := p.Fields[name]; ok && s < 1 {
					bad = append(bad, fmt.Sprintf("%s=%.2f", name, s))
				}
			}
			for _, c := range p.MissedFlags {
				bad = append(bad, "missed flag "+c)
			}
			for _, c := range p.ExtraFlags {
				bad = append(bad, "extra flag "+c)
			}
			if len(bad) == 0 {
				continue
			}
			gn := ""
			if k < len(g) && g[k] != nil && p.Gold < len(g[k].Records) {
				gn = goldName(&g[k].Records[p.Gold])
			}
			fmt.Fprintf(w, "  %q: %s\n", gn, strings.Join(bad, " "))
		}
	}
}
