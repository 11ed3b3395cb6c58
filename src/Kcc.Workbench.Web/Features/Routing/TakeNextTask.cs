using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Routing;

/// <summary>
/// "Volgende pakken": gives the employee the open, unclaimed task of their teams that is due first. Atomic without
/// locks of its own: a conditional UPDATE that only matches while nobody has the task; when a colleague was faster
/// (0 rows), it takes the next candidate. Works the same on SQLite and PostgreSQL.
/// </summary>
public static class TakeNextTask
{
    public const string QueueField = "Queue";

    private const int MaxAttempts = 25;

    [AllowedFor(Roles.Backoffice, Roles.Teamleider)]
    public sealed record Command(int? TeamId = null) : IRequest<Result<long>>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, TimeProvider clock, IMediator mediator)
        : IRequestHandler<Command, Result<long>>
    {
        public async Task<Result<long>> Handle(Command request, CancellationToken cancellationToken)
        {
            var user = await currentUser.GetPrincipalAsync();
            var actorId = user.RequireUserId();
            var actorName = user.DisplayName();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var myTeams = await db.TeamMemberships.Where(m => m.EmployeeId == actorId).Select(m => m.TeamId).ToListAsync(cancellationToken);
            List<int> teamIds;
            if (request.TeamId is { } teamId)
            {
                if (!myTeams.Contains(teamId) && !user.IsInRole(Roles.Teamleider))
                {
                    return Result<long>.Fail(nameof(Command.TeamId), "U zit niet in dit team.");
                }

                teamIds = [teamId];
            }
            else
            {
                teamIds = myTeams;
            }

            if (teamIds.Count == 0)
            {
                return Result<long>.Fail(nameof(Command.TeamId), "U zit nog in geen team. Vraag de beheerder om u aan een team toe te voegen.");
            }

            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var open = db.InternalTasks.Where(t => t.Status == InternalTaskStatus.TeVerwerken && t.AssigneeId == null);
                // One team is an equality the queue index serves in due order; several need the IN list.
                open = teamIds.Count == 1 ? open.Where(t => t.TeamId == teamIds[0]) : open.Where(t => teamIds.Contains(t.TeamId));
                var candidate = await open.OrderBy(t => t.DueAt).ThenBy(t => t.Id).Select(t => new { t.Id, t.TeamId }).FirstOrDefaultAsync(cancellationToken);
                if (candidate is null)
                {
                    return Result<long>.Fail(QueueField, "Er staan geen taken meer klaar om te pakken.");
                }

                var now = clock.GetUtcNow().UtcDateTime;
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var taken = await db.InternalTasks
                    .Where(t => t.Id == candidate.Id && t.AssigneeId == null && t.Status == InternalTaskStatus.TeVerwerken)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(t => t.AssigneeId, actorId)
                        .SetProperty(t => t.AssigneeName, actorName)
                        .SetProperty(t => t.Step, t => t.Step == TaskStep.Nieuw ? TaskStep.InBehandeling : t.Step)
                        .SetProperty(t => t.Version, t => t.Version + 1)
                        .SetProperty(t => t.UpdatedAt, now), cancellationToken);
                if (taken == 0)
                {
                    // A colleague took it between our read and our update: try the next one.
                    await transaction.RollbackAsync(cancellationToken);
                    continue;
                }

                var version = await db.InternalTasks.Where(t => t.Id == candidate.Id).Select(t => t.Version).FirstAsync(cancellationToken);
                db.TaskLogEntries.Add(new TaskLogEntry
                {
                    TaskId = candidate.Id,
                    At = now,
                    EmployeeId = actorId,
                    EmployeeName = actorName,
                    Kind = TaskLogKind.Opgepakt,
                    Text = "Opgepakt met Volgende pakken.",
                    Version = version,
                });
                var scope = new EventScope(db, actorId, actorName, now);
                await mediator.Publish(new TaskChanged(candidate.Id, TaskLogKind.Opgepakt, candidate.TeamId, null, null,
                    $"Taak {candidate.Id} opgepakt door {actorName} met Volgende pakken.", scope), cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                scope.Committed();
                return Result<long>.Ok(candidate.Id);
            }

            return Result<long>.Fail(QueueField, "Het lukte niet om een taak te pakken omdat collega's tegelijk pakten. Probeer het nog eens.");
        }
    }
}
