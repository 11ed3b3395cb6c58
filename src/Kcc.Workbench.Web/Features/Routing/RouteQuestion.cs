using FluentValidation;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Features.Routing.ServiceNorms;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Routing;

/// <summary>
/// Turns a logged question that needs the back office into an internal task: requested action, explanation, how to
/// reach the resident, the team (from the routing rule unless the agent chose another) and maybe one employee, with
/// the due date of the service norm. The contact form routes its questions through <see cref="QuestionRouter"/> in
/// the same transaction as the contact; this command routes a question that was logged without a task.
/// </summary>
public static class RouteQuestion
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice, Roles.Teamleider)]
    public sealed record Command(long QuestionId, RoutingInput Routing) : IRequest<Result<long>>;

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Routing).NotNull().WithMessage("Vul de gegevens voor de backoffice in.").SetValidator(new RoutingInputValidator());
        }
    }

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, TimeProvider clock, QuestionRouter router)
        : IRequestHandler<Command, Result<long>>
    {
        public async Task<Result<long>> Handle(Command request, CancellationToken cancellationToken)
        {
            var user = await currentUser.GetPrincipalAsync();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            // A confidential contact the user may not read does not exist for them: routing it onto their own team
            // would otherwise be a way in.
            var visible = db.Contacts.VisibleTo(db, ContactAccess.For(user));
            var question = await db.Questions.Include(q => q.Contact)
                .FirstOrDefaultAsync(q => q.Id == request.QuestionId && visible.Any(c => c.Id == q.ContactId), cancellationToken);
            if (question?.Contact is null)
            {
                return Result<long>.Fail(nameof(Command.QuestionId), "Deze vraag bestaat niet.");
            }

            if (!question.NeedsRouting)
            {
                return Result<long>.Fail(nameof(Command.QuestionId), "Deze vraag is beantwoord en hoeft niet naar de backoffice.");
            }

            if (await db.InternalTasks.AnyAsync(t => t.QuestionId == question.Id, cancellationToken))
            {
                return Result<long>.Fail(nameof(Command.QuestionId), "Deze vraag is al doorgezet.");
            }

            var plan = await QuestionRouter.CheckAsync(db, request.Routing, question.Contact.PartyId, nameof(Command.Routing), cancellationToken);
            if (plan.Errors is not null)
            {
                return Result<long>.Fail(plan.Errors);
            }

            var scope = new EventScope(db, user.RequireUserId(), user.DisplayName(), clock.GetUtcNow().UtcDateTime);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var task = await router.AddTaskAsync(scope, question, question.Contact, plan, cancellationToken);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // The unique index on QuestionId: a colleague routed it in the same moment.
                return Result<long>.Fail(nameof(Command.QuestionId), "Deze vraag is zojuist al doorgezet.");
            }

            await router.PublishAsync(scope, task, plan, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            scope.Committed();
            return Result<long>.Ok(task.Id);
        }
    }
}

/// <summary>What the agent fills in under a question that goes to the back office.</summary>
public sealed record RoutingInput
{
    public RequestedAction? Action { get; init; }

    public int? TeamId { get; init; }

    /// <summary>Optionally one employee of the team.</summary>
    public string? AssigneeId { get; init; }

    public string? Explanation { get; init; }

    public ReachBy? ReachBy { get; init; }

    public string? ReachAt { get; init; }

    public string? Reachable { get; init; }
}

