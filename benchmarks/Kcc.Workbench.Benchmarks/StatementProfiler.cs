using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kcc.Workbench.Benchmarks;

/// <summary>
/// Where a save spends its time in the database layer: connection open (+ the app's per-open PRAGMAs),
/// each statement, BEGIN (which waits for SQLite's write lock), COMMIT (which fsyncs the WAL under
/// synchronous=FULL), and how long the write lock is held from BEGIN to the end of COMMIT.
/// Added with <c>--profile</c>; it costs a little itself, so profiled runs are not the headline figures.
/// </summary>
internal sealed class StatementProfiler : IDbCommandInterceptor, IDbConnectionInterceptor, IDbTransactionInterceptor
{
    private readonly ConcurrentDictionary<string, Counter> counters = new();
    private readonly ConcurrentDictionary<Guid, long> openingAt = new();
    private readonly ConcurrentDictionary<Guid, long> lockTakenAt = new();

    public void Reset() => counters.Clear();

    public IReadOnlyList<(string Name, long Calls, TimeSpan Total)> Snapshot() =>
        counters.Select(c => (c.Key, c.Value.Calls, TimeSpan.FromTicks(c.Value.Ticks))).OrderBy(c => c.Key, StringComparer.Ordinal).ToList();

    private void Add(string name, TimeSpan duration)
    {
        var counter = counters.GetOrAdd(name, _ => new Counter());
        Interlocked.Increment(ref counter.Calls);
        Interlocked.Add(ref counter.Ticks, duration.Ticks);
    }

    private static string Classify(string sql)
    {
        var text = sql.TrimStart();
        if (text.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase))
        {
            return "4 INSERT contact + questions (SaveChanges)";
        }

        if (text.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase) && text.Contains("UPDATE", StringComparison.OrdinalIgnoreCase))
        {
            return "5 DELETE draft + UPDATE DefaultChannel (one raw command)";
        }

        if (text.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase))
        {
            return "5 DELETE draft (ExecuteDelete)";
        }

        if (text.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase))
        {
            return "6 UPDATE DefaultChannel (ExecuteUpdate)";
        }

        if (text.Contains("\"Parties\"", StringComparison.Ordinal))
        {
            return "2 SELECT party exists";
        }

        if (text.Contains("\"Topics\"", StringComparison.Ordinal))
        {
            return "2 SELECT topics exist";
        }

        text = text.ReplaceLineEndings(" ");
        return "9 other: " + (text.Length > 40 ? text[..40] : text);
    }

    // Connections: the app's SqlitePragmas interceptor runs between our Opening and Opened (it is registered first).
    public InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        openingAt[eventData.ConnectionId] = Stopwatch.GetTimestamp();
        return result;
    }

    public ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        openingAt[eventData.ConnectionId] = Stopwatch.GetTimestamp();
        return ValueTask.FromResult(result);
    }

    public void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Opened(eventData);

    public Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Opened(eventData);
        return Task.CompletedTask;
    }

    private void Opened(ConnectionEndEventData eventData)
    {
        if (openingAt.TryRemove(eventData.ConnectionId, out var start))
        {
            Add("1 open connection (from pool) + app PRAGMAs", Stopwatch.GetElapsedTime(start));
        }
    }

    // Statements: readers are timed until disposed (execution and reading), the others until executed.
    public InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        Add(Classify(command.CommandText), eventData.Duration);
        return result;
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Add(Classify(command.CommandText), eventData.Duration);
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Add(Classify(command.CommandText), eventData.Duration);
        return ValueTask.FromResult(result);
    }

    public object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Add(Classify(command.CommandText), eventData.Duration);
        return result;
    }

    public ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Add(Classify(command.CommandText), eventData.Duration);
        return ValueTask.FromResult(result);
    }

    // Transactions: BEGIN IMMEDIATE takes SQLite's single write lock (waiting in the busy handler if another
    // connection holds it); COMMIT releases it after the WAL is written (and fsynced under synchronous=FULL).
    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        Started(eventData);
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        Started(eventData);
        return ValueTask.FromResult(result);
    }

    private void Started(TransactionEndEventData eventData)
    {
        Add("3 BEGIN (incl. waiting for the write lock)", eventData.Duration);
        lockTakenAt[eventData.TransactionId] = Stopwatch.GetTimestamp();
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData);
        return Task.CompletedTask;
    }

    private void Committed(TransactionEndEventData eventData)
    {
        Add("7 COMMIT (WAL write + fsync)", eventData.Duration);
        if (lockTakenAt.TryRemove(eventData.TransactionId, out var start))
        {
            Add("8 write lock held (BEGIN done → COMMIT done)", Stopwatch.GetElapsedTime(start));
        }
    }

    public static void Print(IReadOnlyList<(string Name, long Calls, TimeSpan Total)> snapshot, TextWriter output, int contacts)
    {
        output.WriteLine("  Database time per save (profiled run; sums over all connections, so under concurrency they overlap):");
        output.WriteLine("  | Step | Calls | Mean per call (µs) | Per contact (µs) |");
        output.WriteLine("  |---|---:|---:|---:|");
        foreach (var (name, calls, total) in snapshot)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  | {name[2..]} | {calls} | {total.TotalMicroseconds / Math.Max(1, calls):F0} | {total.TotalMicroseconds / Math.Max(1, contacts):F0} |"));
        }
    }

    private sealed class Counter
    {
        public long Calls;
        public long Ticks;
    }
}
