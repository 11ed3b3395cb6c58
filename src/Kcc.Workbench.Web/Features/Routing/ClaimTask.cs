using Kcc.Workbench.Web.Infrastructure;
using MediatR;

namespace Kcc.Workbench.Web.Features.Routing;

/// <summary>Takes one particular task from the queue (or the task assigned to me) to work on it.</summary>
public static class ClaimTask
{
    [AllowedFor(Roles.Backoffice, Roles.Teamleider)]
    public sealed record Command(long TaskId, int Version) : IRequest<Result>;

    internal sealed class Handler(TaskChanges changes) : IRequestHandler<Command, Result>
    {
        public Task<Result> Handle(Command request, CancellationToken cancellationToken) =>
            changes.ApplyAsync(request.TaskId, request.Version, TaskAccess.Team, change =>
            {
                if (TaskChanges.Closed(change) is { } closed)
                {
                    return Task.FromResult<Result?>(closed);
                }

                var task = change.Task;
                if (change.IsAssignedToSomeoneElse && !change.IsTeamLead)
                {
                    return Task.FromResult<Result?>(Result.Fail(TaskChanges.TaskField, $"Deze taak is al opgepakt door {task.AssigneeName}."));
                }

                var previous = task.AssigneeId is not null && task.AssigneeId != change.ActorId ? task.AssigneeName : null;
                task.AssigneeId = change.ActorId;
                task.AssigneeName = change.ActorName;
                if (task.Step == TaskStep.Nieuw)
                {
                    task.Step = TaskStep.InBehandeling;
                }

                change.Kind = TaskLogKind.Opgepakt;
                change.LogText = previous is null ? "Opgepakt." : $"Overgenomen van {previous}.";
                return Task.FromResult<Result?>(null);
            }, cancellationToken);
    }
}
