// Package esindex is the Elasticsearch backend of the index: versioned
// indices behind an alias, one long-lived bulk indexer, every refused record
// reported with its id.
package esindex

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/elastic/go-elasticsearch/v8"
	"github.com/elastic/go-elasticsearch/v8/esapi"
	"github.com/elastic/go-elasticsearch/v8/esutil"

	"registre"
	"registre/index"
)

// DefaultAlias is the alias searches and writes go through.
const DefaultAlias = "registre-records"

// Config selects and tunes the cluster.
type Config struct {
	URL      string // e.g. http://127.0.0.1:9200; required
	APIKey   string // base64 API key; wins over Username/Password
	Username string
	Password string
	// CACertFile is a PEM file of the CA that signed the cluster's certificate.
	CACertFile string
	// Alias defaults to DefaultAlias; indices are named <alias>-v<N>-<time>.
	Alias string
	// Shards defaults to 1; Replicas nil leaves the cluster's default
	// (a single test node wants 0 to stay green).
	Shards   int
	Replicas *int
	// Bulk tuning: workers (default 2), flush threshold (default 1 MiB).
	Workers    int
	FlushBytes int
	// MaxAttempts bounds how often a record refused with 429 or 5xx is
	// sent again (default 5).
	MaxAttempts int
	// Transport replaces the HTTP transport (tests inject faults with it).
	Transport http.RoundTripper
	Logger    *slog.Logger
}

// Index is the Elasticsearch backend. It is safe for concurrent use.
type Index struct {
	es    *elasticsearch.Client
	cfg   Config
	alias string
	bulk  esutil.BulkIndexer
	log   *slog.Logger
}

var _ index.Index = (*Index)(nil)

