using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kcc.Workbench.Web.Features.Audit;

/// <summary>
/// Who did what to which record, when. Nothing changes these rows, except the retention job (which deletes them after
/// Kcc:Bewaartermijnen:AuditYears) and an art. 17 erasure (which clears the details of the party's entries).
/// Generic (entity type + id, details) so later features add their actions without schema changes.
/// </summary>
public class AuditEntry
{
    public long Id { get; set; }

    public DateTime At { get; set; }

    public required string ActorId { get; set; }

    public required string ActorName { get; set; }

    /// <summary>A short, stable action name, e.g. "taak.doorgezet".</summary>
    public required string Action { get; set; }

    public required string EntityType { get; set; }

    public required string EntityId { get; set; }

    /// <summary>Field names, counts or the app's own words; never free text or personal data.</summary>
    public required string Summary { get; set; }
}

public static class AuditLimits
{
    public const int Action = 100;
    public const int EntityType = 100;
    public const int EntityId = 100;
    public const int Summary = 1000;
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.Property(a => a.ActorId).HasMaxLength(450);
        builder.Property(a => a.ActorName).HasMaxLength(200);
        builder.Property(a => a.Action).HasMaxLength(AuditLimits.Action);
        builder.Property(a => a.EntityType).HasMaxLength(AuditLimits.EntityType);
        builder.Property(a => a.EntityId).HasMaxLength(AuditLimits.EntityId);
        builder.Property(a => a.Summary).HasMaxLength(AuditLimits.Summary);
        builder.HasIndex(a => new { a.EntityType, a.EntityId });
        builder.HasIndex(a => a.At);
    }
}
