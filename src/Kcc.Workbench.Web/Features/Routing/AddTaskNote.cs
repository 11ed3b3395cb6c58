using FluentValidation;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;

namespace Kcc.Workbench.Web.Features.Routing;

/// <summary>A note in the task's log, from the back office or from the KCC ("inwoner belde opnieuw").</summary>
public static class AddTaskNote
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice, Roles.Teamleider)]
    public sealed record Command(long TaskId, string? Text) : IRequest<Result>;

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Text).NotEmpty().WithMessage("Schrijf de notitie.")
                .MaximumLength(TaskLimits.Note).WithMessage($"De notitie is te lang: hoogstens {TaskLimits.Note} tekens.");
        }
    }

    internal sealed class Handler(TaskChanges changes) : IRequestHandler<Command, Result>
    {
        public Task<Result> Handle(Command request, CancellationToken cancellationToken) =>
            changes.ApplyAsync(request.TaskId, expectedVersion: null, TaskAccess.Anyone, change =>
            {
                change.ChangesTask = false;
                change.Kind = TaskLogKind.Notitie;
                change.LogText = request.Text!.Trim();
                change.Summary = $"Notitie bij taak {change.Task.Id}.";
                return Task.FromResult<Result?>(null);
            }, cancellationToken);
    }
}
