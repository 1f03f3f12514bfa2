// Package bleveindex is the embedded backend of the index: a bleve index on
// disk, no server needed.
package bleveindex

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	bolterrors "go.etcd.io/bbolt/errors"

	"registre"
	"registre/index"
)

// DirName is the bleve index's directory inside the data dir.
const DirName = "records.bleve"

// batchSize bounds one bleve batch: large enough to amortise segment
// creation, small enough to keep memory flat on big puts.
const batchSize = 500

// Index is the bleve backend. It is safe for concurrent use.
type Index struct {
	idx bleve.Index
}

var _ index.Index = (*Index)(nil)

// ErrLocked is returned when another process holds the index.
var ErrLocked = errors.New("the embedded index is in use by another registre process (serve, ingest?): stop it or use --es-url")

// Options tune Open.
type Options struct {
	// ReadOnly opens an existing index for reading: several readers may
	// share it; a writer excludes them.
	ReadOnly bool
	// LockTimeout bounds the wait for another process's lock (default 5 s).
	LockTimeout time.Duration
}

// Open opens the index under dataDir for reading and writing, creating it
// when absent.
func Open(ctx context.Context, dataDir string) (*Index, error) {
	return OpenWith(ctx, dataDir, Options{})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, dataDir string, o Options) (*Index, error) {
	if o.LockTimeout == 0 {
		o.LockTimeout = 5 * time.Second
	}
	path := filepath.Join(dataDir, DirName)
	// bolt waits forever for the file lock unless told otherwise.
	cfg := scorchConfig(map[string]interface{}{"bolt_timeout": o.LockTimeout.String(), "read_only": o.ReadOnly})
	idx, err := bleve.OpenUsing(path, cfg)
	if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) && !o.ReadOnly {
		if err := os.MkdirAll(dataDir, 0o755); err != nil {
			return nil, fmt.Errorf("create data dir %s: %w", dataDir, err)
		}
		m, merr := newMapping()
		if merr != nil {
			return nil, fmt.Errorf("build bleve mapping: %w", merr)
		}
		idx, err = bleve.NewUsing(path, m, bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, scorchConfig(map[string]interface{}{"bolt_timeout": o.LockTimeout.String()}))
	}
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("open bleve index %s: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("open bleve index %s: %w", path, err)
	}
	return &Index{idx: idx}, nil
}

// Stored field holding the record's JSON for Get.
const recordField = "record"

func newMapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	if err := addAnalyzer(m); err != nil {
		return nil, err
	}
	m.DefaultAnalyzer = AnalyzerName
	doc := bleve.NewDocumentStaticMapping()

	text := func(store bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = AnalyzerName
		f.Store = store
		f.IncludeTermVectors = true // highlight needs term locations
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	kw := func(store bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = store
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = true // facets and sort read doc values
		return f
	}
	for _, f := range index.TextFields {
		doc.AddFieldMappingsAt(f.Name, text(true))
	}
	for _, name := range []string{"id", "kind", "source_path", "source_sha256", "locator"} {
		doc.AddFieldMappingsAt(name, kw(true))
	}
	// organisation is analysed text for search; its keyword twin is f_organisation.
	for _, key := range index.FacetKeys {
		doc.AddFieldMappingsAt(index.FacetField(key), kw(false))
	}
	rec := bleve.NewTextFieldMapping()
	rec.Index = false
	rec.Store = true
	rec.IncludeInAll = false
	rec.IncludeTermVectors = false
	rec.DocValues = false
	rec.Analyzer = keyword.Name
	doc.AddFieldMappingsAt(recordField, rec)

	m.DefaultMapping = doc
	m.StoreDynamic = false
	m.IndexDynamic = false
	return m, nil
}

// body is what bleve indexes for one record.
func body(rec *registre.Record) (map[string]any, error) {
	d := index.NewDoc(rec)
	raw, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	for k, vs := range d.Facets {
		m[index.FacetField(k)] = vs
	}
	full, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	m[recordField] = string(full)
	return m, nil
}

