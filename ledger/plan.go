package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"
)

// Action is what a run must do with one file.
type Action string

const (
	// Add: content never processed (or interrupted before it was indexed).
	Add Action = "add"
	// Change: the path now holds other content: process it, drop the old
	// entries of the path.
	Change Action = "change"
	// Reprocess: same content, but a stage it goes through has a new
	// version.
	Reprocess Action = "reprocess"
	// Unchanged: nothing to do.
	Unchanged Action = "unchanged"
	// Move: the content is indexed under a path that no longer holds it:
	// re-point its entries to this path instead of processing it again.
	Move Action = "move"
	// Copy: the content is indexed under another path that still holds it:
	// remember the path, index nothing.
	Copy Action = "duplicate"
)

// Item is one file of a plan.
type Item struct {
	Path    string
	SHA256  string
	Size    int64
	ModTime int64
	Action  Action
	// From is the previous path of a moved content; Of the path a copy
	// duplicates.
	From, Of string
	// Prev is the path's previous entry (HasPrev false for a new path), Content
	// the content's entry (HasContent false when never seen).
	Prev       PathEntry
	HasPrev    bool
	Content    ContentEntry
	HasContent bool
	// Err is why the file could not be hashed (it is then processed, and
	// fails with this reason).
	Err error
}

// Removed is a ledger path, under the walked roots, that is gone from the tree.
type Removed struct {
	Path   string
	SHA256 string
	// Owner says the index entries carry this path (they must be deleted
	// or re-pointed).
	Owner bool
}

// Plan is what a run would do.
type Plan struct {
	Items   []Item
	Removed []Removed
	// Skipped counts files outside this run's shard.
	Skipped int
}

// Count returns how many items have action a.
func (p *Plan) Count(a Action) int {
	n := 0
	for _, it := range p.Items {
		if it.Action == a {
			n++
		}
	}
	return n
}

// Shard selects the files of shard K of N (1 ≤ K ≤ N) by content hash, so
// N machines sharing an index each take a disjoint part of the corpus.
type Shard struct{ K, N int }

// ParseShard parses "K/N".
func ParseShard(s string) (Shard, error) {
	k, n, ok := strings.Cut(s, "/")
	if !ok {
		return Shard{}, fmt.Errorf("shard %q: want K/N, e.g. 1/4", s)
	}
	ki, err1 := strconv.Atoi(k)
	ni, err2 := strconv.Atoi(n)
	if err1 != nil || err2 != nil || ni < 1 || ki < 1 || ki > ni {
		return Shard{}, fmt.Errorf("shard %q: want K/N with 1 ≤ K ≤ N", s)
	}
	return Shard{ki, ni}, nil
}

// Has says whether content sha belongs to the shard (a zero Shard has all).
func (s Shard) Has(sha string) bool {
	if s.N <= 1 {
		return true
	}
	b, err := hex.DecodeString(sha)
	if err != nil || len(b) < 8 {
		return s.K == 1 // unhashable files go to the first shard
	}
	return int(binary.BigEndian.Uint64(b[:8])%uint64(s.N)) == s.K-1
}

// PlanOptions tune MakePlan.
type PlanOptions struct {
	// Roots are the walked roots (absolute, cleaned): ledger paths under them
	// that the walk did not find are Removed.
	Roots []string
	// Versions returns the current stage versions for a format.
	Versions func(format string) string
	Shard    Shard
	// Workers hash files in parallel (0 = 4).
	Workers int
}

