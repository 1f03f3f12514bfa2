// Package ledger is the bulk-ingestion ledger: an embedded bbolt store in the
// data dir that remembers, for every file, its content hash and how far it
// went (discovered → extracted → indexed, or failed with a reason), and for
// every content hash the versions of the stages that processed it. A re-run
// compares the tree with the ledger (Plan) and does only new or changed work;
// a killed run resumes, because a file is marked indexed only after the index
// accepted its entries, and index ids do not depend on the run.
package ledger

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// FileName is the ledger's file inside the data dir.
const FileName = "ledger.bbolt"

// State is how far a file or a content went.
type State string

const (
	// Discovered: seen in the tree, not processed yet (or interrupted).
	Discovered State = "discovered"
	// Extracted: read, extracted, normalized and flagged; its index entries
	// may or may not have been written (a run killed here re-does it).
	Extracted State = "extracted"
	// Indexed: its entries are in the index.
	Indexed State = "indexed"
	// Failed: processing failed; Reason says why, and a document-status
	// entry is in the index.
	Failed State = "failed"
	// Duplicate: a path whose content is indexed under another path.
	Duplicate State = "duplicate"
)

// Final says whether nothing is left to do for a content in this state.
func (s State) Final() bool { return s == Indexed || s == Failed }

// PathEntry is what the ledger knows about one path.
type PathEntry struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	// ModTime (Unix nanoseconds) and Size let a re-run trust the stored hash
	// without reading the file again.
	ModTime int64 `json:"mtime"`
	State   State `json:"state"`
}

// ContentEntry is what the ledger knows about one content (by sha256).
type ContentEntry struct {
	SHA256 string `json:"sha256"`
	Format string `json:"format,omitempty"`
	Pages  int    `json:"pages,omitempty"`
	// Versions names the stage versions that produced the entries
	// (pipeline.Versions of the format): a different current value means the
	// content must be processed again.
	Versions string `json:"versions"`
	State    State  `json:"state"`
	// Reason and ReasonClass say why it failed (State Failed).
	Reason      string `json:"reason,omitempty"`
	ReasonClass string `json:"reason_class,omitempty"`
	// Transient marks a failure worth trying again on the next run even
	// if nothing changed (a time limit hit on a busy machine).
	Transient bool `json:"transient,omitempty"`
	// Path is the path the index entries carry as their source.
	Path string `json:"path"`
	// IDs are the ids of the index entries this content produced.
	IDs []string `json:"ids,omitempty"`
	// Flags counts the flags raised on its records, by code.
	Flags   map[string]int `json:"flags,omitempty"`
	Updated time.Time      `json:"updated"`
}

var (
	bucketPaths   = []byte("paths")
	bucketContent = []byte("content")
)

// ErrLocked: another process holds the ledger (a run in progress).
var ErrLocked = errors.New("ledger is in use by another registre process")

// Ledger is an open ledger. Only one process can hold it at a time.
type Ledger struct {
	db   *bolt.DB
	path string
}

// Open opens (or creates) the ledger in dataDir.
func Open(dataDir string) (*Ledger, error) {
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, fmt.Errorf("create data dir %s: %w", dataDir, err)
	}
	p := filepath.Join(dataDir, FileName)
	db, err := bolt.Open(p, 0o644, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return nil, fmt.Errorf("open ledger %s: %w", p, ErrLocked)
		}
		return nil, fmt.Errorf("open ledger %s: %w", p, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketPaths, bucketContent} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("init ledger %s: %w", p, err)
	}
	return &Ledger{db: db, path: p}, nil
}

// Close closes the ledger.
func (l *Ledger) Close() error { return l.db.Close() }

// Path returns the entry of path p.
func (l *Ledger) Path(p string) (PathEntry, bool, error) {
	var e PathEntry
	var ok bool
	err := l.db.View(func(tx *bolt.Tx) error {
		var err error
		e, ok, err = getJSON[PathEntry](tx.Bucket(bucketPaths), p)
		return err
	})
	return e, ok, err
}

// Content returns the entry of content sha.
func (l *Ledger) Content(sha string) (ContentEntry, bool, error) {
	var e ContentEntry
	var ok bool
	err := l.db.View(func(tx *bolt.Tx) error {
		var err error
		e, ok, err = getJSON[ContentEntry](tx.Bucket(bucketContent), sha)
		return err
	})
	return e, ok, err
}

