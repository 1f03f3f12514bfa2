package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"registre"
	"registre/flags"
	"registre/index"
	"registre/ledger"
)

// The corpus pass: after a run has indexed its files, the corpus rules
// (duplicate_record, cross_register_divergence across files) run over a
// projection of every processing record in the index, and the records whose
// corpus flags changed are put again with their per-file flags kept.

// corpusStats is what the pass did; --report writes it as "corpus_flags".
type corpusStats struct {
	// Ran is false when the pass was skipped (Reason says why).
	Ran    bool   `json:"ran"`
	Reason string `json:"reason,omitempty"`
	// Records is how many processing records the pass read.
	Records int `json:"records"`
	// RecordsChanged is how many had their corpus flags changed (added,
	// removed or reworded) and were put again.
	RecordsChanged int `json:"records_changed"`
	// SkippedWords counts the common words the matching's work bound left
	// out (0: the cross-register matching was exact).
	SkippedWords int     `json:"skipped_words,omitempty"`
	Seconds      float64 `json:"seconds"`
	// Pending is true when the index may hold stale corpus flags: the next
	// run without --no-corpus-flags runs the pass even if nothing changed.
	Pending bool `json:"pending,omitempty"`
}

// defaultCorpusGetMax: up to this many changed records are read back one by
// one (Get); more are read by a second scan, which costs one pass over the
// index instead of as many round trips (ingestConfig.CorpusGetMax overrides).
const defaultCorpusGetMax = 2000

// corpusPutBatch is how many records the pass puts at once.
const corpusPutBatch = 500

// executeThenCorpus executes the plan, then runs the corpus pass when the
// run changed the index or an earlier pass is pending (interrupted, skipped
// with --no-corpus-flags, or never run on this index).
func (in *ingester) executeThenCorpus(ctx context.Context, plan *ledger.Plan) error {
	st := &corpusStats{}
	in.rep.Corpus = st
	state := corpusStatePath(in.cfg.DataDir, in.rep.Backend)
	pending, err := corpusPending(state)
	if err != nil {
		return err
	}
	// Marked before the index changes: a run killed anywhere after this
	// leaves the pass to the next run, even one with nothing else to do.
	if planChangesIndex(plan, in.cfg.Prune) && !pending {
		if err := setCorpusPending(state, in.rep.Backend, true); err != nil {
			return err
		}
		pending = true
	}
	if err := in.execute(ctx, plan); err != nil {
		st.Pending = pending
		return err
	}
	switch {
	case in.cfg.NoCorpusFlags:
		st.Reason, st.Pending = "--no-corpus-flags", pending
		return nil
	case !pending:
		st.Reason = "nothing changed since the last pass"
		return nil
	}
	if err := in.corpusPass(ctx, st); err != nil {
		st.Pending = true
		return fmt.Errorf("corpus flags: %w", err)
	}
	return setCorpusPending(state, in.rep.Backend, false)
}

