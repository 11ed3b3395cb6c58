using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Security.Claims;
using Kcc.Workbench.Dashboard.Benchmarks;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Account;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Dashboard;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// The team lead's dashboard on a year of a city of 250,000 residents (1,000,000 questions) in SQLite (or, with
// KCC_BENCH_PG set to a connection string without Database, in a fresh PostgreSQL database dropped afterwards): generation,
// the cold load of the facts, the full dashboard per view and per figure, the incremental catch-up, the drill-down
// and the export, and an exactness check of first time right against plain SQL.
//   dotnet run -c Release --project benchmarks/Kcc.Workbench.Dashboard.Benchmarks [-- --questions 1000000 --runs 20]

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine("""
        Options (defaults in brackets):
          --questions N      questions to generate [1000000]; contacts = N / 1.22, parties = 0.15 N
          --runs N           measured dashboard queries per view [20]
          --warmup N         unmeasured queries of every view before any is measured, and per view [10]
          --new-contacts N   contacts logged through LogContact before the catch-up query [1000]
          --exports N        full exports (12 months) to measure [2]
          --check-year       also check the 12 months against SQL (slow: a self-join over every question)
          --seed N           random seed of the generator [20261126]
          --keep             keep the database (its path is printed)
        """);
    return 0;
}

var questionCount = Option("--questions", 1_000_000);
var runs = Option("--runs", 20);
var warmup = Option("--warmup", 10);
var newContacts = Option("--new-contacts", 1000);
var exports = Option("--exports", 2);
var seed = Option("--seed", 20261126);
var keep = args.Contains("--keep");
var checkYear = args.Contains("--check-year");

CultureInfo.DefaultThreadCurrentCulture = DutchFormat.Culture;
CultureInfo.DefaultThreadCurrentUICulture = DutchFormat.Culture;
var folder = Directory.CreateTempSubdirectory("kcc-dashboard-bench-");
var databasePath = Path.Combine(folder.FullName, "kcc.db");
var settings = new Dictionary<string, string?>
{
    ["ConnectionStrings:Kcc"] = $"Data Source={databasePath}",
    ["Kcc:Contacten:RepeatWindowDays"] = "7",
};

// KCC_BENCH_PG: a PostgreSQL server (connection string without Database); the run gets a database of its own there,
// dropped afterwards unless --keep. SQLite stays the default.
var pgServer = Environment.GetEnvironmentVariable("KCC_BENCH_PG") is { Length: > 0 } pg ? pg : null;
var pgDatabase = pgServer is null ? null : "kcc_bench_dashboard_" + Guid.NewGuid().ToString("N");
if (pgServer is not null)
{
    settings["Database:Provider"] = "PostgreSQL";
    settings["ConnectionStrings:Kcc"] = new Npgsql.NpgsqlConnectionStringBuilder(pgServer) { Database = pgDatabase }.ToString();
    databasePath = $"PostgreSQL database {pgDatabase}";
}

var providerName = pgServer is null ? "SQLite" : "PostgreSQL";
var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
var user = new BenchUser();
var serviceCollection = new ServiceCollection()
    .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
    .AddSingleton<IConfiguration>(configuration)
    .AddSingleton(TimeProvider.System)
    .AddKccDatabase(configuration, folder.FullName);
serviceCollection.AddKccIdentity();
serviceCollection.AddKccMediator(typeof(KccDbContext).Assembly);
serviceCollection.AddKccFeatures(configuration);
serviceCollection.AddSingleton<ICurrentUser>(user);
var services = serviceCollection.BuildServiceProvider();
var failed = false;

