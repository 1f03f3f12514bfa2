// Package rawbulk sends records to Elasticsearch as plain NDJSON _bulk
// requests over net/http: no client library, no per-item bookkeeping. The
// benchmarks compare esindex's bulk path with it.
package rawbulk

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"registre"
	"registre/index/esindex"
)

// Bodies encodes recs (the same _source bytes esindex sends) into _bulk
// bodies of about bulkBytes each.
func Bodies(recs []registre.Record, bulkBytes int) ([][]byte, error) {
	var bodies [][]byte
	var buf bytes.Buffer
	for i := range recs {
		doc, err := esindex.Document(&recs[i])
		if err != nil {
			return nil, fmt.Errorf("encode %s: %w", recs[i].ID, err)
		}
		meta, _ := json.Marshal(map[string]any{"index": map[string]any{"_id": recs[i].ID}})
		buf.Write(meta)
		buf.WriteByte('\n')
		buf.Write(doc)
		buf.WriteByte('\n')
		if buf.Len() >= bulkBytes {
			bodies = append(bodies, bytes.Clone(buf.Bytes()))
			buf.Reset()
		}
	}
	if buf.Len() > 0 {
		bodies = append(bodies, bytes.Clone(buf.Bytes()))
	}
	return bodies, nil
}

// Send posts the bodies to <url>/<target>/_bulk one after the other and
// fails on the first request or item error.
func Send(ctx context.Context, url, target string, bodies [][]byte) error {
	endpoint := strings.TrimRight(url, "/") + "/" + target + "/_bulk"
	for i, body := range bodies {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/x-ndjson")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return fmt.Errorf("_bulk request %d: %w", i, err)
		}
		var out struct {
			Errors bool `json:"errors"`
		}
		err = json.NewDecoder(res.Body).Decode(&out)
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusOK || out.Errors {
			return fmt.Errorf("_bulk request %d: status %d, item errors %v, %v", i, res.StatusCode, out.Errors, err)
		}
	}
	return nil
}
