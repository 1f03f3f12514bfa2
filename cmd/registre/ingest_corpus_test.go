package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"registre"
	"registre/index"
	"registre/index/bleveindex"
	"registre/overlay"
)

// The same national processing in two files: the Cramif page's
// "Observatoire Régional Francilien des situations de fragilité" keeps its
// data for another duration than the Cnam register's fiche 55.
const (
	cramifFragilite = "cramif-41b3b2d8211b"
	cnamFragilite   = "cnam-febef843de39"
)

// searchIDs runs "registre search --json" with filters and returns the
// sorted ids it found.
func searchIDs(t *testing.T, args ...string) []string {
	t.Helper()
	stdout, stderr, code := runCLI(t, append(append([]string{"search", "--json"}, args...), "")...)
	if code != exitOK {
		t.Fatalf("search %v: exit %d\n%s", args, code, stderr)
	}
	var res index.Result
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("search output: %v\n%s", err, stdout)
	}
	ids := []string{}
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	sort.Strings(ids)
	return ids
}

// getRecord reads one record from the embedded index of data.
func getRecord(t *testing.T, data, id string) *registre.Record {
	t.Helper()
	x, err := bleveindex.Open(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	r, err := x.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func flagsWith(r *registre.Record, code string) []registre.Flag {
	var out []registre.Flag
	for _, f := range r.Flags {
		if f.Code == code {
			out = append(out, f)
		}
	}
	return out
}

// TestIngestCorpusFlagsAcrossFiles follows the cross-register divergence
// between the Cramif page and the Cnam register, ingested as two files,
// through the life of a bulk ingestion.
func TestIngestCorpusFlagsAcrossFiles(t *testing.T) {
	tree, data := t.TempDir(), t.TempDir()
	cnamPath := filepath.Join(tree, "cnam", "cnam-registre.pdf")
	copyFile(t, "../../fixtures/corpus/cramif-registre.html", filepath.Join(tree, "cramif", "cramif-registre.html"))
	copyFile(t, "../../fixtures/corpus/cnam-registre.pdf", cnamPath)
	flagged := []string{"--data", data, "--filter", "flag=cross_register_divergence"}
	both := []string{cnamFragilite, cramifFragilite}

	// 1. First run: the pass flags both records, each naming the other file.
	rep, out, code := ingestCLI(t, data, tree)
	if code != exitOK {
		t.Fatalf("ingest: exit %d\n%s", code, out)
	}
	if c := rep.Corpus; c == nil || !c.Ran || c.Records != rep.Records || c.RecordsChanged != 2 {
		t.Fatalf("corpus pass %+v; want it run over the %d records, 2 re-flagged\n%s", rep.Corpus, rep.Records, out)
	}
	if !strings.Contains(out, fmt.Sprintf("corpus flags: %d records read, 2 re-flagged", rep.Records)) {
		t.Errorf("summary lacks the corpus line:\n%s", out)
	}
	if got := searchIDs(t, flagged...); !slices.Equal(got, both) {
		t.Fatalf("flag=cross_register_divergence found %v; want %v", got, both)
	}
	cramif := getRecord(t, data, cramifFragilite)
	xs := flagsWith(cramif, "cross_register_divergence")
	if len(xs) != 1 || !strings.Contains(xs[0].Message, "cnam-registre.pdf, Fiche 55") || xs[0].Rule != "XRG-001" {
		t.Fatalf("Cramif divergence flags %+v; want XRG-001 naming the Cnam fiche", xs)
	}
	perFile := len(cramif.Flags) - len(xs)
	if perFile == 0 {
		t.Fatal("the Cramif record lost its per-file flags")
	}

	// 2. Nothing changed: no pass, nothing rewritten.
	before := indexContent(t, data)
	rep, out, _ = ingestCLI(t, data, tree)
	if c := rep.Corpus; c == nil || c.Ran || c.RecordsChanged != 0 || rep.Processed != 0 {
		t.Fatalf("unchanged re-run: corpus %+v, processed %d; want no pass\n%s", rep.Corpus, rep.Processed, out)
	}
	// A pass over an up to date index (its state file lost) rewrites
	// nothing either.
	states, _ := filepath.Glob(filepath.Join(data, "corpus-flags-*.json"))
	if len(states) != 1 {
		t.Fatalf("corpus state files %v; want one", states)
	}
	if err := os.Remove(states[0]); err != nil {
		t.Fatal(err)
	}
	rep, out, _ = ingestCLI(t, data, tree)
	if c := rep.Corpus; c == nil || !c.Ran || c.RecordsChanged != 0 {
		t.Fatalf("pass over an up to date index: %+v; want run, 0 re-flagged\n%s", rep.Corpus, out)
	}
	if after := indexContent(t, data); !mapsEqual(before, after) {
		t.Error("the index changed on runs that changed nothing")
	}

	// 3. A reviewer dismisses the divergence; the Cnam file moves, so both
	// flags are reworded (they name the Cnam file) and put again: the
	// overlay still dismisses the Cramif one (same record id, code and
	// evidence).
	store, err := overlay.Open(overlayPath(data))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Decide(context.Background(), *cramif, "cross_register_divergence", overlay.StatusDismissed, "alice", "durée locale justifiée"); err != nil {
		t.Fatal(err)
	}
	moved := filepath.Join(tree, "cnam", "2024", "cnam-registre.pdf")
	if err := os.MkdirAll(filepath.Dir(moved), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(cnamPath, moved); err != nil {
		t.Fatal(err)
	}
	rep, out, _ = ingestCLI(t, data, tree)
	if rep.Moved != 1 || rep.Corpus == nil || rep.Corpus.RecordsChanged != 2 {
		t.Fatalf("after the move: moved %d, corpus %+v; want 1 moved, both records re-flagged\n%s", rep.Moved, rep.Corpus, out)
	}
	cramif = getRecord(t, data, cramifFragilite)
	shown, err := store.ApplyTo(*cramif)
	if err != nil {
		t.Fatal(err)
	}
	xs = flagsWith(&shown, "cross_register_divergence")
	if len(xs) != 1 || !strings.Contains(xs[0].Message, "2024/cnam-registre.pdf") || xs[0].Status != overlay.StatusDismissed {
		t.Errorf("after the move the divergence shows %+v; want reworded and still dismissed", xs)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}

	// 4. The Cnam file is deleted and pruned: the flag goes, the Cramif
	// record keeps its per-file flags.
	if err := os.Remove(moved); err != nil {
		t.Fatal(err)
	}
	rep, out, _ = ingestCLI(t, data, "--prune", tree)
	if rep.Pruned != 1 || rep.Corpus == nil || !rep.Corpus.Ran || rep.Corpus.RecordsChanged != 1 {
		t.Fatalf("prune: pruned %d, corpus %+v; want 1 pruned, 1 re-flagged\n%s", rep.Pruned, rep.Corpus, out)
	}
	if got := searchIDs(t, flagged...); len(got) != 0 {
		t.Errorf("after the prune flag=cross_register_divergence found %v; want none", got)
	}
	cramif = getRecord(t, data, cramifFragilite)
	if n := len(flagsWith(cramif, "cross_register_divergence")); n != 0 || len(cramif.Flags) != perFile {
		t.Errorf("Cramif record after the prune: %d divergence flags, %d flags; want 0, %d", n, len(cramif.Flags), perFile)
	}

	// 5. --no-corpus-flags: the Cnam file is back, the pass is skipped and
	// left pending; the next run, with nothing else to do, runs it.
	copyFile(t, "../../fixtures/corpus/cnam-registre.pdf", cnamPath)
	rep, out, _ = ingestCLI(t, data, "--no-corpus-flags", tree)
	if c := rep.Corpus; c == nil || c.Ran || !c.Pending || rep.Processed != 1 {
		t.Fatalf("--no-corpus-flags: corpus %+v, processed %d; want skipped and pending\n%s", rep.Corpus, rep.Processed, out)
	}
	if !strings.Contains(out, "corpus flags: not run (--no-corpus-flags)") {
		t.Errorf("summary does not say the pass was skipped:\n%s", out)
	}
	if got := searchIDs(t, flagged...); len(got) != 0 {
		t.Errorf("with --no-corpus-flags the divergence is already flagged on %v", got)
	}
	rep, out, _ = ingestCLI(t, data, tree)
	if c := rep.Corpus; c == nil || !c.Ran || c.RecordsChanged != 2 || rep.Processed != 0 {
		t.Fatalf("run after --no-corpus-flags: corpus %+v, processed %d; want the pending pass\n%s", rep.Corpus, rep.Processed, out)
	}
	if got := searchIDs(t, flagged...); !slices.Equal(got, both) {
		t.Errorf("flag=cross_register_divergence found %v; want %v", got, both)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// declarationForm is a Cramif declaration form (HTML label/value table):
// its reference number is the record's key, so two forms of the same
// processing with different references are two records.
func declarationForm(ref, year string) string {
	return fmt.Sprintf(`<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Fiche de déclaration de traitement – Points d'accès à Internet sans fil</title></head>
<body>
<p>Cramif – Déclaration de traitement de données à caractère personnel</p>
<h1>Fiche de déclaration de traitement</h1>
<p>Caisse régionale d'assurance maladie d'Île-de-France – 17-19 avenue de Flandre – 75954 Paris cedex 19</p>
<table>
<tr><td>Référence</td><td>%s</td></tr>
<tr><td>Nom du traitement</td><td>Points d'accès à Internet sans fil</td></tr>
<tr><td>Finalité(s)</td><td>Fournir un accès wifi aux visiteurs des locaux de la caisse</td></tr>
<tr><td>Base légale</td><td>Article 6-1-e du RGPD (mission d'intérêt public)</td></tr>
<tr><td>Catégories de personnes concernées</td><td>Visiteurs</td></tr>
<tr><td>Catégories de données</td><td>Adresse MAC, date et heure de connexion</td></tr>
<tr><td>Durée de conservation</td><td>1 an</td></tr>
<tr><td>Date de mise en œuvre</td><td>12 mars %s</td></tr>
</table></body></html>
`, ref, year)
}

// duplicateTree writes the same declaration twice, in two folders, under
// two references.
func duplicateTree(t *testing.T) string {
	t.Helper()
	tree := t.TempDir()
	for _, f := range []struct{ dir, ref, year string }{{"2019", "RT-2019-014", "2019"}, {"2023", "RT-2023-102", "2023"}} {
		p := filepath.Join(tree, f.dir, "fiche-wifi.html")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(declarationForm(f.ref, f.year)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return tree
}

// checkDuplicates: both declarations carry duplicate_record naming the
// other file.
func checkDuplicates(t *testing.T, x index.Index) {
	t.Helper()
	ctx := context.Background()
	res, err := x.Search(ctx, index.Query{Filters: map[string][]string{"flag": {"duplicate_record"}}, WithRecords: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 2 {
		t.Fatalf("flag=duplicate_record found %d records; want the two declarations", res.Total)
	}
	for _, h := range res.Hits {
		ds := flagsWith(h.Record, "duplicate_record")
		other := "2023/fiche-wifi.html"
		if strings.Contains(h.SourcePath, "2023") {
			other = "2019/fiche-wifi.html"
		}
		if len(ds) != 1 || !strings.Contains(ds[0].Message, other) {
			t.Errorf("%s (%s): duplicate flags %+v; want one naming %s", h.ID, h.SourcePath, ds, other)
		}
	}
}

func TestIngestCorpusDuplicatesAcrossFiles(t *testing.T) {
	tree, data := duplicateTree(t), t.TempDir()
	rep, out, code := ingestCLI(t, data, tree)
	if code != exitOK || rep.Records != 2 || rep.Corpus == nil || rep.Corpus.RecordsChanged != 2 {
		t.Fatalf("ingest: exit %d, %d records, corpus %+v; want 2 records, 2 re-flagged\n%s", code, rep.Records, rep.Corpus, out)
	}
	x, err := bleveindex.Open(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	checkDuplicates(t, x)
}

// TestIngestCorpusFlagsElasticsearch runs the pass through the
// Elasticsearch backend; with the Get threshold at zero the changed records
// are read back by a second scan.
func TestIngestCorpusFlagsElasticsearch(t *testing.T) {
	url := esNode(t)
	for _, getMax := range []int{0, -1} {
		t.Run(fmt.Sprintf("get-max-%d", getMax), func(t *testing.T) {
			x, alias := esTestIndex(t, url, "registre-corpus-test")
			rep, out, code := ingestWith(t, func(c *ingestConfig) { c.CorpusGetMax = getMax }, t.TempDir(), "--es-url", url, "--es-index", alias, duplicateTree(t))
			if code != exitOK || rep.Corpus == nil || rep.Corpus.RecordsChanged != 2 {
				t.Fatalf("ingest: exit %d, corpus %+v; want 2 re-flagged\n%s", code, rep.Corpus, out)
			}
			checkDuplicates(t, x)
		})
	}
}