// Open connects, installs the index template and makes sure the alias points
// to an index, creating the first versioned index when there is none.
func Open(ctx context.Context, cfg Config) (*Index, error) {
	if cfg.URL == "" {
		return nil, errors.New("elasticsearch: no URL")
	}
	if cfg.Alias == "" {
		cfg.Alias = DefaultAlias
	}
	if cfg.Shards == 0 {
		cfg.Shards = 1
	}
	if cfg.Workers == 0 {
		cfg.Workers = 2
	}
	if cfg.FlushBytes == 0 {
		// Small enough that, within one PutRecords call, workers send
		// while the caller still encodes; large enough to amortise.
		cfg.FlushBytes = 1 << 20
	}
	if cfg.MaxAttempts == 0 {
		cfg.MaxAttempts = 5
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	esCfg := elasticsearch.Config{
		Addresses: []string{cfg.URL},
		APIKey:    cfg.APIKey,
		Username:  cfg.Username,
		Password:  cfg.Password,
		Transport: cfg.Transport,
		// The transport retries whole requests on overload and gateway
		// errors; refused items inside a 200 bulk response are retried
		// by PutRecords.
		RetryOnStatus: []int{429, 500, 502, 503, 504},
		MaxRetries:    cfg.MaxAttempts,
		RetryBackoff:  backoff,
	}
	if cfg.CACertFile != "" {
		pem, err := os.ReadFile(cfg.CACertFile)
		if err != nil {
			return nil, fmt.Errorf("elasticsearch: read CA certificate: %w", err)
		}
		esCfg.CACert = pem
	}
	es, err := elasticsearch.NewClient(esCfg)
	if err != nil {
		return nil, fmt.Errorf("elasticsearch: client for %s: %w", cfg.URL, err)
	}
	x := &Index{es: es, cfg: cfg, alias: cfg.Alias, log: cfg.Logger}
	if err := x.ensureTemplate(ctx); err != nil {
		return nil, err
	}
	if err := x.ensureAlias(ctx); err != nil {
		return nil, err
	}
	x.bulk, err = esutil.NewBulkIndexer(esutil.BulkIndexerConfig{
		Client:     es,
		NumWorkers: cfg.Workers,
		FlushBytes: cfg.FlushBytes,
		// PutRecords flushes before returning; the interval only bounds
		// how long concurrent callers' items wait for company.
		FlushInterval: time.Second,
		OnError: func(ctx context.Context, err error) {
			// Each item of the failed request also gets OnFailure,
			// so nothing is lost; this is for the operator.
			cfg.Logger.Warn("elasticsearch bulk request failed", "err", err)
		},
	})
	if err != nil {
		return nil, fmt.Errorf("elasticsearch: bulk indexer: %w", err)
	}
	return x, nil
}

// backoff is exponential with jitter: 100 ms, 200 ms… capped at 10 s.
func backoff(attempt int) time.Duration {
	d := 100 * time.Millisecond << min(attempt, 7)
	d = min(d, 10*time.Second)
	return d/2 + rand.N(d/2+1)
}

// Alias returns the alias the index reads and writes through.
func (x *Index) Alias() string { return x.alias }

// Client exposes the client, for the benchmark's raw _bulk comparison.
func (x *Index) Client() *elasticsearch.Client { return x.es }

func (x *Index) templateName() string { return x.alias }

func (x *Index) newIndexName() string {
	ts := strings.ReplaceAll(time.Now().UTC().Format("20060102-150405.000000"), ".", "-")
	return fmt.Sprintf("%s-v%d-%s", x.alias, MappingVersion, ts)
}

func (x *Index) ensureTemplate(ctx context.Context) error {
	body, err := json.Marshal(template(x.alias+"-v*", x.cfg.Shards, x.cfg.Replicas))
	if err != nil {
		return err
	}
	res, err := x.es.Indices.PutIndexTemplate(x.templateName(), bytes.NewReader(body), x.es.Indices.PutIndexTemplate.WithContext(ctx))
	if err := check(res, err, "install index template %s", x.templateName()); err != nil {
		return err
	}
	return nil
}

// aliasTargets returns the indices the alias points to.
func (x *Index) aliasTargets(ctx context.Context) ([]string, error) {
	res, err := x.es.Indices.GetAlias(x.es.Indices.GetAlias.WithName(x.alias), x.es.Indices.GetAlias.WithContext(ctx))
	if err == nil && res.StatusCode == http.StatusNotFound {
		res.Body.Close()
		return nil, nil
	}
	var out map[string]any
	if err := decode(res, err, &out, "read alias %s", x.alias); err != nil {
		return nil, err
	}
	var names []string
	for name := range out {
		names = append(names, name)
	}
	slices.Sort(names)
	return names, nil
}

func (x *Index) ensureAlias(ctx context.Context) error {
	targets, err := x.aliasTargets(ctx)
	if err != nil {
		return err
	}
	if len(targets) > 0 {
		current := fmt.Sprintf("%s-v%d-", x.alias, MappingVersion)
		for _, t := range targets {
			if !strings.HasPrefix(t, current) {
				// Still searchable; new fields or analysis wait for Reindex.
				x.log.Warn("elasticsearch index made from an older template: run a reindex", "index", t, "want", current+"…")
			}
		}
		return nil
	}
	name := x.newIndexName()
	body := fmt.Sprintf(`{"aliases":{%q:{}}}`, x.alias)
	res, err := x.es.Indices.Create(name, x.es.Indices.Create.WithBody(strings.NewReader(body)), x.es.Indices.Create.WithContext(ctx))
	if err := check(res, err, "create index %s", name); err != nil {
		return err
	}
	x.log.Info("created elasticsearch index", "index", name, "alias", x.alias)
	return nil
}

// Document is the _source registre indexes for rec (the benchmark sends the
// same bytes through a raw _bulk for comparison).
func Document(rec *registre.Record) ([]byte, error) {
	full, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	d := index.NewDoc(rec)
	f := d.Facets
	doc, err := json.Marshal(esDoc{
		Doc:           d,
		FOrganisation: f[index.FacetOrganisation],
		FLegalBasis:   f[index.FacetLegalBasis],
		FFlag:         f[index.FacetFlag],
		FDataCategory: f[index.FacetDataCategory],
		FSensitive:    f[index.FacetSensitive],
		FTransfer:     f[index.FacetTransfer],
		FRetention:    f[index.FacetRetention],
		FDecade:       f[index.FacetDecade],
		FFormat:       f[index.FacetFormat],
		FKind:         f[index.FacetKind],
	})
	if err != nil {
		return nil, err
	}
	// The record is spliced in rather than encoded as a RawMessage field,
	// which encoding/json would re-validate and compact: a third pass.
	out := make([]byte, 0, len(doc)+len(full)+12)
	out = append(out, doc[:len(doc)-1]...)
	out = append(out, `,"record":`...)
	out = append(out, full...)
	return append(out, '}'), nil
}

// esDoc is Doc with its facet fields spelled out, encoded in one pass (the
// encoding is most of our bulk path's client-side cost); Document appends
// the record.
type esDoc struct {
	index.Doc
	FOrganisation []string `json:"f_organisation,omitempty"`
	FLegalBasis   []string `json:"f_legal_basis,omitempty"`
	FFlag         []string `json:"f_flag,omitempty"`
	FDataCategory []string `json:"f_data_category,omitempty"`
	FSensitive    []string `json:"f_sensitive,omitempty"`
	FTransfer     []string `json:"f_transfer,omitempty"`
	FRetention    []string `json:"f_retention,omitempty"`
	FDecade       []string `json:"f_decade,omitempty"`
	FFormat       []string `json:"f_format,omitempty"`
	FKind         []string `json:"f_kind,omitempty"`
}

// PutRecords implements index.Index, writing through the alias.
func (x *Index) PutRecords(ctx context.Context, recs []registre.Record) (index.PutResult, error) {
	return x.put(ctx, x.alias, recs)
}

type pending struct {
	id     string
	rec    *registre.Record // to encode, for index actions
	body   []byte           // encoded, kept for retries
	action string           // index or delete
}

// put sends recs to target through the long-lived bulk indexer and waits for
// every item's outcome. Items refused with 429 or 5xx (or lost with their
// whole request) are sent again with backoff; the rest are reported.
func (x *Index) put(ctx context.Context, target string, recs []registre.Record) (index.PutResult, error) {
	var res index.PutResult
	var todo []pending
	for i := range recs {
		rec := &recs[i]
		if rec.ID == "" {
			res.Failures = append(res.Failures, index.Failure{Reason: fmt.Sprintf("record %q from %s has no id", rec.Name, rec.Source.Path)})
			continue
		}
		// Encoded in round, just before queueing: the bulk workers send
		// earlier documents meanwhile.
		todo = append(todo, pending{id: rec.ID, rec: rec, action: "index"})
	}
	sent, err := x.send(ctx, target, todo)
	sent.Indexed += res.Indexed
	sent.Failures = append(res.Failures, sent.Failures...)
	return sent, err
}

// send runs the bulk actions of todo to completion: items refused with 429
// or 5xx (or lost with their whole request) are sent again with backoff; the
// rest are reported. PutResult.Indexed counts the items done.
func (x *Index) send(ctx context.Context, target string, todo []pending) (index.PutResult, error) {
	var res index.PutResult
	for attempt := 1; len(todo) > 0; attempt++ {
		if attempt > 1 {
			select {
			case <-ctx.Done():
			case <-time.After(backoff(attempt - 1)):
			}
		}
		if err := ctx.Err(); err != nil {
			for _, p := range todo {
				res.Failures = append(res.Failures, index.Failure{ID: p.id, Reason: "not indexed: " + err.Error()})
			}
			return res, fmt.Errorf("index records: %w", err)
		}
		indexed, retry, failed, err := x.round(ctx, target, todo, attempt == x.cfg.MaxAttempts)
		res.Indexed += indexed
		res.Failures = append(res.Failures, failed...)
		if err != nil {
			for _, p := range retry {
				res.Failures = append(res.Failures, index.Failure{ID: p.id, Reason: "not indexed: " + err.Error()})
			}
			return res, err
		}
		if len(retry) > 0 {
			x.log.Warn("elasticsearch refused records for now; retrying", "count", len(retry), "attempt", attempt)
		}
		todo = retry
	}
	return res, nil
}

// round sends one attempt of todo and sorts the outcomes.
func (x *Index) round(ctx context.Context, target string, todo []pending, last bool) (indexed int, retry []pending, failed []index.Failure, err error) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range todo {
		p := &todo[i]
		if p.action == "index" && p.body == nil {
			body, eerr := Document(p.rec)
			if eerr != nil {
				mu.Lock() // callbacks of earlier items append concurrently
				failed = append(failed, index.Failure{ID: p.id, Reason: fmt.Sprintf("encode document: %v", eerr)})
				mu.Unlock()
				continue
			}
			p.body = body
		}
		wg.Add(1)
		item := esutil.BulkIndexerItem{
			Index:      target,
			Action:     p.action,
			DocumentID: p.id,
			OnSuccess: func(context.Context, esutil.BulkIndexerItem, esutil.BulkIndexerResponseItem) {
				mu.Lock()
				indexed++
				mu.Unlock()
				wg.Done()
			},
			OnFailure: func(_ context.Context, _ esutil.BulkIndexerItem, r esutil.BulkIndexerResponseItem, ierr error) {
				mu.Lock()
				defer mu.Unlock()
				defer wg.Done()
				if p.action == "delete" && r.Status == http.StatusNotFound {
					return // already gone: nothing to delete, nothing lost
				}
				transient := ierr != nil || r.Status == http.StatusTooManyRequests || r.Status >= 500
				if transient && !last {
					retry = append(retry, *p)
					return
				}
				reason := ""
				if ierr != nil {
					reason = ierr.Error()
				} else {
					reason = fmt.Sprintf("%s: %s", r.Error.Type, r.Error.Reason)
					if r.Error.Cause.Reason != "" {
						reason += fmt.Sprintf(" (%s: %s)", r.Error.Cause.Type, r.Error.Cause.Reason)
					}
				}
				failed = append(failed, index.Failure{ID: p.id, Reason: reason, Status: r.Status})
			},
		}
		if p.body != nil {
			item.Body = bytes.NewReader(p.body)
		}
		if aerr := x.bulk.Add(ctx, item); aerr != nil {
			wg.Done()
			// This item and the ones never queued go back to the caller.
			mu.Lock()
			retry = append(retry, todo[i:]...)
			mu.Unlock()
			err = fmt.Errorf("queue record %s: %w", p.id, aerr)
			break
		}
	}
	if err == nil {
		if ferr := x.bulk.Flush(ctx); ferr != nil {
			err = fmt.Errorf("flush bulk indexer: %w", ferr)
		}
	}
	// Every queued item gets exactly one callback, also when its request failed.
	wg.Wait()
	return indexed, retry, failed, err
}

