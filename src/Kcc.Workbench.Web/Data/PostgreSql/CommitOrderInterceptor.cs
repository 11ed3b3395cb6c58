using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Kcc.Workbench.Web.Data.PostgreSql;

/// <summary>
/// Keeps ids in commit order on PostgreSQL for the rows that memory copies read "above the last id seen" (questions
/// and tasks for the dashboard). A sequence hands out ids at insert time, so with concurrent writers a transaction
/// that got a lower id could commit after one with a higher id, and a catch-up between the two would skip it for good.
/// Before such an insert the transaction takes a transaction-level advisory lock, held until it commits: ids are then
/// handed out and committed one transaction at a time across every server, as on SQLite with its single writer.
/// Contacts arrive through the group commit (<see cref="WriteBatcher"/>), so one lock covers a whole batch.
/// </summary>
internal sealed class CommitOrderInterceptor : DbCommandInterceptor
{
    private static readonly string[] OrderedTables = ["INSERT INTO \"Questions\"", "INSERT INTO \"InternalTasks\""];

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        if (NeedsLock(command))
        {
            using var lockCommand = LockCommand(command);
            lockCommand.ExecuteNonQuery();
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (NeedsLock(command))
        {
            await using var lockCommand = LockCommand(command);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        return result;
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        if (NeedsLock(command))
        {
            using var lockCommand = LockCommand(command);
            lockCommand.ExecuteNonQuery();
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (NeedsLock(command))
        {
            await using var lockCommand = LockCommand(command);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        return result;
    }

    private static bool NeedsLock(DbCommand command) =>
        command is NpgsqlCommand && command.Transaction is not null && OrderedTables.Any(t => command.CommandText.Contains(t, StringComparison.Ordinal));

    private static DbCommand LockCommand(DbCommand command)
    {
        var lockCommand = command.Connection!.CreateCommand();
        lockCommand.Transaction = command.Transaction;
        lockCommand.CommandText = $"SELECT pg_advisory_xact_lock({AdvisoryLocks.CommitOrder})";
        return lockCommand;
    }
}

/// <summary>The advisory lock keys the app uses on PostgreSQL (one 64-bit number each, "KCC" + a number).</summary>
public static class AdvisoryLocks
{
    /// <summary>Start-up: migrating and seeding, one server at a time.</summary>
    public const long Startup = 0x4B4343_0001;

    /// <summary>Inserting questions and tasks: ids committed in order.</summary>
    public const long CommitOrder = 0x4B4343_0002;

    /// <summary>The retention job: once per cluster per interval.</summary>
    public const long Retention = 0x4B4343_0003;

    /// <summary>Writing the kennisbank index change log: its ids committed in order.</summary>
    public const long SearchChanges = 0x4B4343_0004;
}
