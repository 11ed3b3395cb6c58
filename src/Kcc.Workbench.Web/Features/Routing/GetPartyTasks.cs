using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Routing;

/// <summary>
/// "Hoe staat het met mijn vraag?": a resident's routed questions on the klantbeeld, open ones first by due date,
/// then the recently completed ones with their result.
/// </summary>
public static class GetPartyTasks
{
    public const int CompletedDays = 90;

    [AllowedFor(Roles.Frontoffice, Roles.Backoffice, Roles.Teamleider, Roles.Beheerder)]
    public sealed record Query(int PartyId) : IRequest<Response>;

    public sealed record Response(IReadOnlyList<TaskListItem> Open, IReadOnlyList<TaskListItem> Completed, DateTime Now);

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, TimeProvider clock, ICurrentUser currentUser) : IRequestHandler<Query, Response>
    {
        public async Task<Response> Handle(Query request, CancellationToken cancellationToken)
        {
            var access = await ContactAccess.ForAsync(currentUser);
            var now = clock.GetUtcNow().UtcDateTime;
            var since = now.AddDays(-CompletedDays);
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var rows = await db.InternalTasks.AsNoTracking()
                .Where(t => t.PartyId == request.PartyId && (t.Status == InternalTaskStatus.TeVerwerken || t.CompletedAt >= since))
                .WithVisibleContact(db, access)
                .OrderByDescending(t => t.CreatedAt).Take(200).ToRows().ToListAsync(cancellationToken);
            var items = rows.Select(r => r.ToItem(mask: false)).ToList();
            return new Response(
                items.Where(i => i.Status == InternalTaskStatus.TeVerwerken).OrderBy(i => i.DueAt).ToList(),
                items.Where(i => i.Status == InternalTaskStatus.Verwerkt).OrderByDescending(i => i.CompletedAt).ToList(),
                now);
        }
    }
}
