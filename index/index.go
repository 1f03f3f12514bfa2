// Package index is registre's search index: the API both backends provide
// (bleve embedded on disk by default, Elasticsearch when configured), the
// query and result shapes the CLI and the web API share, and the derivation of
// facet values from a record, so the backends cannot disagree on them.
package index

import (
	"context"
	"errors"

	"registre"
)

// Entry kinds. Processing records are what analysts search; document_status
// entries record files that failed, so failures are searchable next to
// content but never counted in a default search.
const (
	KindRecord         = "record"
	KindDocumentStatus = "document_status"
)

// ErrNotFound is returned by Get for an unknown id.
var ErrNotFound = errors.New("record not found")

// Index is what every backend provides.
type Index interface {
	// PutRecords indexes (or replaces: the document id is the record id)
	// the records and returns once each one is accepted or has failed.
	// A record that fails is reported in PutResult.Failures with its id and
	// the reason; the error is for failures of the whole call (context
	// cancelled, backend unreachable after retries).
	PutRecords(ctx context.Context, recs []registre.Record) (PutResult, error)
	// DeleteBySource deletes every entry whose source matches sel and
	// returns how many it deleted.
	DeleteBySource(ctx context.Context, sel SourceSelector) (int, error)
	// Get returns the full record stored under id, or ErrNotFound.
	Get(ctx context.Context, id string) (*registre.Record, error)
	// Search runs q. Records put before the last Refresh are visible.
	Search(ctx context.Context, q Query) (*Result, error)
	// Scan calls fn with every entry of kind opt.Kind (processing records
	// when empty), in id order, a page at a time, so a pass over the whole
	// index holds one page in memory, not the index. Entries put before the
	// last Refresh are seen. fn may keep the record; an error from fn stops
	// the scan and is returned.
	Scan(ctx context.Context, opt ScanOptions, fn func(*registre.Record) error) error
	// Refresh makes everything put or deleted so far searchable.
	Refresh(ctx context.Context) error
	// Close releases the backend (flushes pending writes first).
	Close() error
}

// PutResult is the outcome of PutRecords.
type PutResult struct {
	Indexed  int       `json:"indexed"`
	Failures []Failure `json:"failures,omitempty"`
}

// Failure is one record the backend refused, and why.
type Failure struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
	// Status is the backend's status for the item (HTTP status for
	// Elasticsearch), 0 when it has none.
	Status int `json:"status,omitempty"`
}

// SourceSelector picks index entries by their source document. Set fields are
// ANDed; Path or SHA256 must be set. The bulk ledger uses it so:
//   - a file removed from the tree: {Path: p};
//   - a file re-ingested with new content: put the new records, then
//     {Path: p, NotSHA256: newSHA} removes what the new version no longer has
//     (record ids are stable across re-issues, so kept records were replaced);
//   - a file that failed before and now succeeds: {Path: p, Kind: KindDocumentStatus}.
type SourceSelector struct {
	Path      string
	SHA256    string
	NotSHA256 string
	Kind      string
}

// Valid says whether sel names a source.
func (sel SourceSelector) Valid() error {
	if sel.Path == "" && sel.SHA256 == "" {
		return errors.New("source selector needs a path or a sha256")
	}
	return nil
}

// ScanOptions select what Scan reads.
type ScanOptions struct {
	// Kind is KindRecord when empty.
	Kind string
	// Fields are the JSON paths of the record fn needs ("name",
	// "source.path", "provenance.name"…); a backend that can read part of a
	// stored record reads only those (the others are zero), one that
	// cannot returns the whole record. Empty reads whole records.
	Fields []string
	// PageSize is how many entries are read at once (default
	// DefaultScanPage, at most MaxScanPage).
	PageSize int
}

// Scan page sizes.
const (
	DefaultScanPage = 1000
	MaxScanPage     = 10000
)

// Normalize fills the defaults of o.
func (o ScanOptions) Normalize() ScanOptions {
	if o.Kind == "" {
		o.Kind = KindRecord
	}
	if o.PageSize <= 0 {
		o.PageSize = DefaultScanPage
	}
	o.PageSize = min(o.PageSize, MaxScanPage)
	return o
}

// Query is a search request. An empty Text matches everything.
type Query struct {
	Text string `json:"q"`
	// Filters: facet key → accepted values. Values of one key are ORed,
	// keys are ANDed. Without a "kind" filter only processing records match.
	Filters map[string][]string `json:"filters,omitempty"`
	// Facets to count over the matching entries; nil means all of FacetKeys.
	Facets []string `json:"facets,omitempty"`
	// Highlight asks for highlighted fragments of the matching text fields:
	// HTML, the text escaped and the matching words in <mark>…</mark>.
	Highlight bool `json:"highlight,omitempty"`
	// WithRecords returns each hit's full record.
	WithRecords bool `json:"with_records,omitempty"`
	From        int  `json:"from,omitempty"`
	// Size defaults to DefaultSize; at most MaxSize.
	Size int `json:"size,omitempty"`
}

// Page sizes.
const (
	DefaultSize = 20
	MaxSize     = 1000
	// MaxWindow bounds From+Size: deep pages belong to an export, not a search.
	MaxWindow = 10000
	// FacetSize is how many values a facet returns at most.
	FacetSize = 100
)

// Result is a page of hits, the total count and the facet counts.
type Result struct {
	Total  int                     `json:"total"`
	Hits   []Hit                   `json:"hits"`
	Facets map[string][]FacetValue `json:"facets"`
}

// Hit is one matching entry.
type Hit struct {
	ID           string              `json:"id"`
	Name         string              `json:"name"`
	Organisation string              `json:"organisation"`
	Kind         string              `json:"kind"`
	Locator      string              `json:"locator,omitempty"`
	SourcePath   string              `json:"source_path,omitempty"`
	Highlights   map[string][]string `json:"highlights,omitempty"`
	Score        float64             `json:"score"`
	Record       *registre.Record    `json:"record,omitempty"`
}

// FacetValue is one value of a facet and how many matching entries have it.
type FacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}