// planChangesIndex says whether executing the plan writes to the index.
func planChangesIndex(plan *ledger.Plan, prune bool) bool {
	if prune && len(plan.Removed) > 0 {
		return true
	}
	for _, it := range plan.Items {
		switch it.Action {
		case ledger.Unchanged, ledger.Copy:
		case ledger.Move:
			if it.From != it.Path {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// corpusPass reads the projection of every processing record, runs the
// corpus rules and puts again the records whose corpus flags changed.
// Memory: the projection (a few hundred bytes a record) plus one page.
func (in *ingester) corpusPass(ctx context.Context, st *corpusStats) error {
	start := time.Now()
	st.Ran = true
	eng, ok := in.checker.(*flags.Engine)
	if !ok {
		eng = flags.New()
	}
	c := eng.NewCorpus()
	err := in.idx.Scan(ctx, index.ScanOptions{Fields: flags.CorpusFields}, func(r *registre.Record) error {
		c.Add(r)
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the index: %w", err)
	}
	st.Records = c.Len()
	slog.Info("corpus flags: index read", "records", c.Len(), "elapsed", time.Since(start).Round(time.Millisecond))

	changed := map[string]int{} // id → index in c
	var order []string
	err = c.Changes(func(i int, _ []registre.Flag) error {
		changed[c.ID(i)] = i
		order = append(order, c.ID(i))
		return nil
	})
	if err != nil {
		return err
	}
	st.SkippedWords = c.Skipped
	if len(changed) > 0 {
		if err := in.putCorpusChanges(ctx, eng, c, changed, order, st); err != nil {
			return err
		}
		if err := in.idx.Refresh(ctx); err != nil {
			return fmt.Errorf("make the re-flagged records searchable: %w", err)
		}
	}
	st.Seconds = time.Since(start).Seconds()
	slog.Info("corpus flags: done", "records", st.Records, "changed", st.RecordsChanged, "skipped_words", st.SkippedWords, "elapsed", time.Since(start).Round(time.Millisecond))
	return nil
}

// putCorpusChanges reads the full records of the changed ids, replaces
// their corpus flags and puts them, a batch at a time.
func (in *ingester) putCorpusChanges(ctx context.Context, eng *flags.Engine, c *flags.Corpus, changed map[string]int, order []string, st *corpusStats) error {
	var batch []registre.Record
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		res, err := in.idx.PutRecords(ctx, batch)
		if err != nil {
			return fmt.Errorf("put %d re-flagged records: %w", len(batch), err)
		}
		if len(res.Failures) > 0 {
			f := res.Failures[0]
			return fmt.Errorf("the index refused %d re-flagged records, first %s: %s", len(res.Failures), f.ID, f.Reason)
		}
		st.RecordsChanged += len(batch)
		batch = batch[:0]
		return nil
	}
	add := func(r *registre.Record) error {
		i, ok := changed[r.ID]
		if !ok {
			return nil
		}
		r.Flags = eng.ReplaceCorpusFlags(r, c.Flags(i))
		batch = append(batch, *r)
		if len(batch) >= corpusPutBatch {
			return flush()
		}
		return nil
	}
	getMax := in.cfg.CorpusGetMax
	if getMax == 0 {
		getMax = defaultCorpusGetMax
	}
	if len(changed) <= getMax {
		for _, id := range order {
			r, err := in.idx.Get(ctx, id)
			if errors.Is(err, index.ErrNotFound) {
				continue // deleted since the scan: nothing to flag
			}
			if err != nil {
				return fmt.Errorf("read %s to re-flag it: %w", id, err)
			}
			if err := add(r); err != nil {
				return err
			}
		}
	} else if err := in.idx.Scan(ctx, index.ScanOptions{}, add); err != nil {
		return fmt.Errorf("read the records to re-flag: %w", err)
	}
	return flush()
}

// corpusState is the pass's state file in the data dir, one per index
// (backend and alias), so a pass left to do is not forgotten.
type corpusState struct {
	Backend string    `json:"backend"`
	Pending bool      `json:"pending"`
	Updated time.Time `json:"updated"`
}

func corpusStatePath(dataDir, backend string) string {
	sum := sha256.Sum256([]byte(backend))
	return filepath.Join(dataDir, "corpus-flags-"+hex.EncodeToString(sum[:6])+".json")
}

// corpusPending reads the state: no state file means the pass never ran on
// this index (an index made before it existed), so it is pending.
func corpusPending(path string) (bool, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("read the corpus pass state: %w", err)
	}
	var s corpusState
	if err := json.Unmarshal(raw, &s); err != nil {
		slog.Warn("corpus pass state unreadable: running the pass", "file", path, "err", err)
		return true, nil
	}
	return s.Pending, nil
}

func setCorpusPending(path, backend string, pending bool) error {
	raw, err := json.Marshal(corpusState{Backend: backend, Pending: pending, Updated: time.Now().UTC()})
	if err != nil {
		return err
	}
	// Written aside then renamed: a kill never leaves half a state.
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, raw, 0o644); err != nil {
		return fmt.Errorf("write the corpus pass state: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write the corpus pass state: %w", err)
	}
	return nil
}

// printCorpusSummary adds the pass's line to the end-of-run summary.
func printCorpusSummary(w io.Writer, st *corpusStats) {
	if st == nil {
		return
	}
	switch {
	case st.Ran:
		fmt.Fprintf(w, "  corpus flags: %d records read, %d re-flagged (%.1f s)", st.Records, st.RecordsChanged, st.Seconds)
		if st.SkippedWords > 0 {
			fmt.Fprintf(w, ", %d common words left out of the matching", st.SkippedWords)
		}
		fmt.Fprintln(w)
	case st.Pending:
		fmt.Fprintf(w, "  corpus flags: not run (%s); the next run without --no-corpus-flags runs them\n", st.Reason)
	default:
		fmt.Fprintf(w, "  corpus flags: not run (%s)\n", st.Reason)
	}
}
