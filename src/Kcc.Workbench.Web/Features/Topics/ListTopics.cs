using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Topics;

public enum TopicStatusFilter
{
    All,
    Active,
    Inactive,
}

public sealed record TopicListItem(int Id, string Name, string Uri, bool IsActive, string? TeamName, DateTime UpdatedAt);

/// <param name="Items">The matches, at most the requested maximum, by name.</param>
/// <param name="Matches">All matches, also those beyond the maximum.</param>
/// <param name="Active">Active topics in the whole list, whatever the filter.</param>
/// <param name="Inactive">Withdrawn topics in the whole list, whatever the filter.</param>
public sealed record TopicList(IReadOnlyList<TopicListItem> Items, int Matches, int Active, int Inactive);

/// <summary>The beheerder's overview of every topic, withdrawn ones included, with the team that owns it.</summary>
public static class ListTopics
{
    [AllowedFor(Roles.Beheerder)]
    public sealed record Query(string? Text = null, TopicStatusFilter Status = TopicStatusFilter.All, int Max = 2000) : IRequest<TopicList>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory) : IRequestHandler<Query, TopicList>
    {
        public async Task<TopicList> Handle(Query request, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var counts = await db.Topics.GroupBy(t => t.IsActive).Select(g => new { IsActive = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);

            var topics = db.Topics.AsNoTracking();
            topics = request.Status switch
            {
                TopicStatusFilter.Active => topics.Where(t => t.IsActive),
                TopicStatusFilter.Inactive => topics.Where(t => !t.IsActive),
                _ => topics,
            };

            var text = request.Text?.Trim() ?? "";
            if (text.Contains("://", StringComparison.Ordinal))
            {
                // A pasted UPL address finds its topic.
                topics = topics.Where(t => t.Uri.Contains(text));
            }
            else
            {
                foreach (var word in Identifiers.FoldForSearch(text).Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(5))
                {
                    topics = topics.Where(t => t.SearchName.Contains(word));
                }
            }

            var matches = await topics.CountAsync(cancellationToken);
            var items = await topics
                .OrderBy(t => t.SearchName)
                .ThenBy(t => t.Id)
                .Take(Math.Clamp(request.Max, 1, 5000))
                .Select(t => new TopicListItem(t.Id, t.Name, t.Uri, t.IsActive, t.DefaultTeam == null ? null : t.DefaultTeam.Name, t.UpdatedAt))
                .ToListAsync(cancellationToken);
            return new TopicList(
                items,
                matches,
                counts.Where(c => c.IsActive).Sum(c => c.Count),
                counts.Where(c => !c.IsActive).Sum(c => c.Count));
        }
    }
}
