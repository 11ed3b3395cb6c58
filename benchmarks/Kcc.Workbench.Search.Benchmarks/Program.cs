using System.Diagnostics;
using System.Globalization;
using Kcc.Workbench.Search.Benchmarks;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.KnowledgeBase;
using Lucene.Net.Analysis.Nl;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// Search latency of the kennisbank engine (SQLite FTS5 + Dutch stems computed in .NET) against Lucene.Net with its
// DutchAnalyzer, on the same generated corpus and the same queries. Usage: dotnet run -c Release -- [articles] [queries per size]
var articleCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var queriesPerSize = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
const int Seed = 20261125;
const int Top = 10;

Console.WriteLine($"Kennisbank search benchmark: {articleCount:N0} articles, {queriesPerSize} queries per kind, top {Top}, seed {Seed}");
Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {RuntimeInformationText()}");

var corpus = Corpus.Generate(articleCount, Seed);

// --- Ours: SQLite FTS5 through the app's migrations and engine ---
var folder = System.IO.Directory.CreateTempSubdirectory("kcc-search-bench-");
var configuration = new ConfigurationBuilder()
    .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Kcc"] = $"Data Source={Path.Combine(folder.FullName, "kcc.db")}" })
    .Build();
var services = new ServiceCollection().AddLogging().AddKccDatabase(configuration, folder.FullName).BuildServiceProvider();
await DatabaseSetup.MigrateAsync(services);
var factory = services.GetRequiredService<IDbContextFactory<KccDbContext>>();
using var engine = new SqliteFts5SearchEngine();
using var fts5Engine = new SqliteFts5SearchEngine { RankInMemory = false };
await using var db = await factory.CreateDbContextAsync();

var clock = Stopwatch.StartNew();
await using (var transaction = await db.Database.BeginTransactionAsync())
{
    foreach (var article in corpus)
    {
        await engine.IndexAsync(db, new SearchDocument(article.Id, ArticleStatus.Gepubliceerd, article.Title, [article.Variants], article.Body), CancellationToken.None);
    }

    await transaction.CommitAsync();
}

var oursIndexing = clock.Elapsed;
ArticleStatus[] published = [ArticleStatus.Gepubliceerd];
clock.Restart();
await engine.SearchAsync(db, new SearchQuery("paspoort ", published, Top), CancellationToken.None);
var memoryLoad = clock.Elapsed;
clock.Restart();
await fts5Engine.SearchAsync(db, new SearchQuery("paspoort ", published, Top), CancellationToken.None);
var vocabularyLoad = clock.Elapsed;

// --- Baseline: Lucene.Net, DutchAnalyzer, in-memory index, title^10 variants^5 body ---
clock.Restart();
var analyzer = new DutchAnalyzer(LuceneVersion.LUCENE_48);
using var directory = new RAMDirectory();
using (var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer)))
{
    foreach (var article in corpus)
    {
        writer.AddDocument(new Document
        {
            new StringField("id", article.Id.ToString(CultureInfo.InvariantCulture), Field.Store.YES),
            new TextField("title", article.Title, Field.Store.NO),
            new TextField("variants", article.Variants, Field.Store.NO),
            new TextField("body", article.Body, Field.Store.NO),
        });
    }

    writer.Commit();
}

var luceneIndexing = clock.Elapsed;
using var reader = DirectoryReader.Open(directory);
var searcher = new IndexSearcher(reader);
var parser = new MultiFieldQueryParser(LuceneVersion.LUCENE_48, ["title", "variants", "body"], analyzer,
    new Dictionary<string, float> { ["title"] = 10f, ["variants"] = 5f, ["body"] = 1f });

// --- Queries: words drawn from one article each, so multi-word queries have real matches ---
var random = new Random(Seed + 1);
List<string> Words(GeneratedArticle a) =>
    DutchText.Words($"{a.Title} {a.Variants} {a.Body}").Where(w => w.Length >= 4 && !DutchText.IsStopWord(w)).Distinct().ToList();
