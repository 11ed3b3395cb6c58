using FluentValidation;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;

namespace Kcc.Workbench.Web.Features.Routing;

/// <summary>
/// Closes a task (verwerkt) with the result in words the KCC can read back to the resident. The agent who routed it
/// hears about it under the bell.
/// </summary>
public static class CompleteTask
{
    [AllowedFor(Roles.Backoffice, Roles.Teamleider)]
    public sealed record Command(long TaskId, int Version, string? Result) : IRequest<Result>;

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Result).NotEmpty().WithMessage("Schrijf het resultaat op, zodat het KCC het de inwoner kan vertellen.")
                .MaximumLength(TaskLimits.Result).WithMessage($"Het resultaat is te lang: hoogstens {TaskLimits.Result} tekens.");
        }
    }

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
                    return Task.FromResult<Result?>(Infrastructure.Result.Fail(TaskChanges.TaskField,
                        $"{task.AssigneeName} heeft deze taak opgepakt. Vraag het {task.AssigneeName} of de teamleider, of laat de taak aan u overdragen."));
                }

                change.TakeIfFree();
                task.Status = InternalTaskStatus.Verwerkt;
                task.Step = TaskStep.Afgerond;
                task.Result = request.Result!.Trim();
                task.CompletedAt = change.Now;
                task.CompletedByName = change.ActorName;
                task.RetryAt = null;
                change.Kind = TaskLogKind.Afgerond;
                change.LogText = "Afgerond: " + task.Result;
                change.Summary = $"Taak {task.Id} afgerond door {change.ActorName}: {task.Result}";
                change.NotifyEmployeeId = task.CreatedById;
                return Task.FromResult<Result?>(null);
            }, cancellationToken);
    }
}
