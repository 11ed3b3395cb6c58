using System.Diagnostics;
using System.Globalization;
using Kcc.Workbench.Search.Benchmarks;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.KnowledgeBase;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// Search latency and relevance of the kennisbank engine (SQLite FTS5 as the store, ranking in a memory copy, Dutch stems
// computed in .NET) against Lucene.Net 4.8 with the same search semantics (LuceneBaseline). Latency on a generated
// corpus; relevance on the demo kennisbank with the test suite's evaluation set.
// Usage: dotnet run -c Release -- [articles] [queries per kind]
// KCC_BENCH_PG=<connection string without Database>: the same engine on PostgreSQL, as the app runs it there (the plain
// table ArticleSearch as the store, the same memory copy and change log), in fresh databases dropped afterwards.
var articleCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var queriesPerSize = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
const int Seed = 20261125;
const int Top = 10;

Console.WriteLine($"Kennisbank search benchmark ({BenchDatabase.ProviderName}): {articleCount:N0} articles, {queriesPerSize} queries per kind, top {Top}, seed {Seed}");
Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {RuntimeInformationText()}, load average {LoadAverage()}");

var corpus = Corpus.Generate(articleCount, Seed);

// --- Ours: SQLite FTS5 (or PostgreSQL's plain table) through the app's migrations and engine ---
var folder = System.IO.Directory.CreateTempSubdirectory("kcc-search-bench-");
var bench = await BenchDatabase.CreateAsync(folder.FullName, "search");
var services = bench.Services;
var factory = services.GetRequiredService<IDbContextFactory<KccDbContext>>();
using var engine = new SqliteFts5SearchEngine();
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

// --- Baseline: Lucene.Net with the same semantics ---
clock.Restart();
using var lucene = new LuceneBaseline(corpus.Select(a => (a.Id, a.Title, a.Variants, a.Body, (string?)null)));
var luceneIndexing = clock.Elapsed;

// --- Queries: words drawn from one article each, so multi-word queries have real matches ---
var random = new Random(Seed + 1);
List<string> Words(GeneratedArticle a) =>
    DutchText.Words($"{a.Title} {a.Variants} {a.Body}").Where(w => w.Length >= 4 && !DutchText.IsStopWord(w) && !DutchText.IsFiller(w)).Distinct().ToList();
