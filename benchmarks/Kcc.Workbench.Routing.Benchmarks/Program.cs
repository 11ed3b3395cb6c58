using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Data.DemoData;
using Kcc.Workbench.Web.Features.Account;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Features.Routing.ServiceNorms;
using Kcc.Workbench.Web.Features.Teams;
using Kcc.Workbench.Web.Features.Topics;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Routing figures: the back-office queue (first page of one team) and "Volgende pakken" claims, sequential and
// concurrent, on a SQLite file (or, with KCC_BENCH_PG set, a fresh PostgreSQL database) with 100,000 open tasks across
// 10 teams. Requests go through the real mediator pipeline (authorization, validation, handlers), as the app sends them.
//   dotnet run -c Release --project benchmarks/Kcc.Workbench.Routing.Benchmarks [-- --tasks 100000 --teams 10]
//   KCC_BENCH_PG="Host=127.0.0.1;Port=5432;Username=postgres" dotnet run ...   (a connection string without Database)

var taskCount = Option(args, "--tasks", 100_000);
var teamCount = Option(args, "--teams", 10);
var queueRuns = Option(args, "--queue-runs", 300);
var sequentialClaims = Option(args, "--claims", 300);
var workers = Option(args, "--workers", 8);
var claimsPerWorker = Option(args, "--claims-per-worker", 40);

var folder = Directory.CreateTempSubdirectory("kcc-routing-bench-");
var settings = new Dictionary<string, string?> { ["ConnectionStrings:Kcc"] = $"Data Source={Path.Combine(folder.FullName, "kcc.db")}" };

// KCC_BENCH_PG: a PostgreSQL server (connection string without Database); the run gets a database of its own there,
// dropped afterwards. SQLite stays the default.
var pgServer = Environment.GetEnvironmentVariable("KCC_BENCH_PG") is { Length: > 0 } pg ? pg : null;
var pgDatabase = pgServer is null ? null : "kcc_bench_routing_" + Guid.NewGuid().ToString("N");
if (pgServer is not null)
{
    settings["Database:Provider"] = "PostgreSQL";
    settings["ConnectionStrings:Kcc"] = new Npgsql.NpgsqlConnectionStringBuilder(pgServer) { Database = pgDatabase }.ToString();
}

var providerName = pgServer is null ? "SQLite" : "PostgreSQL";
var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
var user = new BenchUser();
var services = new ServiceCollection()
    .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
    .AddSingleton<IConfiguration>(configuration)
    .AddSingleton(TimeProvider.System)
    .AddKccDatabase(configuration, folder.FullName)
    .AddKccMediator(typeof(KccDbContext).Assembly)
    .AddKccFeatures(configuration)
    .AddSingleton<ICurrentUser>(user)
    .BuildServiceProvider();

