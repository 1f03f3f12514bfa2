package registre.analysis;

import java.util.Locale;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.fr.FrenchLightStemFilter;
import org.apache.lucene.analysis.fr.FrenchMinimalStemFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.tartarus.snowball.ext.FrenchStemmer;

/**
 * "stemmer": the French languages of analysis-common's stemmer filter. Other
 * languages are refused at index creation with their name, not silently
 * replaced, so a template that needs more fails loudly on the test node.
 */
public class StemmerFilterFactory extends AbstractTokenFilterFactory {
    private final String language;

    public StemmerFilterFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        super(name, settings);
        this.language = settings.get("language", settings.get("name", "")).toLowerCase(Locale.ROOT);
        switch (language) {
            case "light_french", "french", "minimal_french" -> {
            }
            default -> throw new IllegalArgumentException(
                "registre-analysis: stemmer language [" + language + "] is not provided on this node (light_french, french, minimal_french are)"
            );
        }
    }

    @Override
    public TokenStream create(TokenStream tokenStream) {
        return switch (language) {
            case "light_french" -> new FrenchLightStemFilter(tokenStream);
            case "minimal_french" -> new FrenchMinimalStemFilter(tokenStream);
            default -> new SnowballFilter(tokenStream, new FrenchStemmer());
        };
    }
}
