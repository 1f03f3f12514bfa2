package bleveindex

import (
	"context"
	"errors"
	"testing"
	"time"

	"registre/index"
	"registre/index/indextest"
)

// A second process opening the index gets a clear error after the lock
// timeout instead of hanging; read-only openers share the index.
func TestOpenLockedIndex(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.PutRecords(ctx, indextest.Fixtures(t)[:2]); err != nil {
		t.Fatal(err)
	}
	_, err = OpenWith(ctx, dir, Options{LockTimeout: 200 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second writer: %v; want ErrLocked", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	r1, err := OpenWith(ctx, dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("first reader: %v", err)
	}
	defer r1.Close()
	r2, err := OpenWith(ctx, dir, Options{ReadOnly: true, LockTimeout: time.Second})
	if err != nil {
		t.Fatalf("second reader: %v", err)
	}
	defer r2.Close()
	res, err := r2.Search(ctx, index.Query{})
	if err != nil || res.Total != 2 {
		t.Fatalf("read-only search: %v, %+v", err, res)
	}
	if _, err := OpenWith(ctx, t.TempDir(), Options{ReadOnly: true}); err == nil {
		t.Error("read-only open of a missing index succeeded")
	}
}
