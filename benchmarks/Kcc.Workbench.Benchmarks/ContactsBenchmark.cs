using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Kcc.Workbench.Web.Features.Contacts;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Benchmarks;

internal sealed record ContactsOptions
{
    public int Count { get; init; } = 10_000;
    public int Agents { get; init; } = 50;
    public int Runs { get; init; } = 2;
    public int Warmup { get; init; } = 500;
    public int Parties { get; init; } = 5_000;
    public IReadOnlyList<Variant> Variants { get; init; } = [Variant.App];
    public IReadOnlyList<string> Scenarios { get; init; } = ["single", "concurrent"];
    public bool Profile { get; init; }

    /// <summary>App servers on the one PostgreSQL database (KCC_BENCH_PG); agents are spread over them in turn.</summary>
    public int Servers { get; init; } = 1;
}

internal sealed record RunResult(
    string Variant, string Scenario, int Run, int Agents, string Synchronous, bool Durable, int Acknowledged, int Failed, string? FirstFailure,
    TimeSpan Wall, LatencyStats Latency, long DatabaseContacts, long ExpectedContacts, long DatabaseQuestions, long ExpectedQuestions, int MaxThreads, string? Note,
    double CpuMsPerContact, double FsyncP50Ms, string LoadAverage)
{
    public double PerSecond => Acknowledged / Wall.TotalSeconds;

    public bool Verified => DatabaseContacts == ExpectedContacts && DatabaseQuestions == ExpectedQuestions;

    public bool ThroughputMet => Durable && PerSecond >= ContactsBenchmark.TargetPerSecond && Failed == 0;

    public bool LatencyMet => Latency.Percentile(95) < ContactsBenchmark.TargetP95Ms && Failed == 0;
}

/// <summary>
/// Logs contacts through the real path: a fresh DI scope per save, IMediator.Send(LogContact.Command),
/// authorization and validation behaviours, the handler, EF Core, SQLite. One agent sequentially, then
/// N agents concurrently, each scenario on a fresh database after a warm-up.
/// </summary>
internal static class ContactsBenchmark
{
    public const double TargetPerSecond = 1_000;
    public const double TargetP95Ms = 50;
    private const int JitWarmupContacts = 3_000;

    public static async Task<int> RunAsync(ContactsOptions options, TextWriter output)
    {
        output.WriteLine("# Kcc.Workbench benchmark: contacts (LogContact through IMediator, real pipeline, " +
            (BenchApp.PostgreSqlServer is null ? "SQLite file)" : "PostgreSQL, KCC_BENCH_PG)"));
        MachineInfo.Print(output);
        await using (var probe = await BenchApp.CreateAsync(Variant.App, agentCount: options.Agents, partyCount: 500))
        {
            output.WriteLine(BenchApp.PostgreSqlServer is null
                ? "App's SQLite settings per connection: " + await MachineInfo.SqliteSettingsAsync(probe)
                : "PostgreSQL: " + await MachineInfo.PostgreSqlSettingsAsync(probe));

            // Once per process: let tiered JIT compile the whole path to tier 1 before any run is measured, so the
            // first measured run does not pay for it (the per-run warm-up then only warms the fresh database).
            var jitWarmup = Stopwatch.StartNew();
            await DriveAsync(probe, [probe.Services], ContactWorkload.Create(JitWarmupContacts, seed: 7, probe.PartyIds, probe.Topics), 1);
            await DriveAsync(probe, [probe.Services], ContactWorkload.Create(JitWarmupContacts, seed: 8, probe.PartyIds, probe.Topics), options.Agents);
            await Task.Delay(500);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"JIT warm-up: {2 * JitWarmupContacts:N0} contacts on a throwaway database in {jitWarmup.Elapsed.TotalSeconds:F1} s"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Workload: {options.Count:N0} contacts per run after {options.Warmup:N0} warm-up contacts, {options.Parties:N0} parties, {Web.Data.DemoData.DemoTopics.All.Count} topics, " +
            $"1-3 questions each, 80% with a party; fresh database per run; runs per scenario: {options.Runs}; " +
            $"app servers: {options.Servers}{(options.Servers > 1 ? " (service providers in this process on one PostgreSQL database: own writer, pool and caches each, shared CPUs)" : "")}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Targets: p95 < {TargetP95Ms} ms with {options.Agents} concurrent agents; >= {TargetPerSecond:N0} durably committed contacts/s"));
        output.WriteLine();

