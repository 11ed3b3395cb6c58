using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Features.Teams;
using Kcc.Workbench.Web.Features.Topics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kcc.Workbench.Web.Features.Routing;

/// <summary>What the back office is asked to do (gevraagdeHandeling). Numbers are stored; never renumber.</summary>
public enum RequestedAction
{
    Terugbellen = 1,
    BeantwoordenPerEmail = 2,
    BeantwoordenPerBrief = 3,
    InBehandelingNemen = 4,
    AfspraakMaken = 5,
}

/// <summary>How the resident wants to be reached.</summary>
public enum ReachBy
{
    Telefoon = 1,
    Email = 2,
}

/// <summary>The status of Klantinteracties' InterneTaak: te_verwerken or verwerkt. The queue filters on this.</summary>
public enum InternalTaskStatus
{
    TeVerwerken = 1,
    Verwerkt = 2,
}

/// <summary>Our finer steps within the Klantinteracties status.</summary>
public enum TaskStep
{
    Nieuw = 1,
    InBehandeling = 2,
    NietBereikt = 3,
    Afgerond = 4,
}

/// <summary>
/// A routed question (InterneTaak) for a back-office team or one employee of it: requested action, explanation,
/// how to reach the resident, the promised date, status and a log. Times are UTC.
/// </summary>
public class InternalTask
{
    public long Id { get; set; }

    public long QuestionId { get; set; }

    public Question? Question { get; set; }

    // Copied from the contact and question so the queue needs no joins over the contact tables.
    public long ContactId { get; set; }

    public int? PartyId { get; set; }

    public Party? Party { get; set; }

    public int TopicId { get; set; }

    public Topic? Topic { get; set; }

    public Channel Channel { get; set; }

    public int TeamId { get; set; }

    public Team? Team { get; set; }

    /// <summary>The employee who has the task: chosen by the front office, taken with "Volgende pakken", or handed over.</summary>
    public string? AssigneeId { get; set; }

    public string? AssigneeName { get; set; }

    public RequestedAction Action { get; set; }

    /// <summary>Toelichting for the back office.</summary>
    public string? Explanation { get; set; }

    public ReachBy? ReachBy { get; set; }

    /// <summary>The phone number or e-mail address the resident wants to be reached on.</summary>
    public string? ReachAt { get; set; }

    /// <summary>When the resident can be reached ("na 14:00", "niet op woensdag").</summary>
    public string? Reachable { get; set; }

    public InternalTaskStatus Status { get; set; } = InternalTaskStatus.TeVerwerken;

    public TaskStep Step { get; set; } = TaskStep.Nieuw;

    public DateTime DueAt { get; set; }

    /// <summary>The service norm the due date came from, as shown to the resident ("Terugbelverzoek: 1 werkdag").</summary>
    public required string Norm { get; set; }

    public DateTime CreatedAt { get; set; }

    public required string CreatedById { get; set; }

    public required string CreatedByName { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>Failed attempts to reach the resident.</summary>
    public int Attempts { get; set; }

    /// <summary>When to try again after "niet bereikt".</summary>
    public DateTime? RetryAt { get; set; }

    /// <summary>The answer for the resident, which the KCC reads back when they ask (reactie).</summary>
    public string? Result { get; set; }

    public DateTime? CompletedAt { get; set; }

    public string? CompletedByName { get; set; }

    /// <summary>Optimistic concurrency: every change raises it; a save with an older version is refused.</summary>
    public int Version { get; set; } = 1;

    public List<TaskLogEntry> Log { get; } = [];
}

public enum TaskLogKind
{
    Aangemaakt = 1,
    Opgepakt = 2,
    Vrijgegeven = 3,
    Overgedragen = 4,
    Notitie = 5,
    ContactGelogd = 6,
    NietBereikt = 7,
    Afgerond = 8,
}

/// <summary>One line in a task's log: who did what, when.</summary>
public class TaskLogEntry
{
    public long Id { get; set; }

    public long TaskId { get; set; }

    public DateTime At { get; set; }

    public required string EmployeeId { get; set; }

    public required string EmployeeName { get; set; }

    public TaskLogKind Kind { get; set; }

    public required string Text { get; set; }

    /// <summary>The task's version after this entry; entries above the version a user saw are what changed since.</summary>
    public int Version { get; set; }

    /// <summary>The outgoing contact logged from the task, if any.</summary>
    public long? ContactId { get; set; }
}

public static class TaskLimits
{
    // Klantinteracties: toelichting ≤ 1000, reactie ≤ 4000.
    public const int Explanation = 1000;
    public const int Result = 4000;
    public const int ReachAt = PartyLimits.ContactValue;
    public const int Reachable = 200;
    public const int Note = 2000;
    public const int Reason = 1000;
}

public static class TaskLabels
{
    public static readonly RequestedAction[] Actions =
        [RequestedAction.Terugbellen, RequestedAction.BeantwoordenPerEmail, RequestedAction.BeantwoordenPerBrief, RequestedAction.InBehandelingNemen, RequestedAction.AfspraakMaken];