try
{
    Console.WriteLine($"Kcc.Workbench routing benchmark · {providerName} · {taskCount:N0} open tasks · {teamCount} teams · .NET {Environment.Version} · {Environment.ProcessorCount} cores");
    Console.WriteLine($"Load average at start: {LoadAverage()}");
    var generation = Stopwatch.StartNew();
    await using (await DatabaseSetup.StartupLockAsync(services))
    {
        await DatabaseSetup.MigrateAsync(services);
    }

    var factory = services.GetRequiredService<IDbContextFactory<KccDbContext>>();
    var staff = await SeedAsync(factory, teamCount, taskCount);
    Console.WriteLine($"Generated in {generation.Elapsed.TotalSeconds:0.0} s ({await DatabaseMegabytesAsync(factory)} MB, {providerName})");
    await ExplainAsync(factory, staff[0].TeamId);

    // Queue: first page (50) of one team, as a member of that team, teams in turn.
    await MeasureAsync("warm-up", 20, i => SendAsync(staff[i % staff.Count], new GetQueueTasks.Query(staff[i % staff.Count].TeamId)));
    var queue = await MeasureAsync("Queue: first page of one team (GetQueueTasks)", queueRuns,
        i => SendAsync(staff[i % staff.Count], new GetQueueTasks.Query(staff[i % staff.Count].TeamId)));
    var regie = await MeasureAsync("Regie: first 100 open tasks of all teams (GetOpenTasks)", queueRuns / 3,
        _ => SendAsync(staff[0] with { Principal = BenchUser.Principal(staff[0].Id, "Regie", Roles.Frontoffice) }, new GetOpenTasks.Query()));

    // Claims one after the other, employees of all teams in turn.
    var taken = new ConcurrentBag<long>();
    var sequential = await MeasureAsync("Volgende pakken: sequential claims", sequentialClaims, async i =>
    {
        var result = await SendAsync(staff[i % staff.Count], new TakeNextTask.Command());
        Require(result);
        taken.Add(result.Value);
    });

    // Claims at the same moment: several employees of one team press the button together, round after round.
    var team = staff[0].TeamId;
    var colleagues = staff.Where(s => s.TeamId == team).Take(workers).ToList();
    var latencies = new ConcurrentBag<double>();
    var concurrentTaken = new ConcurrentBag<long>();
    var wall = Stopwatch.StartNew();
    for (var round = 0; round < claimsPerWorker; round++)
    {
        // A gate instead of a Barrier: blocking eight pool threads on two cores would measure thread injection, not claims.
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var roundDone = Task.WhenAll(colleagues.Select(employee => Task.Run(async () =>
        {
            await start.Task;
            var watch = Stopwatch.StartNew();
            var result = await SendAsync(employee, new TakeNextTask.Command(team));
            latencies.Add(watch.Elapsed.TotalMilliseconds);
            Require(result);
            concurrentTaken.Add(result.Value);
        })));
        start.SetResult();
        await roundDone;
    }

    wall.Stop();
    var concurrent = Summarize($"Volgende pakken: {colleagues.Count} employees of one team at once", latencies.ToList());
    var distinct = concurrentTaken.Distinct().Count() == concurrentTaken.Count && !concurrentTaken.Intersect(taken).Any();
    Console.WriteLine($"  {concurrentTaken.Count} concurrent claims in {wall.Elapsed.TotalSeconds:0.00} s ({concurrentTaken.Count / wall.Elapsed.TotalSeconds:0} claims/s); every claim a different task: {(distinct ? "yes" : "NO")}");

    Console.WriteLine();
    Console.WriteLine("| Measurement | Runs | p50 (ms) | p95 (ms) | max (ms) |");
    Console.WriteLine("|---|---:|---:|---:|---:|");
    foreach (var row in new[] { queue, regie, sequential, concurrent })
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {row.Name} | {row.Runs} | {row.P50:0.0} | {row.P95:0.0} | {row.Max:0.0} |"));
    }

    Console.WriteLine();
    Console.WriteLine($"Provider: {providerName} · load average at the end: {LoadAverage()}");
    return distinct ? 0 : 1;
}
finally
{
    await services.DisposeAsync();
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
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

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static async Task<long> DatabaseMegabytesAsync(IDbContextFactory<KccDbContext> factory)
{
    await using var db = await factory.CreateDbContextAsync();
    if (db.Database.IsSqlite())
    {
        return new FileInfo(db.Database.GetDbConnection().DataSource).Length / (1024 * 1024);
    }

    return await db.Database.SqlQueryRaw<long>("SELECT pg_database_size(current_database()) AS \"Value\"").SingleAsync() / (1024 * 1024);
}

async Task<T> SendAsync<T>(Staff employee, IRequest<T> request)
{
    using (BenchUser.ActAs(employee.Principal))
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }
}

static void Require(ResultBase result)
{
    if (!result.Succeeded)
    {
        throw new InvalidOperationException(result.AllErrors);
    }
}

static async Task<Row> MeasureAsync(string name, int runs, Func<int, Task> action)
{
    var timings = new List<double>(runs);
    for (var i = 0; i < runs; i++)
    {
        var watch = Stopwatch.StartNew();
        await action(i);
        timings.Add(watch.Elapsed.TotalMilliseconds);
    }

    return name == "warm-up" ? new Row(name, runs, 0, 0, 0) : Summarize(name, timings);
}

static Row Summarize(string name, List<double> timings)
{
    timings.Sort();
    double At(double p) => timings[Math.Min(timings.Count - 1, (int)Math.Ceiling(p * timings.Count) - 1)];
    var row = new Row(name, timings.Count, At(0.50), At(0.95), timings[^1]);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: p50 {row.P50:0.0} ms · p95 {row.P95:0.0} ms · max {row.Max:0.0} ms ({row.Runs} runs)"));
    return row;
}

static int Option(string[] args, string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
}

static async Task ExplainAsync(IDbContextFactory<KccDbContext> factory, int teamId)
{
    await using var db = await factory.CreateDbContextAsync();
    var now = DateTime.UtcNow;
    var open = db.InternalTasks.Where(t => t.Status == InternalTaskStatus.TeVerwerken).Where(t => t.TeamId == teamId);
    // The handler's own queries: the first page with topic, team, party and question joined, and the counts.
    await ExplainQueryAsync(db, "Queue page plan", open.OrderBy(t => t.DueAt).ThenBy(t => t.Id).Take(50).ToRows().ToQueryString());
    await ExplainQueryAsync(db, "Queue counts plan", open.GroupBy(t => 1)
        .Select(g => new { Open = g.Count(), Overdue = g.Count(t => t.DueAt < now), Unclaimed = g.Count(t => t.AssigneeId == null) }).Take(1).ToQueryString());
}

