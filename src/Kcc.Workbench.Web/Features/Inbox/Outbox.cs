using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kcc.Workbench.Web.Features.Inbox;

/// <summary>A reply as the outbox hands it to a channel.</summary>
public sealed record OutgoingReply(long MessageId, Channel Channel, string To, string? ToName, string? Subject, string Body, string? TemplateName, string? ExternalId, string? References);

/// <summary>
/// What a channel did with a reply. <see cref="NotSent"/> is certain (refused before anything went out, so it may be
/// tried again); <see cref="Uncertain"/> means it may have gone out (a time-out mid-send) and is never retried by itself.
/// </summary>
public sealed record SendOutcome(bool Sent, bool Uncertain, string? ExternalId, string? Error)
{
    public static SendOutcome Done(string? externalId) => new(true, false, externalId, null);

    public static SendOutcome NotSent(string error) => new(false, false, null, error);

    public static SendOutcome MaybeSent(string error) => new(false, true, null, error);
}

public interface IReplySender
{
    Channel Channel { get; }

    Task<SendOutcome> SendAsync(OutgoingReply reply, CancellationToken cancellationToken);
}

/// <summary>
/// Hands replies in the outbox to their channel. A reply is claimed with a conditional update (Wachtrij → Bezig with
/// a lease), so two workers or two app processes never send it twice. A reply refused for sure is tried again later
/// (up to <see cref="InboxOptions.MaxSendAttempts"/>), then shows as failed with "Opnieuw versturen". A reply whose
/// send was cut off (time-out, app stopped) may have gone out: it is marked uncertain and left for the agent.
/// </summary>
public sealed class Outbox(
    IDbContextFactory<KccDbContext> dbFactory, IEnumerable<IReplySender> senders, IOptionsMonitor<InboxOptions> options, TimeProvider clock,
    ILiveUpdates live, ILogger<Outbox> logger) : BackgroundService
{
    /// <summary>A send that takes longer than this is considered cut off.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private readonly SemaphoreSlim signal = new(0);

    /// <summary>A reply was queued: look now instead of at the next tick.</summary>
    public void Wake()
    {
        if (signal.CurrentCount == 0)
        {
            signal.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await MarkCutOffAsync(stoppingToken);
                    while (await SendNextAsync(stoppingToken))
                    {
                        // Drain the queue.
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    logger.LogError(exception, "Outbox run failed");
                }

                await signal.WaitAsync(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down; what is queued stays queued.
        }
    }

    /// <summary>Sends the reply that is due first; false when none is due.</summary>
    public async Task<bool> SendNextAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var candidate = await db.Set<ConversationMessage>()
            .Where(m => m.Delivery == DeliveryStatus.Wachtrij && m.NextAttemptAt <= now)
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id).Select(m => (long?)m.Id).FirstOrDefaultAsync(cancellationToken);
        if (candidate is not { } id)
        {
            return false;
        }

        var claimed = await db.Set<ConversationMessage>()
            .Where(m => m.Id == id && m.Delivery == DeliveryStatus.Wachtrij)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Delivery, DeliveryStatus.Bezig)
                .SetProperty(m => m.Attempts, m => m.Attempts + 1)
                .SetProperty(m => m.NextAttemptAt, now + Lease)
                .SetProperty(m => m.DeliveryUpdatedAt, now), cancellationToken);
        if (claimed == 0)
        {
            return true; // another worker has it
        }

        var message = await db.Set<ConversationMessage>().AsNoTracking().Include(m => m.Conversation).FirstAsync(m => m.Id == id, cancellationToken);
        var conversation = message.Conversation!;
        var reply = new OutgoingReply(message.Id, message.Channel, conversation.Address, conversation.SenderName,
            conversation.Subject is { } subject ? (subject.StartsWith("Re:", StringComparison.OrdinalIgnoreCase) ? subject : "Re: " + subject) : null,
            message.Body, message.TemplateName, message.ExternalId, message.ReplyReferences);
        // The last registration wins, as everywhere in dependency injection (a test or a host can replace a channel).
        var sender = senders.LastOrDefault(s => s.Channel == message.Channel);
        SendOutcome outcome;
        try
        {
            outcome = sender is null
                ? SendOutcome.NotSent($"Versturen via {message.Channel.Label()} is niet ingesteld.")
                : await sender.SendAsync(reply, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Sending reply {MessageId} over {Channel} failed unexpectedly", message.Id, message.Channel);
            outcome = SendOutcome.MaybeSent("Het versturen brak af; misschien is het antwoord toch aangekomen. Controleer dit voordat u opnieuw verstuurt.");
        }

        var done = clock.GetUtcNow().UtcDateTime;
        var attempts = message.Attempts;
        DeliveryStatus status;
        DateTime? next = null;
        if (outcome.Sent)
        {
            status = DeliveryStatus.Verzonden;
        }
        else if (!outcome.Uncertain && attempts < options.CurrentValue.MaxSendAttempts)
        {
            status = DeliveryStatus.Wachtrij;
            next = done + TimeSpan.FromSeconds(Math.Min(600, 5 * Math.Pow(3, attempts - 1)));
        }
        else
        {
            status = outcome.Uncertain ? DeliveryStatus.Onzeker : DeliveryStatus.Mislukt;
        }

        var error = outcome.Error is { } text ? (text.Length > InboxLimits.DeliveryError ? text[..InboxLimits.DeliveryError] : text) : null;
        await db.Set<ConversationMessage>().Where(m => m.Id == id && m.Delivery == DeliveryStatus.Bezig)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Delivery, status)
                .SetProperty(m => m.NextAttemptAt, next)
                .SetProperty(m => m.DeliveryError, outcome.Sent ? null : error)
                .SetProperty(m => m.ExternalId, m => outcome.ExternalId ?? m.ExternalId)
                .SetProperty(m => m.DeliveryUpdatedAt, done), CancellationToken.None);
        if (!outcome.Sent)
        {
            logger.LogWarning("Reply {MessageId} over {Channel} not sent (attempt {Attempt}): {Status}", message.Id, message.Channel, attempts, status);
        }

        live.InboxChanged();
        return true;
    }

    /// <summary>Replies whose lease ran out while being sent (the app stopped, a worker hung): they may have gone out.</summary>
    public async Task MarkCutOffAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var marked = await db.Set<ConversationMessage>()
            .Where(m => m.Delivery == DeliveryStatus.Bezig && m.NextAttemptAt < now)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Delivery, DeliveryStatus.Onzeker)
                .SetProperty(m => m.NextAttemptAt, (DateTime?)null)
                .SetProperty(m => m.DeliveryError, "Het versturen werd onderbroken; misschien is het antwoord toch aangekomen. Controleer dit voordat u opnieuw verstuurt.")
                .SetProperty(m => m.DeliveryUpdatedAt, now), cancellationToken);
        if (marked > 0)
        {
            live.InboxChanged();
        }
    }

    public override void Dispose()
    {
        signal.Dispose();
        base.Dispose();
    }
}
