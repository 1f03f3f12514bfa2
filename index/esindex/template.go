package esindex

import (
	"registre/index"
)

// MappingVersion is bumped whenever the template changes in a way existing
// indices cannot follow; it is part of every index name, and a Rebuild moves
// the alias to an index made from the new template.
const MappingVersion = 1

// AnalyzerName is the French analyzer of every text field. Its chain mirrors
// the bleve backend's: lowercase, elision, French stop words, asciifolding,
// French light stemmer. elision, asciifolding and stemmer come from
// analysis-common on production clusters and from index/esplugin on the
// integ-test node: the names are the same, so is the template.
const AnalyzerName = "registre_fr"

// frenchArticles are Lucene's default French elision articles.
var frenchArticles = []string{"l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"}

// template returns the index template for indices named pattern.
func template(pattern string, shards int, replicas *int) map[string]any {
	settings := map[string]any{
		// One shard: a register is thousands of records, and facet
		// counts are exact only on one shard.
		"number_of_shards": shards,
		"analysis": map[string]any{
			"filter": map[string]any{
				"registre_fr_elision": map[string]any{"type": "elision", "articles_case": true, "articles": frenchArticles},
				"registre_fr_stop":    map[string]any{"type": "stop", "stopwords": "_french_"},
				"registre_fr_folding": map[string]any{"type": "asciifolding", "preserve_original": false},
				"registre_fr_stemmer": map[string]any{"type": "stemmer", "language": "light_french"},
			},
			"analyzer": map[string]any{
				AnalyzerName: map[string]any{
					"type":      "custom",
					"tokenizer": "standard",
					"filter":    []string{"lowercase", "registre_fr_elision", "registre_fr_stop", "registre_fr_folding", "registre_fr_stemmer"},
				},
			},
		},
	}
	if replicas != nil {
		settings["number_of_replicas"] = *replicas
	}
	props := map[string]any{}
	for _, f := range index.TextFields {
		props[f.Name] = map[string]any{"type": "text", "analyzer": AnalyzerName}
	}
	// Keyword sub-fields for sorting and exact lookups of the display fields.
	for _, f := range []string{"name", "organisation"} {
		props[f] = map[string]any{"type": "text", "analyzer": AnalyzerName,
			"fields": map[string]any{"keyword": map[string]any{"type": "keyword", "ignore_above": 1024}}}
	}
	for _, f := range []string{"id", "kind", "source_path", "source_sha256", "locator"} {
		props[f] = map[string]any{"type": "keyword"}
	}
	for _, k := range index.FacetKeys {
		props[index.FacetField(k)] = map[string]any{"type": "keyword"}
	}
	props["implementation_date"] = map[string]any{"type": "date", "format": "yyyy-MM-dd||yyyy-MM||yyyy"}
	// The full record, returned by Get, not indexed.
	props["record"] = map[string]any{"type": "object", "enabled": false}
	return map[string]any{
		"index_patterns": []string{pattern},
		"priority":       500,
		"version":        MappingVersion,
		"_meta":          map[string]any{"description": "registre processing records (see index/esindex)"},
		"template": map[string]any{
			"settings": settings,
			"mappings": map[string]any{
				// Fields outside the template are refused, not guessed.
				"dynamic":    "strict",
				"properties": props,
			},
		},
	}
}
