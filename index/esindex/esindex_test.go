package esindex

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"registre"
	"registre/index"
	"registre/index/indextest"
)

// esURL is the test node's URL (scripts/elasticsearch.sh start prints it).
// Under CI the node must be there: a missing URL fails instead of skipping.
func esURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("ELASTICSEARCH_URL")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("ELASTICSEARCH_URL is not set: CI must start scripts/elasticsearch.sh and export it")
		}
		t.Skip("ELASTICSEARCH_URL not set; start a node with scripts/elasticsearch.sh start")
	}
	return u
}

// openTest opens an index behind an alias of its own, dropped at the end.
func openTest(t *testing.T, mutate func(*Config)) *Index {
	t.Helper()
	zero := 0
	cfg := Config{
		URL:      esURL(t),
		Alias:    fmt.Sprintf("registre-test-%d", rand.Uint32()),
		Replicas: &zero, // one node: replicas would keep the index yellow
	}
	if mutate != nil {
		mutate(&cfg)
	}
	x, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := x.Drop(context.Background()); err != nil {
			t.Errorf("Drop: %v", err)
		}
		if err := x.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return x
}

func TestConformance(t *testing.T) {
	indextest.Run(t, func(t *testing.T) index.Index { return openTest(t, nil) })
}

func mustPut(t *testing.T, w Writer, recs []registre.Record) {
	t.Helper()
	res, err := w.PutRecords(context.Background(), recs)
	if err != nil || len(res.Failures) != 0 || res.Indexed != len(recs) {
		t.Fatalf("PutRecords = %+v, %v; want %d indexed", res, err, len(recs))
	}
}

func total(t *testing.T, x *Index) int {
	t.Helper()
	res, err := x.Search(context.Background(), index.Query{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Total
}

func TestRebuildSwapsAliasAtomically(t *testing.T) {
	ctx := context.Background()
	x := openTest(t, nil)
	recs := indextest.Fixtures(t)
	mustPut(t, x, recs[:2])
	if err := x.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	before, err := x.aliasTargets(ctx)
	if err != nil || len(before) != 1 {
		t.Fatalf("alias targets %v, %v; want one index", before, err)
	}

	newName, err := x.Rebuild(ctx, func(ctx context.Context, w Writer) error {
		mustPut(t, w, recs[2:7])
		// Until the swap, searches still see the old index only.
		if got := total(t, x); got != 2 {
			t.Errorf("during rebuild the alias shows %d records; want the old 2", got)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Rebuild: %v", err)
	}
	if !strings.HasPrefix(newName, x.Alias()+"-v1-") {
		t.Errorf("new index %q is not a versioned name of %s", newName, x.Alias())
	}
	after, err := x.aliasTargets(ctx)
	if err != nil || !slices.Equal(after, []string{newName}) {
		t.Fatalf("alias targets after rebuild %v, %v; want [%s]", after, err, newName)
	}
	if got := total(t, x); got != 5 {
		t.Errorf("after rebuild the alias shows %d records; want 5", got)
	}
	res, err := x.es.Indices.Exists(before)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("old index %v still exists (status %d)", before, res.StatusCode)
	}

	// A failed rebuild leaves the alias where it was and removes its index.
	var abandoned string
	_, err = x.Rebuild(ctx, func(ctx context.Context, w Writer) error {
		abandoned = w.(writerTo).target
		mustPut(t, w, recs[:1])
		return fmt.Errorf("source unreadable")
	})
	if err == nil || !strings.Contains(err.Error(), "source unreadable") {
		t.Fatalf("failed Rebuild returned %v", err)
	}
	if got, _ := x.aliasTargets(ctx); !slices.Equal(got, []string{newName}) {
		t.Errorf("alias moved by a failed rebuild: %v", got)
	}
	res, err = x.es.Indices.Exists([]string{abandoned})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("abandoned index %s kept", abandoned)
	}
	if got := total(t, x); got != 5 {
		t.Errorf("after a failed rebuild the alias shows %d records; want 5", got)
	}
}

func TestRefusedItemIsReportedWithItsID(t *testing.T) {
	ctx := context.Background()
	x := openTest(t, nil)
	recs := indextest.Fixtures(t)[:3]
	// The contract's pattern accepts "2019-13-01"; the date mapping does
	// not: Elasticsearch refuses that one item of the bulk request.
	bad := "2019-13-01"
	recs[1].ImplementationDate = &bad
	res, err := x.PutRecords(ctx, recs)
	if err != nil {
		t.Fatalf("PutRecords: %v", err)
	}
	if res.Indexed != 2 || len(res.Failures) != 1 {
		t.Fatalf("PutRecords = %+v; want 2 indexed and 1 failure", res)
	}
	f := res.Failures[0]
	if f.ID != recs[1].ID || f.Status != http.StatusBadRequest || !strings.Contains(f.Reason, "implementation_date") {
		t.Errorf("failure %+v; want id %s, status 400, reason naming implementation_date", f, recs[1].ID)
	}
	if err := x.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if got := total(t, x); got != 2 {
		t.Errorf("total %d; want the 2 accepted records", got)
	}
}

// overloaded answers 429 to the first n bulk requests without forwarding
// them, as a node whose write queue is full does, then lets requests through
// to the real node.
type overloaded struct {
	next http.RoundTripper
	n    atomic.Int32
	seen atomic.Int32
}

func (o *overloaded) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "/_bulk") && o.seen.Add(1) <= o.n.Load() {
		if r.Body != nil {
			_, _ = io.Copy(io.Discard, r.Body)
			r.Body.Close()
		}
		h := http.Header{}
		h.Set("X-Elastic-Product", "Elasticsearch")
		h.Set("Content-Type", "application/json")
		body := `{"error":{"type":"es_rejected_execution_exception","reason":"rejected execution (queue capacity 200)"},"status":429}`
		return &http.Response{StatusCode: http.StatusTooManyRequests, Status: "429 Too Many Requests", Header: h,
			Body: io.NopCloser(strings.NewReader(body)), Request: r, ContentLength: int64(len(body))}, nil
	}
	return o.next.RoundTrip(r)
}

