using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Routing.ServiceNorms;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Inbox;

/// <summary>One conversation with its whole thread, for the agent who answers it.</summary>
public static class GetConversation
{
    /// <summary>WhatsApp: a business may answer freely for 24 hours after the resident's last message.</summary>
    public static readonly TimeSpan WhatsAppWindow = TimeSpan.FromHours(24);

    [AllowedFor(Roles.Frontoffice, Roles.Teamleider)]
    public sealed record Query(long ConversationId) : IRequest<View?>;

    public sealed record MessageView(
        long Id, Direction Direction, string Body, string? SafeHtml, DateTime SentAt, DateTime StoredAt, string? Problem, string? AgentName,
        string? TemplateName, DeliveryStatus? Delivery, DateTime? DeliveryUpdatedAt, int Attempts, string? DeliveryError, long? ContactId,
        IReadOnlyList<AttachmentView> Attachments);

    public sealed record AttachmentView(long Id, string FileName, string ContentType, long Size);

    public sealed record View(
        long Id, Channel Channel, string Address, string? SenderName, int? PartyId, string? Subject, ConversationStatus Status,
        DateTime WaitingSince, DateTime DueAt, DateTime LastIncomingAt, string? AssigneeId, string? AssigneeName, DateTime? ClaimedAt,
        int Version, bool IsMine, string Norm, DateTime Now, IReadOnlyList<MessageView> Messages)
    {
        /// <summary>For WhatsApp: until when free text may be sent; after it only an approved template.</summary>
        public DateTime? WindowClosesAt => Channel == Channel.WhatsApp ? LastIncomingAt + WhatsAppWindow : null;

        public bool WindowOpen => WindowClosesAt is not { } closes || Now < closes;

        /// <summary>The resident's messages since our last reply: what the answer is about.</summary>
        public string UnansweredText()
        {
            var lastReply = Messages.Where(m => m.Direction == Direction.Uitgaand).Select(m => (DateTime?)m.SentAt).Max();
            var open = Messages.Where(m => m.Direction == Direction.Inkomend && (lastReply is null || m.SentAt > lastReply)).Select(m => m.Body.Trim());
            var text = string.Join("\n\n", open);
            return text.Length <= ContactLimits.QuestionText ? text : text[..(ContactLimits.QuestionText - 1)] + "…";
        }
    }

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, TimeProvider clock, InboxNorms norms)
        : IRequestHandler<Query, View?>
    {
        public async Task<View?> Handle(Query request, CancellationToken cancellationToken)
        {
            var me = (await currentUser.GetPrincipalAsync()).RequireUserId();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var conversation = await db.Set<Conversation>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == request.ConversationId, cancellationToken);
            if (conversation is null)
            {
                return null;
            }

            var messages = await db.Set<ConversationMessage>().AsNoTracking().Where(m => m.ConversationId == conversation.Id)
                .OrderBy(m => m.SentAt).ThenBy(m => m.Id)
                .Select(m => new MessageView(m.Id, m.Direction, m.Body, m.SafeHtml, m.SentAt, m.StoredAt, m.Problem, m.AgentName, m.TemplateName,
                    m.Delivery, m.DeliveryUpdatedAt, m.Attempts, m.DeliveryError, m.ContactId,
                    m.Attachments.Select(a => new AttachmentView(a.Id, a.FileName, a.ContentType, a.Size)).ToList()))
                .ToListAsync(cancellationToken);
            var (amount, unit) = await norms.NormAsync(db, conversation.Channel, cancellationToken);
            return new View(conversation.Id, conversation.Channel, conversation.Address, conversation.SenderName, conversation.PartyId, conversation.Subject,
                conversation.Status, conversation.WaitingSince, conversation.DueAt, conversation.LastIncomingAt, conversation.AssigneeId,
                conversation.AssigneeName, conversation.ClaimedAt, conversation.Version, conversation.AssigneeId == me,
                $"{InboxNorms.KindFor(conversation.Channel).Label()}: {NormKinds.Term(amount, unit)}", clock.GetUtcNow().UtcDateTime, messages);
        }
    }
}