try
{
    Console.WriteLine($"# Kcc.Workbench dashboard benchmark · {providerName} · {questionCount:N0} questions");
    Console.WriteLine();
    Console.WriteLine($"- Machine: {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
    Console.WriteLine($"- Build: {BuildConfiguration()}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC");
    Console.WriteLine($"- Load average at start: {LoadAverage()}");
    Console.WriteLine($"- Database: {databasePath}");
    Console.WriteLine();

    // 1. Generation.
    await using (await DatabaseSetup.StartupLockAsync(services))
    {
        await DatabaseSetup.MigrateAsync(services);
    }

    var factory = services.GetRequiredService<IDbContextFactory<KccDbContext>>();
    var data = await Generator.RunAsync(services, questionCount, seed);
    Console.WriteLine(pgServer is null
        ? $"SQLite {await ScalarAsync(factory, "SELECT sqlite_version()")}; load average after generation: {LoadAverage()}"
        : $"PostgreSQL {await ScalarAsync(factory, "SHOW server_version")} (fsync on, synchronous_commit on); load average after generation: {LoadAverage()}");
    Console.WriteLine();
    Console.WriteLine("## Generated data");
    Console.WriteLine();
    Console.WriteLine("| Parties | Contacts | Questions | Anonymous contacts | Repeat contacts (made) | Internal tasks | still open | late (completed late or overdue) | Generation (s) | Database (MB) |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    Console.WriteLine(Inv($"| {data.Parties:N0} | {data.Contacts:N0} | {data.Questions:N0} | {data.AnonymousContacts:N0} ({100.0 * data.AnonymousContacts / data.Contacts:0.0}%) | {data.RepeatContacts:N0} ({100.0 * data.RepeatContacts / data.Contacts:0.0}%) | {data.Tasks:N0} | {data.OpenTasks:N0} | {data.LateTasks:N0} | {data.Elapsed.TotalSeconds:0.0} | {await DatabaseMegabytesAsync(factory):0} |"));
    Console.WriteLine();

    var today = DateOnly.FromDateTime(DutchFormat.ToLocal(DateTime.UtcNow));
    var thisMonth = DashboardFilter.ThisMonth(today);
    var twelveMonths = thisMonth with { From = thisMonth.From.AddMonths(-11) };
    var burgerzaken = data.Teams["Burgerzaken"];
    var views = new (string Name, DashboardFilter Filter)[]
    {
        ($"Default: this month ({thisMonth.Describe()}) vs last month", thisMonth),
        ($"Last 12 months ({twelveMonths.Describe()}), per month", twelveMonths),
        ("This month, channel Telefoon", thisMonth with { Channel = Channel.Telefoon }),
        ("This month, team Burgerzaken", thisMonth with { TeamId = burgerzaken }),
    };

    // 2a. The cold load: the facts catch up from an empty copy.
    user.Principal = BenchUser.Make("bench-teamleider", "Teamleider Bench", Roles.Teamleider);
    var facts = services.GetRequiredService<DashboardFacts>();
    var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
    var cold = Stopwatch.StartNew();
    var loaded = await facts.ReadAsync(s => (Questions: s.Questions.Length, Tasks: s.Tasks.Count), CancellationToken.None);
    cold.Stop();
    var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
    var firstQuery = Stopwatch.StartNew();
    var firstView = await SendAsync(new GetDashboard.Query(thisMonth));
    firstQuery.Stop();
    Console.WriteLine("## Cold start: the facts loaded from the database into memory");
    Console.WriteLine();
    Console.WriteLine("| Questions | Tasks | Load (s) | Managed memory growth (MB) | Bytes per question | Process working set after it (MB) | First dashboard query after it (ms, incl. JIT) |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
    Console.WriteLine(Inv($"| {loaded.Questions:N0} | {loaded.Tasks:N0} | {cold.Elapsed.TotalSeconds:0.00} | {(memoryAfter - memoryBefore) / 1048576.0:0.0} | {(double)(memoryAfter - memoryBefore) / loaded.Questions:0} | {Environment.WorkingSet / 1048576.0:0} | {firstQuery.Elapsed.TotalMilliseconds:0} |"));
    Console.WriteLine();
    Console.WriteLine($"Load average: {LoadAverage()}");
    Console.WriteLine();

    // 2b. The full dashboard per view, after every view ran: the JIT's tiering has settled before the first measurement.
    for (var i = 0; i < warmup; i++)
    {
        foreach (var (_, filter) in views)
        {
            await SendAsync(new GetDashboard.Query(filter));
        }
    }

    var figureNames = new List<string>();
    var viewRows = new List<(string Name, Stats Total, Dictionary<string, double> FigureP50, GetDashboard.Response Last)>();
    foreach (var (name, filter) in views)
    {
        var (total, perFigure, last) = await MeasureDashboardAsync(filter);
        foreach (var key in perFigure.Keys.Where(k => !figureNames.Contains(k) && k is not ("cpu" or "allocated MB" or "gen2 GCs")))
        {
            figureNames.Add(key);
        }

        viewRows.Add((name, total, perFigure.ToDictionary(p => p.Key, p => p.Value.P50), last));
    }

    Console.WriteLine($"## Full dashboard (GetDashboard through IMediator as a Teamleider): {runs} runs per view after {warmup} warm-up runs");
    Console.WriteLine();
    Console.WriteLine("| View | Questions in view | p50 (ms) | p95 (ms) | max (ms) | < 1 s (p95) | process CPU p50 (ms) | allocated per query (MB) | gen2 GCs in the runs |");
    Console.WriteLine("|---|---:|---:|---:|---:|---|---:|---:|---:|");
    foreach (var row in viewRows)
    {
        Console.WriteLine(Inv($"| {row.Name} | {row.Last.Ftr.Total.Questions:N0} | {row.Total.P50:0.0} | {row.Total.P95:0.0} | {row.Total.Max:0.0} | {(row.Total.P95 < 1000 ? "yes" : "NO")} | {row.FigureP50["cpu"]:0} | {row.FigureP50["allocated MB"]:0.0} | {row.FigureP50["gen2 GCs"]:0} |"));
    }

    Console.WriteLine();
    Console.WriteLine("p50 per figure (Response.Timings, ms); \"other\" is the total minus the figures (mediator pipeline, agent list, response):");
    Console.WriteLine();
    Console.WriteLine($"| View | {string.Join(" | ", figureNames)} | other |");
    Console.WriteLine($"|---|{string.Concat(figureNames.Select(_ => "---:|"))}---:|");
    foreach (var row in viewRows)
    {
        var other = row.Total.P50 - figureNames.Sum(f => row.FigureP50.GetValueOrDefault(f));
        Console.WriteLine(Inv($"| {row.Name} | {string.Join(" | ", figureNames.Select(f => row.FigureP50.GetValueOrDefault(f).ToString("0.0", CultureInfo.InvariantCulture)))} | {Math.Max(0, other):0.0} |"));
    }

    Console.WriteLine();
    Console.WriteLine($"Load average: {LoadAverage()}");
    Console.WriteLine();

    // Where "Bijwerken" goes with nothing new: the two catch-up queries on their own.
    await ExplainCatchUpAsync(factory);

    // 2c. Incremental refresh: contacts logged through the real LogContact pipeline, then the next dashboard query.
    var (saved, savedQuestions, saveElapsed) = await LogContactsAsync(data, newContacts, seed + 1);
    var afterInsert = Stopwatch.StartNew();
    var caughtUp = await SendAsync(new GetDashboard.Query(thisMonth));
    afterInsert.Stop();
    var (steady, _, _) = await MeasureDashboardAsync(thisMonth, quiet: true);
    var (one, _, _) = await LogContactsAsync(data, 1, seed + 2);
    var afterOne = Stopwatch.StartNew();
    var caughtUpOne = await SendAsync(new GetDashboard.Query(thisMonth));
    afterOne.Stop();
    Console.WriteLine("## Incremental refresh: contacts logged through LogContact (IMediator, Frontoffice agent), then the default view");
    Console.WriteLine();
    Console.WriteLine("| New contacts | New questions | Logging them (s) | Next dashboard query (ms) | of which Bijwerken (catch-up, ms) | Steady query afterwards, p50 (ms) |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
    Console.WriteLine(Inv($"| {saved:N0} | {savedQuestions:N0} | {saveElapsed.TotalSeconds:0.0} | {afterInsert.Elapsed.TotalMilliseconds:0.0} | {caughtUp.Timings["Bijwerken"]:0.0} | {steady.P50:0.0} |"));
    Console.WriteLine(Inv($"| {one:N0} | – | – | {afterOne.Elapsed.TotalMilliseconds:0.0} | {caughtUpOne.Timings["Bijwerken"]:0.0} | – |"));
    Console.WriteLine();

    // 2d. Drill-down page and the full export.
    Console.WriteLine("## Drill-down and export (GetDashboardQuestions)");
    Console.WriteLine();
    Console.WriteLine("| Request | Runs | Rows (total) | p50 (ms) | p95 (ms) | max (ms) |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|");
    foreach (var (label, query) in new (string, GetDashboardQuestions.Query)[]
    {
        ("Page 1, all questions, this month", new(thisMonth)),
        ("Page 1, not first time right, this month", new(thisMonth, QuestionSet.NietGoed)),
        ("Page 20, all questions, 12 months", new(twelveMonths, QuestionSet.Alle, 19)),
    })
    {
        GetDashboardQuestions.Response? page = null;
        for (var i = 0; i < warmup; i++)
        {
            page = await SendAsync(query);
        }

        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            page = await SendAsync(query);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        var stats = Stats.Of(times);
        Console.WriteLine(Inv($"| {label} | {runs} | {page!.Questions.Count} ({page.Total:N0}) | {stats.P50:0.0} | {stats.P95:0.0} | {stats.Max:0.0} |"));
    }

    Console.WriteLine();
    Console.WriteLine("| Export of 12 months | Rows | GetDashboardQuestions.All (s) | WriteQuestionsAsync to a null stream (s) | CSV (MB) | Managed memory held by the rows (MB) |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|");
    for (var i = 0; i < exports; i++)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        var all = await SendAsync(new GetDashboardQuestions.All(twelveMonths));
        var select = watch.Elapsed;
        var held = GC.GetTotalMemory(forceFullCollection: true) - before;
        var sink = new CountingStream();
        watch.Restart();
        await DashboardExport.WriteQuestionsAsync(sink, all, CancellationToken.None);
        var write = watch.Elapsed;
        Console.WriteLine(Inv($"| run {i + 1} | {all.Questions.Count:N0} | {select.TotalSeconds:0.00} | {write.TotalSeconds:0.00} | {sink.Length / 1048576.0:0.0} | {held / 1048576.0:0} |"));
    }

    Console.WriteLine();
    Console.WriteLine($"Load average: {LoadAverage()}");
    Console.WriteLine();

    // 3. Exactness: first time right from plain SQL against the dashboard, per period.
    Console.WriteLine("## Exactness: first time right from plain SQL vs the dashboard");
    Console.WriteLine();
    Console.WriteLine("| Period | Contacts | Questions | Registered right | Verifiable | Verified right | Repeated | Anonymous | Routed | SQL (s) | Equal |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    var checks = new List<(string, DashboardFilter)> { ("last month", thisMonth with { From = thisMonth.From.AddMonths(-1), To = thisMonth.From.AddDays(-1) }), ("this month (incl. the new contacts)", thisMonth) };
    if (checkYear)
    {
        checks.Add(("12 months", twelveMonths));
    }

    var mismatches = new List<string>();
    foreach (var (label, period) in checks)
    {
        var view = await SendAsync(new GetDashboard.Query(period));
        var watch = Stopwatch.StartNew();
        var sql = await ExactCheck.CountAsync(factory, period, view.RepeatWindowDays);
        var differences = ExactCheck.Compare(sql, view);
        mismatches.AddRange(differences.Select(d => $"{label}: {d}"));
        Console.WriteLine(Inv($"| {label} ({period.Describe()}) | {sql.Contacts:N0} | {sql.Questions:N0} | {sql.RegisteredRight:N0} | {sql.Verifiable:N0} | {sql.VerifiedRight:N0} | {sql.Repeated:N0} | {sql.Unverifiable:N0} | {sql.Routed:N0} | {watch.Elapsed.TotalSeconds:0.0} | {(differences.Count == 0 ? "yes" : "NO")} |"));
    }

    Console.WriteLine();
    foreach (var mismatch in mismatches)
    {
        Console.WriteLine($"MISMATCH {mismatch}");
    }

    failed = mismatches.Count > 0;
    var slow = viewRows.Take(2).Where(r => r.Total.P95 >= 1000).Select(r => r.Name).ToList();
    Console.WriteLine(failed ? "Exactness: FAILED." : "Exactness: every figure checked equals the SQL count.");
    Console.WriteLine(slow.Count == 0
        ? "Target: the default view and the 12 months are each computed in under 1 second (p95)."
        : $"Target NOT met (p95 ≥ 1 s): {string.Join("; ", slow)}.");
    Console.WriteLine($"Provider: {providerName} · load average at the end: {LoadAverage()}");
    return failed ? 1 : 0;
}
finally
{
    await services.DisposeAsync();
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    if (keep)
    {
        Console.WriteLine($"Database kept: {databasePath}");
    }
    else
    {
        folder.Delete(recursive: true);
        if (pgDatabase is not null)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await using var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(pgServer!) { Database = "postgres", Pooling = false }.ToString());
            await connection.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{pgDatabase}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}

async Task<T> SendAsync<T>(IRequest<T> request)
{
    await using var scope = services.CreateAsyncScope();
    return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
}

async Task<(Stats Total, Dictionary<string, Stats> PerFigure, GetDashboard.Response Last)> MeasureDashboardAsync(DashboardFilter filter, bool quiet = false)
{
    GetDashboard.Response? last = null;
    for (var i = 0; i < warmup; i++)
    {
        last = await SendAsync(new GetDashboard.Query(filter));
    }

    var totals = new List<double>();
    var cpu = new List<double>();
    var figures = new Dictionary<string, List<double>>();
    var process = Process.GetCurrentProcess();
    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    var gen2Before = GC.CollectionCount(2);
    var count = quiet ? Math.Max(5, runs / 2) : runs;
    for (var i = 0; i < count; i++)
    {
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        last = await SendAsync(new GetDashboard.Query(filter));
        totals.Add(watch.Elapsed.TotalMilliseconds);
        process.Refresh();
        cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
        foreach (var (key, value) in last.Timings)
        {
            (figures.TryGetValue(key, out var list) ? list : figures[key] = []).Add(value);
        }
    }

    // Process CPU per query (all threads, GC included): steadier than wall time on a shared machine.
    figures["cpu"] = cpu;
    figures["allocated MB"] = [(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1048576.0 / count];
    figures["gen2 GCs"] = [GC.CollectionCount(2) - gen2Before];
    return (Stats.Of(totals), figures.ToDictionary(f => f.Key, f => Stats.Of(f.Value)), last!);
}

// Contacts as an agent logs them: 1–3 questions, the channel and outcome mix, routed questions with their task.
async Task<(int Contacts, int Questions, TimeSpan Elapsed)> LogContactsAsync(Generated data, int count, int randomSeed)
{
    var random = new Random(randomSeed);
    var teamleider = user.Principal;
    user.Principal = BenchUser.Make(Generator.AgentId(0), "Agent Bench", Roles.Frontoffice);
    var outcomes = new[] { Outcome.Beantwoord, Outcome.Beantwoord, Outcome.Beantwoord, Outcome.Beantwoord, Outcome.Beantwoord, Outcome.Beantwoord, Outcome.DoorgezetNaarBackoffice, Outcome.Terugbelverzoek, Outcome.DoorverwezenNaarAndereOrganisatie, Outcome.Doorverbonden };
    var channels = new[] { Channel.Telefoon, Channel.Telefoon, Channel.Telefoon, Channel.Balie, Channel.Balie, Channel.Email, Channel.WhatsApp };
    var questions = 0;
    var watch = Stopwatch.StartNew();
    try
    {
        for (var i = 0; i < count; i++)
        {
            var inputs = new List<LogContact.QuestionInput>();
            var questionCount = random.NextDouble() switch { < 0.8 => 1, < 0.98 => 2, _ => 3 };
            for (var q = 0; q < questionCount; q++)
            {
                var topic = data.Topics[random.Next(data.Topics.Count)];
                var outcome = outcomes[random.Next(outcomes.Length)];
                inputs.Add(new LogContact.QuestionInput
                {
                    TopicId = topic.Id,
                    Text = $"Vraag over {topic.Name}.",
                    Outcome = outcome,
                    ReferredTo = outcome == Outcome.DoorverwezenNaarAndereOrganisatie ? "Belastingdienst" : null,
                    Routing = outcome.NeedsRouting()
                        ? new RoutingInput
                        {
                            Action = outcome == Outcome.Terugbelverzoek ? RequestedAction.Terugbellen : RequestedAction.InBehandelingNemen,
                            TeamId = data.TeamOfTopic[topic.Id],
                            ReachBy = outcome == Outcome.Terugbelverzoek ? ReachBy.Telefoon : null,
                            ReachAt = outcome == Outcome.Terugbelverzoek ? "06 1234 5678" : null,
                        }
                        : null,
                });
            }

            var result = await SendAsync(new LogContact.Command
            {
                Channel = channels[random.Next(channels.Length)],
                StartedAt = DateTime.UtcNow.AddSeconds(-(60 + random.Next(600))),
                PartyId = random.NextDouble() < 0.18 ? null : data.PartyIds[random.Next(data.PartyIds.Count)],
                Questions = inputs,
            });
            if (!result.Succeeded)
            {
                throw new InvalidOperationException("LogContact failed: " + result.AllErrors);
            }

            questions += questionCount;
        }
    }
    finally
    {
        user.Principal = teamleider;
    }

    return (count, questions, watch.Elapsed);
}

async Task ExplainCatchUpAsync(IDbContextFactory<KccDbContext> factory)
{
    await using var db = await factory.CreateDbContextAsync();
    var lastId = await db.Questions.MaxAsync(q => q.Id);
    var lastTaskId = await db.InternalTasks.MaxAsync(t => t.Id);
    var questionsSql = db.Questions.AsNoTracking().Where(q => q.Id > lastId).Select(q => new { q.Id, q.Contact!.StartedAt }).ToQueryString();
    // The same shapes as DashboardFacts reads: every open task, and the tasks with a higher id.
    var openTasksSql = db.InternalTasks.AsNoTracking().Where(t => t.Status == InternalTaskStatus.TeVerwerken)
        .Select(t => new { t.Id, t.QuestionId, t.TeamId, t.TopicId, t.Channel, t.Action, t.CreatedById, t.CreatedByName, t.CreatedAt, t.DueAt, t.CompletedAt }).ToQueryString();
    var newTasksSql = db.InternalTasks.AsNoTracking().Where(t => t.Id > lastTaskId).Select(t => new { t.Id, t.QuestionId }).ToQueryString();
    Console.WriteLine("## The catch-up queries with nothing new (what \"Bijwerken\" runs before every query)");
    Console.WriteLine();
    Console.WriteLine("| Query | Plan | p50 of 10 (ms) |");
    Console.WriteLine("|---|---|---:|");
    foreach (var (label, sql) in new[] { ("Questions with a higher id", questionsSql), ("Open tasks (hand-over and completion change only these)", openTasksSql), ("Tasks with a higher id", newTasksSql) })
    {
        var body = sql[sql.IndexOf("SELECT", StringComparison.Ordinal)..];
        var parameters = sql.Split('\n').Where(l => l.StartsWith(".param set", StringComparison.Ordinal)).Select(l => l.Split(' ', 4)).ToList();
        if (!db.Database.IsSqlite())
        {
            // PostgreSQL: ToQueryString writes "-- @name='value'" lines; the values go in as untyped literals.
            foreach (var line in sql.Split('\n').Where(l => l.StartsWith("-- @", StringComparison.Ordinal)))
            {
                var name = line[3..line.IndexOf('=', StringComparison.Ordinal)];
                var value = line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim();
                value = value.Contains(" (DbType", StringComparison.Ordinal) ? value[..value.IndexOf(" (DbType", StringComparison.Ordinal)] : value;
                body = System.Text.RegularExpressions.Regex.Replace(body, System.Text.RegularExpressions.Regex.Escape(name) + @"\b", value);
            }
        }

        var plan = string.Join(" · ", (await QueryAsync(db, (db.Database.IsSqlite() ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + body, parameters, db.Database.IsSqlite() ? 3 : 0)).Select(l => l.Trim()));
        var times = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            var watch = Stopwatch.StartNew();
            await QueryAsync(db, body, parameters, 0);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine(Inv($"| {label} | {plan} | {Stats.Of(times).P50:0.0} |"));
    }

    Console.WriteLine();
}

static async Task<List<string>> QueryAsync(KccDbContext db, string sql, List<string[]> parameters, int column)
{
    var connection = db.Database.GetDbConnection();
    if (connection.State != System.Data.ConnectionState.Open)
    {
        await connection.OpenAsync();
    }

    await using var command = connection.CreateCommand();
    command.CommandText = sql;
    foreach (var parts in parameters)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = parts[2];
        parameter.Value = parts[3].Trim().Trim('\'');
        command.Parameters.Add(parameter);
    }

    var values = new List<string>();
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        values.Add(reader.GetValue(column).ToString() ?? "");
    }

    return values;
}

static async Task<string> ScalarAsync(IDbContextFactory<KccDbContext> factory, string sql)
{
    await using var db = await factory.CreateDbContextAsync();
    return (await QueryAsync(db, sql, [], 0)).FirstOrDefault() ?? "";
}

async Task<double> DatabaseMegabytesAsync(IDbContextFactory<KccDbContext> factory) => pgServer is null
    ? new[] { databasePath, databasePath + "-wal" }.Where(File.Exists).Sum(p => new FileInfo(p).Length) / 1048576.0
    : long.Parse(await ScalarAsync(factory, "SELECT pg_database_size(current_database())"), CultureInfo.InvariantCulture) / 1048576.0;

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
}

static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

static string LoadAverage()
{
    try
    {
        return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
    }
    catch (IOException)
    {
        return "n/a";
    }
}

static string BuildConfiguration()
{
#if DEBUG
    return "DEBUG (figures not representative)";
#else
    return "Release";
#endif
}

internal sealed record Stats(int Runs, double P50, double P95, double Max)
{
    public static Stats Of(List<double> values)
    {
        var sorted = values.Order().ToList();
        double At(double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
        return new Stats(sorted.Count, At(0.50), At(0.95), sorted[^1]);
    }
}

/// <summary>The signed-in user: a Teamleider for the dashboard, a Frontoffice agent while logging contacts.</summary>
internal sealed class BenchUser : ICurrentUser
{
    public ClaimsPrincipal Principal { get; set; } = new(new ClaimsIdentity());

    public static ClaimsPrincipal Make(string id, string name, string role) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.NameIdentifier, id), new Claim(ClaimTypes.Name, name), new Claim(KccClaimTypes.DisplayName, name), new Claim(ClaimTypes.Role, role)], "Benchmark"));

    public Task<ClaimsPrincipal> GetPrincipalAsync() => Task.FromResult(Principal);
}

/// <summary>A sink that only counts the bytes written.</summary>
internal sealed class CountingStream : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => Position;

    public override long Position { get; set; }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Position += count;

    public override void Write(ReadOnlySpan<byte> buffer) => Position += buffer.Length;

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Position += buffer.Length;
        return ValueTask.CompletedTask;
    }
}