// DeleteBySource implements index.Index. It pages through the matching ids
// and deletes them with the bulk indexer rather than _delete_by_query, which
// lives in the reindex module that not every node has (the integ-test
// distribution lacks it).
func (x *Index) DeleteBySource(ctx context.Context, sel index.SourceSelector) (int, error) {
	if err := sel.Valid(); err != nil {
		return 0, err
	}
	var filter, mustNot []any
	termIf := func(field, v string) {
		if v != "" {
			filter = append(filter, map[string]any{"term": map[string]any{field: v}})
		}
	}
	termIf("source_path", sel.Path)
	termIf("source_sha256", sel.SHA256)
	termIf("kind", sel.Kind)
	if sel.NotSHA256 != "" {
		mustNot = append(mustNot, map[string]any{"term": map[string]any{"source_sha256": sel.NotSHA256}})
	}
	// Searches see only refreshed documents: records just put must be
	// visible to be found and deleted.
	if err := x.Refresh(ctx); err != nil {
		return 0, err
	}
	deleted := 0
	var after []any
	for {
		body := map[string]any{
			"size":    1000,
			"_source": false,
			"query":   map[string]any{"bool": map[string]any{"filter": filter, "must_not": mustNot}},
			"sort":    []any{map[string]any{"id": "asc"}},
		}
		if after != nil {
			body["search_after"] = after
		}
		raw, _ := json.Marshal(body)
		res, err := x.es.Search(x.es.Search.WithContext(ctx), x.es.Search.WithIndex(x.alias), x.es.Search.WithBody(bytes.NewReader(raw)))
		var out struct {
			Hits struct {
				Hits []struct {
					ID   string `json:"_id"`
					Sort []any  `json:"sort"`
				} `json:"hits"`
			} `json:"hits"`
		}
		if err := decode(res, err, &out, "find entries of source %+v", sel); err != nil {
			return deleted, err
		}
		if len(out.Hits.Hits) == 0 {
			break
		}
		var ids []pending
		for _, h := range out.Hits.Hits {
			ids = append(ids, pending{id: h.ID, action: "delete"})
		}
		after = out.Hits.Hits[len(out.Hits.Hits)-1].Sort
		res2, err := x.send(ctx, x.alias, ids)
		deleted += res2.Indexed
		if err != nil {
			return deleted, fmt.Errorf("delete entries of source %+v: %w", sel, err)
		}
		if len(res2.Failures) > 0 {
			return deleted, fmt.Errorf("delete entries of source %+v: %d not deleted, first: %s: %s", sel, len(res2.Failures), res2.Failures[0].ID, res2.Failures[0].Reason)
		}
	}
	return deleted, x.Refresh(ctx)
}