// PutRecords implements index.Index.
func (x *Index) PutRecords(ctx context.Context, recs []registre.Record) (index.PutResult, error) {
	var res index.PutResult
	b := x.idx.NewBatch()
	var pending []string
	flush := func() error {
		if b.Size() == 0 {
			return nil
		}
		if err := x.idx.Batch(b); err != nil {
			// A failed batch fails every record in it, each reported.
			for _, id := range pending {
				res.Failures = append(res.Failures, index.Failure{ID: id, Reason: fmt.Sprintf("bleve batch: %v", err)})
			}
		} else {
			res.Indexed += len(pending)
		}
		b.Reset()
		pending = pending[:0]
		return nil
	}
	for i := range recs {
		if err := ctx.Err(); err != nil {
			return res, fmt.Errorf("index records: %w", err)
		}
		rec := &recs[i]
		if rec.ID == "" {
			res.Failures = append(res.Failures, index.Failure{ID: "", Reason: fmt.Sprintf("record %q from %s has no id", rec.Name, rec.Source.Path)})
			continue
		}
		m, err := body(rec)
		if err == nil {
			err = b.Index(rec.ID, m)
		}
		if err != nil {
			res.Failures = append(res.Failures, index.Failure{ID: rec.ID, Reason: fmt.Sprintf("prepare document: %v", err)})
			continue
		}
		pending = append(pending, rec.ID)
		if b.Size() >= batchSize {
			if err := flush(); err != nil {
				return res, err
			}
		}
	}
	return res, flush()
}

// DeleteBySource implements index.Index.
func (x *Index) DeleteBySource(ctx context.Context, sel index.SourceSelector) (int, error) {
	if err := sel.Valid(); err != nil {
		return 0, err
	}
	bq := bleve.NewBooleanQuery()
	must := func(field, v string) {
		if v != "" {
			bq.AddMust(term(field, v))
		}
	}
	must("source_path", sel.Path)
	must("source_sha256", sel.SHA256)
	must("kind", sel.Kind)
	if sel.NotSHA256 != "" {
		bq.AddMustNot(term("source_sha256", sel.NotSHA256))
	}
	deleted := 0
	for {
		if err := ctx.Err(); err != nil {
			return deleted, fmt.Errorf("delete by source: %w", err)
		}
		req := bleve.NewSearchRequestOptions(bq, batchSize, 0, false)
		res, err := x.idx.SearchInContext(ctx, req)
		if err != nil {
			return deleted, fmt.Errorf("find entries of source %+v: %w", sel, err)
		}
		if len(res.Hits) == 0 {
			return deleted, nil
		}
		b := x.idx.NewBatch()
		for _, h := range res.Hits {
			b.Delete(h.ID)
		}
		if err := x.idx.Batch(b); err != nil {
			return deleted, fmt.Errorf("delete entries of source %+v: %w", sel, err)
		}
		deleted += len(res.Hits)
	}
}

// Get implements index.Index.
func (x *Index) Get(ctx context.Context, id string) (*registre.Record, error) {
	req := bleve.NewSearchRequest(bleve.NewDocIDQuery([]string{id}))
	req.Fields = []string{recordField}
	res, err := x.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", id, err)
	}
	if len(res.Hits) == 0 {
		return nil, fmt.Errorf("get %s: %w", id, index.ErrNotFound)
	}
	return decodeRecord(res.Hits[0].Fields[recordField], id)
}

func decodeRecord(v any, id string) (*registre.Record, error) {
	s, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("get %s: stored record missing", id)
	}
	var rec registre.Record
	if err := json.Unmarshal([]byte(s), &rec); err != nil {
		return nil, fmt.Errorf("decode stored record %s: %w", id, err)
	}
	return &rec, nil
}

