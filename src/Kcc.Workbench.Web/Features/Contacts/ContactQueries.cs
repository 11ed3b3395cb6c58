using Kcc.Workbench.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Contacts;

/// <summary>The one projection from contacts to ContactView, shared by history, detail and search.</summary>
internal static class ContactQueries
{
    public static async Task<List<ContactView>> ToViewsAsync(this IQueryable<Contact> contacts, KccDbContext db, CancellationToken cancellationToken)
    {
        var rows = await contacts
            .Select(c => new
            {
                c.Id, c.StartedAt, c.EndedAt, c.Channel, c.Direction, c.AgentName, c.IsConfidential, c.Language, c.PartyId,
                Party = c.Party == null ? null : new { c.Party.Kind, c.Party.FirstNames, c.Party.Prefix, c.Party.LastName, c.Party.OrganisationName },
            })
            .ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return [];
        }

        var ids = rows.Select(r => r.Id).ToList();
        var questions = await db.Questions.AsNoTracking()
            .Where(q => ids.Contains(q.ContactId))
            .Select(q => new { q.ContactId, q.ArticleVersionId, View = new QuestionView(q.Id, q.Sequence, q.TopicId, q.Topic!.Name, q.Text, q.Answer, q.Outcome, q.ReferredTo, q.NeedsRouting, null) })
            .ToListAsync(cancellationToken);

        // What the resident was told: the article version each answer came from.
        var versionIds = questions.Where(q => q.ArticleVersionId != null).Select(q => q.ArticleVersionId!.Value).Distinct().ToList();
        var articles = await db.ArticleVersions.AsNoTracking().Where(v => versionIds.Contains(v.Id))
            .Select(v => new KnowledgeBase.ArticleUse(v.ArticleId, v.Id, v.Number, v.CreatedAt, v.Article!.Title))
            .ToDictionaryAsync(v => v.VersionId, cancellationToken);
        var questionsByContact = questions
            .Select(q => new { q.ContactId, View = q.ArticleVersionId is { } id ? q.View with { Article = articles.GetValueOrDefault(id) } : q.View })
            .GroupBy(q => q.ContactId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<QuestionView>)g.Select(q => q.View).OrderBy(q => q.Sequence).ToList());

        return rows.Select(r => new ContactView(
                r.Id, r.StartedAt, r.EndedAt, r.Channel, r.Direction, r.AgentName, r.IsConfidential, r.Language, r.PartyId,
                r.Party is null ? null : new Parties.Party { Kind = r.Party.Kind, FirstNames = r.Party.FirstNames, Prefix = r.Party.Prefix, LastName = r.Party.LastName, OrganisationName = r.Party.OrganisationName }.DisplayName,
                questionsByContact.GetValueOrDefault(r.Id) ?? []))
            .ToList();
    }
}