func TestOverloadedNodeIsRetried(t *testing.T) {
	ctx := context.Background()
	o := &overloaded{next: http.DefaultTransport}
	o.n.Store(2)
	x := openTest(t, func(c *Config) { c.Transport = o })
	recs := indextest.Fixtures(t)
	res, err := x.PutRecords(ctx, recs)
	if err != nil || len(res.Failures) != 0 || res.Indexed != len(recs) {
		t.Fatalf("PutRecords = %+v, %v; want every record indexed after the 429s", res, err)
	}
	if got := o.seen.Load(); got < 3 {
		t.Errorf("%d bulk requests; want the 2 refused ones and a retry", got)
	}
	if err := x.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := x.Get(ctx, recs[0].ID); err != nil {
		t.Errorf("Get after retries: %v", err)
	}
}

func TestCancelledPutAccountsForEveryRecord(t *testing.T) {
	x := openTest(t, nil)
	recs := indextest.Fixtures(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := x.PutRecords(ctx, recs)
	if err == nil {
		t.Fatal("PutRecords with a cancelled context succeeded")
	}
	seen := map[string]bool{}
	for _, f := range res.Failures {
		seen[f.ID] = true
	}
	if res.Indexed+len(res.Failures) != len(recs) || (res.Indexed == 0 && len(seen) != len(recs)) {
		t.Errorf("indexed %d + failures %d (%d ids); want all %d records accounted for", res.Indexed, len(res.Failures), len(seen), len(recs))
	}
}

func TestReindexKeepsEveryRecord(t *testing.T) {
	ctx := context.Background()
	x := openTest(t, nil)
	recs := indextest.Fixtures(t)
	mustPut(t, x, recs)
	before, _ := x.aliasTargets(ctx)
	name, err := x.Reindex(ctx)
	if err != nil {
		t.Fatalf("Reindex: %v", err)
	}
	after, _ := x.aliasTargets(ctx)
	if !slices.Equal(after, []string{name}) || slices.Equal(before, after) {
		t.Fatalf("alias targets %v → %v; want the new index %s", before, after, name)
	}
	for _, r := range recs {
		got, err := x.Get(ctx, r.ID)
		if err != nil {
			t.Fatalf("Get %s after reindex: %v", r.ID, err)
		}
		if got.Name != r.Name || got.Source.SHA256 != r.Source.SHA256 {
			t.Errorf("record %s changed by reindex", r.ID)
		}
	}
	res, err := x.Search(ctx, index.Query{Filters: map[string][]string{"kind": {index.KindRecord, index.KindDocumentStatus}}})
	if err != nil || res.Total != len(recs) {
		t.Errorf("after reindex %d entries, %v; want %d", res.Total, err, len(recs))
	}
}

// itemRejecter forwards bulk requests to the real node, then marks the items
// whose id is in reject as refused with 429 in the response, as a node does
// for single items when its write queue is full (the request itself is 200,
// so only per-item handling can retry them). times bounds how often each id
// is refused; 0 refuses it forever.
type itemRejecter struct {
	next   http.RoundTripper
	reject map[string]bool
	times  int
	mu     sync.Mutex
	count  map[string]int
}

func (o *itemRejecter) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := o.next.RoundTrip(r)
	if err != nil || !strings.HasSuffix(r.URL.Path, "/_bulk") || res.StatusCode != http.StatusOK {
		return res, err
	}
	var body map[string]any
	err = json.NewDecoder(res.Body).Decode(&body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	o.mu.Lock()
	for _, it := range body["items"].([]any) {
		for _, v := range it.(map[string]any) {
			item := v.(map[string]any)
			id := item["_id"].(string)
			if o.reject[id] && (o.times == 0 || o.count[id] < o.times) {
				o.count[id]++
				item["status"] = 429
				item["error"] = map[string]any{"type": "es_rejected_execution_exception", "reason": "rejected execution of coordinating operation"}
				body["errors"] = true
			}
		}
	}
	o.mu.Unlock()
	raw, _ := json.Marshal(body)
	res.Body = io.NopCloser(bytes.NewReader(raw))
	res.ContentLength = int64(len(raw))
	res.Header.Del("Content-Length")
	return res, nil
}

func TestRefusedItemsAreRetriedThenReported(t *testing.T) {
	ctx := context.Background()
	recs := indextest.Fixtures(t)
	// Refused twice, then accepted: indexed, no failure.
	o := &itemRejecter{next: http.DefaultTransport, reject: map[string]bool{recs[0].ID: true, recs[5].ID: true}, times: 2, count: map[string]int{}}
	x := openTest(t, func(c *Config) { c.Transport = o })
	res, err := x.PutRecords(ctx, recs)
	if err != nil || len(res.Failures) != 0 || res.Indexed != len(recs) {
		t.Fatalf("PutRecords = %+v, %v; want every record indexed after the item retries", res, err)
	}
	if o.count[recs[0].ID] != 2 || o.count[recs[5].ID] != 2 {
		t.Errorf("refusals %v; want 2 each", o.count)
	}

	// Refused every time: reported with its id and status once attempts run out.
	o2 := &itemRejecter{next: http.DefaultTransport, reject: map[string]bool{recs[3].ID: true}, count: map[string]int{}}
	y := openTest(t, func(c *Config) { c.Transport = o2; c.MaxAttempts = 3 })
	res, err = y.PutRecords(ctx, recs)
	if err != nil {
		t.Fatalf("PutRecords: %v", err)
	}
	if res.Indexed != len(recs)-1 || len(res.Failures) != 1 {
		t.Fatalf("PutRecords = %+v; want all but one indexed and one failure", res)
	}
	if f := res.Failures[0]; f.ID != recs[3].ID || f.Status != http.StatusTooManyRequests || !strings.Contains(f.Reason, "es_rejected_execution_exception") {
		t.Errorf("failure %+v; want %s with status 429", f, recs[3].ID)
	}
	if o2.count[recs[3].ID] != 3 {
		t.Errorf("sent %d times; want MaxAttempts = 3", o2.count[recs[3].ID])
	}
}

// authSpy records the Authorization header of every request it forwards.
type authSpy struct {
	next http.RoundTripper
	mu   sync.Mutex
	seen []string
}

func (a *authSpy) RoundTrip(r *http.Request) (*http.Response, error) {
	a.mu.Lock()
	a.seen = append(a.seen, r.Header.Get("Authorization"))
	a.mu.Unlock()
	return a.next.RoundTrip(r)
}

// The test node has security off and ignores credentials; what is checked is
// that each option reaches every request as a real cluster expects it.
func TestClusterCredentials(t *testing.T) {
	for _, c := range []struct {
		name string
		set  func(*Config)
		want string
	}{
		{"api key", func(c *Config) { c.APIKey = "a2V5aWQ6c2VjcmV0" }, "APIKey a2V5aWQ6c2VjcmV0"},
		{"basic auth", func(c *Config) { c.Username, c.Password = "registre", "s3cret" }, "Basic cmVnaXN0cmU6czNjcmV0"},
		{"api key wins", func(c *Config) { c.APIKey, c.Username, c.Password = "a2V5", "u", "p" }, "APIKey a2V5"},
	} {
		t.Run(c.name, func(t *testing.T) {
			spy := &authSpy{next: http.DefaultTransport}
			x := openTest(t, func(cfg *Config) { cfg.Transport = spy; c.set(cfg) })
			mustPut(t, x, indextest.Fixtures(t)[:1])
			spy.mu.Lock()
			defer spy.mu.Unlock()
			if len(spy.seen) == 0 {
				t.Fatal("no request seen")
			}
			for _, got := range spy.seen {
				if got != c.want {
					t.Fatalf("Authorization %q; want %q on every request", got, c.want)
				}
			}
		})
	}
	_, err := Open(context.Background(), Config{URL: esURL(t), CACertFile: "/nonexistent/ca.pem"})
	if err == nil || !strings.Contains(err.Error(), "CA certificate") {
		t.Errorf("missing CA file: %v; want an error naming the CA certificate", err)
	}
	if _, err := Open(context.Background(), Config{}); err == nil {
		t.Error("Open without URL succeeded")
	}
}