static async Task ExplainQueryAsync(KccDbContext db, string label, string sql)
{
    var connection = db.Database.GetDbConnection();
    if (connection.State != System.Data.ConnectionState.Open)
    {
        await connection.OpenAsync();
    }

    await using var command = connection.CreateCommand();
    if (!db.Database.IsSqlite())
    {
        // PostgreSQL: ToQueryString writes the parameters as "-- @name='value'" lines; put them in as untyped literals
        // (PostgreSQL then takes the column's type) and print the plan's lines.
        var body = sql[sql.IndexOf("SELECT", StringComparison.Ordinal)..];
        foreach (var line in sql.Split('\n').Where(l => l.StartsWith("-- @", StringComparison.Ordinal)))
        {
            var name = line[3..line.IndexOf('=', StringComparison.Ordinal)];
            var value = line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim();
            value = value.Contains(" (DbType", StringComparison.Ordinal) ? value[..value.IndexOf(" (DbType", StringComparison.Ordinal)] : value;
            body = System.Text.RegularExpressions.Regex.Replace(body, System.Text.RegularExpressions.Regex.Escape(name) + @"\b", value);
        }

        command.CommandText = "EXPLAIN " + body;
        await using var plan = await command.ExecuteReaderAsync();
        Console.WriteLine(label + ":");
        while (await plan.ReadAsync())
        {
            Console.WriteLine("  " + plan.GetString(0));
        }

        return;
    }

    foreach (var line in sql.Split('\n').Where(l => l.StartsWith(".param set", StringComparison.Ordinal)))
    {
        var parts = line.Split(' ', 4);
        var parameter = command.CreateParameter();
        parameter.ParameterName = parts[2];
        parameter.Value = parts[3].Trim('\'');
        command.Parameters.Add(parameter);
    }

    command.CommandText = "EXPLAIN QUERY PLAN " + sql[sql.IndexOf("SELECT", StringComparison.Ordinal)..];
    await using var reader = await command.ExecuteReaderAsync();
    Console.Write(label + ":");
    while (await reader.ReadAsync())
    {
        Console.Write(" · " + reader.GetString(3));
    }

    Console.WriteLine();
}