// Get implements index.Index.
func (x *Index) Get(ctx context.Context, id string) (*registre.Record, error) {
	res, err := x.es.Get(x.alias, id, x.es.Get.WithContext(ctx), x.es.Get.WithSourceIncludes("record"))
	if err == nil && res.StatusCode == http.StatusNotFound {
		res.Body.Close()
		return nil, fmt.Errorf("get %s: %w", id, index.ErrNotFound)
	}
	var out struct {
		Source struct {
			Record *registre.Record `json:"record"`
		} `json:"_source"`
	}
	if err := decode(res, err, &out, "get %s", id); err != nil {
		return nil, err
	}
	if out.Source.Record == nil {
		return nil, fmt.Errorf("get %s: stored record missing", id)
	}
	return out.Source.Record, nil
}

// Refresh implements index.Index.
func (x *Index) Refresh(ctx context.Context) error {
	res, err := x.es.Indices.Refresh(x.es.Indices.Refresh.WithIndex(x.alias), x.es.Indices.Refresh.WithContext(ctx))
	return check(res, err, "refresh %s", x.alias)
}

// Close flushes and stops the bulk indexer.
func (x *Index) Close() error {
	if err := x.bulk.Close(context.Background()); err != nil {
		return fmt.Errorf("close elasticsearch bulk indexer: %w", err)
	}
	return nil
}

