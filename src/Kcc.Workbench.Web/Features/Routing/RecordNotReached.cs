using FluentValidation;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;

namespace Kcc.Workbench.Web.Features.Routing;

/// <summary>
/// "Niet bereikt": the resident did not answer. The task stays open with the employee, counts the attempt and says
/// when to try again (by default two office hours later).
/// </summary>
public static class RecordNotReached
{
    [AllowedFor(Roles.Backoffice, Roles.Teamleider)]
    public sealed record Command(long TaskId, int Version, string? Note, DateTime? RetryAt = null) : IRequest<Result>;

    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromHours(2);

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(c => c.Note)
                .MaximumLength(TaskLimits.Note).WithMessage($"De notitie is te lang: hoogstens {TaskLimits.Note} tekens.");
            RuleFor(c => c.RetryAt)
                .Must(r => r is null || r.Value > clock.GetUtcNow().UtcDateTime)
                .WithMessage("Kies een moment in de toekomst voor de nieuwe poging.");
        }
    }

    internal sealed class Handler(TaskChanges changes, OfficeCalendar calendar) : IRequestHandler<Command, Result>
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
                    return Task.FromResult<Result?>(Result.Fail(TaskChanges.TaskField, $"{task.AssigneeName} heeft deze taak opgepakt."));
                }

                change.TakeIfFree();
                task.Attempts++;
                task.Step = TaskStep.NietBereikt;
                task.RetryAt = request.RetryAt ?? calendar.AddOfficeHours(change.Now, DefaultRetryAfter);
                change.Kind = TaskLogKind.NietBereikt;
                var note = string.IsNullOrWhiteSpace(request.Note) ? "" : " " + request.Note.Trim();
                change.LogText = $"Niet bereikt (poging {task.Attempts}). Nieuwe poging {TaskTiming.LongMoment(task.RetryAt.Value)}.{note}";
                return Task.FromResult<Result?>(null);
            }, cancellationToken);
    }
}
