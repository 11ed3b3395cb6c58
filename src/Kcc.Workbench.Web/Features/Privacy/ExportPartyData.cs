using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Privacy;

/// <summary>
/// AVG art. 15 (inzageverzoek): everything the workbench holds about one party, unmasked, for the answer to
/// the resident. Shown as a printable page and downloadable as JSON.
/// </summary>
public static class ExportPartyData
{
    [AllowedFor(Roles.Beheerder)]
    public sealed record Query(int PartyId) : IRequest<PartyDataExport?>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, TimeProvider clock) : IRequestHandler<Query, PartyDataExport?>
    {
        public async Task<PartyDataExport?> Handle(Query request, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var party = await db.Parties.AsNoTracking().Include(p => p.ContactDetails).FirstOrDefaultAsync(p => p.Id == request.PartyId, cancellationToken);
            if (party is null)
            {
                return null;
            }

            var contacts = await db.Contacts.AsNoTracking().Where(c => c.PartyId == party.Id).OrderBy(c => c.StartedAt).ToViewsAsync(db, cancellationToken);
            // The same conversations an erasure takes; the attachments by name and size (the files themselves on request).
            var conversations = await Anonymiser.PartyConversations(db, party.Id).AsNoTracking().OrderBy(c => c.CreatedAt).ThenBy(c => c.Id)
                .Select(c => new
                {
                    c.Id, c.Channel, c.Address, c.SenderName, c.Subject, c.CreatedAt,
                    Messages = c.Messages.OrderBy(m => m.SentAt).ThenBy(m => m.Id).Select(m => new
                    {
                        m.SentAt, m.Direction, m.Channel, m.AgentName, m.Body, m.Problem,
                        Attachments = m.Attachments.OrderBy(a => a.Id).Select(a => new AttachmentData(a.FileName, a.ContentType, a.Size)).ToList(),
                    }).ToList(),
                })
                .ToListAsync(cancellationToken);
            return new PartyDataExport(
                clock.GetUtcNow().UtcDateTime,
                new PartyData(
                    party.Id, party.Kind == PartyKind.Person ? "inwoner" : "organisatie", party.DisplayName, party.Bsn, party.DateOfBirth,
                    party.KvkNumber, party.BranchNumber, party.AddressLine, party.CreatedAt, party.AnonymisedAt,
                    party.ContactDetails.Where(d => d.Kind == ContactDetailKind.Phone).Select(d => d.Value).ToList(),
                    party.ContactDetails.Where(d => d.Kind == ContactDetailKind.Email).Select(d => d.Value).ToList()),
                contacts.Select(c => new ContactData(
                    c.Id, c.StartedAt, c.EndedAt, c.Channel.Label(), c.Direction.Label(), c.AgentName, c.IsConfidential,
                    ContactLabels.Languages.GetValueOrDefault(c.Language) ?? c.Language,
                    c.Questions.Select(q => new QuestionData(q.TopicName, q.Text, q.Answer, q.Outcome.Label(), q.ReferredTo)).ToList())).ToList(),
                conversations.Select(c => new ConversationData(
                    c.Id, c.Channel.Label(), c.Address, c.SenderName, c.Subject, c.CreatedAt,
                    c.Messages.Select(m => new MessageData(m.SentAt, m.Direction.Label(), m.Channel.Label(), m.AgentName, m.Body, m.Problem, m.Attachments)).ToList()))
                .ToList());
        }
    }
}

public sealed record PartyDataExport(DateTime ExportedAt, PartyData Party, IReadOnlyList<ContactData> Contacts, IReadOnlyList<ConversationData> Conversations);

public sealed record PartyData(
    int Id, string Kind, string Name, string? Bsn, DateOnly? DateOfBirth, string? KvkNumber, string? BranchNumber, string? Address,
    DateTime RegisteredAt, DateTime? AnonymisedAt, IReadOnlyList<string> PhoneNumbers, IReadOnlyList<string> EmailAddresses);

public sealed record ContactData(
    long Id, DateTime StartedAt, DateTime EndedAt, string Channel, string Direction, string Employee, bool Confidential, string Language,
    IReadOnlyList<QuestionData> Questions);

public sealed record QuestionData(string Topic, string Question, string? Answer, string Outcome, string? ReferredTo);

/// <summary>An e-mail thread or WhatsApp chat from the inbox.</summary>
public sealed record ConversationData(
    long Id, string Channel, string Address, string? SenderName, string? Subject, DateTime StartedAt, IReadOnlyList<MessageData> Messages);

/// <summary>One message: the resident's (Inkomend) or ours (Uitgaand, with the employee who wrote it); the text as plain text.</summary>
public sealed record MessageData(
    DateTime SentAt, string Direction, string Channel, string? Employee, string Text, string? Remark, IReadOnlyList<AttachmentData> Attachments);

/// <summary>An attachment by name, type and size in bytes; not its content.</summary>
public sealed record AttachmentData(string FileName, string ContentType, long Size);
