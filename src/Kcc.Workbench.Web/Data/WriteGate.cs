using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kcc.Workbench.Web.Data;

/// <summary>
/// Every statement EF Core sends passes here: once the file failed its integrity check, no statement that writes
/// reaches it (SaveChanges, ExecuteUpdate/Delete and raw SQL alike). It also notes writes that failed for want of
/// space and commits that succeeded, for the health check.
/// </summary>
internal sealed class WriteGate(DatabaseGuard guard, ILogger<WriteGate> logger) : DbCommandInterceptor, IDbTransactionInterceptor
{
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Check(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Check(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Check(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => NoteFailure(eventData.Exception);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        NoteFailure(eventData.Exception);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => guard.WriteCommitted();

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        guard.WriteCommitted();
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => NoteFailure(eventData.Exception);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        NoteFailure(eventData.Exception);
        return Task.CompletedTask;
    }

    /// <summary>Reads (SELECT, WITH … SELECT, PRAGMA queries, EXPLAIN) pass; anything else is a write.</summary>
    public static bool IsWrite(string commandText)
    {
        var text = commandText.AsSpan().TrimStart();
        foreach (var read in ReadKeywords)
        {
            if (text.StartsWith(read, StringComparison.OrdinalIgnoreCase) && (text.Length == read.Length || !char.IsLetterOrDigit(text[read.Length])))
            {
                return false;
            }
        }

        return true;
    }

    private static readonly string[] ReadKeywords = ["SELECT", "WITH", "PRAGMA", "EXPLAIN"];

    private void Check(DbCommand command)
    {
        if (guard.WritesRefused && IsWrite(command.CommandText))
        {
            throw new DatabaseWriteRefusedException(guard.CorruptionMessage());
        }
    }

    /// <summary>
    /// A full disk is noted for the health check. SQLite reporting a corrupt or foreign file during normal work is
    /// as good as a failed integrity check: the gate closes at once.
    /// </summary>
    private void NoteFailure(Exception exception)
    {
        if (DatabaseGuard.IsSpaceFailure(exception))
        {
            guard.SpaceFailed();
        }
        else if (exception is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 11 or 26 } && guard.MarkCorrupt(exception.Message))
        {
            logger.LogCritical("{Message}", guard.CorruptionMessage());
        }
    }
}
