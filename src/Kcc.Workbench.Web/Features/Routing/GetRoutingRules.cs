using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Routing;

/// <summary>The routing rules screen: every active topic with the team its routed questions go to, and why.</summary>
public static class GetRoutingRules
{
    [AllowedFor(Roles.Beheerder)]
    public sealed record Query(string? Text = null) : IRequest<Response>;

    /// <param name="TopicTeamName">The team the product list gives the topic; used when there is no rule.</param>
    public sealed record RuleItem(int TopicId, string TopicName, int? RuleTeamId, string? RuleTeamName, string? TopicTeamName, DateTime? UpdatedAt, string? UpdatedByName)
    {
        public string? EffectiveTeamName => RuleTeamName ?? TopicTeamName;
    }

    public sealed record Response(IReadOnlyList<RuleItem> Items, IReadOnlyList<TeamOption> Teams, int WithoutTeam);

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory) : IRequestHandler<Query, Response>
    {
        public async Task<Response> Handle(Query request, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var topics = db.Topics.AsNoTracking().Where(t => t.IsActive);
            foreach (var word in Identifiers.FoldForSearch(request.Text).Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(5))
            {
                topics = topics.Where(t => t.SearchName.Contains(word));
            }

            var items = await topics.OrderBy(t => t.SearchName)
                .Select(t => new
                {
                    t.Id, t.Name,
                    Rule = db.RoutingRules.Where(r => r.TopicId == t.Id).Select(r => new { r.TeamId, r.Team!.Name, r.UpdatedAt, r.UpdatedByName }).FirstOrDefault(),
                    TopicTeam = t.DefaultTeam == null ? null : t.DefaultTeam.Name,
                })
                .Take(5000)
                .ToListAsync(cancellationToken);
            var teams = await db.Teams.AsNoTracking().Where(t => t.IsActive).OrderBy(t => t.Name).Select(t => new TeamOption(t.Id, t.Name)).ToListAsync(cancellationToken);
            var list = items.Select(i => new RuleItem(i.Id, i.Name, i.Rule?.TeamId, i.Rule?.Name, i.TopicTeam, i.Rule?.UpdatedAt, i.Rule?.UpdatedByName)).ToList();
            return new Response(list, teams, list.Count(i => i.EffectiveTeamName is null));
        }
    }
}
