package registre.analysis;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.util.ElisionFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;

/** "elision": strips l', d', qu'… as analysis-common does (articles, articles_case). */
public class ElisionFilterFactory extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
    private final CharArraySet articles;

    public ElisionFilterFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        super(name, settings);
        CharArraySet parsed = Analysis.parseArticles(env, settings);
        // analysis-common falls back to Lucene's French articles when none are given.
        this.articles = parsed == null ? FrenchAnalyzer.DEFAULT_ARTICLES : parsed;
    }

    @Override
    public TokenStream create(TokenStream tokenStream) {
        return new ElisionFilter(tokenStream, articles);
    }
}
