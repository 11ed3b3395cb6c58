using System.Threading.Channels;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;
using ContactChannel = Kcc.Workbench.Web.Features.Contacts.Channel;

namespace Kcc.Workbench.Benchmarks;

// Benchmark-only alternatives to parts of the shipped LogContact path. They exist to put numbers on the
// recommendations in benchmarks/README.md; the app does not use them.

/// <summary>One async FIFO gate for every LogContact save in the process.</summary>
internal sealed class WriteGate : IDisposable
{
    public SemaphoreSlim Semaphore { get; } = new(1, 1);

    public void Dispose() => Semaphore.Dispose();
}

/// <summary>Builds the Contact exactly as the shipped handler does, after the same existence checks.</summary>
internal static class LogContactShared
{
    public static async Task<Result<long>?> CheckAsync(KccDbContext db, LogContact.Command request, CancellationToken cancellationToken)
    {
        if (request.PartyId is { } partyId && !await db.Parties.AnyAsync(p => p.Id == partyId, cancellationToken))
        {
            return Result<long>.Fail(nameof(LogContact.Command.PartyId), "Deze inwoner bestaat niet meer. Zoek de inwoner opnieuw.");
        }

        var topicIds = request.Questions.Select(q => q.TopicId!.Value).Distinct().ToList();
        var knownTopics = await db.Topics.Where(t => topicIds.Contains(t.Id)).Select(t => t.Id).ToListAsync(cancellationToken);
        for (var i = 0; i < request.Questions.Count; i++)
        {
            if (!knownTopics.Contains(request.Questions[i].TopicId!.Value))
            {
                return Result<long>.Fail($"Questions[{i}].TopicId", "Dit onderwerp bestaat niet. Kies een onderwerp uit de lijst.");
            }
        }

        return null;
    }

    public static Contact Build(LogContact.Command request, string agentId, string agentName, DateTime now)
    {
        var contact = new Contact
        {
            PartyId = request.PartyId,
            AgentId = agentId,
            AgentName = agentName,
            Channel = request.Channel,
            Direction = request.Direction,
            StartedAt = request.StartedAt,
            EndedAt = request.EndedAt ?? (now < request.StartedAt ? request.StartedAt : now),
            IsConfidential = request.IsConfidential,
            Language = request.Language,
            CreatedAt = now,
        };
        var sequence = 1;
        foreach (var input in request.Questions)
        {
            var outcome = input.Outcome!.Value;
            contact.Questions.Add(new Question
            {
                Sequence = sequence++,
                TopicId = input.TopicId!.Value,
                Text = input.Text!.Trim(),
                Answer = string.IsNullOrWhiteSpace(input.Answer) ? null : input.Answer.Trim(),
                Outcome = outcome,
                ReferredTo = outcome == Outcome.DoorverwezenNaarAndereOrganisatie ? input.ReferredTo?.Trim() : null,
                NeedsRouting = outcome.NeedsRouting(),
            });
        }

        return contact;
    }
}

/// <summary>Which benchmark-only changes <see cref="AlternativeLogContactHandler"/> makes to the shipped handler.</summary>
/// <param name="OneConnection">Open the connection once per save: the app's PRAGMAs run once instead of up to three times.</param>
/// <param name="CombinedStatements">Draft delete and DefaultChannel update as one raw two-statement command instead of ExecuteDelete + ExecuteUpdate.</param>
/// <param name="Gate">Wait for the write lock on an async FIFO gate (SemaphoreSlim.WaitAsync) before BEGIN, instead of in SQLite's busy handler.</param>
internal sealed record HandlerChanges(bool OneConnection, bool CombinedStatements, bool Gate);

