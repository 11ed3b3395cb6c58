using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Teams;

public sealed record TeamListItem(int Id, string Name);


/// <summary>The active teams, for choosing where a question goes.</summary>
public static class ListTeams
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice, Roles.Teamleider, Roles.Kennisbeheerder, Roles.Beheerder)]
    public sealed record Query : IRequest<IReadOnlyList<TeamListItem>>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory) : IRequestHandler<Query, IReadOnlyList<TeamListItem>>
    {
        public async Task<IReadOnlyList<TeamListItem>> Handle(Query request, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await db.Teams.AsNoTracking().Where(t => t.IsActive).OrderBy(t => t.Name).Select(t => new TeamListItem(t.Id, t.Name)).ToListAsync(cancellationToken);
        }
    }
}