// check closes res and turns a transport error or an error status into an error.
func check(res *esapi.Response, err error, what string, args ...any) error {
	return decode(res, err, nil, what, args...)
}

// decode checks res and decodes its body into out (when not nil).
func decode(res *esapi.Response, err error, out any, what string, args ...any) error {
	doing := fmt.Sprintf(what, args...)
	if err != nil {
		return fmt.Errorf("elasticsearch: %s: %w", doing, err)
	}
	defer res.Body.Close()
	if res.IsError() {
		msg, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
		return fmt.Errorf("elasticsearch: %s: %s: %s", doing, res.Status(), bytes.TrimSpace(msg))
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, res.Body)
		return nil
	}
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		return fmt.Errorf("elasticsearch: %s: decode response: %w", doing, err)
	}
	return nil
}

// Scan implements index.Index: pages of entries sorted by id, each page
// after the last id of the previous one (search_after: no deep-paging
// window, no scroll context left open on the cluster if the caller dies).
// Only opt.Fields of the stored record travel back (_source filtering).
func (x *Index) Scan(ctx context.Context, opt index.ScanOptions, fn func(*registre.Record) error) error {
	opt = opt.Normalize()
	source := []string{"record"}
	if len(opt.Fields) > 0 {
		source = make([]string, 0, len(opt.Fields)+1)
		// The id comes along always: it is how fn knows the entry.
		source = append(source, "record.id")
		for _, f := range opt.Fields {
			source = append(source, "record."+f)
		}
	}
	var after []any
	for {
		body := map[string]any{
			"size":             opt.PageSize,
			"_source":          source,
			"query":            map[string]any{"bool": map[string]any{"filter": []any{map[string]any{"term": map[string]any{"kind": opt.Kind}}}}},
			"sort":             []any{map[string]any{"id": "asc"}},
			"track_total_hits": false,
		}
		if after != nil {
			body["search_after"] = after
		}
		raw, _ := json.Marshal(body)
		res, err := x.es.Search(x.es.Search.WithContext(ctx), x.es.Search.WithIndex(x.alias), x.es.Search.WithBody(bytes.NewReader(raw)))
		var out struct {
			Hits struct {
				Hits []struct {
					ID     string `json:"_id"`
					Sort   []any  `json:"sort"`
					Source struct {
						Record *registre.Record `json:"record"`
					} `json:"_source"`
				} `json:"hits"`
			} `json:"hits"`
		}
		if err := decode(res, err, &out, "scan %s after %v", x.alias, after); err != nil {
			return err
		}
		hits := out.Hits.Hits
		for _, h := range hits {
			rec := h.Source.Record
			if rec == nil {
				return fmt.Errorf("elasticsearch: scan %s: document %s has no stored record", x.alias, h.ID)
			}
			if err := fn(rec); err != nil {
				return err
			}
		}
		if len(hits) < opt.PageSize {
			return nil
		}
		after = hits[len(hits)-1].Sort
	}
}
