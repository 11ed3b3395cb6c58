using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Data;

/// <summary>
/// Group commit for the hot write path (logging contacts). SQLite has one writer at a time and, with
/// synchronous=FULL, one fsync per commit; when many agents save at once, one background writer stages all
/// waiting saves in one transaction and commits them together. Every caller is answered only after the commit
/// that holds its data, so an acknowledged save is as durable as before. A save that makes the batch fail is
/// retried on its own, so one bad save never takes others down with it.
/// (Benchmark: see benchmarks/README.md, variant "group".)
/// </summary>
public sealed class WriteBatcher : IAsyncDisposable
{
    public const int MaxBatch = 256;

    private readonly IDbContextFactory<KccDbContext> dbFactory;
    private readonly ILogger<WriteBatcher> logger;
    private readonly Channel<IPendingWrite> queue = Channel.CreateUnbounded<IPendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task loop;

    public WriteBatcher(IDbContextFactory<KccDbContext> dbFactory, ILogger<WriteBatcher> logger)
    {
        this.dbFactory = dbFactory;
        this.logger = logger;
        loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// Queues one unit of work. <paramref name="stage"/> adds entities to the context (and may run statements in the
    /// transaction); it may run twice (batch, then alone) and must build its entities afresh each time. The function it
    /// returns reads the result (e.g. a generated id) after the commit.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<KccDbContext, CancellationToken, Task<Func<T>>> stage, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingWrite<T>(stage);
        if (!queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The database writer has stopped (the app is shutting down).");
        }

        // Once queued, the write goes through even if the caller gives up waiting: it must not be half-known.
        return pending.Completion.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<IPendingWrite>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            try
            {
                await CommitAsync(batch);
            }
            catch (Exception exception) when (batch.Count > 1 && exception is not OutOfMemoryException)
            {
                logger.LogWarning("A batch of {Count} writes failed; retrying them one by one", batch.Count);
                foreach (var pending in batch)
                {
                    try
                    {
                        await CommitAsync([pending]);
                    }
                    catch (Exception single) when (single is not OutOfMemoryException)
                    {
                        pending.Fail(single);
                    }
                }
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                batch.ForEach(p => p.Fail(exception));
            }
        }
    }

    private async Task CommitAsync(IReadOnlyList<IPendingWrite> batch)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        foreach (var pending in batch)
        {
            await pending.StageAsync(db);
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        foreach (var pending in batch)
        {
            pending.Complete();
        }
    }

    /// <summary>Finishes every queued write before the process ends (graceful shutdown).</summary>
    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop;
    }

    private interface IPendingWrite
    {
        Task StageAsync(KccDbContext db);

        void Complete();

        void Fail(Exception exception);
    }

    private sealed class PendingWrite<T>(Func<KccDbContext, CancellationToken, Task<Func<T>>> stage) : IPendingWrite
    {
        private Func<T>? result;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task StageAsync(KccDbContext db) => result = await stage(db, CancellationToken.None);

        public void Complete() => Completion.TrySetResult(result!());

        public void Fail(Exception exception) => Completion.TrySetException(exception);
    }
}
