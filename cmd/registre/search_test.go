package main

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"registre"
	"registre/index"
	"registre/index/bleveindex"
	"registre/index/indextest"
)

// indexedDataDir is a data dir whose embedded index holds the index
// conformance fixtures.
func indexedDataDir(t *testing.T) (string, []registre.Record) {
	t.Helper()
	dir := t.TempDir()
	recs := indextest.Fixtures(t)
	x, err := bleveindex.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := x.PutRecords(context.Background(), recs); err != nil || len(res.Failures) > 0 {
		t.Fatalf("PutRecords: %v %v", err, res.Failures)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	return dir, recs
}

func runIndexCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	t.Setenv("ELASTICSEARCH_URL", "") // the embedded index, whatever the shell says
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestSearchJSON(t *testing.T) {
	dir, _ := indexedDataDir(t)
	for _, c := range []struct {
		name  string
		args  []string
		total int
		ids   []string
	}{
		{"accent-insensitive with filter", []string{"--filter", "organisation=Cramif", "donnees de sante"}, 3, []string{
			"cramif-gestion-des-signalements-de-fraudes-et-anomalies",
			"cramif-mise-a-disposition-d-etats-pour-les-differents-m",
			"cramif-requetes-sur-le-systeme-national-des-donnees-de-",
		}},
		{"repeated filter key ORs", []string{"--filter", "format=docx", "--filter", "format=pdf", "--filter", "transfer=yes"}, 1, []string{
			"ccmsa-decision-14-04-teleservice-declaration-embauche"}},
		{"failed files on request", []string{"--filter", "kind=document_status"}, 1, []string{"status-declarations-fiche-illisible"}},
		{"query in several words", []string{"déclaration", "embauche"}, 1, []string{"ccmsa-decision-14-04-teleservice-declaration-embauche"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runIndexCLI(t, append([]string{"search", "--data", dir, "--json"}, c.args...)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			var res struct {
				Total int `json:"total"`
				Hits  []struct {
					ID           string              `json:"id"`
					Name         string              `json:"name"`
					Organisation string              `json:"organisation"`
					Highlights   map[string][]string `json:"highlights"`
				} `json:"hits"`
				Facets map[string][]index.FacetValue `json:"facets"`
			}
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatalf("output is not the JSON result: %v\n%s", err, out)
			}
			var ids []string
			for _, h := range res.Hits {
				ids = append(ids, h.ID)
				if h.Name == "" {
					t.Errorf("hit %s has no name", h.ID)
				}
			}
			slices.Sort(ids)
			if res.Total != c.total || !slices.Equal(ids, c.ids) {
				t.Errorf("total %d ids %v; want %d %v", res.Total, ids, c.total, c.ids)
			}
			if len(res.Facets) != len(index.FacetKeys) {
				t.Errorf("facets %v; want every key", res.Facets)
			}
		})
	}
}

func TestSearchEmptyQueryCountsProcessingRecords(t *testing.T) {
	dir, recs := indexedDataDir(t)
	code, out, errs := runIndexCLI(t, "search", "--data", dir, "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var res index.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if want := len(recs) - 1; res.Total != want { // one document_status fixture
		t.Errorf("total %d; want %d", res.Total, want)
	}
}

func TestSearchJSONHighlightsUnescaped(t *testing.T) {
	dir, _ := indexedDataDir(t)
	code, out, errs := runIndexCLI(t, "search", "--data", dir, "--json", "embauche")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// Highlights are HTML: text escaped, terms in <mark>.
	if !strings.Contains(out, "à <mark>l&#39;embauche</mark>") {
		t.Errorf("want a literal <mark> highlight in:\n%s", out)
	}
}

func TestSearchText(t *testing.T) {
	dir, _ := indexedDataDir(t)
	code, out, errs := runIndexCLI(t, "search", "--data", dir, "--filter", "organisation=Cramif", "invalidité")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"2 result(s)", "cramif-controle-a-posteriori-invalidite", "[Cramif] Contrôle a posteriori", "«Invalidité»", "organisation:  Cramif (2)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestSearchUsageErrors(t *testing.T) {
	dir, _ := indexedDataDir(t)
	for _, args := range [][]string{
		{"search", "--data", dir, "--filter", "colour=red", "x"},
		{"search", "--data", dir, "--filter", "organisation", "x"},
		{"search", "--data", dir, "--size", "100000", "x"},
		{"show", "--data", dir},
		{"bench"},
		{"bench", "nosuch"},
	} {
		if code, _, errs := runIndexCLI(t, args...); code != exitUsage || errs == "" {
			t.Errorf("%v: exit %d, stderr %q; want %d and a message", args, code, errs, exitUsage)
		}
	}
}

func TestSearchWithoutIndex(t *testing.T) {
	dir := t.TempDir()
	code, _, errs := runIndexCLI(t, "search", "--data", dir, "x")
	if code != exitFailed || !strings.Contains(errs, "registre ingest") {
		t.Errorf("exit %d, %q; want %d and a hint to ingest first", code, errs, exitFailed)
	}
}

func TestSearchWhileAnotherReaderHasTheIndex(t *testing.T) {
	dir, _ := indexedDataDir(t)
	r, err := bleveindex.OpenWith(context.Background(), dir, bleveindex.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if code, _, errs := runIndexCLI(t, "search", "--data", dir, "--json", "santé"); code != exitOK {
		t.Errorf("exit %d: %s", code, errs)
	}
}

func TestShow(t *testing.T) {
	dir, recs := indexedDataDir(t)
	code, out, errs := runIndexCLI(t, "show", "--data", dir, "cgss-gestion-de-crise-sanitaire")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got registre.Record
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	var want registre.Record
	for _, r := range recs {
		if r.ID == got.ID {
			want = r
		}
	}
	a, _ := json.Marshal(got)
	b, _ := json.Marshal(want)
	if want.ID == "" || !bytes.Equal(a, b) {
		t.Errorf("show printed\n%s\nwant\n%s", a, b)
	}
	if !strings.Contains(out, "Données de santé") {
		t.Error("accents escaped in show output")
	}
	code, _, errs = runIndexCLI(t, "show", "--data", dir, "no-such-id")
	if code != exitFailed || !strings.Contains(errs, "no-such-id") {
		t.Errorf("unknown id: exit %d, %q", code, errs)
	}
}

func TestBenchIndexEmbedded(t *testing.T) {
	code, out, errs := runIndexCLI(t, "bench", "index", "--docs", "50", "--batch", "20")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"50 records", "bleve (embedded)", "docs/s", "elasticsearch: skipped"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
