using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Teams;

public sealed record TeamMemberItem(string EmployeeId, string Name);

/// <summary>The employees of one team, for assigning a question or handing over a task.</summary>
public static class ListTeamMembers
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice, Roles.Teamleider)]
    public sealed record Query(int TeamId) : IRequest<IReadOnlyList<TeamMemberItem>>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory) : IRequestHandler<Query, IReadOnlyList<TeamMemberItem>>
    {
        public async Task<IReadOnlyList<TeamMemberItem>> Handle(Query request, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await db.TeamMemberships.AsNoTracking().Where(m => m.TeamId == request.TeamId)
                .OrderBy(m => m.Employee!.DisplayName)
                .Select(m => new TeamMemberItem(m.EmployeeId, m.Employee!.DisplayName)).ToListAsync(cancellationToken);
        }
    }
}
