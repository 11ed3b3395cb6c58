using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Routing;

/// <summary>
/// The back-office queue: open tasks of my teams (or one of them), due first — overdue ones therefore on top —
/// with the counts above the table, and the tasks I have in hand.
/// </summary>
public static class GetQueueTasks
{
    [AllowedFor(Roles.Backoffice, Roles.Teamleider)]
    public sealed record Query(int? TeamId = null, int Max = 50) : IRequest<Response>;

    /// <param name="Teams">The teams the user can look at; a team lead can look at every team.</param>
    /// <param name="MyTeamIds">The teams the user is in: what "Volgende pakken" takes from.</param>
    public sealed record Response(
        IReadOnlyList<TeamOption> Teams,
        IReadOnlyList<int> MyTeamIds,
        int? TeamId,
        IReadOnlyList<TaskListItem> Items,
        int Open,
        int Overdue,
        int Unclaimed,
        IReadOnlyList<TaskListItem> Mine,
        DateTime Now);

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, TimeProvider clock) : IRequestHandler<Query, Response>
    {
        public async Task<Response> Handle(Query request, CancellationToken cancellationToken)
        {
            var user = await currentUser.GetPrincipalAsync();
            var userId = user.RequireUserId();
            var now = clock.GetUtcNow().UtcDateTime;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var myTeams = await db.TeamMemberships.AsNoTracking().Where(m => m.EmployeeId == userId && m.Team!.IsActive)
                .OrderBy(m => m.Team!.Name).Select(m => new TeamOption(m.TeamId, m.Team!.Name)).ToListAsync(cancellationToken);
            var teams = user.IsInRole(Roles.Teamleider)
                ? await db.Teams.AsNoTracking().Where(t => t.IsActive).OrderBy(t => t.Name).Select(t => new TeamOption(t.Id, t.Name)).ToListAsync(cancellationToken)
                : myTeams;

            int? teamId = request.TeamId is { } requested && teams.Any(t => t.Id == requested) ? requested : null;
            var teamIds = teamId is { } one ? [one] : myTeams.Select(t => t.Id).ToList();
            var open = db.InternalTasks.AsNoTracking().Where(t => t.Status == InternalTaskStatus.TeVerwerken);
            open = teamIds.Count == 1 ? open.Where(t => t.TeamId == teamIds[0]) : open.Where(t => teamIds.Contains(t.TeamId));

            var items = await open.OrderBy(t => t.DueAt).ThenBy(t => t.Id).Take(Math.Clamp(request.Max, 1, 500)).ToRows().ToListAsync(cancellationToken);
            // One pass over the (team, status, assignee, due) index for all three counts.
            var counts = await open.GroupBy(t => 1)
                .Select(g => new { Open = g.Count(), Overdue = g.Count(t => t.DueAt < now), Unclaimed = g.Count(t => t.AssigneeId == null) })
                .FirstOrDefaultAsync(cancellationToken);
            var mine = await db.InternalTasks.AsNoTracking()
                .Where(t => t.AssigneeId == userId && t.Status == InternalTaskStatus.TeVerwerken)
                .OrderBy(t => t.DueAt).Take(100).ToRows().ToListAsync(cancellationToken);

            return new Response(teams, myTeams.Select(t => t.Id).ToList(), teamId,
                items.Select(r => r.ToItem(mask: true)).ToList(), counts?.Open ?? 0, counts?.Overdue ?? 0, counts?.Unclaimed ?? 0,
                mine.Select(r => r.ToItem(mask: true)).ToList(), now);
        }
    }
}
