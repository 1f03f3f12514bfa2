package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const evalFixtures = "../../fixtures/eval"

// writeCases writes a cases file in a temporary folder, pointing at the
// fixtures by absolute path (the relative-path rule is tested in eval).
func writeCases(t *testing.T, cases ...[2]string) string {
	t.Helper()
	var list []map[string]string
	for _, c := range cases {
		g, _ := filepath.Abs(filepath.Join(evalFixtures, c[0]))
		in, _ := filepath.Abs(filepath.Join(evalFixtures, c[1]))
		list = append(list, map[string]string{"gold": g, "input": in})
	}
	data, _ := json.Marshal(list)
	p := filepath.Join(t.TempDir(), "cases.json")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestEvalOnePair(t *testing.T) {
	out, errs, code := runCLI(t, "eval", "--gold", filepath.Join(evalFixtures, "gold/ccmsa-decision-14-04.json"),
		filepath.Join(evalFixtures, "../decision/ccmsa-decision-14-04.pdf"))
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	for _, want := range []string{"field", "data_categories", "FIELD SCORE", "records F1",
		"ccmsa-decision-14-04.pdf: records P=1.000 R=1.000 F1=1.000 (1 matched, 1 gold, 1 extracted)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestEvalCasesJSON(t *testing.T) {
	cases := writeCases(t,
		[2]string{"gold/ccmsa-decision-14-04.json", "../decision/ccmsa-decision-14-04.md"},
		[2]string{"gold/cerig-cgu.json", "../generic/cerig-cgu.html"},
		// the wrong gold for a document: nothing matches
		[2]string{"gold/ccmsa-decision-14-04.json", "../generic/cerig-cgu.html"},
	)
	out, errs, code := runCLI(t, "eval", "--json", "--cases", cases)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	var res struct {
		Cases []struct {
			Input        string  `json:"input"`
			FieldScore   float64 `json:"field_score"`
			FieldsScored int     `json:"fields_scored"`
			Records      struct {
				TP int     `json:"tp"`
				FN int     `json:"fn"`
				F1 float64 `json:"f1"`
			} `json:"records"`
			Fields []struct {
				Field string  `json:"field"`
				N     int     `json:"n"`
				Mean  float64 `json:"mean"`
			} `json:"fields"`
		} `json:"cases"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(res.Cases) != 3 {
		t.Fatalf("cases = %d, want 3", len(res.Cases))
	}
	if c := res.Cases[0]; c.Records.F1 != 1 || c.FieldsScored == 0 || c.FieldScore < 0.9 {
		t.Errorf("decision case = %+v", c)
	}
	if c := res.Cases[1]; c.Records.F1 != 1 || c.FieldsScored != 0 {
		t.Errorf("no-record case = %+v, want F1 1 and no field scored", c)
	}
	if c := res.Cases[2]; c.Records.F1 != 0 || c.Records.FN != 1 {
		t.Errorf("mismatched case = %+v, want the gold record missed", c)
	}
	// --fail-under turns the missed record into a failing exit code.
	if _, _, code := runCLI(t, "eval", "--fail-under", "0.95", "--cases", cases); code != exitFailed {
		t.Errorf("--fail-under exit = %d, want %d", code, exitFailed)
	}
}

func TestEvalErrors(t *testing.T) {
	gold := filepath.Join(evalFixtures, "gold/cerig-cgu.json")
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"records":[{"name":"A","legal_bases":["6-1-z"]}]}`), 0o644)
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no arguments", []string{"eval"}, exitUsage, "usage"},
		{"gold and cases", []string{"eval", "--gold", gold, "--cases", gold}, exitUsage, "usage"},
		{"gold without input", []string{"eval", "--gold", gold}, exitUsage, "usage"},
		{"invalid gold", []string{"eval", "--gold", bad, gold}, exitUsage, "6-1-z"},
		{"missing cases file", []string{"eval", "--cases", "/nonexistent/cases.json"}, exitUsage, "cases"},
		{"unreadable input", []string{"eval", "--gold", gold, "/nonexistent/input.pdf"}, exitFailed, "/nonexistent/input.pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs, code := runCLI(t, tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.msg) {
				t.Errorf("exit %d stderr %q, want exit %d mentioning %q", code, errs, tt.code, tt.msg)
			}
		})
	}
}
