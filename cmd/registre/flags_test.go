package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"registre"
	"registre/flags"
)

func TestRulesCommand(t *testing.T) {
	out, errs, code := runCLI(t, "rules")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	for _, r := range flags.New().Rules() {
		if !strings.Contains(out, r.ID) || !strings.Contains(out, r.Effective) {
			t.Errorf("rules output lacks %s or its effective date", r.ID)
		}
	}
	md, _, code := runCLI(t, "rules", "--markdown")
	want, err := os.ReadFile("../../docs/flags.md")
	if err != nil || code != 0 || md != string(want) {
		t.Errorf("rules --markdown (exit %d) differs from docs/flags.md (err %v)", code, err)
	}
	js, _, code := runCLI(t, "rules", "--json")
	var doc struct {
		Rules     []flags.Rule     `json:"rules"`
		Providers []flags.Provider `json:"providers"`
	}
	if code != 0 || json.Unmarshal([]byte(js), &doc) != nil || len(doc.Rules) == 0 || len(doc.Providers) == 0 {
		t.Errorf("rules --json: exit %d, %d rules", code, len(doc.Rules))
	}
	if _, _, code := runCLI(t, "rules", "extra"); code != exitUsage {
		t.Errorf("rules with an argument: exit %d, want usage", code)
	}
}

// The Cramif page and the Cnam register: one table per organisation, the
// annotated codes counted, the worst records first.
func TestFlagsCommand(t *testing.T) {
	out, errs, code := runCLI(t, "flags", "--top", "3",
		filepath.Join(corpus, "cramif-registre.html"), filepath.Join(corpus, "cnam-registre.pdf"))
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	cnam := strings.Index(out, "== Cnam")
	cramif := strings.Index(out, "== Cramif")
	if cnam < 0 || cramif < cnam {
		t.Fatalf("want a Cnam then a Cramif section:\n%s", out)
	}
	cramifPart := out[cramif:]
	for _, want := range []string{"73 traitements", "missing_legal_basis", "health_data_without_art9", "vague_retention", "Traitements à revoir en priorité"} {
		if !strings.Contains(cramifPart, want) {
			t.Errorf("Cramif section lacks %q:\n%s", want, cramifPart)
		}
	}
	// Every Cramif record lacks a legal basis: 73 records.
	if !regexpLine(cramifPart, "missing_legal_basis", "73") {
		t.Errorf("missing_legal_basis should count 73 records:\n%s", cramifPart)
	}
	if n := strings.Count(cramifPart, "cramif-registre.html ("); n != 3 {
		t.Errorf("--top 3 listed %d Cramif records", n)
	}

	js, _, code := runCLI(t, "flags", "--json", filepath.Join(corpus, "cramif-registre.html"))
	var sums []orgSummary
	if code != 0 || json.Unmarshal([]byte(js), &sums) != nil || len(sums) != 1 {
		t.Fatalf("flags --json: exit %d\n%s", code, js)
	}
	w := sums[0].Worst
	for i := 1; i < len(w); i++ {
		if w[i-1].Errors*100+w[i-1].Warnings*10+w[i-1].Infos < w[i].Errors*100+w[i].Warnings*10+w[i].Infos {
			t.Errorf("worst records not in order: %+v then %+v", w[i-1], w[i])
		}
	}
}

func regexpLine(s, code, n string) bool {
	for _, l := range strings.Split(s, "\n") {
		f := strings.Fields(l)
		if len(f) >= 3 && f[0] == code && f[2] == n {
			return true
		}
	}
	return false
}

func TestSummarizeSkipsDismissed(t *testing.T) {
	recs := []registre.Record{
		{Organisation: "CPAM X", Name: "A", Source: registre.Source{Path: "a.html"}, Flags: []registre.Flag{
			{Code: "missing_retention", Severity: "error", Status: "dismissed"},
			{Code: "vague_retention", Severity: "warning", Status: "open"},
		}},
		{Organisation: "CPAM X", Name: "B", Source: registre.Source{Path: "a.html"}, Flags: []registre.Flag{
			{Code: "missing_retention", Severity: "error", Status: "open"},
		}},
		{Organisation: "", Name: "C"},
	}
	sums := summarize(recs, 10)
	if len(sums) != 2 || sums[0].Organisation != "(organisation inconnue)" || sums[1].Records != 2 {
		t.Fatalf("summaries %+v", sums)
	}
	x := sums[1]
	if x.Codes[0].Code != "missing_retention" || x.Codes[0].Records != 1 || x.Worst[0].Name != "B" {
		t.Errorf("dismissed flag counted or wrong order: %+v", x)
	}
}
