using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Routing;

/// <summary>The task page: the task, the original contact and question, the log; and whether I may act on it.</summary>
public static class GetTask
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice, Roles.Teamleider)]
    public sealed record Query(long TaskId) : IRequest<TaskDetails?>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser) : IRequestHandler<Query, TaskDetails?>
    {
        public async Task<TaskDetails?> Handle(Query request, CancellationToken cancellationToken)
        {
            var user = await currentUser.GetPrincipalAsync();
            var userId = user.RequireUserId();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            // A task is as confidential as the contact it came from: the task page shows that contact's question.
            var tasks = db.InternalTasks.AsNoTracking().Where(t => t.Id == request.TaskId).WithVisibleContact(db, ContactAccess.For(user));
            var row = await tasks.ToRows().FirstOrDefaultAsync(cancellationToken);
            if (row is null)
            {
                return null;
            }

            var task = await tasks.Select(t => new
            {
                t.Version, t.Explanation, t.ReachBy, t.ReachAt, t.Reachable, t.Norm, t.CreatedByName, t.CompletedByName, t.QuestionId, t.ContactId,
                QuestionText = t.Question!.Text,
            }).FirstAsync(cancellationToken);
            var contact = (await db.Contacts.AsNoTracking().Where(c => c.Id == task.ContactId).ToViewsAsync(db, cancellationToken)).First();
            var log = await db.TaskLogEntries.AsNoTracking().Where(e => e.TaskId == request.TaskId).OrderBy(e => e.Id)
                .Select(e => new TaskLogView(e.Id, e.At, e.EmployeeName, e.Kind, e.Text, e.Version, e.ContactId)).ToListAsync(cancellationToken);
            var canAct = user.IsInRole(Roles.Teamleider)
                || (user.IsInRole(Roles.Backoffice) && (row.AssigneeId == userId || await db.TeamMemberships.AnyAsync(m => m.TeamId == row.TeamId && m.EmployeeId == userId, cancellationToken)));

            // The task page is where the work happens: the whole question, not the list's snippet, and the name unmasked.
            var summary = row.ToItem(mask: false) with { Question = task.QuestionText };
            return new TaskDetails(summary, task.Version, task.Explanation, task.ReachBy, task.ReachAt, task.Reachable, task.Norm, task.CreatedByName,
                task.CompletedByName, task.QuestionId, contact, log, canAct);
        }
    }
}
