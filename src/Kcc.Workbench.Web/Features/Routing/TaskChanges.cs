using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Routing;

/// <summary>Who may change a task.</summary>
internal enum TaskAccess
{
    /// <summary>Members of the task's team, its assignee and team leads.</summary>
    Team,

    /// <summary>Everyone the request allows (a note from the KCC, for instance).</summary>
    Anyone,
}

/// <summary>One change to one task as a use case applies it; the runner logs, saves and publishes it.</summary>
internal sealed class TaskChange(InternalTask task, KccDbContext db, string actorId, string actorName, DateTime now, bool isTeamLead)
{
    public InternalTask Task { get; } = task;

    public KccDbContext Db { get; } = db;

    public string ActorId { get; } = actorId;

    public string ActorName { get; } = actorName;

    public DateTime Now { get; } = now;

    public bool IsTeamLead { get; } = isTeamLead;

    public TaskLogKind Kind { get; set; }

    /// <summary>The line in the task's log; also the audit summary unless <see cref="Summary"/> says otherwise.</summary>
    public string LogText { get; set; } = "";

    public string? Summary { get; set; }

    public long? ContactId { get; set; }

    public int? PreviousTeamId { get; set; }

    public string? NotifyEmployeeId { get; set; }

    /// <summary>Notes and logged contacts add to the log without changing the task: they never conflict with a colleague's change.</summary>
    public bool ChangesTask { get; set; } = true;

    public bool IsAssignedToSomeoneElse => Task.AssigneeId is not null && Task.AssigneeId != ActorId;

    public void TakeIfFree()
    {
        if (Task.AssigneeId is null)
        {
            Task.AssigneeId = ActorId;
            Task.AssigneeName = ActorName;
        }
    }
}

/// <summary>
/// Loads a task, checks the version the user saw and their right to act, applies the use case's change, logs it,
/// saves with the version as concurrency token (nothing is silently overwritten) and publishes <see cref="TaskChanged"/>
/// in the same transaction.
/// </summary>
internal sealed class TaskChanges(IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, TimeProvider clock, IMediator mediator)
{
    public const string VersionField = "Version";
    public const string TaskField = "TaskId";

    public const string ConflictMessage =
        "Iemand anders heeft deze taak gewijzigd nadat u hem opende. Uw wijziging is niet opgeslagen. Hieronder ziet u wat er veranderde; kijk of uw wijziging nog nodig is.";

    /// <param name="change">Applies the change; returns a failure (a Dutch message) to refuse it.</param>
    public async Task<Result> ApplyAsync(long taskId, int? expectedVersion, TaskAccess access, Func<TaskChange, Task<Result?>> change, CancellationToken cancellationToken)
    {
        var user = await currentUser.GetPrincipalAsync();
        var actorId = user.RequireUserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var task = await db.InternalTasks.Include(t => t.Team).FirstOrDefaultAsync(t => t.Id == taskId, cancellationToken);
        if (task is null)
        {
            return Result.Fail(TaskField, "Deze taak bestaat niet.");
        }

        if (expectedVersion is { } expected && expected != task.Version)
        {
            return Result.Fail(VersionField, ConflictMessage);
        }

        var isTeamLead = user.IsInRole(Roles.Teamleider);
        if (access == TaskAccess.Team && !isTeamLead && task.AssigneeId != actorId
            && !await db.TeamMemberships.AnyAsync(m => m.TeamId == task.TeamId && m.EmployeeId == actorId, cancellationToken))
        {
            return Result.Fail(TaskField, $"Deze taak is van team {task.Team!.Name}. Alleen dat team kan hem behandelen; u kunt wel een notitie toevoegen.");
        }

        // From here on one transaction: what the change itself saves (a logged contact) commits with the log line or not at all.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var context = new TaskChange(task, db, actorId, user.DisplayName(), clock.GetUtcNow().UtcDateTime, isTeamLead);
        if (await change(context) is { } refused)
        {
            return refused;
        }

        if (context.ChangesTask)
        {
            task.UpdatedAt = context.Now;
            task.Version++;
            // The UPDATE only matches the version the user saw: a colleague's save in between makes it fail.
            db.Entry(task).Property(t => t.Version).OriginalValue = expectedVersion ?? task.Version - 1;
        }

        db.TaskLogEntries.Add(new TaskLogEntry
        {
            TaskId = task.Id,
            At = context.Now,
            EmployeeId = actorId,
            EmployeeName = context.ActorName,
            Kind = context.Kind,
            Text = context.LogText,
            Version = task.Version,
            ContactId = context.ContactId,
        });

        var scope = new EventScope(db, actorId, context.ActorName, context.Now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Result.Fail(VersionField, ConflictMessage);
        }

        await mediator.Publish(new TaskChanged(task.Id, context.Kind, task.TeamId, context.PreviousTeamId, context.NotifyEmployeeId,
            context.Summary ?? $"Taak {task.Id}: {context.LogText}", scope), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        scope.Committed();
        return Result.Ok();
    }

    public static Result? Closed(TaskChange change) => change.Task.Status == InternalTaskStatus.Verwerkt
        ? Result.Fail(TaskField, "Deze taak is al afgerond.")
        : null;
}
