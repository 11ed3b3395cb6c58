using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Benchmarks;

internal static class MachineInfo
{
    public static void Print(TextWriter output)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Machine: {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture}), {RuntimeInformation.FrameworkDescription}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Runtime: {(GCSettings.IsServerGC ? "server" : "workstation")} GC, {(IsRelease ? "Release" : "DEBUG build - figures are not representative")}, thread pool min threads {MinThreads()}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Load average at start: {LoadAverage()} (other builds may share these CPUs: figures are noisy)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Temp folder for the databases: {Path.GetTempPath()} — {FsyncLatency()}"));
    }

    /// <summary>The server's version and durability settings.</summary>
    public static async Task<string> PostgreSqlSettingsAsync(BenchApp app)
    {
        await using var db = await app.CreateDbContextAsync();
        var values = await db.Database.SqlQueryRaw<string>(
            "SELECT version() || '; fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit') || ', full_page_writes=' || current_setting('full_page_writes') AS \"Value\"").ToListAsync();
        return values.Single();
    }

    /// <summary>The SQLite settings a connection from the app's own factory ends up with (after every interceptor ran).</summary>
    public static async Task<string> SqliteSettingsAsync(BenchApp app)
    {
        await using var db = await app.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();

        async Task<string> Read(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? "";
        }

        var synchronous = await Read("PRAGMA synchronous;") switch { "0" => "OFF", "1" => "NORMAL", "2" => "FULL", "3" => "EXTRA", var s => s };
        var version = await Read("SELECT sqlite_version();");
        var journal = await Read("PRAGMA journal_mode;");
        var busy = await Read("PRAGMA busy_timeout;");
        var foreignKeys = await Read("PRAGMA foreign_keys;");
        var pageSize = await Read("PRAGMA page_size;");
        var cacheSize = await Read("PRAGMA cache_size;");
        var checkpoint = await Read("PRAGMA wal_autocheckpoint;");
        return string.Create(CultureInfo.InvariantCulture,
            $"SQLite {version}: journal_mode={journal}, synchronous={synchronous}, busy_timeout={busy} ms, foreign_keys={foreignKeys}, " +
            $"page_size={pageSize}, cache_size={cacheSize}, wal_autocheckpoint={checkpoint} pages, " +
            $"pooling=on (Microsoft.Data.Sqlite), transactions=BEGIN IMMEDIATE");
    }

    public static async Task<string> SynchronousAsync(BenchApp app)
    {
        if (BenchApp.PostgreSqlServer is not null)
        {
            // Durable on PostgreSQL: fsync on and every commit waits for its WAL flush. Reported as FULL then, as SQLite's
            // synchronous=FULL is, so the durability verdict reads the same for both.
            await using var pg = await app.CreateDbContextAsync();
            await pg.Database.OpenConnectionAsync();
            await using var show = pg.Database.GetDbConnection().CreateCommand();
            show.CommandText = "SELECT current_setting('fsync') || ',' || current_setting('synchronous_commit')";
            var settings = Convert.ToString(await show.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            return settings == "on,on" ? "FULL" : "pg " + settings;
        }

        await using var db = await app.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA synchronous;";
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) switch
        {
            "0" => "OFF",
            "1" => "NORMAL",
            "2" => "FULL",
            "3" => "EXTRA",
            var s => s ?? "?",
        };
    }

#if DEBUG
    private const bool IsRelease = false;
#else
    private const bool IsRelease = true;
#endif

    private static string MinThreads()
    {
        ThreadPool.GetMinThreads(out var worker, out var io);
        return string.Create(CultureInfo.InvariantCulture, $"{worker} worker / {io} I/O");
    }

    public static string LoadAverage()
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

    /// <summary>What one durable commit costs at least on this disk right now: append 4 KiB and fsync, n times.</summary>
    public static LatencyStats ProbeFsync(string folder, int iterations)
    {
        var path = Path.Combine(folder, $"fsync-probe-{Guid.NewGuid():N}.tmp");
        try
        {
            var block = new byte[4096];
            var samples = new List<double>(iterations);
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                for (var i = 0; i < iterations; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    file.Write(block);
                    file.Flush(flushToDisk: true);
                    samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }

            return new LatencyStats(samples);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string FsyncLatency()
    {
        var stats = ProbeFsync(Path.GetTempPath(), 300);
        return string.Create(CultureInfo.InvariantCulture,
            $"4 KiB append + fsync: p50 {stats.Percentile(50):F2} ms, p95 {stats.Percentile(95):F2} ms, mean {stats.Mean:F2} ms (serial fsyncs alone allow ≈ {1000 / Math.Max(0.001, stats.Mean):F0}/s)");
    }
}
