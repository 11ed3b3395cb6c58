using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kcc.Workbench.Web.Features.Notifications;

/// <summary>A message for one employee in the workbench (a task assigned to them), shown under the bell in the app bar.</summary>
public class EmployeeNotification
{
    public long Id { get; set; }

    public required string EmployeeId { get; set; }

    public DateTime CreatedAt { get; set; }

    public required string Text { get; set; }

    /// <summary>A local link (e.g. /taken/12), never an external address.</summary>
    public string? Link { get; set; }

    public DateTime? ReadAt { get; set; }
}

public static class NotificationLimits
{
    public const int Text = 500;
    public const int Link = 200;
}

internal sealed class EmployeeNotificationConfiguration : IEntityTypeConfiguration<EmployeeNotification>
{
    public void Configure(EntityTypeBuilder<EmployeeNotification> builder)
    {
        builder.Property(n => n.EmployeeId).HasMaxLength(450);
        builder.Property(n => n.Text).HasMaxLength(NotificationLimits.Text);
        builder.Property(n => n.Link).HasMaxLength(NotificationLimits.Link);
        builder.HasIndex(n => new { n.EmployeeId, n.ReadAt, n.CreatedAt });
    }
}
