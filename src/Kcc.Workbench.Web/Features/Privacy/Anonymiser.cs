using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Audit;
using Kcc.Workbench.Web.Features.Inbox;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Features.Routing;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kcc.Workbench.Web.Features.Privacy;

public sealed record AnonymisationReport(
    int Parties, int Contacts, int Questions, int Tasks = 0, int KnowledgeGaps = 0, int AuditEntries = 0, int Conversations = 0, int Messages = 0)
{
    public bool Any => Parties + Contacts + Questions + Tasks + KnowledgeGaps + AuditEntries + Conversations + Messages > 0;

    /// <summary>Counts only: what the audit log and the run's log line say.</summary>
    public override string ToString() =>
        $"{Parties} inwoners, {Contacts} contacten, {Questions} vragen, {Tasks} taken, {Conversations} inboxgesprekken ({Messages} berichten) "
        + $"en {KnowledgeGaps} zoekvragen zonder resultaat geanonimiseerd"
        + (AuditEntries > 0 ? $"; {AuditEntries} auditregels na hun bewaartermijn verwijderd" : "");
}

/// <summary>
/// Removes personal data — names, identifiers, addresses, contact details, free text — and keeps what the
/// statistics need (channel, topic, outcome, team, action, status, times, the link between a party's contacts), so
/// dashboards over past years (first time right, service-norm compliance) stay right. Used by the daily retention job
/// and by an AVG art. 17 request; each run that changes something leaves one audit entry in its own transaction.
/// </summary>
public sealed class Anonymiser(IDbContextFactory<KccDbContext> dbFactory, TimeProvider clock, IOptions<RetentionOptions> options, IAuditLog audit)
{
    public const string Placeholder = "[geanonimiseerd]";

    /// <summary>Who the daily job acts as in the audit log.</summary>
    public const string SystemActorId = "systeem";

    public const string SystemActorName = "Bewaartermijnen (dagelijkse taak)";