List<string> Queries(int words) => Enumerable.Range(0, queriesPerSize).Select(_ =>
{
    var candidates = Words(corpus[random.Next(corpus.Count)]);
    return string.Join(' ', candidates.OrderBy(_ => random.Next()).Take(words));
}).ToList();
string Typo(string word)
{
    var i = random.Next(1, word.Length - 1);
    return random.Next(3) switch
    {
        0 => word.Remove(i, 1),
        1 => word[..i] + word[i + 1] + word[i] + word[(i + 2)..],
        _ => word[..i] + "e" + word[(i + 1)..],
    };
}

var kinds = new (string Name, List<string> Queries)[] { ("1 word", Queries(1)), ("2 words", Queries(2)), ("4 words", Queries(4)) };
var typos = Enumerable.Range(0, queriesPerSize).Select(_ => Words(corpus[random.Next(corpus.Count)]).FirstOrDefault(w => w.Length >= 6))
    .Where(w => w is not null).Select(w => Typo(w!)).ToList();

async Task<double> TimeOne(string q, SqliteFts5SearchEngine which)
{
    var start = Stopwatch.GetTimestamp();
    await which.SearchAsync(db, new SearchQuery(q, published, Top), CancellationToken.None);
    return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}

double TimeLuceneOne(string q)
{
    var start = Stopwatch.GetTimestamp();
    var query = parser.Parse(q);
    foreach (var hit in searcher.Search(query, Top).ScoreDocs)
    {
        _ = searcher.Doc(hit.Doc).Get("id");
    }

    return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}

// The three run interleaved, query by query, so a burst of load on this shared machine hits all of them alike.
async Task<(double[] Ours, double[] Fts5, double[] Lucene)> TimeAll(IReadOnlyList<string> ours, IReadOnlyList<string> lucene)
{
    var (o, f, l) = (new double[ours.Count], new double[ours.Count], new double[ours.Count]);
    for (var i = 0; i < ours.Count; i++)
    {
        o[i] = await TimeOne(ours[i], engine);
        l[i] = TimeLuceneOne(lucene[i]);
        f[i] = await TimeOne(ours[i], fts5Engine);
    }

    return (o, f, l);
}

// Warm all up (JIT, caches) on queries that are not measured.
var warmUp = Queries(2).Take(200).ToList();
await TimeAll(warmUp.Select(q => q + " ").ToList(), warmUp);