/// <summary>Teams, topics, norms, 10 back-office employees per team, then contacts, questions and open tasks with raw ADO.</summary>
static async Task<List<Staff>> SeedAsync(IDbContextFactory<KccDbContext> factory, int teamCount, int taskCount)
{
    var now = DateTime.UtcNow;
    await using var db = await factory.CreateDbContextAsync();
    db.Teams.AddRange(Enumerable.Range(1, teamCount).Select(i => new Team { Name = $"Team {i:00}" }));
    await db.SaveChangesAsync();
    var teams = await db.Teams.OrderBy(t => t.Id).Select(t => t.Id).ToListAsync();
    db.Topics.AddRange(DemoTopics.All.Select((t, i) => new Topic { Name = t.Name, Uri = t.Uri, SearchName = t.Name, DefaultTeamId = teams[i % teams.Count], UpdatedAt = now }));
    await NormKinds.EnsureDefaultsAsync(db, now);
    var staff = new List<Staff>();
    foreach (var teamId in teams)
    {
        for (var i = 0; i < 10; i++)
        {
            var employee = new Employee { UserName = $"bo-{teamId}-{i}", NormalizedUserName = $"BO-{teamId}-{i}", DisplayName = $"Medewerker {teamId}.{i}", SecurityStamp = Guid.NewGuid().ToString() };
            db.Users.Add(employee);
            db.TeamMemberships.Add(new TeamMembership { EmployeeId = employee.Id, TeamId = teamId });
            staff.Add(new Staff(employee.Id, teamId, BenchUser.Principal(employee.Id, employee.DisplayName, Roles.Backoffice)));
        }
    }

    await db.SaveChangesAsync();
    var topicsByTeam = (await db.Topics.OrderBy(t => t.Id).Select(t => new { t.Id, TeamId = t.DefaultTeamId!.Value }).ToListAsync())
        .GroupBy(t => t.TeamId).ToDictionary(g => g.Key, g => g.Select(t => t.Id).ToList());

    var random = new Random(100_000);
    var connection = db.Database.GetDbConnection();
    await db.Database.OpenConnectionAsync();
    await using var transaction = await connection.BeginTransactionAsync();
    var insertParty = Command(connection, transaction,
        "INSERT INTO Parties (Kind, FirstNames, LastName, SearchName, CreatedAt, Version) VALUES (1, $first, $last, $search, $created, 1) RETURNING Id",
        "$first", "$last", "$search", "$created");
    var parties = new List<int>();
    for (var i = 0; i < taskCount / 10; i++)
    {
        Set(insertParty, "Jan", $"Inwoner{i}", $"inwoner{i} jan", now);
        parties.Add(Convert.ToInt32(await insertParty.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
    }

    var insertContact = Command(connection, transaction,
        "INSERT INTO Contacts (PartyId, AgentId, AgentName, Channel, Direction, StartedAt, EndedAt, IsConfidential, Language, CreatedAt) " +
        "VALUES ($party, 'bench', 'Benchmark', $channel, 1, $at, $at, false, 'nl', $at) RETURNING Id",
        "$party", "$channel", "$at");
    var insertQuestion = Command(connection, transaction,
        "INSERT INTO Questions (ContactId, Sequence, TopicId, Text, Outcome, NeedsRouting) VALUES ($contact, 1, $topic, $text, 3, true) RETURNING Id",
        "$contact", "$topic", "$text");
    var insertTask = Command(connection, transaction,
        "INSERT INTO InternalTasks (QuestionId, ContactId, PartyId, TopicId, Channel, TeamId, AssigneeId, AssigneeName, Action, Status, Step, DueAt, Norm, " +
        "CreatedAt, CreatedById, CreatedByName, UpdatedAt, Attempts, Version) " +
        "VALUES ($question, $contact, $party, $topic, $channel, $team, $assignee, $assigneeName, $action, 1, $step, $due, 'Doorgezette vraag afhandelen: 5 werkdagen', " +
        "$created, 'bench', 'Benchmark', $created, 0, 1)",
        "$question", "$contact", "$party", "$topic", "$channel", "$team", "$assignee", "$assigneeName", "$action", "$step", "$due", "$created");
    for (var i = 0; i < taskCount; i++)
    {
        var teamId = teams[i % teams.Count];
        var teamTopics = topicsByTeam[teamId];
        var topic = teamTopics[random.Next(teamTopics.Count)];
        object? party = random.NextDouble() < 0.8 ? parties[random.Next(parties.Count)] : null;
        var channel = 1 + random.Next(7);
        var created = now.AddMinutes(-random.Next(60 * 24 * 20));
        Set(insertContact, party, channel, created);
        var contactId = Convert.ToInt64(await insertContact.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        Set(insertQuestion, contactId, topic, $"Vraag {i} over de aanvraag.");
        var questionId = Convert.ToInt64(await insertQuestion.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        // A third already with someone; due dates from ten days late to fifteen days ahead.
        var claimed = random.NextDouble() < 0.3 ? staff[(teams.IndexOf(teamId) * 10) + random.Next(10)] : null;
        Set(insertTask, questionId, contactId, party, topic, channel, teamId, claimed?.Id, claimed is null ? null : "Medewerker", 1 + random.Next(5),
            claimed is null ? 1 : 2, now.AddMinutes(random.Next(-60 * 24 * 10, 60 * 24 * 15)), created);
        await insertTask.ExecuteNonQueryAsync();
    }

    await transaction.CommitAsync();
    await db.Database.ExecuteSqlRawAsync("ANALYZE;");
    return staff;
}

// The app's provider-neutral bulk-insert helpers: quoted names, $name parameters, dates and booleans as each provider stores them.
static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql, params string[] parameters) =>
    DemoContacts.Command(connection, transaction, sql, parameters);

static void Set(DbCommand command, params object?[] values) => DemoContacts.Set(command, values);

internal sealed record Staff(string Id, int TeamId, ClaimsPrincipal Principal);

internal sealed record Row(string Name, int Runs, double P50, double P95, double Max);

/// <summary>The signed-in employee per async flow, so concurrent claims run as different employees.</summary>
internal sealed class BenchUser : ICurrentUser
{
    private static readonly AsyncLocal<ClaimsPrincipal?> Current = new();

    public static ClaimsPrincipal Principal(string id, string name, string role) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.NameIdentifier, id), new Claim(ClaimTypes.Name, name), new Claim(KccClaimTypes.DisplayName, name), new Claim(ClaimTypes.Role, role)], "Benchmark"));

    public static IDisposable ActAs(ClaimsPrincipal principal)
    {
        var previous = Current.Value;
        Current.Value = principal;
        return new Restore(() => Current.Value = previous);
    }

    public Task<ClaimsPrincipal> GetPrincipalAsync() => Task.FromResult(Current.Value ?? new ClaimsPrincipal(new ClaimsIdentity()));

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
