using Kcc.Workbench.Web.Features.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kcc.Workbench.Web.Features.Topics;

/// <summary>A product of the Uniforme Productnamenlijst (Onderwerpobject), identified by its URI.</summary>
public class Topic
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public required string Uri { get; set; }

    /// <summary>Folded name for search-as-you-type.</summary>
    public string SearchName { get; set; } = "";

    /// <summary>Withdrawn products stay (old contacts point at them) but are no longer offered.</summary>
    public bool IsActive { get; set; } = true;

    /// <summary>The back-office team that owns the product; routing rules start from it.</summary>
    public int? DefaultTeamId { get; set; }

    public Team? DefaultTeam { get; set; }

    public DateTime UpdatedAt { get; set; }
}

internal sealed class TopicConfiguration : IEntityTypeConfiguration<Topic>
{
    public void Configure(EntityTypeBuilder<Topic> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(200);
        builder.Property(t => t.Uri).HasMaxLength(400);
        builder.Property(t => t.SearchName).HasMaxLength(200);
        builder.HasIndex(t => t.Uri).IsUnique();
        builder.HasIndex(t => t.SearchName);
        builder.HasOne(t => t.DefaultTeam).WithMany().HasForeignKey(t => t.DefaultTeamId).OnDelete(DeleteBehavior.SetNull);
    }
}