Console.WriteLine();
Console.WriteLine($"Indexing {articleCount:N0} articles: ours (SQLite FTS5, stems in .NET, one transaction) {oursIndexing.TotalSeconds:0.00} s · Lucene.Net (RAMDirectory) {luceneIndexing.TotalSeconds:0.00} s · ratio {oursIndexing / luceneIndexing:0.00}");
Console.WriteLine($"First search loads the memory copy of the index: {memoryLoad.TotalMilliseconds:0} ms; the FTS5-only engine loads its vocabulary: {vocabularyLoad.TotalMilliseconds:0} ms (once per database and process)");
Console.WriteLine();
Console.WriteLine("Ours = FTS5 rows ranked in memory (the default); FTS5 bm25 = the same queries as FTS5 MATCH ... ORDER BY bm25() in SQLite. Milliseconds.");
Console.WriteLine();
Console.WriteLine("| Query kind | Ours p50 | Ours p95 | FTS5 bm25 p50 | FTS5 bm25 p95 | Lucene.Net p50 | Lucene.Net p95 | p95 ratio ours/Lucene |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
foreach (var (name, queries) in kinds)
{
    var (ours, fts5, lucene) = await TimeAll(queries.Select(q => q + " ").ToList(), queries);
    Row(name + " (complete words)", ours, fts5, lucene);
}

foreach (var (name, queries) in kinds)
{
    // While typing: the last word is still a beginning (two thirds of it, at least 3 letters); Lucene gets the same as a wildcard.
    var typed = queries.Select(q => { var w = q.Split(' '); var last = w[^1]; w[^1] = last[..Math.Max(3, last.Length * 2 / 3)]; return string.Join(' ', w); }).ToList();
    var (ours, fts5, lucene) = await TimeAll(typed, typed.Select(q => q + "*").ToList());
    Row(name + " (last word typed half)", ours, fts5, lucene);
}

{
    var (ours, fts5, lucene) = await TimeAll(typos.Select(q => q + " ").ToList(), typos.Select(q => q + "~1").ToList());
    Row("1 word with a typo (Lucene: fuzzy ~1)", ours, fts5, lucene);
}

// --- The agent's panel end to end: the SearchArticles handler (new context, search, 8 articles loaded, snippets, channel text) ---
await using (var seed = await factory.CreateDbContextAsync())
{
    var topic = new Kcc.Workbench.Web.Features.Topics.Topic { Name = "benchmark", Uri = "http://example.org/benchmark", SearchName = "benchmark" };
    seed.Topics.Add(topic);
    await seed.SaveChangesAsync();
    var now = DateTime.UtcNow;
    seed.Articles.AddRange(corpus.Select(a => new Article
    {
        Id = a.Id, ExternalId = $"artikel-{a.Id}", Title = a.Title[..Math.Min(200, a.Title.Length)], TopicId = topic.Id, Status = ArticleStatus.Gepubliceerd,
        QuestionVariants = [a.Variants], WatIsHet = a.Body, ShortAnswer = "Kort antwoord.", Version = 1, CreatedAt = now, UpdatedAt = now,
    }));
    await seed.SaveChangesAsync();
}

var handler = new Kcc.Workbench.Web.Features.KnowledgeBase.SearchArticles.Handler(factory, engine, new Agent());
var panelQueries = kinds[1].Queries.Select(q => { var w = q.Split(' '); w[^1] = w[^1][..Math.Max(3, w[^1].Length * 2 / 3)]; return string.Join(' ', w); }).ToList();
foreach (var q in panelQueries.Take(50))
{
    await handler.Handle(new SearchArticles.Query(q, Kcc.Workbench.Web.Features.Contacts.Channel.Telefoon), CancellationToken.None);
}

var panel = new List<double>();
foreach (var q in panelQueries)
{
    var start = Stopwatch.GetTimestamp();
    await handler.Handle(new SearchArticles.Query(q, Kcc.Workbench.Web.Features.Contacts.Channel.Telefoon), CancellationToken.None);
    panel.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
}

Console.WriteLine();
Console.WriteLine($"Agent's panel end to end (SearchArticles handler: own DbContext, search, load 8 articles, snippet and channel text), 2 words typed: p50 {Percentile([.. panel], 0.50):0.00} ms · p95 {Percentile([.. panel], 0.95):0.00} ms");

await db.DisposeAsync();
await services.DisposeAsync();
Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
if (args.Contains("--keep"))
{
    Console.WriteLine($"Index kept in {folder.FullName}");
}
else
{
    folder.Delete(recursive: true);
}

return;

static void Row(string name, double[] ours, double[] fts5, double[] lucene)
{
    var (o50, o95) = (Percentile(ours, 0.50), Percentile(ours, 0.95));
    var (f50, f95) = (Percentile(fts5, 0.50), Percentile(fts5, 0.95));
    var (l50, l95) = (Percentile(lucene, 0.50), Percentile(lucene, 0.95));
    Console.WriteLine($"| {name} | {o50:0.00} | {o95:0.00} | {f50:0.00} | {f95:0.00} | {l50:0.00} | {l95:0.00} | {o95 / l95:0.00} |");
}

static double Percentile(double[] values, double p)
{
    var sorted = values.Order().ToArray();
    return sorted[(int)Math.Round(p * (sorted.Length - 1))];
}

static string RuntimeInformationText() => System.Runtime.InteropServices.RuntimeInformation.OSDescription;

/// <summary>A signed-in agent for the handler.</summary>
internal sealed class Agent : Kcc.Workbench.Web.Infrastructure.ICurrentUser
{
    private static readonly System.Security.Claims.ClaimsPrincipal Principal = new(new System.Security.Claims.ClaimsIdentity(
        [new(System.Security.Claims.ClaimTypes.NameIdentifier, "benchmark"), new(System.Security.Claims.ClaimTypes.Role, Kcc.Workbench.Web.Infrastructure.Roles.Frontoffice)], "Benchmark"));

    public Task<System.Security.Claims.ClaimsPrincipal> GetPrincipalAsync() => Task.FromResult(Principal);
}
