using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Routing;

/// <summary>The tasks of a contact's questions, for the contact page: which were routed, to whom, and how far they are.</summary>
public static class GetQuestionTasks
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice, Roles.Teamleider, Roles.Beheerder)]
    public sealed record Query(long ContactId) : IRequest<Response>;

    /// <param name="ByQuestion">Question id → its task.</param>
    public sealed record Response(IReadOnlyDictionary<long, TaskListItem> ByQuestion, DateTime Now);

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, TimeProvider clock, ICurrentUser currentUser) : IRequestHandler<Query, Response>
    {
        public async Task<Response> Handle(Query request, CancellationToken cancellationToken)
        {
            var access = await ContactAccess.ForAsync(currentUser);
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var tasks = await db.InternalTasks.AsNoTracking().Where(t => t.ContactId == request.ContactId).WithVisibleContact(db, access)
                .Select(t => new { t.QuestionId, t.Id }).ToListAsync(cancellationToken);
            var ids = tasks.Select(t => t.Id).ToList();
            var rows = await db.InternalTasks.AsNoTracking().Where(t => ids.Contains(t.Id)).ToRows().ToListAsync(cancellationToken);
            var byId = rows.ToDictionary(r => r.Id, r => r.ToItem(mask: false));
            return new Response(tasks.ToDictionary(t => t.QuestionId, t => byId[t.Id]), clock.GetUtcNow().UtcDateTime);
        }
    }
}
