using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Routing;

/// <summary>The team lead's escalation list: overdue open tasks of the teams they lead, most overdue first.</summary>
public static class GetEscalations
{
    [AllowedFor(Roles.Teamleider)]
    public sealed record Query(int Max = 100) : IRequest<Response>;

    public sealed record Response(IReadOnlyList<TeamOption> MyTeams, IReadOnlyList<TaskListItem> Items, int Total, DateTime Now);

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, TimeProvider clock) : IRequestHandler<Query, Response>
    {
        public async Task<Response> Handle(Query request, CancellationToken cancellationToken)
        {
            var userId = (await currentUser.GetPrincipalAsync()).RequireUserId();
            var now = clock.GetUtcNow().UtcDateTime;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var myTeams = await db.TeamMemberships.AsNoTracking().Where(m => m.EmployeeId == userId)
                .OrderBy(m => m.Team!.Name).Select(m => new TeamOption(m.TeamId, m.Team!.Name)).ToListAsync(cancellationToken);
            var teamIds = myTeams.Select(t => t.Id).ToList();
            var overdue = db.InternalTasks.AsNoTracking()
                .Where(t => t.Status == InternalTaskStatus.TeVerwerken && t.DueAt < now && teamIds.Contains(t.TeamId));
            var total = await overdue.CountAsync(cancellationToken);
            var rows = await overdue.OrderBy(t => t.DueAt).ThenBy(t => t.Id).Take(Math.Clamp(request.Max, 1, 1000)).ToRows().ToListAsync(cancellationToken);
            return new Response(myTeams, rows.Select(r => r.ToItem(mask: false)).ToList(), total, now);
        }
    }
}
