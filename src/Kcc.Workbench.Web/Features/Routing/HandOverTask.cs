using FluentValidation;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Routing.ServiceNorms;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Routing;

/// <summary>
/// Hands a task to a colleague or to another team, with the reason. Moving to another team starts its service norm
/// again from now (the new team gets the full term), unless the due date is kept because the resident was promised it.
/// </summary>
public static class HandOverTask
{
    [AllowedFor(Roles.Backoffice, Roles.Teamleider)]
    public sealed record Command(long TaskId, int Version, int? TeamId, string? AssigneeId, string? Reason, bool KeepDueDate = false) : IRequest<Result>;

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.TeamId).NotNull().WithMessage("Kies het team.");
            RuleFor(c => c.Reason).NotEmpty().WithMessage("Schrijf waarom u de taak overdraagt.")
                .MaximumLength(TaskLimits.Reason).WithMessage($"De reden is te lang: hoogstens {TaskLimits.Reason} tekens.");
        }
    }

    internal sealed class Handler(TaskChanges changes, PromisedDates promisedDates) : IRequestHandler<Command, Result>
    {
        public Task<Result> Handle(Command request, CancellationToken cancellationToken) =>
            changes.ApplyAsync(request.TaskId, request.Version, TaskAccess.Team, async change =>
            {
                if (TaskChanges.Closed(change) is { } closed)
                {
                    return closed;
                }

                var task = change.Task;
                var db = change.Db;
                var team = await db.Teams.Where(t => t.Id == request.TeamId && t.IsActive).Select(t => new { t.Id, t.Name }).FirstOrDefaultAsync(cancellationToken);
                if (team is null)
                {
                    return Result.Fail(nameof(Command.TeamId), "Dit team bestaat niet (meer). Kies een ander team.");
                }

                var assigneeId = string.IsNullOrEmpty(request.AssigneeId) ? null : request.AssigneeId;
                string? assigneeName = null;
                if (assigneeId is not null)
                {
                    assigneeName = await db.TeamMemberships.Where(m => m.TeamId == team.Id && m.EmployeeId == assigneeId)
                        .Select(m => m.Employee!.DisplayName).FirstOrDefaultAsync(cancellationToken);
                    if (assigneeName is null)
                    {
                        return Result.Fail(nameof(Command.AssigneeId), $"Deze medewerker zit niet in team {team.Name}.");
                    }
                }

                var otherTeam = team.Id != task.TeamId;
                if (!otherTeam && (assigneeId is null || assigneeId == task.AssigneeId))
                {
                    return Result.Fail(nameof(Command.AssigneeId), "Kies een collega of een ander team.");
                }

                var to = assigneeName is null ? $"team {team.Name}" : otherTeam ? $"{assigneeName} (team {team.Name})" : assigneeName;
                var due = "";
                if (otherTeam)
                {
                    change.PreviousTeamId = task.TeamId;
                    task.TeamId = team.Id;
                    if (!request.KeepDueDate)
                    {
                        var promise = await promisedDates.ForAsync(db, task.Action, task.Channel, task.TopicId, change.Now, cancellationToken);
                        task.DueAt = promise.DueAt;
                        task.Norm = promise.Norm;
                        due = $" Nieuwe termijn: {TaskTiming.Promise(task.DueAt)} ({promise.Norm}).";
                    }
                    else
                    {
                        due = $" Termijn blijft {TaskTiming.Promise(task.DueAt)}.";
                    }
                }

                task.AssigneeId = assigneeId;
                task.AssigneeName = assigneeName;
                task.Step = task.Attempts > 0 ? TaskStep.NietBereikt : TaskStep.Nieuw;
                change.Kind = TaskLogKind.Overgedragen;
                change.LogText = $"Overgedragen aan {to}: {request.Reason!.Trim()}{due}";
                change.Summary = $"Taak {task.Id} overgedragen aan {to} door {change.ActorName}: {request.Reason.Trim()}";
                change.NotifyEmployeeId = assigneeId;
                return null;
            }, cancellationToken);
    }
}
