using Kcc.Workbench.Web.Infrastructure;
using MediatR;

namespace Kcc.Workbench.Web.Features.Routing;

/// <summary>Puts a task back in the team queue, so a colleague can take it with "Volgende pakken".</summary>
public static class ReleaseTask
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
                if (task.AssigneeId is null)
                {
                    return Task.FromResult<Result?>(Result.Fail(TaskChanges.TaskField, "Deze taak staat al in de teamwachtrij."));
                }

                if (change.IsAssignedToSomeoneElse && !change.IsTeamLead)
                {
                    return Task.FromResult<Result?>(Result.Fail(TaskChanges.TaskField, $"Alleen {task.AssigneeName} of de teamleider kan deze taak terugleggen."));
                }

                var previous = task.AssigneeName;
                task.AssigneeId = null;
                task.AssigneeName = null;
                task.Step = task.Attempts > 0 ? TaskStep.NietBereikt : TaskStep.Nieuw;
                change.Kind = TaskLogKind.Vrijgegeven;
                change.LogText = previous == change.ActorName ? "Teruggelegd in de teamwachtrij." : $"Teruggelegd in de teamwachtrij (had {previous}).";
                return Task.FromResult<Result?>(null);
            }, cancellationToken);
    }
}
