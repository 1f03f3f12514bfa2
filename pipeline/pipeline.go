// Package pipeline runs the stages over files: ingest (read) → extract
// (raw records) → normalize (contract records), file by file in a bounded
// worker pool, then the cross-record checks (flags) over the whole batch.
// Results come back in input order, so runs are deterministic.
package pipeline

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"golang.org/x/sync/errgroup"

	"registre"
	"registre/extract"
	"registre/ingest"
	"registre/ingest/ocr"
	"registre/normalize"
)

// Checker raises flags on records; it sees the whole batch so that rules
// across records (duplicates, divergences) can work.
type Checker interface {
	Check(recs []registre.Record)
}

// Options configure a run.
type Options struct {
	// Workers is the number of files processed at once (0 = number of CPUs).
	Workers int
	// Read tunes the readers (size cap…).
	Read ingest.Options
	// Checker raises flags (nil = no flags).
	Checker Checker
	// Assist, when set, may add or complete records after the rules ran
	// (LLM assistance). It must not remove rule values.
	Assist func(ctx context.Context, doc *registre.Document, raws []registre.RawRecord) ([]registre.RawRecord, error)
	// AssistVersion names what Assist adds (model, prompt version); it is
	// part of Versions, so turning the assistance on, or changing its model,
	// makes the bulk ledger process the files again.
	AssistVersion string
}

// FileResult is what one file gave.
type FileResult struct {
	Path    string
	Format  registre.Format
	SHA256  string
	Layout  string
	Pages   int
	Records []registre.Record
	// Err is why the file could not be read ("" when it was).
	Err error
}

// Pipeline holds the stage implementations.
type Pipeline struct {
	opt       Options
	extractor *extract.Extractor
}

// New returns a pipeline with every parser of the project.
func New(opt Options) *Pipeline {
	if opt.Workers <= 0 {
		opt.Workers = runtime.NumCPU()
	}
	return &Pipeline{opt: opt, extractor: extract.New()}
}

// File reads, extracts and normalizes one file. A panic anywhere in it
// becomes the file's error: one bad file never stops a batch.
func (p *Pipeline) File(ctx context.Context, path string) (res FileResult) {
	res.Path = path
	defer func() {
		if r := recover(); r != nil {
			res.Records = nil
			res.Err = fmt.Errorf("internal error while processing: %v", r)
		}
	}()
	doc, err := ingest.ReadFile(ctx, path, p.opt.Read)
	if err != nil {
		res.Err = err
		return res
	}
	res.Format, res.SHA256, res.Pages = doc.Format, doc.SHA256, doc.Pages
	return p.Document(ctx, doc, res)
}

// Document extracts and normalizes an already read document.
func (p *Pipeline) Document(ctx context.Context, doc *registre.Document, res FileResult) FileResult {
	raws, layout, err := p.extractor.Extract(ctx, doc)
	if err != nil {
		res.Err = err
		return res
	}
	if p.opt.Assist != nil {
		more, err := p.opt.Assist(ctx, doc, raws)
		if err != nil {
			res.Err = fmt.Errorf("llm assistance: %w", err)
			return res
		}
		raws = more
	}
	res.Layout = layout
	res.Records = normalize.Records(doc, raws)
	ocr.Mark(doc, res.Records)
	return res
}

// Run processes files with a bounded worker pool and returns one result per
// path, in the order of paths. Flags are raised over the whole batch.
func (p *Pipeline) Run(ctx context.Context, paths []string) ([]FileResult, error) {
	results := make([]FileResult, len(paths))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(p.opt.Workers)
	for i, path := range paths {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			results[i] = p.File(gctx, path)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	p.Check(results)
	return results, nil
}

// Check raises flags over the records of all results together.
func (p *Pipeline) Check(results []FileResult) {
	if p.opt.Checker == nil {
		return
	}
	var all []registre.Record
	for _, r := range results {
		all = append(all, r.Records...)
	}
	p.opt.Checker.Check(all)
	i := 0
	for ri := range results {
		for j := range results[ri].Records {
			results[ri].Records[j] = all[i]
			i++
		}
	}
}

// Stream processes files with the worker pool and calls emit for each
// result in input order as soon as it and all before it are done, so memory
// stays bounded by the pool, not by the corpus. No cross-record flags.
func (p *Pipeline) Stream(ctx context.Context, paths []string, emit func(FileResult) error) error {
	type slot struct {
		res  FileResult
		done chan struct{}
	}
	window := make(chan *slot, p.opt.Workers*2)
	g, gctx := errgroup.WithContext(ctx)
	var mu sync.Mutex
	var emitErr error
	g.Go(func() error {
		defer close(window)
		sem := make(chan struct{}, p.opt.Workers)
		for _, path := range paths {
			s := &slot{done: make(chan struct{})}
			select {
			case window <- s:
			case <-gctx.Done():
				return gctx.Err()
			}
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; close(s.done) }()
				s.res = p.File(gctx, path)
			}()
		}
		return nil
	})
	g.Go(func() error {
		for s := range window {
			<-s.done
			if err := emit(s.res); err != nil {
				mu.Lock()
				emitErr = err
				mu.Unlock()
				return err
			}
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return err
	}
	return emitErr
}
