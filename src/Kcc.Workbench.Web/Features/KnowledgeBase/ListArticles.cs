using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.KnowledgeBase;

public sealed record ArticleListItem(
    int Id, string Title, ArticleStatus Status, string TopicName, string? TeamName, DateOnly? ReviewBefore, bool ReviewOverdue,
    DateTime UpdatedAt, string? UpdatedByName, int Version, int OpenFeedback, string? OwnerName);

/// <summary>The kennisbeheerder's overview: filter on text, status, team, and articles whose review date has passed.</summary>
public static class ListArticles
{
    [AllowedFor(Roles.Kennisbeheerder, Roles.Teamleider)]
    public sealed record Query(string? Text = null, ArticleStatus? Status = null, int? TeamId = null, bool ReviewOverdueOnly = false, int Max = 1000)
        : IRequest<IReadOnlyList<ArticleListItem>>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, TimeProvider clock) : IRequestHandler<Query, IReadOnlyList<ArticleListItem>>
    {
        public async Task<IReadOnlyList<ArticleListItem>> Handle(Query request, CancellationToken cancellationToken)
        {
            var today = DateOnly.FromDateTime(DutchFormat.ToLocal(clock.GetUtcNow().UtcDateTime));
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var articles = db.Articles.AsNoTracking();
            if (request.Status is { } status)
            {
                articles = articles.Where(a => a.Status == status);
            }

            if (request.TeamId is { } teamId)
            {
                articles = articles.Where(a => a.TeamId == teamId);
            }

            if (request.ReviewOverdueOnly)
            {
                // Archived articles need no review.
                articles = articles.Where(a => a.Status != ArticleStatus.Gearchiveerd && a.ReviewBefore != null && a.ReviewBefore < today);
            }

            foreach (var word in DutchText.Words(request.Text).Take(5))
            {
                var pattern = $"%{word}%";
                articles = articles.Where(a => EF.Functions.Like(a.Title, pattern) || EF.Functions.Like(a.ExternalId, pattern) || a.Topic!.SearchName.Contains(word));
            }

            var rows = await articles
                .OrderBy(a => a.Title)
                .Take(Math.Clamp(request.Max, 1, 5000))
                .Select(a => new
                {
                    a.Id, a.Title, a.Status, Topic = a.Topic!.Name, Team = a.Team == null ? null : a.Team.Name, a.ReviewBefore, a.UpdatedAt, a.UpdatedByName, a.Version, a.OwnerName,
                    Open = db.ArticleFeedback.Count(f => f.ArticleId == a.Id && f.ClosedAt == null),
                })
                .ToListAsync(cancellationToken);
            return rows.Select(r => new ArticleListItem(
                    r.Id, r.Title, r.Status, r.Topic, r.Team, r.ReviewBefore,
                    r.Status != ArticleStatus.Gearchiveerd && r.ReviewBefore < today, r.UpdatedAt, r.UpdatedByName, r.Version, r.Open, r.OwnerName))
                .ToList();
        }
    }
}
