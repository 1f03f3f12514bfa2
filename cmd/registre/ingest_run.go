package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"registre"
	"registre/index"
	"registre/ingest"
	"registre/ingest/ocr"
	"registre/ingest/pdf"
	"registre/ledger"
	"registre/pipeline"
)

// Batch bounds: a batch of files is indexed, then marked in the ledger, in
// one go; small enough to keep memory flat, large enough to amortise the
// index's and the ledger's syncs.
const (
	batchFiles   = 64
	batchRecords = 1000
	batchWait    = 2 * time.Second
)

func pipelineOptions(cfg ingestConfig) pipeline.Options {
	return pipeline.Options{Workers: cfg.Workers, Read: ingest.Options{MaxSize: cfg.MaxSize}}
}

func registreFormat(f string) registre.Format { return registre.Format(f) }

// ingester executes a plan.
type ingester struct {
	cfg      ingestConfig
	led      *ledger.Ledger
	idx      index.Index
	pipe     *pipeline.Pipeline
	checker  pipeline.Checker
	versions func(string) string
	rep      *ingestReport
	stderr   io.Writer

	pagesProcessed, recordsProcessed int
	prog                             *progress
	// abandoned counts files whose worker was still running at their
	// timeout (their goroutine finishes on its own, its result dropped).
	abandoned atomic.Int64
}

