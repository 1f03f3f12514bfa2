package bleveindex

import (
	"context"
	"testing"

	"registre/index"
	"registre/index/indextest"
)

// FuzzSearchText runs arbitrary query text through the French analysis and
// the query builder: no panic, no error, and never more hits than records.
func FuzzSearchText(f *testing.F) {
	for _, s := range []string{"données de santé", "l'embauche", "d’", "de la", "", "  ", "\x00", "ÉTÉ à l'œuvre", "a-b-c 1993 NIR"} {
		f.Add(s)
	}
	ctx := context.Background()
	x, err := Open(ctx, f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { x.Close() })
	recs := indextest.Fixtures(f)
	if _, err := x.PutRecords(ctx, recs); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		res, err := x.Search(ctx, index.Query{Text: text, Highlight: true, Size: index.MaxSize})
		if err != nil {
			t.Fatalf("Search(%q): %v", text, err)
		}
		if res.Total > len(recs) || len(res.Hits) != res.Total {
			t.Fatalf("Search(%q): total %d, %d hits for %d records", text, res.Total, len(res.Hits), len(recs))
		}
	})
}
