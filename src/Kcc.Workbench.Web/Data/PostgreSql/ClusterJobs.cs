using Npgsql;

namespace Kcc.Workbench.Web.Data.PostgreSql;

/// <summary>
/// Background jobs that must run once per cluster per interval (the retention job), however many app servers run
/// them: before a run a server claims it with one atomic statement on a row per job, and only the server whose claim
/// lands runs. On SQLite (one process) every claim succeeds.
/// </summary>
public sealed class ClusterJobs(DatabaseInfo database, IServiceProvider services)
{
    public const string CreateTable = """
        CREATE TABLE JobRuns (
            Name text PRIMARY KEY,
            LastRun timestamp with time zone NOT NULL,
            Server text NOT NULL);
        """;

    public const string DropTable = "DROP TABLE IF EXISTS JobRuns;";

    /// <summary>Servers' timers drift a little: a claim this much before the interval is up still counts as due.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMinutes(1);

    /// <summary>
    /// True when this server may run <paramref name="job"/> now: no server ran it within the last
    /// <paramref name="interval"/> (minus <see cref="Slack"/>). The claim and the check are one statement, so two
    /// servers asking at the same moment cannot both get it.
    /// </summary>
    public async Task<bool> TryClaimAsync(string job, TimeSpan interval, DateTime now, CancellationToken cancellationToken = default)
    {
        if (!database.IsPostgreSql)
        {
            return true;
        }

        var dataSource = (NpgsqlDataSource)services.GetService(typeof(NpgsqlDataSource))!;
        await using var command = dataSource.CreateCommand("""
            INSERT INTO JobRuns (Name, LastRun, Server) VALUES (@job, @now, @server)
            ON CONFLICT (Name) DO UPDATE SET LastRun = EXCLUDED.LastRun, Server = EXCLUDED.Server
            WHERE JobRuns.LastRun <= @due
            RETURNING Name
            """);
        command.Parameters.AddWithValue("job", job);
        command.Parameters.AddWithValue("now", DateTime.SpecifyKind(now, DateTimeKind.Utc));
        command.Parameters.AddWithValue("due", DateTime.SpecifyKind(now - interval + Slack, DateTimeKind.Utc));
        command.Parameters.AddWithValue("server", Environment.MachineName + ":" + Environment.ProcessId);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }
}