// execute does the plan: moves and copies first (ledger and index
// re-pointing, no processing), then prunes, then processes the rest in input
// order.
func (in *ingester) execute(ctx context.Context, plan *ledger.Plan) error {
	var todo []*ledger.Item
	var copies []ledger.Item
	for i := range plan.Items {
		it := &plan.Items[i]
		in.rep.Files++
		switch it.Action {
		case ledger.Unchanged:
			in.rep.Unchanged++
			in.account(it)
		case ledger.Copy:
			in.rep.Duplicates++
			copies = append(copies, *it)
			in.rep.ByFormat[formatName(it.Content.Format)]++
		case ledger.Move:
			if err := in.move(ctx, it); err != nil {
				return err
			}
			if it.Action == ledger.Move {
				if it.From != it.Path {
					in.rep.Moved++
				} else {
					in.rep.Unchanged++
				}
				in.account(it)
			} else {
				todo = append(todo, it) // its entries were gone: process it
			}
		default:
			todo = append(todo, it)
		}
	}
	if len(copies) > 0 {
		err := in.led.Update(func(tx *ledger.Tx) error {
			for _, c := range copies {
				if err := tx.PutPath(ledger.PathEntry{Path: c.Path, SHA256: c.SHA256, Size: c.Size, ModTime: c.ModTime, State: ledger.Duplicate}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("record duplicates in the ledger: %w", err)
		}
	}
	in.rep.Removed = len(plan.Removed)
	if in.cfg.Prune {
		for _, r := range plan.Removed {
			if err := in.prune(ctx, r); err != nil {
				return err
			}
			in.rep.Pruned++
		}
	}
	in.prog = newProgress(in.stderr, len(todo), in.cfg.Progress)
	defer in.prog.stop()
	if err := in.process(ctx, todo); err != nil {
		return err
	}
	in.prog.stop()
	if err := in.idx.Refresh(ctx); err != nil {
		return fmt.Errorf("make the indexed entries searchable: %w", err)
	}
	if n := in.abandoned.Load(); n > 0 {
		slog.Warn("ingest: files still running at their timeout were abandoned", "count", n)
	}
	return nil
}

// account adds an already done content to the report.
func (in *ingester) account(it *ledger.Item) {
	ce := it.Content
	in.rep.ByFormat[formatName(ce.Format)]++
	if ce.State == ledger.Failed {
		in.rep.Failed = append(in.rep.Failed, failedFile{Path: it.Path, Reason: ce.Reason, Class: ce.ReasonClass, Previous: true})
		in.rep.FailuresByReason[ce.ReasonClass]++
		return
	}
	in.rep.Records += len(ce.IDs)
	in.rep.Pages += ce.Pages
	for code, n := range ce.Flags {
		in.rep.Flags[code] += n
	}
}

func formatName(f string) string {
	if f == "" {
		return "unknown"
	}
	return f
}

// move re-points the index entries of a content from its old path to
// it.Path. When an entry is missing (pruned meanwhile), the file is processed
// again instead (it.Action becomes Add).
func (in *ingester) move(ctx context.Context, it *ledger.Item) error {
	ce := it.Content
	var recs []registre.Record
	if it.From != it.Path {
		ids := ce.IDs
		for _, id := range ids {
			rec, err := in.idx.Get(ctx, id)
			if errors.Is(err, index.ErrNotFound) {
				it.Action = ledger.Add
				return nil
			}
			if err != nil {
				return fmt.Errorf("move %s to %s: %w", it.From, it.Path, err)
			}
			if rec.Source.Path != it.From {
				continue // another file's record with the same id: not ours to move
			}
			rec.Source.Path = it.Path
			recs = append(recs, *rec)
		}
		if len(recs) > 0 {
			res, err := in.idx.PutRecords(ctx, recs)
			if err != nil {
				return fmt.Errorf("move %s to %s: %w", it.From, it.Path, err)
			}
			if len(res.Failures) > 0 {
				return fmt.Errorf("move %s to %s: index refused %s: %s", it.From, it.Path, res.Failures[0].ID, res.Failures[0].Reason)
			}
		}
		// Anything left under the old path (a status entry) goes.
		if _, err := in.idx.DeleteBySource(ctx, index.SourceSelector{Path: it.From}); err != nil {
			return fmt.Errorf("move %s to %s: %w", it.From, it.Path, err)
		}
	}
	return in.led.Update(func(tx *ledger.Tx) error {
		if it.From != it.Path {
			if e, ok, err := tx.Path(it.From); err != nil {
				return err
			} else if ok && e.SHA256 == it.SHA256 {
				if err := tx.DeletePath(it.From); err != nil {
					return err
				}
			}
		}
		ce.Path = it.Path
		if err := tx.PutContent(ce); err != nil {
			return err
		}
		return tx.PutPath(ledger.PathEntry{Path: it.Path, SHA256: it.SHA256, Size: it.Size, ModTime: it.ModTime, State: ce.State})
	})
}

// prune removes a deleted file's entries from the index and the ledger.
func (in *ingester) prune(ctx context.Context, r ledger.Removed) error {
	if r.Owner {
		if _, err := in.idx.DeleteBySource(ctx, index.SourceSelector{Path: r.Path}); err != nil {
			return fmt.Errorf("prune %s: %w", r.Path, err)
		}
	}
	return in.led.Update(func(tx *ledger.Tx) error {
		if err := tx.DeletePath(r.Path); err != nil {
			return err
		}
		if !r.Owner {
			return nil
		}
		others, err := tx.PathsOf(r.SHA256, r.Path)
		if err != nil {
			return err
		}
		if len(others) == 0 {
			return tx.DeleteContent(r.SHA256)
		}
		// A copy outside this run's roots still holds the content: the next
		// run over it finds the content's path gone and processes it.
		ce, ok, err := tx.Content(r.SHA256)
		if err != nil || !ok {
			return err
		}
		ce.State = ledger.Discovered
		return tx.PutContent(ce)
	})
}

// done is one processed file waiting in the batch.
type done struct {
	it      *ledger.Item
	res     pipeline.FileResult
	records []registre.Record // records, or the status entry of a failed file
	reason  string
	class   string
}

// process runs the pipeline over the items with a bounded worker pool,
// emitting results in input order, and indexes them batch by batch.
func (in *ingester) process(ctx context.Context, items []*ledger.Item) error {
	if len(items) == 0 {
		return nil
	}
	// Mark the whole work list discovered first, so the ledger knows the
	// path → content mapping even if the run dies before reaching a file.
	for start := 0; start < len(items); start += 1000 {
		chunk := items[start:min(start+1000, len(items))]
		err := in.led.Update(func(tx *ledger.Tx) error {
			for _, it := range chunk {
				if it.HasPrev && it.Prev.SHA256 == it.SHA256 && it.Prev.State != ledger.Duplicate {
					continue // already known at this content
				}
				if err := tx.PutPath(ledger.PathEntry{Path: it.Path, SHA256: it.SHA256, Size: it.Size, ModTime: it.ModTime, State: ledger.Discovered}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("record discovered files in the ledger: %w", err)
		}
	}
	var batch []done
	nrec := 0
	last := time.Now()
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := in.flush(ctx, batch)
		batch, nrec, last = batch[:0], 0, time.Now()
		return err
	}
	err := in.stream(ctx, items, func(it *ledger.Item, res pipeline.FileResult) error {
		d := in.prepare(it, res)
		in.prog.add(1, len(res.Records), d.reason != "")
		batch = append(batch, d)
		nrec += len(d.records)
		if len(batch) >= batchFiles || nrec >= batchRecords || time.Since(last) >= batchWait {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

// prepare turns a file's result into what the batch indexes.
func (in *ingester) prepare(it *ledger.Item, res pipeline.FileResult) done {
	d := done{it: it, res: res}
	if res.SHA256 == "" {
		res.SHA256 = it.SHA256
		d.res.SHA256 = it.SHA256
	}
	if res.Err != nil {
		d.reason = res.Err.Error()
		d.class = reasonClass(res.Err)
		if d.res.Format == "" {
			d.res.Format = sniffFormat(it.Path, in.cfg.MaxSize)
		}
		d.records = []registre.Record{statusRecord(it.Path, it.SHA256, d.res.Format, d.reason, d.class)}
		return d
	}
	d.records = res.Records
	return d
}

// flush indexes a batch and then records it in the ledger: a file is marked
// indexed only once the index accepted its entries, so a run killed anywhere
// in here re-does the batch, and re-putting the same ids is idempotent.
func (in *ingester) flush(ctx context.Context, batch []done) error {
	// 1. The ledger learns the files were extracted.
	err := in.led.Update(func(tx *ledger.Tx) error {
		for _, d := range batch {
			if err := tx.PutPath(ledger.PathEntry{Path: d.it.Path, SHA256: d.it.SHA256, Size: d.it.Size, ModTime: d.it.ModTime, State: ledger.Extracted}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	// 2. Old entries of re-processed paths go first (a changed file, a new
	// version that yields fewer records, a file that failed before).
	for _, d := range batch {
		if !d.it.HasPrev && !d.it.HasContent {
			continue // never indexed: nothing to drop
		}
		if _, err := in.idx.DeleteBySource(ctx, index.SourceSelector{Path: d.it.Path}); err != nil {
			return fmt.Errorf("drop the previous entries of %s: %w", d.it.Path, err)
		}
	}
	// 3. Index.
	var recs []registre.Record
	owner := map[string]int{}
	for i, d := range batch {
		for _, r := range d.records {
			owner[r.ID] = i
			recs = append(recs, r)
		}
	}
	if len(recs) > 0 {
		res, err := in.idx.PutRecords(ctx, recs)
		if err != nil {
			return fmt.Errorf("index %d entries: %w", len(recs), err)
		}
		var statuses []registre.Record
		for _, f := range res.Failures {
			i, ok := owner[f.ID]
			if !ok || batch[i].reason != "" {
				continue
			}
			d := &batch[i]
			d.reason = fmt.Sprintf("the index refused record %s: %s", f.ID, f.Reason)
			d.class = "index refused a record"
			statuses = append(statuses, statusRecord(d.it.Path, d.it.SHA256, d.res.Format, d.reason, d.class))
		}
		if len(statuses) > 0 {
			if res, err := in.idx.PutRecords(ctx, statuses); err != nil {
				return fmt.Errorf("index document-status entries: %w", err)
			} else if len(res.Failures) > 0 {
				return fmt.Errorf("the index refused the document-status entry %s: %s", res.Failures[0].ID, res.Failures[0].Reason)
			}
		}
	}
	// 4. The ledger learns they are done.
	err = in.led.Update(func(tx *ledger.Tx) error {
		for _, d := range batch {
			if err := in.record(tx, d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	for _, d := range batch {
		in.report(d)
	}
	return nil
}

// record writes a processed file's final state.
func (in *ingester) record(tx *ledger.Tx, d done) error {
	it := d.it
	ce := ledger.ContentEntry{
		SHA256:   it.SHA256,
		Format:   string(d.res.Format),
		Pages:    d.res.Pages,
		Versions: in.versions(string(d.res.Format)),
		State:    ledger.Indexed,
		Path:     it.Path,
	}
	if d.reason != "" {
		ce.State, ce.Reason, ce.ReasonClass = ledger.Failed, d.reason, d.class
		ce.Transient = d.class == "timeout"
		ce.IDs = []string{statusID(it.Path)}
	} else {
		ce.Flags = map[string]int{}
		for _, r := range d.records {
			ce.IDs = append(ce.IDs, r.ID)
			for _, f := range r.Flags {
				ce.Flags[f.Code]++
			}
		}
	}
	if it.HasPrev && it.Prev.SHA256 != it.SHA256 {
		// The path's old content is gone from the index: forget it unless
		// another path carries it.
		if old, ok, err := tx.Content(it.Prev.SHA256); err != nil {
			return err
		} else if ok && old.Path == it.Path {
			if err := tx.DeleteContent(it.Prev.SHA256); err != nil {
				return err
			}
		}
	}
	if err := tx.PutContent(ce); err != nil {
		return err
	}
	return tx.PutPath(ledger.PathEntry{Path: it.Path, SHA256: it.SHA256, Size: it.Size, ModTime: it.ModTime, State: ce.State})
}

func (in *ingester) report(d done) {
	r := in.rep
	r.Processed++
	switch d.it.Action {
	case ledger.Change:
		r.Changed++
	case ledger.Reprocess:
		r.Reprocessed++
	default:
		r.Added++
	}
	r.ByFormat[formatName(string(d.res.Format))]++
	if d.reason != "" {
		r.Failed = append(r.Failed, failedFile{Path: d.it.Path, Reason: d.reason, Class: d.class})
		r.FailuresByReason[d.class]++
		return
	}
	r.Records += len(d.records)
	r.Pages += d.res.Pages
	in.pagesProcessed += d.res.Pages
	in.recordsProcessed += len(d.records)
	for _, rec := range d.records {
		for _, f := range rec.Flags {
			r.Flags[f.Code]++
		}
	}
}

// stream processes items with the worker pool and calls emit in input
// order, like pipeline.Stream, but each file runs under its own time limit
// and gets its flags, and a file whose worker overruns the limit is reported
// as timed out without holding the run.
func (in *ingester) stream(ctx context.Context, items []*ledger.Item, emit func(*ledger.Item, pipeline.FileResult) error) error {
	workers := in.cfg.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	type slot struct {
		it   *ledger.Item
		res  pipeline.FileResult
		done chan struct{}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	window := make(chan *slot, workers*2)
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	go func() {
		defer close(window)
		for _, it := range items {
			s := &slot{it: it, done: make(chan struct{})}
			select {
			case window <- s:
			case <-ctx.Done():
				return
			}
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				s.res = pipeline.FileResult{Path: it.Path, Err: ctx.Err()}
				close(s.done)
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem; close(s.done) }()
				s.res = in.file(ctx, it)
			}()
		}
	}()
	var err error
	for s := range window {
		<-s.done
		if err == nil {
			if cerr := ctx.Err(); cerr != nil {
				err = cerr
			} else {
				err = emit(s.it, s.res)
			}
			if err != nil {
				cancel()
			}
		}
	}
	wg.Wait()
	return err
}

// errTimeout: a file took longer than --timeout.
var errTimeout = errors.New("processing timed out")

// file processes one file under the per-file time limit, with its flags.
func (in *ingester) file(ctx context.Context, it *ledger.Item) pipeline.FileResult {
	if it.Err != nil {
		return pipeline.FileResult{Path: it.Path, Err: fmt.Errorf("read %s: %w", it.Path, it.Err)}
	}
	fctx, cancel := context.WithTimeout(ctx, in.cfg.Timeout)
	defer cancel()
	ch := make(chan pipeline.FileResult, 1)
	go func() {
		var res pipeline.FileResult
		defer func() {
			if r := recover(); r != nil {
				res = pipeline.FileResult{Path: it.Path, Err: fmt.Errorf("internal error while flagging: %v", r)}
			}
			ch <- res
		}()
		res = in.pipe.File(fctx, it.Path)
		if res.Err == nil && in.checker != nil && len(res.Records) > 0 {
			in.checker.Check(res.Records)
		}
	}()
	select {
	case res := <-ch:
		if res.Err != nil && fctx.Err() != nil && ctx.Err() == nil {
			res.Err = fmt.Errorf("%w after %s (%v)", errTimeout, in.cfg.Timeout, res.Err)
		}
		return res
	case <-fctx.Done():
		if ctx.Err() != nil {
			return pipeline.FileResult{Path: it.Path, Err: ctx.Err()}
		}
		in.abandoned.Add(1)
		return pipeline.FileResult{Path: it.Path, Err: fmt.Errorf("%w after %s", errTimeout, in.cfg.Timeout)}
	}
}

// reasonClass names the kind of failure, for the summary table.
func reasonClass(err error) string {
	switch {
	case errors.Is(err, errTimeout):
		return "timeout"
	case errors.Is(err, ingest.ErrEmpty):
		return "empty file"
	case errors.Is(err, ingest.ErrTooLarge):
		return "too large"
	case errors.Is(err, ingest.ErrUnsupported):
		return "unsupported format"
	case errors.Is(err, pdf.ErrEncrypted):
		return "encrypted"
	case errors.Is(err, pdf.ErrTruncated):
		return "truncated"
	case errors.Is(err, ocr.ErrNotInstalled):
		return "needs OCR (tesseract not installed)"
	case errors.Is(err, pdf.ErrNoText):
		return "no text (OCR found none)"
	case errors.Is(err, pdf.ErrCorrupt):
		return "corrupt PDF"
	case errors.Is(err, os.ErrNotExist), errors.Is(err, os.ErrPermission):
		return "unreadable file"
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "internal error"), strings.Contains(msg, "crashed"):
		return "reader crashed"
	case strings.Contains(msg, "zip"):
		return "corrupt container"
	}
	if i := strings.IndexByte(msg, ':'); i > 0 && i < 40 {
		return msg[:i]
	}
	if len(msg) > 40 {
		return msg[:40] + "…"
	}
	return msg
}

// sniffFormat names a failed file's format when its content says it.
func sniffFormat(path string, maxSize int64) registre.Format {
	st, err := os.Stat(path)
	if err != nil || st.Size() > maxSize {
		return ""
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	f, _ := ingest.Sniff(path, data)
	return f
}

// statusID is the index id of a file's document-status entry: one per path,
// so a new failure replaces the previous one.
func statusID(path string) string {
	sum := sha256.Sum256([]byte(path))
	return "status-" + hex.EncodeToString(sum[:12])
}

// statusRecord is the document-status entry of a file that failed: the
// failure is searchable next to the content (filter kind=document_status),
// never counted among processing records.
func statusRecord(path, sha string, format registre.Format, reason, class string) registre.Record {
	return registre.Record{
		SchemaVersion: registre.SchemaVersion,
		ID:            statusID(path),
		Kind:          index.KindDocumentStatus,
		Name:          filepath.Base(path),
		Source:        registre.Source{Path: path, Format: format, SHA256: sha, Locator: "file"},
		Flags: []registre.Flag{{
			Code:     "ingest_failed",
			Severity: registre.SeverityError,
			Message:  reason,
			Evidence: registre.Str(class),
			Status:   "open",
			Rule:     "ingest",
		}},
		JointControllers: []string{}, Purposes: []string{}, SubPurposes: []string{},
		LegalBases: []registre.LegalBasis{}, DataSubjects: []string{}, DataCategories: []string{},
		Sensitive:         registre.Sensitive{Other: []string{}},
		Recipients:        registre.Recipients{Internal: []string{}, External: []string{}},
		PersonsWithAccess: []string{}, Processors: []string{},
		Transfers:        registre.Transfers{Destinations: []string{}, Safeguards: []string{}},
		Retention:        registre.Retention{Periods: []registre.Period{}},
		SecurityMeasures: []string{}, Provenance: map[string]registre.Provenance{},
		Attachments: []registre.Attachment{}, Lineage: []string{},
	}
}