// Search implements index.Index.
func (x *Index) Search(ctx context.Context, q index.Query) (*index.Result, error) {
	q, err := index.Normalize(q)
	if err != nil {
		return nil, err
	}
	tq, err := x.textQuery(q.Text)
	if err != nil {
		return nil, err
	}
	conj := []query.Query{tq}
	for key, vs := range q.Filters {
		var anyOf []query.Query
		for _, v := range vs {
			anyOf = append(anyOf, term(index.FacetField(key), v))
		}
		conj = append(conj, bleve.NewDisjunctionQuery(anyOf...))
	}
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(conj...), q.Size, q.From, false)
	req.SortBy([]string{"-_score", "id"})
	req.Fields = []string{"name", "organisation", "kind", "locator", "source_path"}
	if q.WithRecords {
		req.Fields = append(req.Fields, recordField)
	}
	if q.Highlight && q.Text != "" {
		req.Highlight = bleve.NewHighlightWithStyle("html")
		req.Highlight.Fields = index.HighlightFields
	}
	for _, key := range q.Facets {
		req.AddFacet(key, bleve.NewFacetRequest(index.FacetField(key), index.FacetSize))
	}
	res, err := x.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q.Text, err)
	}
	out := &index.Result{Total: int(res.Total), Hits: []index.Hit{}, Facets: map[string][]index.FacetValue{}}
	for _, h := range res.Hits {
		hit := index.Hit{
			ID:           h.ID,
			Name:         str(h.Fields["name"]),
			Organisation: str(h.Fields["organisation"]),
			Kind:         str(h.Fields["kind"]),
			Locator:      str(h.Fields["locator"]),
			SourcePath:   str(h.Fields["source_path"]),
			Score:        h.Score,
		}
		if len(h.Fragments) > 0 {
			hit.Highlights = h.Fragments
		}
		if q.WithRecords {
			if hit.Record, err = decodeRecord(h.Fields[recordField], h.ID); err != nil {
				return nil, err
			}
		}
		out.Hits = append(out.Hits, hit)
	}
	for _, key := range q.Facets {
		vals := []index.FacetValue{}
		if fr := res.Facets[key]; fr != nil && fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				vals = append(vals, index.FacetValue{Value: t.Term, Count: t.Count})
			}
		}
		index.SortFacet(vals)
		out.Facets[key] = vals
	}
	return out, nil
}

// textQuery requires every analysed term of text in at least one text field,
// as Elasticsearch's cross_fields/and does, so both backends match the same
// records. Text made only of stop words matches nothing, as there.
func (x *Index) textQuery(text string) (query.Query, error) {
	if text == "" {
		return bleve.NewMatchAllQuery(), nil
	}
	an := x.idx.Mapping().AnalyzerNamed(AnalyzerName)
	if an == nil {
		return nil, fmt.Errorf("analyzer %s missing from the index mapping", AnalyzerName)
	}
	seen := map[string]bool{}
	var terms []query.Query
	for _, tok := range an.Analyze([]byte(text)) {
		t := string(tok.Term)
		if seen[t] {
			continue
		}
		seen[t] = true
		var fields []query.Query
		for _, f := range index.TextFields {
			tq := term(f.Name, t)
			tq.SetBoost(f.Boost)
			fields = append(fields, tq)
		}
		terms = append(terms, bleve.NewDisjunctionQuery(fields...))
	}
	if len(terms) == 0 {
		return bleve.NewMatchNoneQuery(), nil
	}
	return bleve.NewConjunctionQuery(terms...), nil
}

func term(field, v string) *query.TermQuery {
	q := bleve.NewTermQuery(v)
	q.SetField(field)
	return q
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// Scan implements index.Index. bleve stores the record as one JSON string,
// so every field is read whatever opt.Fields asks; pages follow the
// document id (search_after), which costs no deep-paging window.
func (x *Index) Scan(ctx context.Context, opt index.ScanOptions, fn func(*registre.Record) error) error {
	opt = opt.Normalize()
	var after []string
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("scan the index: %w", err)
		}
		req := bleve.NewSearchRequestOptions(term("kind", opt.Kind), opt.PageSize, 0, false)
		req.SortBy([]string{"_id"})
		req.Fields = []string{recordField}
		if after != nil {
			req.SearchAfter = after
		}
		res, err := x.idx.SearchInContext(ctx, req)
		if err != nil {
			return fmt.Errorf("scan the index after %v: %w", after, err)
		}
		for _, h := range res.Hits {
			rec, err := decodeRecord(h.Fields[recordField], h.ID)
			if err != nil {
				return err
			}
			if err := fn(rec); err != nil {
				return err
			}
		}
		if len(res.Hits) < opt.PageSize {
			return nil
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
}

// Refresh implements index.Index: bleve batches are searchable once applied.
func (x *Index) Refresh(context.Context) error { return nil }

// Close implements index.Index.
func (x *Index) Close() error {
	if err := x.idx.Close(); err != nil {
		return fmt.Errorf("close bleve index: %w", err)
	}
	return nil
}