List<string> Queries(int words) => Enumerable.Range(0, queriesPerSize).Select(_ =>
{
    var candidates = Words(corpus[random.Next(corpus.Count)]);
    return string.Join(' ', candidates.OrderBy(_ => random.Next()).Take(words));
}).ToList();
string[] filler = ["ik", "wil", "graag", "weten", "hoe", "mijn", "kan", "ik", "de", "het", "een", "wat", "kost", "het", "en", "moet", "ik", "dan", "nog", "iets", "doen", "want", "ik", "heb", "gehoord", "dat", "u", "mij", "kunt", "helpen", "met", "dit", "jaar", "alstublieft"];
// As residents ask: 15–40 words, five to ten of them from one article, the rest filler and stop words.
List<string> LongQuestions() => Enumerable.Range(0, queriesPerSize).Select(_ =>
{
    var content = Words(corpus[random.Next(corpus.Count)]).OrderBy(_ => random.Next()).Take(random.Next(5, 11)).ToList();
    var length = random.Next(Math.Max(15, content.Count + 5), 41);
    var words = content.Concat(Enumerable.Range(0, length - content.Count).Select(_ => filler[random.Next(filler.Length)])).OrderBy(_ => random.Next());
    return string.Join(' ', words) + "?";
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

List<string> Typos() => Enumerable.Range(0, queriesPerSize).Select(_ => Words(corpus[random.Next(corpus.Count)]).FirstOrDefault(w => w.Length >= 6))
    .Where(w => w is not null).Select(w => Typo(w!) + " ").ToList();
static string HalfTyped(string q)
{
    var w = q.Split(' ');
    w[^1] = w[^1][..Math.Max(3, w[^1].Length * 2 / 3)];
    return string.Join(' ', w);
}

// Every kind, the same text to both engines (a trailing space means the last word is complete).
List<(string Name, List<string> Queries)> Kinds() =>
[
    ("1 word (complete)", Queries(1).Select(q => q + " ").ToList()),
    ("2 words (complete)", Queries(2).Select(q => q + " ").ToList()),
    ("4 words (complete)", Queries(4).Select(q => q + " ").ToList()),
    ("1 word (typed half)", Queries(1).Select(HalfTyped).ToList()),
    ("2 words (last typed half)", Queries(2).Select(HalfTyped).ToList()),
    ("4 words (last typed half)", Queries(4).Select(HalfTyped).ToList()),
    ("1 word with a typo", Typos()),
    ("question of 15–40 words", LongQuestions()),
];

async Task<double> TimeOurs(string q)
{
    var start = Stopwatch.GetTimestamp();
    await engine.SearchAsync(db, new SearchQuery(q, published, Top), CancellationToken.None);
    return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}

double TimeLucene(string q)
{
    var start = Stopwatch.GetTimestamp();
    lucene.Search(q, Top);
    return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}

// Both run interleaved, query by query, so a burst of load on this shared machine hits them alike.
async Task<(double[] Ours, double[] Lucene)> TimeAll(IReadOnlyList<string> queries)
{
    var (o, l) = (new double[queries.Count], new double[queries.Count]);
    for (var i = 0; i < queries.Count; i++)
    {
        o[i] = await TimeOurs(queries[i]);
        l[i] = TimeLucene(queries[i]);
    }

    return (o, l);
}

// Warm-up (JIT, caches, Lucene's term dictionaries) on queries of every kind that are not measured.
foreach (var (_, queries) in Kinds())
{
    await TimeAll(queries.Take(200).ToList());
}

var measured = Kinds();
Console.WriteLine();
Console.WriteLine($"Indexing {articleCount:N0} articles: ours ({(BenchDatabase.PostgreSqlServer is null ? "SQLite FTS5" : "PostgreSQL table ArticleSearch")}, stems in .NET, one transaction) {oursIndexing.TotalSeconds:0.00} s · Lucene.Net (RAMDirectory, same stems) {luceneIndexing.TotalSeconds:0.00} s");
Console.WriteLine($"First search loads the memory copy of the index: {memoryLoad.TotalMilliseconds:0} ms (once per database and process; the app does it at start-up)");
Console.WriteLine();
Console.WriteLine("Latency per query in milliseconds (ours: ISearchEngine.SearchAsync incl. stemming, typo expansion and the change-log check; Lucene: query building, search, stored id per hit).");
Console.WriteLine();
Console.WriteLine("| Query kind | Ours p50 | Ours p95 | Lucene.Net p50 | Lucene.Net p95 | p95 ratio ours/Lucene |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");
foreach (var (name, queries) in measured)
{
    var (ours, luceneTimes) = await TimeAll(queries);
    Row(name, ours, luceneTimes);
}

// --- Relevance: the demo kennisbank and the evaluation set of the test suite ---
await Relevance();

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
var panelQueries = measured[4].Queries;
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
await bench.DisposeAsync(drop: !args.Contains("--keep"));
Console.WriteLine($"Provider: {BenchDatabase.ProviderName} · load average at the end: {LoadAverage()}");
if (args.Contains("--keep"))
{
    Console.WriteLine($"Index kept in {folder.FullName}");
}
else
{
    folder.Delete(recursive: true);
}

return;

static void Row(string name, double[] ours, double[] lucene)
{
    var (o50, o95) = (Percentile(ours, 0.50), Percentile(ours, 0.95));
    var (l50, l95) = (Percentile(lucene, 0.50), Percentile(lucene, 0.95));
    Console.WriteLine($"| {name} | {o50:0.00} | {o95:0.00} | {l50:0.00} | {l95:0.00} | {o95 / l95:0.00} |");
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

// Top-1 and top-3 of both engines on the evaluation set, over the demo kennisbank (published articles), each question
// with its topic when the set gives one.
static async Task Relevance()
{
    var folder = System.IO.Directory.CreateTempSubdirectory("kcc-search-relevance-");
    try
    {
        await using var bench = await BenchDatabase.CreateAsync(folder.FullName, "relevance");
        await using var db = await bench.Services.GetRequiredService<IDbContextFactory<KccDbContext>>().CreateDbContextAsync();
        using var engine = new SqliteFts5SearchEngine();
        var demo = Evaluation.DemoArticles();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            foreach (var a in demo)
            {
                await engine.IndexAsync(db, a.Document, CancellationToken.None);
            }

            await transaction.CommitAsync();
        }

        var published = demo.Where(a => a.Document.Status == ArticleStatus.Gepubliceerd).ToList();
        using var lucene = new LuceneBaseline(published.Select(a => (a.Document.ArticleId, a.Document.Title, string.Join(" \n ", a.Document.VariantsAndKeywords), a.Document.Body, (string?)a.TopicName)));
        var externalIds = demo.ToDictionary(a => a.Document.ArticleId, a => a.ExternalId);
        var questions = Evaluation.Questions();
        int oursFirst = 0, oursThree = 0, luceneFirst = 0, luceneThree = 0;
        foreach (var q in questions)
        {
            var topicArticles = q.Topic is null ? null : published.Where(a => a.TopicName == q.Topic).Select(a => a.Document.ArticleId).ToList();
            var ours = (await engine.SearchAsync(db, new SearchQuery(q.Text, [ArticleStatus.Gepubliceerd], 3, topicArticles), CancellationToken.None))
                .Select(h => externalIds[h.ArticleId]).ToList();
            var theirs = lucene.Search(q.Text, 3, q.Topic).Select(id => externalIds[id]).ToList();
            oursFirst += ours.FirstOrDefault() == q.Expected ? 1 : 0;
            oursThree += ours.Contains(q.Expected) ? 1 : 0;
            luceneFirst += theirs.FirstOrDefault() == q.Expected ? 1 : 0;
            luceneThree += theirs.Contains(q.Expected) ? 1 : 0;
        }

        Console.WriteLine();
        Console.WriteLine($"Relevance on the evaluation set ({questions.Count} questions, {questions.Count(q => q.Topic is not null)} with a topic) over the demo kennisbank ({published.Count} published articles):");
        Console.WriteLine();
        Console.WriteLine("| Engine | top-1 | top-3 |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| Ours | {100.0 * oursFirst / questions.Count:0.0}% ({oursFirst}) | {100.0 * oursThree / questions.Count:0.0}% ({oursThree}) |");
        Console.WriteLine($"| Lucene.Net (same semantics) | {100.0 * luceneFirst / questions.Count:0.0}% ({luceneFirst}) | {100.0 * luceneThree / questions.Count:0.0}% ({luceneThree}) |");
    }
    finally
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Delete(recursive: true);
    }
}

static double Percentile(double[] values, double p)
{
    var sorted = values.Order().ToArray();
    return sorted[(int)Math.Round(p * (sorted.Length - 1))];
}

static string RuntimeInformationText() => System.Runtime.InteropServices.RuntimeInformation.OSDescription;

/// <summary>
/// The benchmark's database: a SQLite file in the folder (default), or with KCC_BENCH_PG (a connection string without
/// Database) a fresh PostgreSQL database, created and migrated as the app does it and dropped afterwards.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string? pgDatabase;

    private BenchDatabase(ServiceProvider services, string? pgDatabase)
    {
        Services = services;
        this.pgDatabase = pgDatabase;
    }

    public static string? PostgreSqlServer { get; } = Environment.GetEnvironmentVariable("KCC_BENCH_PG") is { Length: > 0 } pg ? pg : null;

    public static string ProviderName => PostgreSqlServer is null ? "SQLite" : "PostgreSQL";

    public ServiceProvider Services { get; }

    public static async Task<BenchDatabase> CreateAsync(string folder, string purpose)
    {
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Kcc"] = $"Data Source={Path.Combine(folder, "kcc.db")}" };
        string? pgDatabase = null;
        if (PostgreSqlServer is { } server)
        {
            pgDatabase = $"kcc_bench_{purpose}_{Guid.NewGuid():N}";
            settings["Database:Provider"] = "PostgreSQL";
            settings["ConnectionStrings:Kcc"] = new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = pgDatabase }.ToString();
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddKccDatabase(configuration, folder).BuildServiceProvider();
        await using (await DatabaseSetup.StartupLockAsync(services))
        {
            await DatabaseSetup.MigrateAsync(services);
        }

        return new BenchDatabase(services, pgDatabase);
    }

    public ValueTask DisposeAsync() => DisposeAsync(drop: true);

    public async ValueTask DisposeAsync(bool drop)
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (pgDatabase is null)
        {
            return;
        }

        if (!drop)
        {
            Console.WriteLine($"PostgreSQL database kept: {pgDatabase}");
            return;
        }

        Npgsql.NpgsqlConnection.ClearAllPools();
        await using var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(PostgreSqlServer!) { Database = "postgres", Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{pgDatabase}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>A signed-in agent for the handler.</summary>
internal sealed class Agent : Kcc.Workbench.Web.Infrastructure.ICurrentUser
{
    private static readonly System.Security.Claims.ClaimsPrincipal Principal = new(new System.Security.Claims.ClaimsIdentity(
        [new(System.Security.Claims.ClaimTypes.NameIdentifier, "benchmark"), new(System.Security.Claims.ClaimTypes.Role, Kcc.Workbench.Web.Infrastructure.Roles.Frontoffice)], "Benchmark"));

    public Task<System.Security.Claims.ClaimsPrincipal> GetPrincipalAsync() => Task.FromResult(Principal);
}
