package registre.analysis;

import java.util.Map;

import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

/**
 * Registers the token filter types registre's index template uses, under the
 * names analysis-common gives them, so one template serves production clusters
 * (which resolve the names from analysis-common) and the integ-test node (which
 * lacks analysis-common and resolves them here). Install it only on nodes
 * without analysis-common: two modules registering one name stop the node.
 */
public class RegistreAnalysisPlugin extends Plugin implements AnalysisPlugin {
    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "elision", AnalysisPlugin.requiresAnalysisSettings(ElisionFilterFactory::new),
            "asciifolding", ASCIIFoldingFilterFactory::new,
            // Without settings a stemmer has no language: ES would instantiate it
            // with empty settings for by-name use unless told it needs some.
            "stemmer", AnalysisPlugin.requiresAnalysisSettings(StemmerFilterFactory::new)
        );
    }
}
