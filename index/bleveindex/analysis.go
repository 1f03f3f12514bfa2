package bleveindex

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
)

// AnalyzerName is the French analyzer every text field uses. It mirrors the
// Elasticsearch template's registre_fr: lowercase, elision (l', d', qu'…),
// French stop words, accent folding, French light stemmer — in that order,
// so stop words are matched before folding ("été", "à") and the stemmer sees
// the same folded words on both backends.
const AnalyzerName = "registre_fr"

// foldName is a token filter folding accents per token: bleve ships
// asciifolding only as a char filter, which would run before elision and stop
// words and so differ from the Elasticsearch chain.
const foldName = "registre_asciifolding"

type foldFilter struct {
	chars *asciifolding.AsciiFoldingFilter
}

func (f foldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		tok.Term = f.chars.Filter(tok.Term)
	}
	return input
}

func init() {
	// bleve resolves analysis components by name from its process-wide
	// registry; registration is the only way to name a new one.
	err := registry.RegisterTokenFilter(foldName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{chars: asciifolding.New()}, nil
	})
	if err != nil {
		panic(err)
	}
}

func addAnalyzer(m *mapping.IndexMappingImpl) error {
	return m.AddCustomAnalyzer(AnalyzerName, map[string]interface{}{
		"type":      custom.Name,
		"tokenizer": unicode.Name,
		"token_filters": []string{
			lowercase.Name,
			fr.ElisionName,
			fr.StopName,
			foldName,
			fr.LightStemmerName,
		},
	})
}
