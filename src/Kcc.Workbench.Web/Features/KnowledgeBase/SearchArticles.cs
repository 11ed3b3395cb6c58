using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.KnowledgeBase;

/// <summary>One search result as the agent's panel shows it, with the text that suits the contact's channel.</summary>
public sealed record ArticleHit(
    int ArticleId,
    int VersionId,
    int VersionNumber,
    DateTime VersionDate,
    string Title,
    ArticleStatus Status,
    int TopicId,
    string TopicName,
    string TopicUri,
    string Snippet,
    ChannelText ChannelText,
    string? InternalNote,
    double Score);

/// <summary>
/// Search-as-you-type over the kennisbank for the agent's panel and the kennisbank pages. Agents and team leads find
/// published articles only; kennisbeheerders find every status. Nothing is recorded here: a search while typing is
/// not yet a question the kennisbank failed to answer (see LogContact for knowledge gaps).
/// </summary>
public static class SearchArticles
{
    public const int MinLength = 2;

    /// <param name="TopicId">The question's topic (onderwerp): its articles come first, unless the text plainly names
    /// another product. With a topic, a question too short to search still lists the topic's articles.</param>
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice, Roles.Teamleider, Roles.Kennisbeheerder)]
    public sealed record Query(string? Text, Channel? Channel = null, int Top = 8, int? TopicId = null) : IRequest<IReadOnlyList<ArticleHit>>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ISearchEngine engine, ICurrentUser currentUser)
        : IRequestHandler<Query, IReadOnlyList<ArticleHit>>
    {
        private static readonly ArticleStatus[] Published = [ArticleStatus.Gepubliceerd];
        private static readonly ArticleStatus[] Every = [ArticleStatus.Gepubliceerd, ArticleStatus.Concept, ArticleStatus.Gearchiveerd];

        public async Task<IReadOnlyList<ArticleHit>> Handle(Query request, CancellationToken cancellationToken)
        {
            var text = request.Text?.Trim() ?? "";
            if (text.Length < MinLength && request.TopicId is null)
            {
                return [];
            }

            var editor = (await currentUser.GetPrincipalAsync()).IsInRole(Roles.Kennisbeheerder);
            var statuses = editor ? Every : Published;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var topicArticles = await TopicArticlesAsync(db, request.TopicId, statuses, cancellationToken);
            var query = new SearchQuery(text.Length < MinLength ? "" : request.Text!, statuses, Math.Clamp(request.Top, 1, 50), topicArticles);
            var hits = await engine.SearchAsync(db, query, cancellationToken);
            return await ToHitsAsync(db, hits, request.Text, request.Channel, cancellationToken);
        }
    }

    /// <summary>The ids of the topic's articles in these statuses; null without a topic.</summary>
    internal static async Task<IReadOnlyCollection<int>?> TopicArticlesAsync(KccDbContext db, int? topicId, IReadOnlyCollection<ArticleStatus> statuses, CancellationToken cancellationToken) =>
        topicId is { } id
            ? await db.Articles.AsNoTracking().Where(a => a.TopicId == id && statuses.Contains(a.Status)).OrderBy(a => a.Id).Select(a => a.Id).ToListAsync(cancellationToken)
            : null;

    internal static async Task<IReadOnlyList<ArticleHit>> ToHitsAsync(KccDbContext db, IReadOnlyList<SearchHit> hits, string? query, Channel? channel, CancellationToken cancellationToken)
    {
        if (hits.Count == 0)
        {
            return [];
        }

        var ids = hits.Select(h => h.ArticleId).ToList();
        var articles = await db.Articles.AsNoTracking().Include(a => a.Topic)
            .Where(a => ids.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, cancellationToken);
        var versionIds = articles.Values.Select(a => a.CurrentVersionId ?? 0).ToList();
        var versionDates = await db.ArticleVersions.AsNoTracking().Where(v => versionIds.Contains(v.Id))
            .ToDictionaryAsync(v => v.Id, v => v.CreatedAt, cancellationToken);
        return hits.Where(h => articles.ContainsKey(h.ArticleId)).Select(h =>
        {
            var article = articles[h.ArticleId];
            var prepared = PreparedArticleText.For(article.ToContent());
            return new ArticleHit(
                article.Id, article.CurrentVersionId ?? 0, article.Version, versionDates.GetValueOrDefault(article.CurrentVersionId ?? 0, article.UpdatedAt),
                article.Title, article.Status, article.TopicId, article.Topic?.Name ?? "", article.Topic?.Uri ?? "",
                ArticleText.Snippet(prepared, query), ArticleText.ForChannel(prepared, channel), article.InternalNote, Math.Round(h.Score, 3));
        }).ToList();
    }
}
