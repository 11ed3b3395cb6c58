using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kcc.Workbench.Web.Features.Inbox;

/// <summary>
/// Answers a conversation: the contact is logged through <see cref="LogContact"/> (channel, party, question with
/// topic, answer, outcome, article version, or routed to the back office) and, in the same transaction, the reply is
/// put in the outbox and the conversation marked answered. The outbox hands it to SMTP or WhatsApp afterwards, so a
/// reply is never lost with a failing mail server and never sent twice by a double click.
/// </summary>
public static class SendReply
{
    public const string ConversationField = "Conversation";

    [AllowedFor(Roles.Frontoffice)]
    public sealed record Command(long ConversationId, int Version, LogContact.Command Contact) : IRequest<Result<long>>;

    /// <summary>A reply that failed (or may have): hand it to the outbox again.</summary>
    [AllowedFor(Roles.Frontoffice)]
    public sealed record Retry(long MessageId) : IRequest<Result>;

    private sealed class ConversationChangedException() : Exception("The conversation changed after the agent opened it.");

    internal sealed class Handler(
        IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, IMediator mediator, TimeProvider clock, IOptionsMonitor<InboxOptions> options,
        Outbox outbox, ILiveUpdates live)
        : IRequestHandler<Command, Result<long>>, IRequestHandler<Retry, Result>
    {
        public async Task<Result<long>> Handle(Command request, CancellationToken cancellationToken)
        {
            var user = await currentUser.GetPrincipalAsync();
            var me = user.RequireUserId();
            Conversation? conversation;
            string? lastExternalId;
            string? references;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                conversation = await db.Set<Conversation>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == request.ConversationId, cancellationToken);
                var last = await db.Set<ConversationMessage>().AsNoTracking()
                    .Where(m => m.ConversationId == request.ConversationId && m.Direction == Direction.Inkomend)
                    .OrderByDescending(m => m.SentAt).Select(m => new { m.ExternalId, m.ReplyReferences }).FirstOrDefaultAsync(cancellationToken);
                lastExternalId = last?.ExternalId;
                references = last?.ReplyReferences;
            }

            if (conversation is null || conversation.AssigneeId != me || conversation.Status != ConversationStatus.InBehandeling)
            {
                return Result<long>.Fail(ConversationField, "Dit gesprek is niet (meer) van u. Open het opnieuw vanuit de inbox.");
            }

            var answer = request.Contact.Questions.Count > 0 ? request.Contact.Questions[0].Answer?.Trim() : null;
            if (string.IsNullOrWhiteSpace(answer))
            {
                return Result<long>.Fail("Questions[0].Answer", "Schrijf het antwoord voor de inwoner, of voeg het in uit de kennisbank.");
            }

            var now = clock.GetUtcNow().UtcDateTime;
            var settings = options.CurrentValue;
            var windowOpen = conversation.Channel != Channel.WhatsApp || now < conversation.LastIncomingAt + GetConversation.WhatsAppWindow;
            var template = windowOpen ? null : settings.WhatsApp.TemplateName;
            var body = windowOpen ? answer : settings.WhatsApp.TemplateText;
            var agentName = user.DisplayName();
            var messageId = conversation.Channel == Channel.Email ? NewMessageId(settings.Email.Address) : null;
            var replyReferences = conversation.Channel == Channel.Email && lastExternalId is not null
                ? string.Join(' ', new[] { references, lastExternalId }.Where(r => !string.IsNullOrWhiteSpace(r)))
                : null;

            var contact = request.Contact with
            {
                Channel = conversation.Channel,
                Direction = Direction.Inkomend,
                PartyId = conversation.PartyId ?? request.Contact.PartyId,
                StartedAt = conversation.ClaimedAt ?? now,
                EndedAt = null,
                AlsoInTransaction = async (db, logged, ct) =>
                {
                    // Only on the version the agent saw, and only while it is still theirs: a double click or a
                    // colleague who took it over does not send a second reply.
                    var answered = await db.Set<Conversation>()
                        .Where(c => c.Id == conversation.Id && c.Version == request.Version && c.AssigneeId == me && c.Status == ConversationStatus.InBehandeling)
                        .ExecuteUpdateAsync(s => s
                            .SetProperty(c => c.Status, ConversationStatus.Beantwoord)
                            .SetProperty(c => c.FirstReplyAt, c => c.FirstReplyAt ?? now)
                            .SetProperty(c => c.Version, c => c.Version + 1)
                            .SetProperty(c => c.UpdatedAt, now), ct);
                    if (answered == 0)
                    {
                        throw new ConversationChangedException();
                    }

                    db.Add(new ConversationMessage
                    {
                        ConversationId = conversation.Id,
                        Channel = conversation.Channel,
                        Direction = Direction.Uitgaand,
                        ExternalId = messageId,
                        ReplyReferences = replyReferences is { Length: > InboxLimits.References } tooLong ? tooLong[^InboxLimits.References..] : replyReferences,
                        Body = body,
                        SentAt = now,
                        StoredAt = now,
                        ContactId = logged.Id,
                        AgentName = agentName,
                        TemplateName = template,
                        Delivery = DeliveryStatus.Wachtrij,
                        DeliveryUpdatedAt = now,
                        NextAttemptAt = now,
                    });
                },
            };

            Result<long> result;
            try
            {
                result = await mediator.Send(contact, cancellationToken);
            }
            catch (ConversationChangedException)
            {
                return Result<long>.Fail(ConversationField, "Het gesprek is intussen veranderd (een nieuw bericht of een collega). Er is niets verstuurd; lees het gesprek opnieuw.");
            }

            if (result.Succeeded)
            {
                outbox.Wake();
                live.InboxChanged();
            }

            return result;
        }

        public async Task<Result> Handle(Retry request, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var queued = await db.Set<ConversationMessage>()
                .Where(m => m.Id == request.MessageId && m.Direction == Direction.Uitgaand && (m.Delivery == DeliveryStatus.Mislukt || m.Delivery == DeliveryStatus.Onzeker))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.Delivery, DeliveryStatus.Wachtrij)
                    .SetProperty(m => m.Attempts, 0)
                    .SetProperty(m => m.NextAttemptAt, now)
                    .SetProperty(m => m.DeliveryUpdatedAt, now), cancellationToken);
            if (queued == 0)
            {
                return Result.Fail(ConversationField, "Dit antwoord wacht al op verzending of is verzonden.");
            }

            outbox.Wake();
            live.InboxChanged();
            return Result.Ok();
        }

        private static string NewMessageId(string fromAddress)
        {
            var at = fromAddress.IndexOf('@', StringComparison.Ordinal);
            var domain = at >= 0 ? fromAddress[(at + 1)..] : "kcc.local";
            return $"kcc-{Guid.NewGuid():N}@{domain}";
        }
    }
}
