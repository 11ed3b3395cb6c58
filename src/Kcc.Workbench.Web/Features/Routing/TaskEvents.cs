using Kcc.Workbench.Web.Features.Audit;
using Kcc.Workbench.Web.Features.Notifications;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;

namespace Kcc.Workbench.Web.Features.Routing;

/// <summary>A question became an internal task for a team (and maybe one employee of it).</summary>
/// <param name="Summary">One Dutch sentence for the audit log and the assignee's notification.</param>
public sealed record TaskRouted(long TaskId, int TeamId, string? AssigneeId, string Summary, EventScope Scope) : INotification;

/// <summary>Something happened to a task: taken, released, handed over, not reached, completed, a note or a contact.</summary>
/// <param name="PreviousTeamId">Set when the task moved to another team: that team's queues change too.</param>
/// <param name="NotifyEmployeeId">An employee who should hear about it (the colleague a task was handed to).</param>
public sealed record TaskChanged(long TaskId, TaskLogKind Change, int TeamId, int? PreviousTeamId, string? NotifyEmployeeId, string Summary, EventScope Scope) : INotification;

/// <summary>
/// The task is in its team's queue as soon as it is saved (the queue is a query); this makes every open queue of the
/// team, and the regie overview, reload. Only after the commit: before it, a reload would not see the task.
/// </summary>
internal sealed class RefreshTeamQueues(ILiveUpdates live) : INotificationHandler<TaskRouted>, INotificationHandler<TaskChanged>
{
    public Task Handle(TaskRouted notification, CancellationToken cancellationToken)
    {
        notification.Scope.AfterCommit(() => live.TeamChanged(notification.TeamId));
        return Task.CompletedTask;
    }

    public Task Handle(TaskChanged notification, CancellationToken cancellationToken)
    {
        notification.Scope.AfterCommit(() => live.TeamChanged(notification.TeamId));
        if (notification.PreviousTeamId is { } previous && previous != notification.TeamId)
        {
            notification.Scope.AfterCommit(() => live.TeamChanged(previous));
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// Every routing step in the audit log, in the same transaction as the step: who, which step, which task, when.
/// Not the event's summary: it carries the result, the reason of a handover or what was said on the phone.
/// </summary>
internal sealed class AuditTaskEvents(IAuditLog audit) : INotificationHandler<TaskRouted>, INotificationHandler<TaskChanged>
{
    public const string EntityType = AuditSubjects.Task;

    public Task Handle(TaskRouted notification, CancellationToken cancellationToken)
    {
        var scope = notification.Scope;
        audit.Record(scope.Db, scope.ActorId, scope.ActorName, "taak.doorgezet", EntityType, notification.TaskId.ToString(DutchFormat.Culture), "");
        return Task.CompletedTask;
    }

    public Task Handle(TaskChanged notification, CancellationToken cancellationToken)
    {
        var scope = notification.Scope;
        audit.Record(scope.Db, scope.ActorId, scope.ActorName, "taak." + notification.Change.ToString().ToLowerInvariant(), EntityType,
            notification.TaskId.ToString(DutchFormat.Culture), "");
        return Task.CompletedTask;
    }
}

/// <summary>The employee a task was assigned or handed to finds it under the bell, live.</summary>
internal sealed class NotifyAssignee(ILiveUpdates live) : INotificationHandler<TaskRouted>, INotificationHandler<TaskChanged>
{
    public Task Handle(TaskRouted notification, CancellationToken cancellationToken)
    {
        Notify(notification.Scope, notification.AssigneeId, notification.TaskId, notification.Summary);
        return Task.CompletedTask;
    }

    public Task Handle(TaskChanged notification, CancellationToken cancellationToken)
    {
        Notify(notification.Scope, notification.NotifyEmployeeId, notification.TaskId, notification.Summary);
        return Task.CompletedTask;
    }

    private void Notify(EventScope scope, string? employeeId, long taskId, string summary)
    {
        // Nobody needs to be told what they did themselves.
        if (employeeId is null || employeeId == scope.ActorId)
        {
            return;
        }

        scope.Db.EmployeeNotifications.Add(new EmployeeNotification
        {
            EmployeeId = employeeId,
            CreatedAt = scope.Now,
            Text = summary.Length <= NotificationLimits.Text ? summary : summary[..(NotificationLimits.Text - 1)] + "…",
            Link = $"/taken/{taskId}",
        });
        scope.AfterCommit(() => live.EmployeeNotified(employeeId));
    }
}
