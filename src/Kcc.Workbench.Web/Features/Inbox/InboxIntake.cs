using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Features.Routing.ServiceNorms;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Inbox;

/// <summary>A message as a channel delivers it, before it is stored.</summary>
public sealed record IncomingMessage
{
    public required Channel Channel { get; init; }

    /// <summary>Message-ID or wamid.</summary>
    public required string ExternalId { get; init; }

    /// <summary>E-mail address or phone number of the sender, as the channel gives it.</summary>
    public required string Address { get; init; }

    public string? SenderName { get; init; }

    public string? Subject { get; init; }

    public required string Body { get; init; }

    public string? SafeHtml { get; init; }

    public required DateTime SentAt { get; init; }

    /// <summary>In-Reply-To and References of an e-mail, nearest first.</summary>
    public IReadOnlyList<string> References { get; init; } = [];

    public string? Problem { get; init; }

    public IReadOnlyList<IncomingAttachment> Attachments { get; init; } = [];
}

public sealed record IncomingAttachment(string FileName, string ContentType, byte[] Content);

public enum IntakeOutcome
{
    Stored,

    /// <summary>Already stored (a retried webhook, a mailbox read again): nothing changed.</summary>
    Duplicate,
}

public sealed record IntakeResult(IntakeOutcome Outcome, long ConversationId, long MessageId);