/// <summary>
/// The shipped LogContact handler with the <see cref="HandlerChanges"/> switched on; otherwise the same checks,
/// the same Contact, the same transaction and the same durability.
/// Why a gate: Microsoft.Data.Sqlite's async methods run synchronously, so a save waiting for SQLite's write lock
/// blocks a thread-pool thread in the busy handler, which retries after sleeps of 1, 2, 5, … up to 100 ms; a newcomer
/// can take the lock before a save that has waited longer. The gate queues the waiting saves in order without a thread.
/// </summary>
internal sealed class AlternativeLogContactHandler(
    IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, TimeProvider clock, HandlerChanges changes, WriteGate gate)
    : IRequestHandler<LogContact.Command, Result<long>>
{
    public async Task<Result<long>> Handle(LogContact.Command request, CancellationToken cancellationToken)
    {
        var user = await currentUser.GetPrincipalAsync();
        var agentId = user.RequireUserId();
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (changes.OneConnection)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        if (await LogContactShared.CheckAsync(db, request, cancellationToken) is { } failure)
        {
            return failure;
        }

        var contact = LogContactShared.Build(request, agentId, user.DisplayName(), now);
        db.Contacts.Add(contact);
        if (changes.Gate)
        {
            await gate.Semaphore.WaitAsync(cancellationToken);
        }

        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            if (changes.CombinedStatements)
            {
                var channel = (int)request.Channel;
                await db.Database.ExecuteSqlAsync(
                    $"""
                    DELETE FROM "ContactDrafts" WHERE "AgentId" = {agentId};
                    UPDATE "AspNetUsers" SET "DefaultChannel" = {channel} WHERE "Id" = {agentId} AND "DefaultChannel" IS NOT {channel};
                    """,
                    cancellationToken);
            }
            else
            {
                await db.ContactDrafts.Where(d => d.AgentId == agentId).ExecuteDeleteAsync(cancellationToken);
                await db.Users.Where(u => u.Id == agentId && u.DefaultChannel != request.Channel)
                    .ExecuteUpdateAsync(s => s.SetProperty(u => u.DefaultChannel, request.Channel), cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            if (changes.Gate)
            {
                gate.Semaphore.Release();
            }
        }

        return Result<long>.Ok(contact.Id);
    }
}

/// <summary>
/// "group": group commit. The handler does the same checks and builds the same Contact, then hands it to one
/// background writer and waits until it is committed. The writer takes every save that is waiting (up to
/// <see cref="MaxBatch"/>) and commits them in one transaction: one WAL fsync for many contacts, still
/// synchronous=FULL, and every save is acknowledged only after its commit.
/// </summary>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    public const int MaxBatch = 256;

    private readonly IDbContextFactory<KccDbContext> dbFactory;
    private readonly Channel<Pending> queue = System.Threading.Channels.Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task loop;
    private long batches;
    private long saves;

    public GroupCommitWriter(IDbContextFactory<KccDbContext> dbFactory)
    {
        this.dbFactory = dbFactory;
        loop = Task.Run(RunAsync);
    }

    public double MeanBatchSize => Interlocked.Read(ref batches) == 0 ? 0 : (double)Interlocked.Read(ref saves) / Interlocked.Read(ref batches);

    public void ResetCounters()
    {
        Interlocked.Exchange(ref batches, 0);
        Interlocked.Exchange(ref saves, 0);
    }

    public Task<long> SaveAsync(Contact contact, string agentId, ContactChannel channel)
    {
        var pending = new Pending(contact, agentId, channel, new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The contact writer has stopped.");
        }

        return pending.Completion.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            try
            {
                await WriteAsync(batch);
                Interlocked.Increment(ref batches);
                Interlocked.Add(ref saves, batch.Count);
                batch.ForEach(p => p.Completion.TrySetResult(p.Contact.Id));
            }
#pragma warning disable CA1031 // The failure goes to the waiting saves; the writer keeps running.
            catch (Exception) when (batch.Count > 1)
            {
                // One bad save must not fail the others: retry each on its own.
                foreach (var pending in batch)
                {
                    try
                    {
                        await WriteAsync([pending]);
                        pending.Completion.TrySetResult(pending.Contact.Id);
                    }
                    catch (Exception single)
                    {
                        pending.Completion.TrySetException(single);
                    }
                }
            }
            catch (Exception exception)
            {
                batch.ForEach(p => p.Completion.TrySetException(exception));
            }
#pragma warning restore CA1031
        }
    }

    private async Task WriteAsync(IReadOnlyList<Pending> batch)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        db.Contacts.AddRange(batch.Select(p => p.Contact));
        await db.SaveChangesAsync();
        var agents = batch.Select(p => p.AgentId).Distinct().ToList();
        await db.ContactDrafts.Where(d => agents.Contains(d.AgentId)).ExecuteDeleteAsync();
        foreach (var sameChannel in batch.GroupBy(p => p.AgentId).Select(g => g.Last()).GroupBy(p => p.Channel))
        {
            var channel = sameChannel.Key;
            var ids = sameChannel.Select(p => p.AgentId).ToList();
            await db.Users.Where(u => ids.Contains(u.Id) && u.DefaultChannel != channel)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.DefaultChannel, channel));
        }

        await transaction.CommitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop;
    }

    private sealed record Pending(Contact Contact, string AgentId, ContactChannel Channel, TaskCompletionSource<long> Completion);
}

internal sealed class GroupCommitLogContactHandler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, TimeProvider clock, GroupCommitWriter writer)
    : IRequestHandler<LogContact.Command, Result<long>>
{
    public async Task<Result<long>> Handle(LogContact.Command request, CancellationToken cancellationToken)
    {
        var user = await currentUser.GetPrincipalAsync();
        var agentId = user.RequireUserId();
        var now = clock.GetUtcNow().UtcDateTime;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await LogContactShared.CheckAsync(db, request, cancellationToken) is { } failure)
            {
                return failure;
            }
        }

        var id = await writer.SaveAsync(LogContactShared.Build(request, agentId, user.DisplayName(), now), agentId, request.Channel);
        return Result<long>.Ok(id);
    }
}
