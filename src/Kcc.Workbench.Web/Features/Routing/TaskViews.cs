using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Parties;

namespace Kcc.Workbench.Web.Features.Routing;

/// <summary>One row of a task list: the queue, the regie overview, the klantbeeld, the escalation list.</summary>
public sealed record TaskListItem(
    long Id,
    int TeamId,
    string TeamName,
    DateTime DueAt,
    InternalTaskStatus Status,
    TaskStep Step,
    int Attempts,
    DateTime? RetryAt,
    string TopicName,
    RequestedAction Action,
    Channel Channel,
    int? PartyId,
    string Resident,
    string? AssigneeId,
    string? AssigneeName,
    string Question,
    DateTime CreatedAt,
    string? Result,
    DateTime? CompletedAt);

public sealed record TeamOption(int Id, string Name);

public sealed record EmployeeOption(string Id, string Name);

public sealed record TaskLogView(long Id, DateTime At, string EmployeeName, TaskLogKind Kind, string Text, int Version, long? ContactId);

/// <summary>Everything the task page shows, with the version the user's actions must match.</summary>
public sealed record TaskDetails(
    TaskListItem Summary,
    int Version,
    string? Explanation,
    ReachBy? ReachBy,
    string? ReachAt,
    string? Reachable,
    string Norm,
    string CreatedByName,
    string? CompletedByName,
    long QuestionId,
    ContactView Contact,
    IReadOnlyList<TaskLogView> Log,
    bool CanAct);

internal static class TaskProjections
{
    public const int QuestionSnippet = 140;

    /// <summary>The raw row a list query reads; names are masked or joined in memory.</summary>
    internal sealed record Row(
        long Id, int TeamId, string TeamName, DateTime DueAt, InternalTaskStatus Status, TaskStep Step, int Attempts, DateTime? RetryAt,
        string TopicName, RequestedAction Action, Channel Channel, int? PartyId, PartyKind? PartyKind, string? FirstNames, string? Prefix, string? LastName,
        string? OrganisationName, string? AssigneeId, string? AssigneeName, string Question, DateTime CreatedAt, string? Result, DateTime? CompletedAt);

    public static IQueryable<Row> ToRows(this IQueryable<InternalTask> tasks) => tasks.Select(t => new Row(
        t.Id, t.TeamId, t.Team!.Name, t.DueAt, t.Status, t.Step, t.Attempts, t.RetryAt,
        t.Topic!.Name, t.Action, t.Channel, t.PartyId,
        t.Party == null ? null : t.Party.Kind, t.Party == null ? null : t.Party.FirstNames, t.Party == null ? null : t.Party.Prefix,
        t.Party == null ? null : t.Party.LastName, t.Party == null ? null : t.Party.OrganisationName,
        t.AssigneeId, t.AssigneeName, t.Question!.Text.Substring(0, QuestionSnippet), t.CreatedAt, t.Result, t.CompletedAt));

    /// <param name="mask">The back office sees "J. de V.": enough to recognise, not to read; the KCC sees the name.</param>
    public static TaskListItem ToItem(this Row row, bool mask) => new(
        row.Id, row.TeamId, row.TeamName, row.DueAt, row.Status, row.Step, row.Attempts, row.RetryAt, row.TopicName, row.Action, row.Channel,
        row.PartyId, ResidentName(row, mask), row.AssigneeId, row.AssigneeName, row.Question, row.CreatedAt, row.Result, row.CompletedAt);

    private static string ResidentName(Row row, bool mask)
    {
        if (row.PartyId is null)
        {
            return "Anoniem";
        }

        if (row.PartyKind == Parties.PartyKind.Organisation)
        {
            return row.OrganisationName ?? "";
        }

        if (!mask)
        {
            return string.Join(' ', new[] { row.FirstNames, row.Prefix, row.LastName }.Where(p => !string.IsNullOrWhiteSpace(p)));
        }

        var initial = string.IsNullOrWhiteSpace(row.FirstNames) ? "" : row.FirstNames.Trim()[0] + ". ";
        var last = string.IsNullOrWhiteSpace(row.LastName) ? "" : row.LastName.Trim()[0] + ".";
        return $"{initial}{(string.IsNullOrWhiteSpace(row.Prefix) ? "" : row.Prefix + " ")}{last}".Trim();
    }
}