    public static string Label(this RequestedAction action) => action switch
    {
        RequestedAction.Terugbellen => "Terugbellen",
        RequestedAction.BeantwoordenPerEmail => "Beantwoorden per e-mail",
        RequestedAction.BeantwoordenPerBrief => "Beantwoorden per brief",
        RequestedAction.InBehandelingNemen => "In behandeling nemen",
        RequestedAction.AfspraakMaken => "Afspraak maken",
        _ => action.ToString(),
    };

    public static string Label(this TaskStep step) => step switch
    {
        TaskStep.Nieuw => "Nieuw",
        TaskStep.InBehandeling => "In behandeling",
        TaskStep.NietBereikt => "Niet bereikt",
        TaskStep.Afgerond => "Afgerond",
        _ => step.ToString(),
    };

    public static string Label(this ReachBy reachBy) => reachBy == ReachBy.Telefoon ? "Telefoon" : "E-mail";

    /// <summary>The status as the Klantinteracties API writes it.</summary>
    public static string StandardName(this InternalTaskStatus status) => status == InternalTaskStatus.Verwerkt ? "verwerkt" : "te_verwerken";

    public static string Label(this TaskLogKind kind) => kind switch
    {
        TaskLogKind.Aangemaakt => "Doorgezet",
        TaskLogKind.Opgepakt => "Opgepakt",
        TaskLogKind.Vrijgegeven => "Teruggelegd",
        TaskLogKind.Overgedragen => "Overgedragen",
        TaskLogKind.Notitie => "Notitie",
        TaskLogKind.ContactGelogd => "Contact gelogd",
        TaskLogKind.NietBereikt => "Niet bereikt",
        TaskLogKind.Afgerond => "Afgerond",
        _ => kind.ToString(),
    };
}

internal sealed class InternalTaskConfiguration : IEntityTypeConfiguration<InternalTask>, IEntityTypeConfiguration<TaskLogEntry>
{
    public void Configure(EntityTypeBuilder<InternalTask> builder)
    {
        builder.ToTable("InternalTasks");
        builder.Property(t => t.AssigneeId).HasMaxLength(450);
        builder.Property(t => t.AssigneeName).HasMaxLength(200);
        builder.Property(t => t.Explanation).HasMaxLength(TaskLimits.Explanation);
        builder.Property(t => t.ReachAt).HasMaxLength(TaskLimits.ReachAt);
        builder.Property(t => t.Reachable).HasMaxLength(TaskLimits.Reachable);
        builder.Property(t => t.Norm).HasMaxLength(200);
        builder.Property(t => t.CreatedById).HasMaxLength(450);
        builder.Property(t => t.CreatedByName).HasMaxLength(200);
        builder.Property(t => t.CompletedByName).HasMaxLength(200);
        builder.Property(t => t.Result).HasMaxLength(TaskLimits.Result);
        builder.Property(t => t.Version).IsConcurrencyToken();
        builder.HasOne(t => t.Question).WithMany().HasForeignKey(t => t.QuestionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Contact>().WithMany().HasForeignKey(t => t.ContactId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(t => t.Party).WithMany().HasForeignKey(t => t.PartyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(t => t.Topic).WithMany().HasForeignKey(t => t.TopicId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(t => t.Team).WithMany().HasForeignKey(t => t.TeamId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(t => t.Log).WithOne().HasForeignKey(e => e.TaskId).OnDelete(DeleteBehavior.Cascade);

        // One task per question: routing twice must fail, not duplicate.
        builder.HasIndex(t => t.QuestionId).IsUnique();
        // The team queue and "Volgende pakken": open tasks of a team by due date (overdue ones come first by themselves).
        builder.HasIndex(t => new { t.TeamId, t.Status, t.DueAt }).HasDatabaseName("IX_InternalTasks_Queue");
        builder.HasIndex(t => new { t.TeamId, t.Status, t.AssigneeId, t.DueAt }).HasDatabaseName("IX_InternalTasks_Unclaimed");
        // Regie: all open tasks by due date, and a party's tasks on the klantbeeld.
        builder.HasIndex(t => new { t.Status, t.DueAt });
        builder.HasIndex(t => new { t.PartyId, t.CreatedAt });
        builder.HasIndex(t => new { t.AssigneeId, t.Status });
    }

    public void Configure(EntityTypeBuilder<TaskLogEntry> builder)
    {
        builder.ToTable("TaskLogEntries");
        builder.Property(e => e.EmployeeId).HasMaxLength(450);
        builder.Property(e => e.EmployeeName).HasMaxLength(200);
        builder.Property(e => e.Text).HasMaxLength(TaskLimits.Note + 200);
        builder.HasIndex(e => new { e.TaskId, e.Id });
    }
}
