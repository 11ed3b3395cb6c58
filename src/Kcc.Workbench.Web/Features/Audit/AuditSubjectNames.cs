using System.Globalization;
using System.Security.Claims;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Audit;

/// <summary>
/// Names each entry's subject as it is now ("Inwoner J. de Vries", "Taak 9870 (Burgerzaken)", "Artikel 'Paspoort
/// aanvragen'") with one query per kind of subject, and links it where the viewer may open it. The entry itself keeps
/// only the id: a name shown here disappears with the record it belongs to (retention, art. 17).
/// </summary>
internal static class AuditSubjectNames
{
    private static readonly string[] TaskReaders = [Roles.Frontoffice, Roles.Backoffice, Roles.Teamleider];
    private static readonly string[] ArticleReaders = [Roles.Frontoffice, Roles.Backoffice, Roles.Teamleider, Roles.Kennisbeheerder];
    private static readonly string[] ContactReaders = [Roles.Frontoffice, Roles.Backoffice, Roles.Teamleider, Roles.Beheerder];

    public static async Task<IReadOnlyList<AuditRow>> NameAsync(KccDbContext db, List<AuditRow> rows, ClaimsPrincipal viewer, CancellationToken cancellationToken)
    {
        var partyIds = Ids<int>(rows, AuditSubjects.Party);
        var contactIds = Ids<long>(rows, AuditSubjects.Contact);
        var taskIds = Ids<long>(rows, AuditSubjects.Task);
        var articleIds = Ids<int>(rows, AuditSubjects.Article);
        var feedbackIds = Ids<int>(rows, AuditSubjects.ArticleFeedback);

        var parties = await db.Parties.AsNoTracking().Where(p => partyIds.Contains(p.Id))
            .Select(p => new { p.Id, p.Kind, p.FirstNames, p.Prefix, p.LastName, p.OrganisationName, p.AnonymisedAt })
            .ToDictionaryAsync(p => p.Id, p => p.AnonymisedAt != null ? "Inwoner (geanonimiseerd)"
                : p.Kind == PartyKind.Organisation ? $"Organisatie {p.OrganisationName}"
                : $"Inwoner {AuditWords.ShortName(p.FirstNames, p.Prefix, p.LastName)}", cancellationToken);
        var contacts = await db.Contacts.AsNoTracking().Where(c => contactIds.Contains(c.Id))
            .Select(c => new { c.Id, c.Channel }).ToDictionaryAsync(c => c.Id, c => c.Channel, cancellationToken);
        var tasks = await db.InternalTasks.AsNoTracking().Where(t => taskIds.Contains(t.Id))
            .Select(t => new { t.Id, Team = t.Team!.Name }).ToDictionaryAsync(t => t.Id, t => t.Team, cancellationToken);
        var feedback = await db.ArticleFeedback.AsNoTracking().Where(f => feedbackIds.Contains(f.Id))
            .Select(f => new { f.Id, f.ArticleId }).ToDictionaryAsync(f => f.Id, f => f.ArticleId, cancellationToken);
        var allArticles = articleIds.Concat(feedback.Values).ToHashSet();
        var articles = await db.Articles.AsNoTracking().Where(a => allArticles.Contains(a.Id))
            .Select(a => new { a.Id, a.Title }).ToDictionaryAsync(a => a.Id, a => a.Title, cancellationToken);
        var topicIds = rows.Where(r => r.EntityType is AuditSubjects.RoutingRule or AuditSubjects.ServiceNorm)
            .Select(r => r.EntityId.Split('/')[^1]).Select(id => int.TryParse(id, CultureInfo.InvariantCulture, out var n) ? n : 0).Where(n => n > 0).ToHashSet();
        var topics = await db.Topics.AsNoTracking().Where(t => topicIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);

        var opensTasks = TaskReaders.Any(viewer.IsInRole);
        var opensArticles = ArticleReaders.Any(viewer.IsInRole);
        var opensContacts = ContactReaders.Any(viewer.IsInRole);
        var administers = viewer.IsInRole(Roles.Beheerder);
        var opensInbox = viewer.IsInRole(Roles.Frontoffice) || viewer.IsInRole(Roles.Teamleider);

        return rows.Select(row =>
        {
            var id = row.EntityId;
            (string Subject, string? Link) named = row.EntityType switch
            {
                AuditSubjects.Party when int.TryParse(id, CultureInfo.InvariantCulture, out var p) =>
                    (parties.GetValueOrDefault(p, $"Inwoner {id} (bestaat niet meer)"), opensContacts && parties.ContainsKey(p) ? $"/betrokkenen/{id}" : null),
                AuditSubjects.Contact when long.TryParse(id, CultureInfo.InvariantCulture, out var c) =>
                    (contacts.TryGetValue(c, out var channel) ? $"Contact {id} ({channel.Label()})" : $"Contact {id}", opensContacts && contacts.ContainsKey(c) ? $"/contacten/{id}" : null),
                AuditSubjects.Task when long.TryParse(id, CultureInfo.InvariantCulture, out var t) =>
                    (tasks.TryGetValue(t, out var team) ? $"Taak {id} ({team})" : $"Taak {id}", opensTasks && tasks.ContainsKey(t) ? $"/taken/{id}" : null),
                AuditSubjects.Article when int.TryParse(id, CultureInfo.InvariantCulture, out var a) =>
                    (articles.TryGetValue(a, out var title) ? $"Artikel '{title}'" : $"Artikel {id}", opensArticles && articles.ContainsKey(a) ? $"/kennisbank/artikelen/{id}" : null),
                AuditSubjects.ArticleFeedback when int.TryParse(id, CultureInfo.InvariantCulture, out var f) && feedback.TryGetValue(f, out var articleId) =>
                    ($"Feedback op artikel '{articles.GetValueOrDefault(articleId, articleId.ToString(CultureInfo.InvariantCulture))}'", opensArticles ? $"/kennisbank/artikelen/{articleId}" : null),
                AuditSubjects.ServiceNorm => (AuditWords.ServiceNorm(id, topics), administers ? "/beheer/servicenormen" : null),
                AuditSubjects.RoutingRule when int.TryParse(id, CultureInfo.InvariantCulture, out var topic) =>
                    ($"Routeringsregel {topics.GetValueOrDefault(topic, id)}", administers ? "/beheer/routeringsregels" : null),
                AuditSubjects.Retention => ($"Bewaartermijnen ({id})", administers ? "/beheer/privacy" : null),
                AuditSubjects.Topic => ("Onderwerpenlijst (UPL)", administers ? "/beheer/onderwerpen" : null),
                AuditSubjects.Backup => ($"Back-up {id}", administers ? "/beheer/backups" : null),
                AuditSubjects.Conversation => ($"Inboxgesprek {id}", opensInbox ? $"/inbox/{id}" : null),
                _ => ($"{row.EntityType} {id}", null),
            };
            return row with { Subject = named.Subject, SubjectLink = named.Link };
        }).ToList();
    }

    private static HashSet<T> Ids<T>(IEnumerable<AuditRow> rows, string entityType)
        where T : IParsable<T> =>
        rows.Where(r => r.EntityType == entityType)
            .Select(r => T.TryParse(r.EntityId, CultureInfo.InvariantCulture, out var id) ? id : default)
            .Where(id => id is not null && !id.Equals(default(T)))
            .Select(id => id!)
            .ToHashSet();
}
