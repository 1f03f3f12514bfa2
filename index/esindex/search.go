package esindex

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"registre"
	"registre/index"
)

// Search implements index.Index.
func (x *Index) Search(ctx context.Context, q index.Query) (*index.Result, error) {
	q, err := index.Normalize(q)
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(searchBody(q))
	if err != nil {
		return nil, err
	}
	res, err := x.es.Search(
		x.es.Search.WithContext(ctx),
		x.es.Search.WithIndex(x.alias),
		x.es.Search.WithBody(bytes.NewReader(body)),
	)
	var out searchResponse
	if err := decode(res, err, &out, "search %q", q.Text); err != nil {
		return nil, err
	}
	r := &index.Result{Total: out.Hits.Total.Value, Hits: []index.Hit{}, Facets: map[string][]index.FacetValue{}}
	for _, h := range out.Hits.Hits {
		hit := index.Hit{
			ID:           h.ID,
			Name:         h.Source.Name,
			Organisation: h.Source.Organisation,
			Kind:         h.Source.Kind,
			Locator:      h.Source.Locator,
			SourcePath:   h.Source.SourcePath,
			Score:        h.Score,
			Record:       h.Source.Record,
		}
		if len(h.Highlight) > 0 {
			hit.Highlights = h.Highlight
		}
		r.Hits = append(r.Hits, hit)
	}
	for _, key := range q.Facets {
		vals := []index.FacetValue{}
		for _, b := range out.Aggregations[key].Buckets {
			vals = append(vals, index.FacetValue{Value: b.Key, Count: b.DocCount})
		}
		index.SortFacet(vals)
		r.Facets[key] = vals
	}
	return r, nil
}

// searchBody builds the request: every analysed term of the text in at
// least one text field (cross_fields + and — the bleve backend builds the
// same conjunction), facet filters in filter context, ties broken by id.
func searchBody(q index.Query) map[string]any {
	var must any = map[string]any{"match_all": map[string]any{}}
	if q.Text != "" {
		var fields []string
		for _, f := range index.TextFields {
			fields = append(fields, fmt.Sprintf("%s^%g", f.Name, f.Boost))
		}
		must = map[string]any{"multi_match": map[string]any{
			"query":            q.Text,
			"type":             "cross_fields",
			"operator":         "and",
			"fields":           fields,
			"zero_terms_query": "none",
		}}
	}
	var filter []any
	for key, vs := range q.Filters {
		filter = append(filter, map[string]any{"terms": map[string]any{index.FacetField(key): vs}})
	}
	src := []string{"name", "organisation", "kind", "locator", "source_path"}
	if q.WithRecords {
		src = append(src, "record")
	}
	body := map[string]any{
		"from":             q.From,
		"size":             q.Size,
		"track_total_hits": true,
		"track_scores":     true,
		"query":            map[string]any{"bool": map[string]any{"must": must, "filter": filter}},
		"sort":             []any{map[string]any{"_score": "desc"}, map[string]any{"id": "asc"}},
		"_source":          src,
	}
	if q.Highlight && q.Text != "" {
		hf := map[string]any{}
		for _, f := range index.HighlightFields {
			hf[f] = map[string]any{}
		}
		body["highlight"] = map[string]any{"encoder": "html", "pre_tags": []string{"<mark>"}, "post_tags": []string{"</mark>"}, "fields": hf}
	}
	if len(q.Facets) > 0 {
		aggs := map[string]any{}
		for _, key := range q.Facets {
			aggs[key] = map[string]any{"terms": map[string]any{
				"field": index.FacetField(key),
				"size":  index.FacetSize,
				"order": []any{map[string]any{"_count": "desc"}, map[string]any{"_key": "asc"}},
			}}
		}
		body["aggs"] = aggs
	}
	return body
}

type searchResponse struct {
	Hits struct {
		Total struct {
			Value int `json:"value"`
		} `json:"total"`
		Hits []struct {
			ID     string  `json:"_id"`
			Score  float64 `json:"_score"`
			Source struct {
				Name         string           `json:"name"`
				Organisation string           `json:"organisation"`
				Kind         string           `json:"kind"`
				Locator      string           `json:"locator"`
				SourcePath   string           `json:"source_path"`
				Record       *registre.Record `json:"record"`
			} `json:"_source"`
			Highlight map[string][]string `json:"highlight"`
		} `json:"hits"`
	} `json:"hits"`
	Aggregations map[string]struct {
		Buckets []struct {
			Key      string `json:"key"`
			DocCount int    `json:"doc_count"`
		} `json:"buckets"`
	} `json:"aggregations"`
}