        // Runs are interleaved (run 1 of every variant and scenario, then run 2, …) so a noisy minute on this
        // shared machine does not land on one variant only.
        var results = new List<RunResult>();
        for (var run = 1; run <= options.Runs; run++)
        {
            foreach (var variant in options.Variants)
            {
                foreach (var scenario in options.Scenarios)
                {
                    var agents = scenario == "single" ? 1 : options.Agents;
                    var result = await RunOnceAsync(options, variant, scenario, agents, run, output);
                    results.Add(result);
                    output.WriteLine("  " + Describe(result));
                }
            }
        }

        output.WriteLine();
        PrintTable(results, output);
        return results.All(r => r.Verified && r.Failed == 0) ? 0 : 1;
    }

    private static async Task<RunResult> RunOnceAsync(ContactsOptions options, Variant variant, string scenario, int agents, int run, TextWriter output)
    {
        var profiler = options.Profile ? new StatementProfiler() : null;
        await using var app = await BenchApp.CreateAsync(variant, agents, options.Parties, services =>
        {
            if (profiler is not null)
            {
                services.AddDbInterceptor(profiler);
            }
        });
        var synchronous = await MachineInfo.SynchronousAsync(app);
        var load = MachineInfo.LoadAverage().Split(' ')[0];

        // Server 1 is the app that migrated and seeded; more servers are more service providers on the same database.
        ServiceProvider[] servers = [app.Services, .. Enumerable.Range(1, Math.Max(0, options.Servers - 1)).Select(_ => app.AddServer())];
        var warmupCommands = ContactWorkload.Create(options.Warmup, seed: 1, app.PartyIds, app.Topics);
        var warmup = await DriveAsync(app, servers, warmupCommands, agents);

        var commands = ContactWorkload.Create(options.Count, seed: 1000 + run, app.PartyIds, app.Topics);
        profiler?.Reset();
        var writer = app.Services.GetService<GroupCommitWriter>();
        writer?.ResetCounters();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
        if (variant.MinThreads is { } threads)
        {
            ThreadPool.SetMinThreads(threads, Math.Max(minIo, threads));
        }

        DriveResult measured;
        var fsyncBefore = MachineInfo.ProbeFsync(app.Folder, 100);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        try
        {
            measured = await DriveAsync(app, servers, commands, agents);
        }
        finally
        {
            ThreadPool.SetMinThreads(minWorkers, minIo);
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var profile = profiler?.Snapshot();
        var fsyncAfter = MachineInfo.ProbeFsync(app.Folder, 100);
        var fsyncMs = (fsyncBefore.Percentile(50) + fsyncAfter.Percentile(50)) / 2;

        var note = writer is null ? null : string.Create(CultureInfo.InvariantCulture, $"mean group-commit batch {writer.MeanBatchSize:F1} saves");

        // Every acknowledged save must be in the database, and nothing else.
        await using var db = await app.CreateDbContextAsync();
        var databaseContacts = await db.Contacts.LongCountAsync();
        var databaseQuestions = await db.Set<Question>().LongCountAsync();
        var result = new RunResult(
            variant.Name, scenario, run, agents, synchronous, variant.Durable && synchronous is "FULL" or "EXTRA",
            measured.Acknowledged, measured.Failed, measured.FirstFailure ?? warmup.FirstFailure, measured.Wall, new LatencyStats(measured.Latencies),
            databaseContacts, warmup.Acknowledged + measured.Acknowledged,
            databaseQuestions, warmup.AcknowledgedQuestions + measured.AcknowledgedQuestions, measured.MaxThreads, note,
            cpu.TotalMilliseconds / Math.Max(1, measured.Acknowledged), fsyncMs, load);
        if (profile is not null)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{variant.Name} / {scenario} / run {run}] profile:"));
            StatementProfiler.Print(profile, output, measured.Acknowledged);
        }

        return result;
    }

    private sealed record DriveResult(int Acknowledged, long AcknowledgedQuestions, int Failed, string? FirstFailure, TimeSpan Wall, double[] Latencies, int MaxThreads);

    /// <summary>
    /// Agents (tasks) take the next command until all are sent, without think time (a closed loop: each agent
    /// saves again as soon as the previous save is acknowledged); each save gets its own DI scope, as a Blazor event handler does.
    /// </summary>
    private static async Task<DriveResult> DriveAsync(BenchApp app, ServiceProvider[] servers, IReadOnlyList<LogContact.Command> commands, int agentCount)
    {
        var latencies = new double[commands.Count];
        var succeeded = new bool[commands.Count];
        var next = -1;
        var failed = 0;
        var failures = new ConcurrentQueue<string>();
        var maxThreads = ThreadPool.ThreadCount;
        using var sampler = new Timer(_ => InterlockedMax(ref maxThreads, ThreadPool.ThreadCount), null, 0, 50);

        var wall = Stopwatch.StartNew();
        var workers = app.Agents.Take(agentCount).Select((agent, index) => Task.Run(async () =>
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= commands.Count)
                {
                    return;
                }

                // The clock starts when the agent presses "Opslaan". Like a Blazor UI event, the save then runs as a
                // new thread-pool work item, so time spent queueing for a thread is part of the latency the agent sees.
                var start = Stopwatch.GetTimestamp();
                await Task.Yield();
                try
                {
                    await using var scope = servers[index % servers.Length].CreateAsyncScope();
                    scope.ServiceProvider.GetRequiredService<BenchCurrentUser>().Principal = agent.Principal;
                    var result = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(commands[i]);
                    if (result.Succeeded)
                    {
                        succeeded[i] = true;
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                        failures.Enqueue(result.AllErrors);
                    }
                }
#pragma warning disable CA1031 // A failed save is counted and reported; the run goes on.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    Interlocked.Increment(ref failed);
                    failures.Enqueue(exception.GetType().Name + ": " + exception.Message);
                }

                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        })).ToArray();
        await Task.WhenAll(workers);
        wall.Stop();

        var acknowledged = succeeded.Count(s => s);
        var questions = commands.Where((_, i) => succeeded[i]).Sum(c => (long)c.Questions.Count);
        return new DriveResult(acknowledged, questions, failed, failures.TryPeek(out var first) ? first : null, wall.Elapsed,
            latencies.Where((_, i) => succeeded[i]).ToArray(), maxThreads);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private static string Describe(RunResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Variant,-12} {r.Scenario,-10} run {r.Run}: {r.Acknowledged:N0} contacts in {r.Wall.TotalSeconds:F2} s = {r.PerSecond:N0}/s, " +
        $"p50 {r.Latency.Percentile(50):F1} ms, p95 {r.Latency.Percentile(95):F1} ms, p99 {r.Latency.Percentile(99):F1} ms, max {r.Latency.Max:F1} ms, " +
        $"failed {r.Failed}{(r.FirstFailure is null ? "" : $" (first: {r.FirstFailure})")}, " +
        $"database {r.DatabaseContacts:N0}/{r.ExpectedContacts:N0} contacts, {r.DatabaseQuestions:N0}/{r.ExpectedQuestions:N0} questions {(r.Verified ? "OK" : "MISMATCH")}, " +
        $"CPU {r.CpuMsPerContact:F2} ms/contact, fsync p50 {r.FsyncP50Ms:F2} ms, load {r.LoadAverage}, max thread-pool threads {r.MaxThreads}{(r.Note is null ? "" : ", " + r.Note)}");

    private static void PrintTable(IReadOnlyList<RunResult> results, TextWriter output)
    {
        output.WriteLine("| Variant | Scenario | Run | synchronous | Contacts | Wall (s) | Contacts/s | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | CPU ms/contact | fsync p50 (ms) | load | Failed | DB check | ≥1,000 durable/s | p95 < 50 ms |");
        output.WriteLine("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|");
        foreach (var r in results)
        {
            var scenario = r.Agents == 1 ? "1 agent" : string.Create(CultureInfo.InvariantCulture, $"{r.Agents} agents");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Variant} | {scenario} | {r.Run} | {r.Synchronous} | {r.Acknowledged:N0} | {r.Wall.TotalSeconds:F2} | {r.PerSecond:N0} | " +
                $"{r.Latency.Percentile(50):F1} | {r.Latency.Percentile(95):F1} | {r.Latency.Percentile(99):F1} | {r.Latency.Max:F1} | {r.CpuMsPerContact:F2} | {r.FsyncP50Ms:F2} | {r.LoadAverage} | {r.Failed} | " +
                $"{(r.Verified ? "OK" : "MISMATCH")} | {Verdict(r.ThroughputMet, r.Durable ? null : "not durable")} | {(r.Agents == 1 ? "(n/a) " : "")}{Verdict(r.LatencyMet, null)} |"));
        }
    }

    private static string Verdict(bool met, string? note) => (met ? "met" : "NOT met") + (note is null ? "" : $" ({note})");
}
