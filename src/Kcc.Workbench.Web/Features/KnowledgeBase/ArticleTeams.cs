using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.KnowledgeBase;

public sealed record TeamOption(int Id, string Name);

/// <summary>The teams an article can belong to, for the editor and the list filter.</summary>
public static class ArticleTeams
{
    [AllowedFor(Roles.Kennisbeheerder, Roles.Teamleider)]
    public sealed record Query : IRequest<IReadOnlyList<TeamOption>>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory) : IRequestHandler<Query, IReadOnlyList<TeamOption>>
    {
        public async Task<IReadOnlyList<TeamOption>> Handle(Query request, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await db.Teams.AsNoTracking().Where(t => t.IsActive).OrderBy(t => t.Name).Select(t => new TeamOption(t.Id, t.Name)).ToListAsync(cancellationToken);
        }
    }
}
