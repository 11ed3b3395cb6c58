using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Routing;

/// <summary>
/// Regie: every open task of every team, due first, so the KCC keeps track until the resident has been helped.
/// Optionally one team, or only the overdue ones.
/// </summary>
public static class GetOpenTasks
{
    [AllowedFor(Roles.Frontoffice, Roles.Teamleider)]
    public sealed record Query(int? TeamId = null, bool OverdueOnly = false, int Max = 100) : IRequest<Response>;

    public sealed record Response(IReadOnlyList<TeamOption> Teams, IReadOnlyList<TaskListItem> Items, int Matches, int Overdue, DateTime Now);

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, TimeProvider clock) : IRequestHandler<Query, Response>
    {
        public async Task<Response> Handle(Query request, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var teams = await db.Teams.AsNoTracking().Where(t => t.IsActive).OrderBy(t => t.Name).Select(t => new TeamOption(t.Id, t.Name)).ToListAsync(cancellationToken);
            var open = db.InternalTasks.AsNoTracking().Where(t => t.Status == InternalTaskStatus.TeVerwerken);
            if (request.TeamId is { } teamId)
            {
                open = open.Where(t => t.TeamId == teamId);
            }

            var overdue = await open.CountAsync(t => t.DueAt < now, cancellationToken);
            if (request.OverdueOnly)
            {
                open = open.Where(t => t.DueAt < now);
            }

            var matches = await open.CountAsync(cancellationToken);
            var rows = await open.OrderBy(t => t.DueAt).ThenBy(t => t.Id).Take(Math.Clamp(request.Max, 1, 1000)).ToRows().ToListAsync(cancellationToken);
            return new Response(teams, rows.Select(r => r.ToItem(mask: false)).ToList(), matches, overdue, now);
        }
    }
}
