using System.Globalization;
using Kcc.Workbench.Web.Features.KnowledgeBase;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace Kcc.Workbench.Search.Benchmarks;

/// <summary>
/// Lucene.Net 4.8 with the same search semantics as ours, so the comparison measures the engines and not two ideas of
/// what a query means:
/// <list type="bullet">
/// <item>the same text analysis: the fields hold our stems (DutchText: folded, stop words out, Snowball Dutch stems),
/// split on spaces; the query drops the same stop words and filler and stems the same way;</item>
/// <item>any word: a BooleanQuery of SHOULD clauses, one per question word (no minimum to match);</item>
/// <item>each word searched in title^10, variants^5, body^1 with BM25Similarity(k1 = 1.2, b = 0.75);</item>
/// <item>the last word while typing: PrefixQuery on the word and its stem, every matching term scored
/// (TopTermsScoringBooleanQueryRewrite, up to 2,000 terms, as ours caps a prefix);</item>
/// <item>a word of five letters or more that no document contains: FuzzyQuery with one edit, as ours looks one edit
/// away in its vocabulary;</item>
/// <item>a topic: a SHOULD ConstantScoreQuery on the topic's articles with a boost far above any text score, so the
/// topic's articles come first as in ours.</item>
/// </list>
/// Not in Lucene: our coverage factor, title and variant bonuses and the "text names another product" rule; that is
/// the ranking difference the relevance figures show.
/// </summary>
internal sealed class LuceneBaseline : IDisposable
{
    private const float TopicBoost = 10_000f;
    private const int PrefixTerms = 2000;

    private static readonly (string Field, float Boost)[] Fields = [("title", 10f), ("variants", 5f), ("body", 1f)];

    private readonly RAMDirectory directory = new();
    private readonly DirectoryReader reader;
    private readonly IndexSearcher searcher;

    public LuceneBaseline(IEnumerable<(int Id, string Title, string Variants, string Body, string? Topic)> articles)
    {
        BooleanQuery.MaxClauseCount = 8192;
        var similarity = new BM25Similarity(1.2f, 0.75f);
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, new WhitespaceAnalyzer(LuceneVersion.LUCENE_48)) { Similarity = similarity };
        using (var writer = new IndexWriter(directory, config))
        {
            foreach (var a in articles)
            {
                var document = new Document
                {
                    new StringField("id", a.Id.ToString(CultureInfo.InvariantCulture), Field.Store.YES),
                    new TextField("title", DutchText.ToIndexText(a.Title), Field.Store.NO),
                    new TextField("variants", DutchText.ToIndexText(a.Variants), Field.Store.NO),
                    new TextField("body", DutchText.ToIndexText(a.Body), Field.Store.NO),
                };
                if (a.Topic is not null)
                {
                    document.Add(new StringField("topic", a.Topic, Field.Store.NO));
                }

                writer.AddDocument(document);
            }

            writer.Commit();
        }

        reader = DirectoryReader.Open(directory);
        searcher = new IndexSearcher(reader) { Similarity = similarity };
    }

    /// <summary>Builds the query, searches and reads the stored id of each hit: what a caller of Lucene pays.</summary>
    public List<int> Search(string text, int top, string? topic = null)
    {
        var query = Build(text, topic);
        var hits = new List<int>(top);
        if (query.Clauses.Count == 0)
        {
            return hits;
        }

        foreach (var hit in searcher.Search(query, top).ScoreDocs)
        {
            hits.Add(int.Parse(searcher.Doc(hit.Doc).Get("id"), CultureInfo.InvariantCulture));
        }

        return hits;
    }

    private BooleanQuery Build(string text, string? topic)
    {
        var words = DutchText.Words(text);
        var lastIsPrefix = text.Length > 0 && char.IsLetterOrDigit(text[^1]);
        var query = new BooleanQuery();
        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i];
            if (DutchText.IsStopWord(word) || DutchText.IsFiller(word))
            {
                continue;
            }

            var stem = DutchText.Stem(word);
            var group = new BooleanQuery();
            if (lastIsPrefix && i == words.Length - 1)
            {
                if (word.Length < 2)
                {
                    continue;
                }

                foreach (var prefix in new[] { word, stem }.Distinct().Where(p => p.Length >= 2))
                {
                    AddPerField(group, field => new PrefixQuery(new Term(field, prefix)) { MultiTermRewriteMethod = new MultiTermQuery.TopTermsScoringBooleanQueryRewrite(PrefixTerms) });
                }
            }
            else
            {
                AddPerField(group, field => new TermQuery(new Term(field, stem)));
                if (word.Length >= SqliteFts5SearchEngine.TypoMinLength && Fields.All(f => reader.DocFreq(new Term(f.Field, stem)) == 0))
                {
                    AddPerField(group, field => new FuzzyQuery(new Term(field, stem), 1));
                }
            }

            query.Add(group, Occur.SHOULD);
        }

        if (topic is not null && query.Clauses.Count > 0)
        {
            query.Add(new ConstantScoreQuery(new TermQuery(new Term("topic", topic))) { Boost = TopicBoost }, Occur.SHOULD);
        }

        return query;
    }

    private static void AddPerField(BooleanQuery group, Func<string, Query> make)
    {
        foreach (var (field, boost) in Fields)
        {
            var q = make(field);
            q.Boost = boost;
            group.Add(q, Occur.SHOULD);
        }
    }

    public void Dispose()
    {
        reader.Dispose();
        directory.Dispose();
    }
}