/// <summary>Dutch messages next to the routing fields; shared by the contact form and RouteQuestion.</summary>
internal sealed class RoutingInputValidator : AbstractValidator<RoutingInput>
{
    public RoutingInputValidator()
    {
        RuleFor(r => r.Action).NotNull().WithMessage("Kies wat de backoffice moet doen.")
            .IsInEnum().WithMessage("Kies wat de backoffice moet doen.");
        RuleFor(r => r.TeamId).NotNull().WithMessage("Kies het team dat de vraag oppakt.");
        RuleFor(r => r.Explanation)
            .MaximumLength(TaskLimits.Explanation).WithMessage($"De toelichting is te lang: hoogstens {TaskLimits.Explanation} tekens.");
        RuleFor(r => r.Reachable)
            .MaximumLength(TaskLimits.Reachable).WithMessage($"Bereikbaar is te lang: hoogstens {TaskLimits.Reachable} tekens.");

        When(r => r.Action == RequestedAction.Terugbellen, () =>
        {
            RuleFor(r => r.ReachBy).Equal(ReachBy.Telefoon).WithMessage("Terugbellen gaat per telefoon: kies Telefoon.");
            RuleFor(r => r.ReachAt).NotEmpty().WithMessage("Vul het telefoonnummer in waarop de inwoner wordt teruggebeld.");
        });
        When(r => r.Action == RequestedAction.BeantwoordenPerEmail, () =>
        {
            RuleFor(r => r.ReachBy).Equal(ReachBy.Email).WithMessage("Beantwoorden per e-mail: kies E-mail.");
            RuleFor(r => r.ReachAt).NotEmpty().WithMessage("Vul het e-mailadres in waarop de inwoner het antwoord krijgt.");
        });
        RuleFor(r => r.ReachBy).NotNull().When(r => !string.IsNullOrWhiteSpace(r.ReachAt))
            .WithMessage("Kies of het een telefoonnummer of een e-mailadres is.");
        RuleFor(r => r.ReachAt)
            .Must(v => Identifiers.NormalizePhone(v) is not null).When(r => r.ReachBy == ReachBy.Telefoon && !string.IsNullOrWhiteSpace(r.ReachAt))
            .WithMessage("Dit telefoonnummer klopt niet. Gebruik bijvoorbeeld 06 1234 5678 of +31 20 123 4567.");
        RuleFor(r => r.ReachAt)
            .Must(v => v!.Length <= TaskLimits.ReachAt && Identifiers.NormalizeEmail(v) is not null).When(r => r.ReachBy == ReachBy.Email && !string.IsNullOrWhiteSpace(r.ReachAt))
            .WithMessage("Dit e-mailadres klopt niet. Gebruik bijvoorbeeld naam@voorbeeld.nl.");
    }
}