// Tx is a read-write transaction: every change in it lands together.
type Tx struct{ tx *bolt.Tx }

// Update runs fn in one transaction, committed (and synced to disk) when fn
// returns nil.
func (l *Ledger) Update(fn func(*Tx) error) error {
	return l.db.Update(func(tx *bolt.Tx) error { return fn(&Tx{tx}) })
}

// View runs fn in a read-only transaction.
func (l *Ledger) View(fn func(*Tx) error) error {
	return l.db.View(func(tx *bolt.Tx) error { return fn(&Tx{tx}) })
}

// Path returns the entry of path p.
func (t *Tx) Path(p string) (PathEntry, bool, error) {
	return getJSON[PathEntry](t.tx.Bucket(bucketPaths), p)
}

// Content returns the entry of content sha.
func (t *Tx) Content(sha string) (ContentEntry, bool, error) {
	return getJSON[ContentEntry](t.tx.Bucket(bucketContent), sha)
}

// PutPath stores e under e.Path.
func (t *Tx) PutPath(e PathEntry) error { return putJSON(t.tx.Bucket(bucketPaths), e.Path, e) }

// PutContent stores e under e.SHA256.
func (t *Tx) PutContent(e ContentEntry) error {
	if e.Updated.IsZero() {
		e.Updated = time.Now().UTC()
	}
	return putJSON(t.tx.Bucket(bucketContent), e.SHA256, e)
}

// DeletePath forgets path p.
func (t *Tx) DeletePath(p string) error { return t.tx.Bucket(bucketPaths).Delete([]byte(p)) }

// DeleteContent forgets content sha.
func (t *Tx) DeleteContent(sha string) error { return t.tx.Bucket(bucketContent).Delete([]byte(sha)) }

// PathsUnder calls fn for every path entry at or below one of roots
// (absolute, cleaned), in key order.
func (t *Tx) PathsUnder(roots []string, fn func(PathEntry) error) error {
	c := t.tx.Bucket(bucketPaths).Cursor()
	for _, root := range roots {
		prefix := []byte(root)
		for k, v := c.Seek(prefix); k != nil && strings.HasPrefix(string(k), root); k, v = c.Next() {
			s := string(k)
			if s != root && !strings.HasPrefix(s, strings.TrimSuffix(root, string(filepath.Separator))+string(filepath.Separator)) {
				continue // "/a/bc" is not under "/a/b"
			}
			var e PathEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("ledger entry %s: %w", s, err)
			}
			if err := fn(e); err != nil {
				return err
			}
		}
	}
	return nil
}

// PathsOf returns the paths (other than except) whose entry holds content sha.
// It scans the path bucket: only used on the rare prune of shared content.
func (t *Tx) PathsOf(sha, except string) ([]string, error) {
	var out []string
	err := t.tx.Bucket(bucketPaths).ForEach(func(k, v []byte) error {
		var e PathEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return err
		}
		if e.SHA256 == sha && e.Path != except {
			out = append(out, e.Path)
		}
		return nil
	})
	slices.Sort(out)
	return out, err
}

// Stats counts entries by state.
func (l *Ledger) Stats() (paths, contents map[State]int, err error) {
	paths, contents = map[State]int{}, map[State]int{}
	err = l.db.View(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketPaths).ForEach(func(_, v []byte) error {
			var e PathEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			paths[e.State]++
			return nil
		}); err != nil {
			return err
		}
		return tx.Bucket(bucketContent).ForEach(func(_, v []byte) error {
			var e ContentEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			contents[e.State]++
			return nil
		})
	})
	return paths, contents, err
}

func getJSON[T any](b *bolt.Bucket, key string) (T, bool, error) {
	var v T
	raw := b.Get([]byte(key))
	if raw == nil {
		return v, false, nil
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, false, fmt.Errorf("ledger entry %s: %w", key, err)
	}
	return v, true, nil
}

func putJSON(b *bolt.Bucket, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode ledger entry %s: %w", key, err)
	}
	if err := b.Put([]byte(key), raw); err != nil {
		return fmt.Errorf("write ledger entry %s: %w", key, err)
	}
	return nil
}
