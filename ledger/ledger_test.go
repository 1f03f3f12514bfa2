package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestParseShard(t *testing.T) {
	tests := []struct {
		in   string
		want Shard
		ok   bool
	}{
		{"1/1", Shard{1, 1}, true},
		{"2/4", Shard{2, 4}, true},
		{"0/4", Shard{}, false},
		{"5/4", Shard{}, false},
		{"1/0", Shard{}, false},
		{"1-4", Shard{}, false},
		{"a/b", Shard{}, false},
		{"", Shard{}, false},
	}
	for _, tt := range tests {
		got, err := ParseShard(tt.in)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("ParseShard(%q) = %v, %v", tt.in, got, err)
		}
	}
}

func FuzzParseShard(f *testing.F) {
	f.Add("3/7")
	f.Add("/")
	f.Fuzz(func(t *testing.T, s string) {
		sh, err := ParseShard(s)
		if err == nil && (sh.K < 1 || sh.K > sh.N) {
			t.Fatalf("accepted %q as %v", s, sh)
		}
	})
}

// Every content belongs to exactly one shard, and shards are balanced.
func TestShardPartition(t *testing.T) {
	const n = 3
	count := make([]int, n)
	for i := range 3000 {
		sum := sha256.Sum256([]byte{byte(i), byte(i >> 8)})
		sha := hex.EncodeToString(sum[:])
		in := 0
		for k := 1; k <= n; k++ {
			if (Shard{k, n}).Has(sha) {
				in++
				count[k-1]++
			}
		}
		if in != 1 {
			t.Fatalf("%s is in %d shards", sha, in)
		}
	}
	for k, c := range count {
		if c < 800 || c > 1200 {
			t.Errorf("shard %d has %d of 3000 contents", k+1, c)
		}
	}
	if !(Shard{}).Has("zz") {
		t.Error("the zero shard must hold everything")
	}
}

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// MakePlan classifies files against what the ledger recorded.
func TestMakePlan(t *testing.T) {
	root := t.TempDir()
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	v := func(string) string { return "v1" }
	files := map[string]string{"a.html": "AAA", "b.html": "BBB", "c.html": "CCC", "d.html": "DDD", "e.html": "EEE"}
	for n, c := range files {
		write(t, filepath.Join(root, n), c)
	}
	// Record a, b, c, d as indexed at v1 (d under a path that is gone).
	err = l.Update(func(tx *Tx) error {
		for _, n := range []string{"a.html", "b.html", "c.html", "gone.html"} {
			content := files[n]
			if n == "gone.html" {
				content = "DDD"
			}
			p := filepath.Join(root, n)
			sha := hex.EncodeToString(func() []byte { s := sha256.Sum256([]byte(content)); return s[:] }())
			if err := tx.PutPath(PathEntry{Path: p, SHA256: sha, State: Indexed}); err != nil {
				return err
			}
			if err := tx.PutContent(ContentEntry{SHA256: sha, Format: "html", Versions: "v1", State: Indexed, Path: p}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(root, "b.html"), "B2")     // changed
	write(t, filepath.Join(root, "copy.html"), "CCC") // copy of c
	walked := []string{}
	for _, n := range []string{"a.html", "b.html", "c.html", "copy.html", "d.html", "e.html"} {
		walked = append(walked, filepath.Join(root, n))
	}
	plan, err := l.MakePlan(context.Background(), walked, PlanOptions{Roots: []string{root}, Versions: v})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Action{"a.html": Unchanged, "b.html": Change, "c.html": Unchanged, "copy.html": Copy, "d.html": Move, "e.html": Add}
	for _, it := range plan.Items {
		if w := want[filepath.Base(it.Path)]; it.Action != w {
			t.Errorf("%s: %s, want %s", filepath.Base(it.Path), it.Action, w)
		}
	}
	if len(plan.Removed) != 0 {
		t.Errorf("removed %v: the gone path was moved, not removed", plan.Removed)
	}
	// A version bump re-processes every content owner (a, c, and d whose
	// old path is gone), not the copy.
	plan, err = l.MakePlan(context.Background(), walked, PlanOptions{Roots: []string{root}, Versions: func(string) string { return "v2" }})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Count(Reprocess) != 3 || plan.Count(Copy) != 1 || plan.Count(Change) != 1 {
		t.Errorf("after a bump: reprocess %d copy %d", plan.Count(Reprocess), plan.Count(Copy))
	}
	// Without d.html in the walk, gone.html is removed (it is the owner).
	plan, err = l.MakePlan(context.Background(), walked[:4], PlanOptions{Roots: []string{root}, Versions: v})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Removed) != 1 || filepath.Base(plan.Removed[0].Path) != "gone.html" || !plan.Removed[0].Owner {
		t.Errorf("removed = %+v", plan.Removed)
	}
}

// PathsUnder matches whole path components: /x/ab is not under /x/a.
func TestPathsUnder(t *testing.T) {
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	l.Update(func(tx *Tx) error {
		for _, p := range []string{"/x/a", "/x/a/f", "/x/ab/f", "/x/b/f"} {
			tx.PutPath(PathEntry{Path: p})
		}
		return nil
	})
	var got []string
	l.View(func(tx *Tx) error {
		return tx.PathsUnder([]string{"/x/a"}, func(e PathEntry) error { got = append(got, e.Path); return nil })
	})
	if len(got) != 2 || got[0] != "/x/a" || got[1] != "/x/a/f" {
		t.Errorf("PathsUnder(/x/a) = %v", got)
	}
}

// A second process cannot open a ledger in use.
func TestLedgerLocked(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := Open(dir); !errors.Is(err, ErrLocked) {
		t.Errorf("second open: %v, want ErrLocked", err)
	}
}
