using Microsoft.Data.Sqlite;

namespace Kcc.Workbench.Web.Data;

/// <summary>
/// What the app knows about the trustworthiness of its database file: whether the integrity check failed (then no
/// write may reach the file again until an operator restored it) and whether writes recently failed for want of space.
/// One per process; the write gate, the health check and the integrity monitor share it.
/// </summary>
public sealed class DatabaseGuard(string connectionString, TimeProvider clock, bool isSqlite = true)
{
    private readonly object gate = new();
    private string? corruption;
    private DateTimeOffset? spaceFailureAt;

    /// <summary>The database file, or null for an in-memory or non-SQLite database.</summary>
    public string? FilePath { get; } = isSqlite ? FileOf(connectionString) : null;

    public string ConnectionString { get; } = connectionString;

    /// <summary>What quick_check reported when it failed; null while the file is trusted.</summary>
    public string? Corruption
    {
        get
        {
            lock (gate)
            {
                return corruption;
            }
        }
    }

    public bool WritesRefused => Corruption is not null;

    /// <summary>When a write last failed because the disk (or the database's size limit) was full, until a later write commits.</summary>
    public DateTimeOffset? SpaceFailureAt
    {
        get
        {
            lock (gate)
            {
                return spaceFailureAt;
            }
        }
    }

    /// <summary>Marks the file as failed. Returns true the first time, so the caller logs the one clear line once.</summary>
    public bool MarkCorrupt(string detail)
    {
        lock (gate)
        {
            if (corruption is not null)
            {
                return false;
            }

            corruption = string.IsNullOrWhiteSpace(detail) ? "onbekende fout" : detail;
            return true;
        }
    }

    public void SpaceFailed()
    {
        lock (gate)
        {
            spaceFailureAt = clock.GetUtcNow();
        }
    }

    public void WriteCommitted()
    {
        lock (gate)
        {
            spaceFailureAt = null;
        }
    }

    /// <summary>The Dutch line an operator reads in the log when the file failed its check: which file, what to do.</summary>
    public string CorruptionMessage() =>
        $"De database {FilePath} is beschadigd (integriteitscontrole: {Corruption}). De app schrijft er niet meer in. " +
        "Stop de app, zet de laatste goede back-up terug (README, 'Back-up en herstel') en start de app opnieuw.";

    /// <summary>
    /// SQLITE_FULL: the disk, a quota or the database's page limit left no room for the write. PostgreSQL: disk full
    /// (53100), out of memory (53200) or too many connections (53300), class 53 "insufficient resources".
    /// </summary>
    public static bool IsSpaceFailure(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 13 } or Npgsql.PostgresException { SqlState: "53100" }
        || (exception.InnerException is { } inner && IsSpaceFailure(inner));

    private static string? FileOf(string connectionString)
    {
        var source = new SqliteConnectionStringBuilder(connectionString).DataSource;
        return string.IsNullOrEmpty(source) || source == ":memory:" || source.StartsWith("file::memory:", StringComparison.Ordinal) ? null : source;
    }
}

/// <summary>A write was refused because the database failed its integrity check, or failed because the disk is full.</summary>
public sealed class DatabaseWriteRefusedException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>What an agent reads: nothing was saved, what they typed is still there, the beheerder knows.</summary>
    public const string AgentMessage =
        "Er is niets opgeslagen: de database kan op dit moment geen wijzigingen bewaren. Wat u invulde staat er nog. " +
        "Probeer het later opnieuw en meld het aan de beheerder.";
}