/// <summary>A routing that passed the checks against the database, or the messages why not.</summary>
internal sealed record RoutingPlan(RoutingInput Input, int TeamId, string TeamName, string? AssigneeId, string? AssigneeName, IReadOnlyDictionary<string, string[]>? Errors)
{
    public static RoutingPlan Failed(RoutingInput input, string field, string message) =>
        new(input, 0, "", null, null, new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>
/// Creates internal tasks inside the caller's transaction and publishes <see cref="TaskRouted"/> in it, so a contact,
/// its tasks, their audit entries and notifications are saved together or not at all.
/// </summary>
internal sealed class QuestionRouter(PromisedDates promisedDates, IMediator mediator)
{
    /// <summary>Checks what the validator cannot: the team exists, the employee is in it, a letter has an address.</summary>
    public static async Task<RoutingPlan> CheckAsync(KccDbContext db, RoutingInput input, int? partyId, string fieldPrefix, CancellationToken cancellationToken)
    {
        var team = await db.Teams.AsNoTracking().Where(t => t.Id == input.TeamId!.Value && t.IsActive).Select(t => new { t.Id, t.Name }).FirstOrDefaultAsync(cancellationToken);
        if (team is null)
        {
            return RoutingPlan.Failed(input, $"{fieldPrefix}.TeamId", "Dit team bestaat niet (meer). Kies een ander team.");
        }

        string? assigneeName = null;
        if (!string.IsNullOrEmpty(input.AssigneeId))
        {
            assigneeName = await db.TeamMemberships.Where(m => m.TeamId == team.Id && m.EmployeeId == input.AssigneeId)
                .Select(m => m.Employee!.DisplayName).FirstOrDefaultAsync(cancellationToken);
            if (assigneeName is null)
            {
                return RoutingPlan.Failed(input, $"{fieldPrefix}.AssigneeId", $"Deze medewerker zit niet in team {team.Name}. Kies iemand uit het team of laat het leeg.");
            }
        }

        if (input.Action == RequestedAction.BeantwoordenPerBrief)
        {
            var hasAddress = partyId is not null && await db.Parties.AnyAsync(p => p.Id == partyId && p.Postcode != null, cancellationToken);
            if (!hasAddress)
            {
                return RoutingPlan.Failed(input, $"{fieldPrefix}.Action", "Voor een brief is een adres nodig. Kies of registreer de inwoner met adres, of kies een andere manier.");
            }
        }

        return new RoutingPlan(input, team.Id, team.Name, string.IsNullOrEmpty(input.AssigneeId) ? null : input.AssigneeId, assigneeName, null);
    }

    /// <summary>Adds the task and its first log line to the scope's context; the caller saves.</summary>
    public async Task<InternalTask> AddTaskAsync(EventScope scope, Question question, Contact contact, RoutingPlan plan, CancellationToken cancellationToken)
    {
        var input = plan.Input;
        var action = input.Action!.Value;
        var promise = await promisedDates.ForAsync(scope.Db, action, contact.Channel, question.TopicId, scope.Now, cancellationToken);
        var reachAt = string.IsNullOrWhiteSpace(input.ReachAt) ? null : input.ReachAt.Trim();
        var task = new InternalTask
        {
            QuestionId = question.Id,
            Question = question,
            ContactId = contact.Id,
            PartyId = contact.PartyId,
            TopicId = question.TopicId,
            Channel = contact.Channel,
            TeamId = plan.TeamId,
            AssigneeId = plan.AssigneeId,
            AssigneeName = plan.AssigneeName,
            Action = action,
            Explanation = string.IsNullOrWhiteSpace(input.Explanation) ? null : input.Explanation.Trim(),
            ReachBy = reachAt is null ? null : input.ReachBy,
            ReachAt = reachAt,
            Reachable = string.IsNullOrWhiteSpace(input.Reachable) ? null : input.Reachable.Trim(),
            DueAt = promise.DueAt,
            Norm = promise.Norm,
            CreatedAt = scope.Now,
            CreatedById = scope.ActorId,
            CreatedByName = scope.ActorName,
            UpdatedAt = scope.Now,
        };
        task.Log.Add(new TaskLogEntry
        {
            At = scope.Now,
            EmployeeId = scope.ActorId,
            EmployeeName = scope.ActorName,
            Kind = TaskLogKind.Aangemaakt,
            Text = $"{action.Label()} door team {plan.TeamName}{(plan.AssigneeName is null ? "" : $" ({plan.AssigneeName})")}, {TaskTiming.Promise(promise.DueAt)} ({promise.Norm}).",
            Version = task.Version,
        });
        scope.Db.InternalTasks.Add(task);
        return task;
    }

    /// <summary>After the task has its id: the queue, audit and assignee handlers run in the same transaction.</summary>
    public async Task PublishAsync(EventScope scope, InternalTask task, RoutingPlan plan, CancellationToken cancellationToken)
    {
        var topic = await scope.Db.Topics.Where(t => t.Id == task.TopicId).Select(t => t.Name).FirstAsync(cancellationToken);
        var summary = $"{task.Action.Label()}: {topic}, doorgezet naar {plan.TeamName}{(plan.AssigneeName is null ? "" : $" voor {plan.AssigneeName}")} door {scope.ActorName}, {TaskTiming.Promise(task.DueAt)}.";
        await mediator.Publish(new TaskRouted(task.Id, task.TeamId, task.AssigneeId, summary, scope), cancellationToken);
    }
}
