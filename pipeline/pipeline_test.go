package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"registre"
)

func files(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for i, content := range []string{
		"Registre\n\n• Nom du traitement : Paie\n• Finalité du traitement : payer les agents\n• Durée de conservation : 5 ans\n",
		"",
		"Nothing here but prose.\n",
		"Registre\n\n• Nom du traitement : Accueil\n• Finalité du traitement : recevoir le public\n• Durée de conservation : 1 an\n",
	} {
		p := filepath.Join(dir, string(rune('a'+i))+".txt")
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

type countingChecker struct{ seen int }

func (c *countingChecker) Check(recs []registre.Record) {
	c.seen += len(recs)
	for i := range recs {
		recs[i].Flags = append(recs[i].Flags, registre.Flag{Code: "seen", Severity: "info", Message: "vu"})
	}
}

// Run keeps input order, isolates bad files, and flags the whole batch.
func TestRun(t *testing.T) {
	paths := files(t)
	chk := &countingChecker{}
	res, err := New(Options{Workers: 3, Checker: chk}).Run(context.Background(), paths)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(paths) {
		t.Fatalf("%d results for %d paths", len(res), len(paths))
	}
	for i, r := range res {
		if r.Path != paths[i] {
			t.Errorf("result %d is %s, want %s", i, r.Path, paths[i])
		}
	}
	if res[1].Err == nil || !strings.Contains(res[1].Err.Error(), "empty") {
		t.Errorf("empty file error = %v", res[1].Err)
	}
	if len(res[0].Records) != 1 || res[0].Records[0].Name != "Paie" || len(res[3].Records) != 1 {
		t.Errorf("records: %+v / %+v", res[0].Records, res[3].Records)
	}
	if len(res[2].Records) != 0 || res[2].Err != nil {
		t.Errorf("prose file: %v records, err %v", len(res[2].Records), res[2].Err)
	}
	if chk.seen != 2 || len(res[3].Records[0].Flags) == 0 {
		t.Errorf("checker saw %d records; flags %v", chk.seen, res[3].Records[0].Flags)
	}
}

// Stream gives the same results as Run, in order, without the batch flags.
func TestStreamOrder(t *testing.T) {
	paths := files(t)
	paths = append(paths, paths...)
	var got []string
	err := New(Options{Workers: 2}).Stream(context.Background(), paths, func(r FileResult) error {
		got = append(got, r.Path)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, paths) {
		t.Errorf("order = %v, want %v", got, paths)
	}
	stop := errors.New("stop")
	n := 0
	err = New(Options{Workers: 2}).Stream(context.Background(), paths, func(r FileResult) error {
		n++
		return stop
	})
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("emit error: err %v after %d results", err, n)
	}
}

// A panic in a stage becomes the file's error.
func TestPanicIsolation(t *testing.T) {
	paths := files(t)
	p := New(Options{Workers: 1, Assist: func(ctx context.Context, doc *registre.Document, raws []registre.RawRecord) ([]registre.RawRecord, error) {
		if strings.HasSuffix(doc.Path, "d.txt") {
			panic("boom")
		}
		return raws, nil
	}})
	res, err := p.Run(context.Background(), paths)
	if err != nil {
		t.Fatal(err)
	}
	if res[3].Err == nil || !strings.Contains(res[3].Err.Error(), "boom") {
		t.Errorf("panicking file: err %v", res[3].Err)
	}
	if len(res[0].Records) != 1 {
		t.Errorf("the other files must still give their records")
	}
}