    /// <summary>Everything past its retention term. Idempotent: anonymised data is not touched again.</summary>
    public async Task<AnonymisationReport> AnonymiseExpiredAsync(string actorId, string actorName, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var contactLimit = now.AddYears(-options.Value.ContactYears);
        var taskLimit = now.AddYears(-options.Value.TaskYears);
        var gapLimit = now.AddYears(-options.Value.KnowledgeGapYears);
        var auditLimit = now.AddYears(-options.Value.AuditYears);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var contacts = await db.Contacts.CountAsync(c => c.EndedAt < contactLimit && c.Questions.Any(q => q.Text != Placeholder), cancellationToken);
        var questions = await db.Questions
            .Where(q => q.Contact!.EndedAt < contactLimit && q.Text != Placeholder)
            .ExecuteUpdateAsync(s => s.SetProperty(q => q.Text, Placeholder).SetProperty(q => q.Answer, (string?)null), cancellationToken);

        // An inbox conversation is a contact in writing: its term runs from its last message, whoever sent it.
        var (conversations, messages) = await AnonymiseConversationsAsync(
            db, db.Set<Conversation>().Where(c => c.CreatedAt < contactLimit && !c.Messages.Any(m => m.StoredAt >= contactLimit || m.SentAt >= contactLimit)),
            cancellationToken);

        // A party whose last contact ended before the term (and that was registered before it, and has not written since) is anonymised.
        var expiredParties = await db.Parties
            .Where(p => p.AnonymisedAt == null && p.CreatedAt < contactLimit && !db.Contacts.Any(c => c.PartyId == p.Id && c.EndedAt >= contactLimit)
                && !db.Set<ConversationMessage>().Any(m => m.Conversation!.PartyId == p.Id && m.StoredAt >= contactLimit))
            .Select(p => p.Id)
            .ToListAsync(cancellationToken);
        var parties = await AnonymisePartiesAsync(db, expiredParties, now, cancellationToken);

        // Tasks are done with once completed: their term runs from completion; open ones are still being worked on.
        var tasks = await AnonymiseTasksAsync(
            db, db.InternalTasks.Where(t => t.Status == InternalTaskStatus.Verwerkt && t.CompletedAt < taskLimit), cancellationToken);

        // The rows stay, without the text an agent typed (which may hold a name or a BSN): counts of unanswered
        // searches per topic, channel and period remain for the statistics; the list of gaps itself skips them.
        var gaps = await db.KnowledgeGaps.Where(g => g.CreatedAt < gapLimit && g.Query != Placeholder)
            .ExecuteUpdateAsync(s => s.SetProperty(g => g.Query, Placeholder), cancellationToken);

        // The audit log has its own term: entries name records and fields, but who looked at whom is personal data too.
        var auditEntries = await db.AuditEntries.Where(a => a.At < auditLimit).ExecuteDeleteAsync(cancellationToken);

        var report = new AnonymisationReport(parties, contacts, questions, tasks, gaps, auditEntries, conversations, messages);
        if (report.Any)
        {
            audit.Record(db, actorId, actorName, "bewaartermijnen.toegepast", "Retention", now.ToString("yyyy-MM-dd", DutchFormat.Culture), report.ToString());
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return report;
    }

    /// <summary>AVG art. 17: the party and the free text of all their contacts and tasks, now.</summary>
    public async Task<AnonymisationReport> AnonymisePartyAsync(int partyId, string actorId, string actorName, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var questions = await db.Questions
            .Where(q => q.Contact!.PartyId == partyId && q.Text != Placeholder)
            .ExecuteUpdateAsync(s => s.SetProperty(q => q.Text, Placeholder).SetProperty(q => q.Answer, (string?)null), cancellationToken);
        var contacts = await db.Contacts.CountAsync(c => c.PartyId == partyId, cancellationToken);
        // Before the party's addresses go: they find the conversations that were never linked to it.
        var conversationIds = await PartyConversations(db, partyId).Select(c => c.Id).ToListAsync(cancellationToken);
        var (conversations, messages) = await AnonymiseConversationsAsync(db, db.Set<Conversation>().Where(c => conversationIds.Contains(c.Id)), cancellationToken);
        var parties = await AnonymisePartiesAsync(db, [partyId], now, cancellationToken);
        var tasks = await AnonymiseTasksAsync(db, db.InternalTasks.Where(t => t.PartyId == partyId), cancellationToken);
        await ClearAuditDetailsAsync(db, partyId, conversationIds, cancellationToken);
        var report = new AnonymisationReport(parties, contacts, questions, tasks, Conversations: conversations, Messages: messages);
        // The request's reason is free text a beheerder typed; the entry records that it happened and how much, not why.
        audit.Record(db, actorId, actorName, "betrokkene.verwijderd", "Party", partyId.ToString(DutchFormat.Culture), "AVG art. 17: " + report);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return report;
    }

    /// <summary>
    /// The party's inbox conversations: those linked to it, and those never linked that came from an e-mail address or
    /// phone number only this party has — the rule the intake links by, so a family's shared address is not taken
    /// for one of them.
    /// </summary>
    internal static IQueryable<Conversation> PartyConversations(KccDbContext db, int partyId)
    {
        var details = db.PartyContactDetails;
        return db.Set<Conversation>().Where(c => c.PartyId == partyId
            || (c.PartyId == null
                && details.Any(d => d.PartyId == partyId && d.NormalizedValue == c.Address)
                && !details.Any(d => d.PartyId != partyId && d.NormalizedValue == c.Address)));
    }

    /// <summary>
    /// Entries about the party, its contacts, its tasks and its inbox conversations keep who did what and when (accountability), but lose any
    /// details; entries written before the audit log stopped taking text (see migration SecDb_DatabaseTrustAndAuditCleanup)
    /// are covered too.
    /// </summary>
    private static async Task ClearAuditDetailsAsync(KccDbContext db, int partyId, List<long> conversationIds, CancellationToken cancellationToken)
    {
        var conversations = conversationIds.Select(id => id.ToString(DutchFormat.Culture)).ToList();
        var party = partyId.ToString(DutchFormat.Culture);
        var contactIds = await db.Contacts.Where(c => c.PartyId == partyId).Select(c => c.Id).ToListAsync(cancellationToken);
        var taskIds = await db.InternalTasks.Where(t => t.PartyId == partyId).Select(t => t.Id).ToListAsync(cancellationToken);
        var contacts = contactIds.Select(id => id.ToString(DutchFormat.Culture)).ToList();
        var tasks = taskIds.Select(id => id.ToString(DutchFormat.Culture)).ToList();
        await db.AuditEntries
            .Where(a => a.Summary != "" && ((a.EntityType == AuditSubjects.Party && a.EntityId == party)
                || (a.EntityType == AuditSubjects.Contact && contacts.Contains(a.EntityId))
                || (a.EntityType == AuditSubjects.Task && tasks.Contains(a.EntityId))
                || (a.EntityType == AuditSubjects.Conversation && conversations.Contains(a.EntityId))))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Summary, ""), cancellationToken);
    }

    /// <summary>
    /// Clears what the resident said and how to reach them — explanation, phone or e-mail, availability, the answer,
    /// the log's texts — and keeps team, topic, channel, action, status, attempts and every time, from which the
    /// dashboard computes service-norm compliance.
    /// </summary>
    private static async Task<int> AnonymiseTasksAsync(KccDbContext db, IQueryable<InternalTask> tasks, CancellationToken cancellationToken)
    {
        await db.TaskLogEntries.Where(e => tasks.Any(t => t.Id == e.TaskId) && e.Text != Placeholder)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Text, Placeholder), cancellationToken);
        return await tasks
            .Where(t => t.Explanation != null || t.ReachAt != null || t.Reachable != null || (t.Result != null && t.Result != Placeholder))
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Explanation, (string?)null)
                .SetProperty(t => t.ReachAt, (string?)null)
                .SetProperty(t => t.Reachable, (string?)null)
                .SetProperty(t => t.Result, t => t.Result == null ? null : Placeholder)
                .SetProperty(t => t.Version, t => t.Version + 1), cancellationToken);
    }

    /// <summary>
    /// Clears what the resident wrote and how to reach them — the address, the name they gave, the subject, every
    /// message's text (and the HTML of an e-mail), the notes that name an attachment, the attachments themselves — and
    /// keeps channel, direction, status, every time and the employee who answered, from which the dashboard computes
    /// first-reply times. Message ids stay, so a mailbox read again does not bring a message back; an anonymised
    /// conversation is never threaded onto again (the intake skips it). A reply still in the outbox
    /// is not sent.
    /// </summary>
    private static async Task<(int Conversations, int Messages)> AnonymiseConversationsAsync(
        KccDbContext db, IQueryable<Conversation> conversations, CancellationToken cancellationToken)
    {
        // Ids first: the selection may depend on the address that is about to go.
        var ids = await conversations.Where(c => c.Address != Placeholder).Select(c => c.Id).ToListAsync(cancellationToken);
        var (total, messages) = (0, 0);
        foreach (var chunk in ids.Chunk(500))
        {
            await db.Set<MessageAttachment>()
                .Where(a => db.Set<ConversationMessage>().Any(m => m.Id == a.MessageId && chunk.Contains(m.ConversationId)))
                .ExecuteDeleteAsync(cancellationToken);
            messages += await db.Set<ConversationMessage>().Where(m => chunk.Contains(m.ConversationId)).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Body, Placeholder)
                .SetProperty(m => m.SafeHtml, (string?)null)
                .SetProperty(m => m.ReplyReferences, (string?)null)
                .SetProperty(m => m.Problem, m => m.Problem == null ? null : Placeholder)
                .SetProperty(m => m.DeliveryError, m => m.DeliveryError == null ? null : Placeholder)
                .SetProperty(m => m.Delivery, m => m.Delivery == DeliveryStatus.Wachtrij ? DeliveryStatus.Mislukt : m.Delivery)
                .SetProperty(m => m.NextAttemptAt, (DateTime?)null), cancellationToken);
            total += await db.Set<Conversation>().Where(c => chunk.Contains(c.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Address, Placeholder)
                .SetProperty(c => c.SenderName, (string?)null)
                .SetProperty(c => c.Subject, c => c.Subject == null ? null : Placeholder)
                .SetProperty(c => c.Version, c => c.Version + 1), cancellationToken);
        }

        return (total, messages);
    }

    private static async Task<int> AnonymisePartiesAsync(KccDbContext db, List<int> partyIds, DateTime now, CancellationToken cancellationToken)
    {
        var total = 0;
        foreach (var chunk in partyIds.Chunk(500))
        {
            await db.PartyContactDetails.Where(d => chunk.Contains(d.PartyId)).ExecuteDeleteAsync(cancellationToken);
            total += await db.Parties.Where(p => chunk.Contains(p.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(p => p.FirstNames, (string?)null)
                .SetProperty(p => p.Prefix, (string?)null)
                .SetProperty(p => p.LastName, p => p.Kind == PartyKind.Person ? "Geanonimiseerd" : null)
                .SetProperty(p => p.OrganisationName, p => p.Kind == PartyKind.Organisation ? "Geanonimiseerd" : null)
                .SetProperty(p => p.Bsn, (string?)null)
                .SetProperty(p => p.DateOfBirth, (DateOnly?)null)
                .SetProperty(p => p.KvkNumber, (string?)null)
                .SetProperty(p => p.BranchNumber, (string?)null)
                .SetProperty(p => p.Street, (string?)null)
                .SetProperty(p => p.HouseNumber, (int?)null)
                .SetProperty(p => p.HouseNumberAddition, (string?)null)
                .SetProperty(p => p.Postcode, (string?)null)
                .SetProperty(p => p.City, (string?)null)
                .SetProperty(p => p.SearchName, "")
                .SetProperty(p => p.AnonymisedAt, now)
                .SetProperty(p => p.Version, p => p.Version + 1), cancellationToken);
        }

        return total;
    }
}
