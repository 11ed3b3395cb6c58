using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kcc.Workbench.Web.Features.Klantinteracties.Upstream;

/// <summary>Numbers are stored; never renumber.</summary>
public enum UpstreamStatus
{
    Wachtend = 1,
    Afgeleverd = 2,
    Mislukt = 3,
}

/// <summary>
/// The transactional outbox for an upstream Open Klant: one row per saved contact, written in the same transaction
/// as the contact, delivered in the background. <see cref="Progress"/> remembers which upstream resources exist
/// already (uuids per question), so a retry continues where the last attempt stopped and never creates one twice.
/// </summary>
public class UpstreamDelivery
{
    public long Id { get; set; }

    public long ContactId { get; set; }

    public UpstreamStatus Status { get; set; } = UpstreamStatus.Wachtend;

    public int Attempts { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime NextAttemptAt { get; set; }

    public DateTime? DeliveredAt { get; set; }

    /// <summary>Why the last attempt failed, in Dutch for the beheerder (status code and field names; no personal data).</summary>
    public string? LastError { get; set; }

    /// <summary>JSON: question id → upstream uuids created so far.</summary>
    public string Progress { get; set; } = "{}";
}

internal sealed class UpstreamDeliveryConfiguration : IEntityTypeConfiguration<UpstreamDelivery>
{
    public void Configure(EntityTypeBuilder<UpstreamDelivery> builder)
    {
        builder.ToTable("UpstreamDeliveries");
        builder.Property(d => d.LastError).HasMaxLength(1000);
        builder.Property(d => d.Progress).HasMaxLength(8000);
        builder.HasIndex(d => d.ContactId).IsUnique();
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.HasOne<Contacts.Contact>().WithMany().HasForeignKey(d => d.ContactId).OnDelete(DeleteBehavior.Cascade);
    }
}