/// <summary>
/// Takes a resident's message into the inbox: once per channel and message id, in the thread it belongs to (e-mail
/// by In-Reply-To/References, WhatsApp by phone number), the sender matched to a party by address, with the promised
/// reply time of the channel's service norm. Used by the WhatsApp webhook, the IMAP intake and the demo data; an
/// automated actor, so not a MediatR request of an employee.
/// </summary>
public sealed class InboxIntake(IDbContextFactory<KccDbContext> dbFactory, InboxNorms norms, ILiveUpdates live, TimeProvider clock)
{
    public async Task<IntakeResult> ReceiveAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        var externalId = Cut(message.ExternalId.Trim(), InboxLimits.ExternalId);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await FindAsync(db, message.Channel, externalId, cancellationToken) is { } known)
        {
            return known;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        // A clock that runs ahead at the sender must not push the promise into the future.
        var sentAt = message.SentAt > now ? now : message.SentAt;
        var address = NormalizeAddress(message.Channel, message.Address);
        var conversation = await FindConversationAsync(db, message, address, cancellationToken);
        if (conversation is null)
        {
            conversation = new Conversation
            {
                Channel = message.Channel,
                Address = Cut(address, InboxLimits.Address),
                SenderName = CutOrNull(message.SenderName, InboxLimits.SenderName),
                Subject = CutOrNull(message.Subject, InboxLimits.Subject),
                PartyId = await MatchPartyAsync(db, message.Channel, address, cancellationToken),
                Status = ConversationStatus.Open,
                WaitingSince = sentAt,
                DueAt = await norms.DueAsync(db, message.Channel, sentAt, cancellationToken),
                LastIncomingAt = sentAt,
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Add(conversation);
        }
        else
        {
            if (conversation.Status == ConversationStatus.Beantwoord)
            {
                // The resident writes again after our answer: a new wait, with a new promise.
                conversation.Status = ConversationStatus.Open;
                conversation.AssigneeId = null;
                conversation.AssigneeName = null;
                conversation.ClaimedAt = null;
                conversation.WaitingSince = sentAt;
                conversation.DueAt = await norms.DueAsync(db, message.Channel, sentAt, cancellationToken);
            }

            conversation.PartyId ??= await MatchPartyAsync(db, message.Channel, address, cancellationToken);
            conversation.SenderName ??= CutOrNull(message.SenderName, InboxLimits.SenderName);
            conversation.LastIncomingAt = sentAt > conversation.LastIncomingAt ? sentAt : conversation.LastIncomingAt;
            conversation.UpdatedAt = now;
            conversation.Version++;
        }

        var problem = message.Problem;
        var body = message.Body;
        if (body.Length > InboxLimits.Body)
        {
            body = body[..InboxLimits.Body];
            problem = Join(problem, "De tekst was te lang en is ingekort.");
        }

        var stored = new ConversationMessage
        {
            Conversation = conversation,
            Channel = message.Channel,
            Direction = Direction.Inkomend,
            ExternalId = externalId,
            ReplyReferences = message.References.Count == 0 ? null : Cut(string.Join(' ', message.References), InboxLimits.References),
            Body = body,
            SafeHtml = message.SafeHtml is { Length: <= InboxLimits.Body } html ? html : null,
            SentAt = sentAt,
            StoredAt = now,
            Problem = CutOrNull(problem, InboxLimits.Problem),
        };
        foreach (var attachment in message.Attachments)
        {
            stored.Attachments.Add(new MessageAttachment
            {
                FileName = Cut(attachment.FileName, InboxLimits.FileName),
                ContentType = Cut(attachment.ContentType, InboxLimits.ContentType),
                Size = attachment.Content.LongLength,
                Content = attachment.Content,
            });
        }

        db.Add(stored);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same message arrived twice at once (Meta retries quickly): the other delivery stored it.
            if (await StoredMeanwhileAsync(message.Channel, externalId, cancellationToken) is { } meanwhile)
            {
                return meanwhile;
            }

            throw;
        }

        live.InboxChanged();
        return new IntakeResult(IntakeOutcome.Stored, conversation.Id, stored.Id);
    }

    /// <summary>E-mail addresses in lower case; phone numbers as the party register keeps them (national digits).</summary>
    public static string NormalizeAddress(Channel channel, string address)
    {
        var trimmed = address.Trim();
        if (channel == Channel.WhatsApp)
        {
            var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
            return Identifiers.NormalizePhone("+" + digits) ?? digits;
        }

        return trimmed.ToLowerInvariant();
    }

    /// <summary>
    /// The party whose phone number or e-mail address this is, when exactly one has it: two residents sharing an
    /// address (a family e-mail) are not guessed between.
    /// </summary>
    public static async Task<int?> MatchPartyAsync(KccDbContext db, Channel channel, string normalizedAddress, CancellationToken cancellationToken)
    {
        var kind = channel == Channel.WhatsApp ? ContactDetailKind.Phone : ContactDetailKind.Email;
        var parties = await db.PartyContactDetails.Where(d => d.Kind == kind && d.NormalizedValue == normalizedAddress)
            .Select(d => d.PartyId).Distinct().OrderBy(id => id).Take(2).ToListAsync(cancellationToken);
        return parties.Count == 1 ? parties[0] : null;
    }

    private async Task<IntakeResult?> StoredMeanwhileAsync(Channel channel, string externalId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await FindAsync(db, channel, externalId, cancellationToken);
    }

    private static async Task<IntakeResult?> FindAsync(KccDbContext db, Channel channel, string externalId, CancellationToken cancellationToken)
    {
        var existing = await db.Set<ConversationMessage>().Where(m => m.Channel == channel && m.ExternalId == externalId)
            .Select(m => new { m.Id, m.ConversationId }).FirstOrDefaultAsync(cancellationToken);
        return existing is null ? null : new IntakeResult(IntakeOutcome.Duplicate, existing.ConversationId, existing.Id);
    }

    private static async Task<Conversation?> FindConversationAsync(KccDbContext db, IncomingMessage message, string address, CancellationToken cancellationToken)
    {
        var conversations = db.Set<Conversation>();
        if (message.Channel == Channel.WhatsApp)
        {
            // One chat per phone number, as the resident sees it in WhatsApp.
            return await conversations.Where(c => c.Channel == Channel.WhatsApp && c.Address == address)
                .OrderByDescending(c => c.Id).FirstOrDefaultAsync(cancellationToken);
        }

        var references = message.References.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).Distinct().Take(50).ToList();
        if (references.Count == 0)
        {
            return null;
        }

        var conversationId = await db.Set<ConversationMessage>()
            .Where(m => m.Channel == message.Channel && m.ExternalId != null && references.Contains(m.ExternalId))
            // A reply to a thread past its retention term (or erased) starts a new conversation: the old one has no address to answer.
            .Where(m => m.Conversation!.Address != Privacy.Anonymiser.Placeholder)
            .OrderByDescending(m => m.Id).Select(m => (long?)m.ConversationId).FirstOrDefaultAsync(cancellationToken);
        return conversationId is { } id ? await conversations.FirstAsync(c => c.Id == id, cancellationToken) : null;
    }

    private static string Cut(string value, int length) => value.Length <= length ? value : value[..length];

    private static string? CutOrNull(string? value, int length) => string.IsNullOrWhiteSpace(value) ? null : Cut(value.Trim(), length);

    private static string Join(string? first, string second) => first is null ? second : $"{first} {second}";
}

/// <summary>The promised reply time of a written channel: the service norm (E-mail beantwoorden, WhatsApp of chat beantwoorden) on the office calendar.</summary>
public sealed class InboxNorms(PromisedDates promisedDates)
{
    public static NormKind KindFor(Channel channel) => channel == Channel.Email ? NormKind.Email : NormKind.WhatsAppChat;

    public async Task<(int Amount, NormUnit Unit)> NormAsync(KccDbContext db, Channel channel, CancellationToken cancellationToken)
    {
        var kind = KindFor(channel);
        var norm = await db.ServiceNorms.AsNoTracking().Where(n => n.Kind == kind && n.TopicId == null)
            .Select(n => new { n.Amount, n.Unit }).FirstOrDefaultAsync(cancellationToken);
        return norm is null ? NormKinds.Default(kind) : (norm.Amount, norm.Unit);
    }

    public async Task<DateTime> DueAsync(KccDbContext db, Channel channel, DateTime fromUtc, CancellationToken cancellationToken)
    {
        var (amount, unit) = await NormAsync(db, channel, cancellationToken);
        return promisedDates.Apply(fromUtc, amount, unit);
    }
}