// MakePlan compares files (absolute paths, sorted, as the walk gives them)
// with the ledger. It reads every file whose size or modification time
// changed to hash it; it writes nothing.
func (l *Ledger) MakePlan(ctx context.Context, files []string, opt PlanOptions) (*Plan, error) {
	items := make([]Item, len(files))
	for i, f := range files {
		items[i].Path = f
	}
	// Pass 1: hash (trusting the stored hash when size and mtime match).
	err := l.View(func(tx *Tx) error {
		for i := range items {
			e, ok, err := tx.Path(items[i].Path)
			if err != nil {
				return err
			}
			items[i].Prev, items[i].HasPrev = e, ok
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = 4
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for i := range items {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			it := &items[i]
			st, err := os.Stat(it.Path)
			if err != nil {
				it.Err = err
				return nil
			}
			it.Size, it.ModTime = st.Size(), st.ModTime().UnixNano()
			if it.HasPrev && it.Prev.Size == it.Size && it.Prev.ModTime == it.ModTime && it.Prev.SHA256 != "" {
				it.SHA256 = it.Prev.SHA256
				return nil
			}
			it.SHA256, it.Err = HashFile(it.Path)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	plan := &Plan{}
	walked := map[string]string{} // path → sha, for this shard
	kept := items[:0]
	for _, it := range items {
		if it.Err == nil && !opt.Shard.Has(it.SHA256) {
			plan.Skipped++
			continue
		}
		walked[it.Path] = it.SHA256
		kept = append(kept, it)
	}
	items = kept
	// Pass 2: decide. owner[sha] is the path in charge of a content in this
	// run: the path its entries carry if it still holds it, else the first
	// walked path holding it.
	owner := map[string]string{}
	err = l.View(func(tx *Tx) error {
		holds := func(p, sha string) bool {
			if s, ok := walked[p]; ok {
				return s == sha
			}
			if _, err := os.Stat(p); err != nil {
				return false
			}
			e, ok, _ := tx.Path(p)
			if ok && e.SHA256 == sha {
				return true
			}
			h, err := HashFile(p)
			return err == nil && h == sha
		}
		for i := range items {
			it := &items[i]
			if it.Err != nil {
				it.Action = Add
				if it.HasPrev {
					it.Action = Change
				}
				continue
			}
			ce, ok, err := tx.Content(it.SHA256)
			if err != nil {
				return err
			}
			it.Content, it.HasContent = ce, ok
			own, taken := owner[it.SHA256]
			if !taken {
				own = it.Path
				if ok && ce.Path != "" && ce.Path != it.Path && holds(ce.Path, it.SHA256) {
					own = ce.Path
				}
				owner[it.SHA256] = own
			}
			if own != it.Path {
				it.Action, it.Of = Copy, own
				if it.HasPrev && it.Prev.SHA256 == it.SHA256 && it.Prev.State == Duplicate {
					it.Action = Unchanged
				}
				continue
			}
			current := ok && ce.State.Final() && !ce.Transient && ce.Versions == opt.Versions(ce.Format)
			switch {
			case current && ce.Path == it.Path:
				it.Action = Unchanged
				if !it.HasPrev || it.Prev.SHA256 != it.SHA256 || it.Prev.State != ce.State {
					// The path entry lags behind (killed between writes):
					// the content is done, only the path entry is rewritten.
					it.Action = Move
					it.From = it.Path
				}
			case current:
				it.Action, it.From = Move, ce.Path
			case !it.HasPrev:
				it.Action = Add
				if ok && ce.State.Final() {
					it.Action = Reprocess
				}
			case it.Prev.SHA256 != it.SHA256:
				it.Action = Change
			case ok && ce.State.Final():
				it.Action = Reprocess
			default:
				it.Action = Add // interrupted before it was indexed
			}
		}
		moved := map[string]bool{}
		for _, it := range items {
			if it.Action == Move {
				moved[it.From] = true
			}
		}
		return tx.PathsUnder(opt.Roots, func(e PathEntry) error {
			if _, ok := walked[e.Path]; ok || moved[e.Path] {
				return nil
			}
			if !opt.Shard.Has(e.SHA256) {
				return nil
			}
			if _, err := os.Stat(e.Path); err == nil && !hiddenUnder(e.Path, opt.Roots) {
				// Still there but not walked: a file that became
				// unreadable is reported by the walk, not pruned.
				return nil
			}
			ce, ok, err := tx.Content(e.SHA256)
			if err != nil {
				return err
			}
			plan.Removed = append(plan.Removed, Removed{Path: e.Path, SHA256: e.SHA256, Owner: !ok || ce.Path == e.Path})
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	plan.Items = items
	return plan, nil
}

// hiddenUnder says whether p is hidden (a dot component) below its root: the
// walk skips those, so they count as gone.
func hiddenUnder(p string, roots []string) bool {
	for _, r := range roots {
		rel, err := filepath.Rel(r, p)
		if err != nil || strings.HasPrefix(rel, "..") {
			continue
		}
		for _, part := range strings.Split(rel, string(filepath.Separator)) {
			if strings.HasPrefix(part, ".") && part != "." {
				return true
			}
		}
	}
	return false
}

// HashFile returns the hex sha256 of a file's content, streaming it.
func HashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
